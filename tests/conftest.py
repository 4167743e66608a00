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
