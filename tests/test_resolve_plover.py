"""The PLOVER dev set's source actors, read by the resolver's role extraction: a floor
that only goes up (measured 0.853 on 150 records; the issue asks for at least 0.70)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from eval_gate import require_corpus

from wirecoder.evaluate.plover_actors import actors_match, score

FLOOR = 0.82
# the file the floor was measured on (eval_gate.corpus_fingerprint)
CORPUS = ("events/plover_gsr_dev.json",)
CORPUS_SHA256 = "e610b4d9b6aa87bd"


@pytest.mark.slow
def test_plover_source_actor_floor(eval_dir: Path, settings: Any) -> None:
    require_corpus(eval_dir, CORPUS, CORPUS_SHA256)
    result = score(eval_dir.parent, settings)
    assert result["records_with_source"] > 100
    assert result["source_match"] >= FLOOR, result["misses"][:5]


@pytest.mark.parametrize("predicted,gold,expected", [
    ("Israeli Prime Minister Ehud Barak", "Israeli Prime Minister Ehud Barak", True),  # identical
    ("European Community foreign ministers", "European Community", True),  # gold inside ours
    ("the United States", "United States", True),  # a leading "the" is dropped
    ("U.S.", "US", True),  # abbreviation dots
    ("Quatar's emir Sheikh Hamad", "Quatar's emir", True),  # ours longer
    ("Russian negotiators", "U.S. ... negotiators", False),  # one shared word of three is not enough
    ("Sudan", "Russia", False),  # different actors
    ("", "Russia", False),  # nothing predicted
])
def test_actors_match(predicted: str, gold: str, expected: bool) -> None:
    assert actors_match(predicted, gold) is expected
