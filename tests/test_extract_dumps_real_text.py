"""The dump splitter on scraped dumps assembled at run time from real article text it
was not written on: the VOA stories of ../shared, cut into paragraphs and printed with
varied habits by ``scripts/real_text_dumps.py`` (which says how the dumps are made and
how they are scored). The floors hold on two seeds; the rules were developed on seed 1
only, seed 2 is measured as it comes.

Measured at commit time (``python scripts/real_text_dumps.py``): seed 1 exact 0.9958,
body F1 1.0000; seed 2 exact 0.9833, body F1 0.9951. The splitter before issue 15:
exact 0.5667 / 0.5125, body F1 0.9664 / 0.9504."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest
from conftest import SHARED
from eval_gate import require_corpus, require_shared

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "scripts"))
import real_text_dumps  # noqa: E402

CORPUS = SHARED / "data" / "corpus" / "voa_stories.jsonl"
# sha256 (16 hex digits) of the corpus file the floors were measured on.
PINNED = "d31c5e0bb48888e2"
# Floors only go up (issue 15 asks for 0.95 on both).
EXACT_FLOOR = 0.95
BODY_F1_FLOOR = 0.95


@pytest.fixture(scope="module")
def corpus() -> Path:
    path = require_shared(CORPUS, "the VOA stories", SHARED)
    require_corpus(SHARED / "data", ["corpus/voa_stories.jsonl"], PINNED)
    return path


@pytest.mark.parametrize("seed", [
    1,  # the seed the rules were developed on
    2,  # a seed they were not
])
def test_real_text_dumps_split_above_the_floors(corpus: Path, seed: int) -> None:
    result = real_text_dumps.measure(seed, real_text_dumps.ARTICLES, corpus)
    assert result["articles"] >= 200
    assert result["exact"] >= EXACT_FLOOR, result
    assert result["body_f1"] >= BODY_F1_FLOOR, result


def test_real_text_dumps_are_the_same_for_the_same_seed(corpus: Path) -> None:
    stories = real_text_dumps.load_stories(corpus)
    first, again = real_text_dumps.build_dumps(stories, 7, 40), real_text_dumps.build_dumps(stories, 7, 40)
    assert [d.text for d in first] == [d.text for d in again]
    assert sum(len(d.gold) for d in first) == 40
    assert all(2 <= len(d.gold) <= 6 for d in first)


@pytest.mark.parametrize(
    "gold, got, f1",
    [
        # the same body: F1 1
        (["one two three four five"], ["one two three four five"], 1.0),
        # half the shingles in common: 2 of 2 gold, 2 of 4 output -> 2*2/(2+4)
        (["one two three four five"], ["one two three four five six seven"], 2 * 2 / (2 + 4)),
        # nothing in common
        (["one two three four"], ["five six seven eight"], 0.0),
    ],
)
def test_body_f1_is_shingle_f1(gold: list[str], got: list[str], f1: float) -> None:
    from wirecoder.records import Article

    dump = real_text_dumps.Dump("", [real_text_dumps.Gold("H", gold)])
    [row] = real_text_dumps.score_dump(dump, [Article(id="", headline="H", paragraphs=got)])
    assert row["f1"] == pytest.approx(f1)
    assert row["exact"] == (gold == got)
