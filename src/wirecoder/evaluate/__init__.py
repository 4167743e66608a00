"""Scores on the public evaluation sets (``../shared/data/eval``), printed as JSON by
``wirecoder eval``. The sets are read where they lie and never copied or trained on."""

from __future__ import annotations

import os
from pathlib import Path

from ..errors import EvalDataError


def find_data_dir(explicit: str | os.PathLike[str] | None = None) -> Path:
    """The shared data folder: ``explicit`` (``--data``, else the setting ``eval.data_dir``;
    the caller picks), else a ``shared/data`` beside the current directory or beside the
    source checkout."""
    candidates: list[Path] = []
    if explicit:
        candidates.append(Path(explicit).expanduser())
    else:
        candidates.append(Path.cwd().parent / "shared" / "data")
        candidates.append(Path(__file__).resolve().parents[3].parent / "shared" / "data")
    for candidate in candidates:
        if (candidate / "eval").is_dir():
            return candidate
    tried = ", ".join(str(c) for c in candidates)
    raise EvalDataError(f"evaluation data not found (tried {tried}); pass --data DIR or set eval.data_dir")
