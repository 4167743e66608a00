"""``wirecoder geoparse --spans``: resolve given spans; bad lines become ErrorRecords."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from wirecoder.records import ErrorRecord
from wirecoder.settings import Settings
from wirecoder.stages.geoparse import resolve_span_lines

TEXT = "Syrian troops shelled Dael and Nawa, residents in Daraa said."


def _run(tmp_path: Path, settings: Settings, lines: list[str]) -> list[dict | ErrorRecord]:
    path = tmp_path / "spans.jsonl"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return list(resolve_span_lines([str(path)], settings))


def test_only_given_spans_are_resolved(tmp_path: Path, settings: Settings) -> None:
    spans = [[TEXT.index("Dael"), TEXT.index("Dael") + 4], [TEXT.index("Nawa"), TEXT.index("Nawa") + 4]]
    [result] = _run(tmp_path, settings, [json.dumps({"id": "a", "text": TEXT, "spans": spans})])
    assert isinstance(result, dict) and result["id"] == "a"
    assert [p["geonameid"] for p in result["places"]] == [170959, 166365]  # Dā‘il, Nawá


@pytest.mark.parametrize(
    "line, reason",
    [
        # Not JSON at all.
        ("{not json", "not valid JSON"),
        # Spans must be a list.
        (json.dumps({"id": "b", "text": TEXT, "spans": "0-4"}), '"spans" must be a list'),
        # A span past the end of the text.
        (json.dumps({"id": "c", "text": TEXT, "spans": [[0, 9999]]}), "bad span"),
        # No text.
        (json.dumps({"id": "d", "spans": []}), '"text"'),
    ],
)
def test_bad_line_names_path_and_line(tmp_path: Path, settings: Settings, line: str, reason: str) -> None:
    good = json.dumps({"id": "ok", "text": TEXT, "spans": []})
    results = _run(tmp_path, settings, [good, line])
    assert isinstance(results[0], dict) and results[0]["places"] == []
    error = results[1]
    assert isinstance(error, ErrorRecord)
    assert error.item.endswith("spans.jsonl:2") and reason in error.error


@pytest.mark.parametrize(
    "text, surface, geonameid",
    [
        # A place inside an organisation's name is a mention of the place.
        ("The Bank of Japan held rates.", "Bank of Japan", 1861060),  # Japan
        # ...and the country's own name beats the capital that lists it as an alternate.
        ("Markets trust the autonomy of the Bank of Mexico.", "Bank of Mexico", 3996063),  # Mexico
        # After "<town>, " a given span is where the town lies: the English county.
        ("The circuit at Snetterton, Norfolk, reopens in July.", "Norfolk", 2641455),  # Norfolk
        # AP-style state abbreviations name the state.
        ("Officials in Trenton, N.J., said the road was shut.", "N.J.", 5101760),  # New Jersey
        # Postal codes of Canadian provinces too.
        ("Wildfires spread across BC this week.", "BC", 5909050),  # British Columbia
    ],
)
def test_given_span_resolves(tmp_path: Path, settings: Settings, text: str, surface: str, geonameid: int) -> None:
    start = text.index(surface)
    line = json.dumps({"id": "s", "text": text, "spans": [[start, start + len(surface)]]})
    [result] = _run(tmp_path, settings, [line])
    assert isinstance(result, dict)
    assert [p["geonameid"] for p in result["places"]] == [geonameid]
