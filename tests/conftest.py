"""Shared fixtures: the packaged settings, paths to ../shared, and one spaCy model for the
whole session.

A test that needs ../shared fails when it is absent, so CI never passes by skipping the
data tests; a developer without the data sets ``WIRECODER_TESTS_WITHOUT_SHARED=1`` to
skip those tests and run the rest."""

from __future__ import annotations

from pathlib import Path
from typing import Callable

import pytest
from eval_gate import require_shared

from wirecoder.records import Article, Document, Event
from wirecoder.settings import Settings, load_settings

REPO = Path(__file__).resolve().parents[1]
SHARED = REPO.parent / "shared"
SEED = SHARED / "seeds" / "000_a53cd4d3ecffee38.txt"
EVAL = SHARED / "data" / "eval"


@pytest.fixture(scope="session")
def settings() -> Settings:
    return load_settings()


@pytest.fixture(scope="session")
def seed_path() -> Path:
    return require_shared(SEED, "the seed dump", SHARED)


@pytest.fixture(scope="session")
def eval_dir() -> Path:
    return require_shared(EVAL, "the evaluation sets", SHARED)


@pytest.fixture(scope="session")
def code(settings: Settings) -> Callable[[str], list[Event]]:
    """Parse and code one paragraph of text: its events, as the code stage leaves them."""
    from wirecoder.stages.code import EventCoder
    from wirecoder.stages.nlp import Parser

    parser, coder = Parser(settings), EventCoder(settings)
    return lambda text: coder(parser(Document(article=Article(id="x", paragraphs=[text])))).events


# A story holding markup that must stay text on the workbench's page (written for the tests).
HOSTILE_TEXT = ('Rebels clashed with the army in Dael on 2025-04-08, and 2 soldiers were killed. '
                '<script>window.__pwned = "script";</script> '
                '<img src="x" onerror="window.__pwned = \'img\'; alert(\'pwned\')"> was in the wire copy.')


@pytest.fixture(scope="session")
def samples_store(tmp_path_factory: pytest.TempPathFactory, settings: Settings) -> Path:
    """A store built once per session by the real pipeline from the repository's samples/,
    plus one article (id ``hostile``) carrying <script> and an onerror image, coded by the
    rule-based stand-in. Tests that change it work on a copy (:func:`copy_store`)."""
    from wirecoder.records import Published
    from wirecoder.runner import run_pipeline
    from wirecoder.store.testing import KeywordCoder

    path = tmp_path_factory.mktemp("samples-store") / "samples.db"
    run_pipeline([str(REPO / "samples")], settings, db_path=str(path), progress=False)
    hostile = Article(id="hostile", headline="Markup in a story", published=Published("2025-04-09", "metadata"),
                      paragraphs=[HOSTILE_TEXT])
    run_pipeline(["hostile"], settings, db_path=str(path), progress=False, stages=[KeywordCoder()], articles=[hostile])
    return path


def copy_store(source: Path, folder: Path) -> Path:
    """A copy of a store (through SQLite's backup, so a write-ahead log comes along)."""
    import sqlite3

    target = folder / source.name
    with sqlite3.connect(source) as src, sqlite3.connect(target) as dst:
        src.backup(dst)
    return target
