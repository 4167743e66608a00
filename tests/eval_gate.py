"""The gate to the shared data (../shared): tests that need it fail when it is absent,
unless WIRECODER_TESTS_WITHOUT_SHARED=1 lets a developer without it skip them.

Floors are tied to the corpus they were measured on, as trafilatura's ``eval_gate.py``
ties its F1 floors to a hash of its benchmark: each eval test pins, beside its floors, a
short sha256 of the evaluation files it reads, and fails (never compares against floors
from another corpus) when the files give another fingerprint."""

from __future__ import annotations

import hashlib
import os
from pathlib import Path
from typing import Iterable

import pytest

WITHOUT_SHARED = "WIRECODER_TESTS_WITHOUT_SHARED"


def require_shared(path: Path, what: str, shared: Path) -> Path:
    """``path`` when it exists; else the test fails naming it and how to provide it (or is
    skipped, when the developer opted out with WIRECODER_TESTS_WITHOUT_SHARED=1), so CI
    never passes by skipping the tests on data."""
    if path.exists():
        return path
    message = (f"{what} not found at {path}: the tests read the shared data from {shared}, beside "
               f"the checkout; put it there, or set {WITHOUT_SHARED}=1 to skip the tests that need it")
    if os.environ.get(WITHOUT_SHARED) == "1":
        pytest.skip(message)
    pytest.fail(message, pytrace=False)


def corpus_fingerprint(eval_dir: Path, parts: Iterable[str]) -> str:
    """16 hex digits of sha256 over the files ``parts`` names under ``eval_dir`` (a folder
    stands for every file below it), each fed as its relative path then its bytes, in
    sorted order: renaming, adding, removing or editing a file changes it."""
    digest = hashlib.sha256()
    for part in sorted(set(parts)):
        root = eval_dir / part
        if not root.exists():
            raise FileNotFoundError(f"evaluation file {root} is absent")
        files = sorted(p for p in root.rglob("*") if p.is_file()) if root.is_dir() else [root]
        for path in files:
            digest.update(path.relative_to(eval_dir).as_posix().encode() + b"\0")
            digest.update(hashlib.sha256(path.read_bytes()).digest())
    return digest.hexdigest()[:16]


def corpus_changed(eval_dir: Path, parts: Iterable[str], pinned: str) -> str | None:
    """None when the files give the pinned fingerprint, else why the floors cannot be
    compared: what changed and how to re-measure and re-pin."""
    parts = list(parts)
    actual = corpus_fingerprint(eval_dir, parts)
    if actual == pinned:
        return None
    return (f"the evaluation corpus changed: {', '.join(parts)} under {eval_dir} give the fingerprint "
            f"{actual}, the floors were measured on {pinned}. Re-measure the floors on these files "
            f"(wirecoder eval …), write the new figures and set the pinned fingerprint to {actual!r}.")


def require_corpus(eval_dir: Path, parts: Iterable[str], pinned: str) -> None:
    """Fail the test (before the slow evaluation) unless the files are the pinned corpus."""
    why = corpus_changed(eval_dir, parts, pinned)
    if why:
        pytest.fail(why, pytrace=False)
