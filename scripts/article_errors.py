"""Misses of ``wirecoder eval articles``, for studying errors (never for training):
``python scripts/article_errors.py isaf|muc4 [OUT.json]``."""

from __future__ import annotations

import json
import sys
from pathlib import Path

from wirecoder.evaluate import find_data_dir
from wirecoder.evaluate.articles import ISAF_FILE, MUC_FILE, evaluate_isaf, evaluate_muc
from wirecoder.settings import load_settings


def main() -> None:
    which = sys.argv[1] if len(sys.argv) > 1 else "isaf"
    settings = load_settings()
    folder = find_data_dir(settings.eval.data_dir) / "eval" / "articles"
    if which == "isaf":
        result = evaluate_isaf(folder / ISAF_FILE, settings, details=True)
    else:
        result = evaluate_muc(folder / MUC_FILE, settings, details=True)
    text = json.dumps(result, indent=1)
    if len(sys.argv) > 2:
        Path(sys.argv[2]).write_text(text, encoding="utf-8")
    print(json.dumps({k: v for k, v in result.items() if k != "misses"}))


if __name__ == "__main__":
    main()
