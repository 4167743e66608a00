"""The command line around the dataset: ``wirecoder run`` (with the rule-based stand-in
stages), ``wirecoder export`` and ``wirecoder explain``, as a user types them."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from wirecoder.cli import main

STORIES = [
    {"id": "w1", "url": "https://wire.example/1", "title": "Violence in southern Syria", "published": "2025-03-04",
     "text": "Rebels clashed with the army in Dael on Tuesday, and 3 soldiers were killed, a monitor said."},
    {"id": "p1", "url": "https://paper.example/1", "title": "Dael fighting", "published": "2025-03-05",
     "text": "The army fought rebels in Dael on Tuesday. Officials gave no toll for the fighting."},
]


@pytest.fixture()
def store(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("WIRECODER_STAGES", "wirecoder.store.testing:stages")
    inputs = tmp_path / "stories.jsonl"
    inputs.write_text("".join(json.dumps(s) + "\n" for s in STORIES), encoding="utf-8")
    db = tmp_path / "w.db"
    result = CliRunner().invoke(main, ["run", str(inputs), "--db", str(db)])
    assert result.exit_code == 0, result.output
    assert "2 new" in result.output and "1 reports merged" in result.output
    return db


def test_export_jsonl_to_stdout_then_explain(store: Path) -> None:
    runner = CliRunner()
    exported = runner.invoke(main, ["export", "--db", str(store), "--format", "jsonl"])
    assert exported.exit_code == 0, exported.output
    lines = [line for line in exported.stdout.splitlines() if line.startswith("{\"id\"")]
    assert len(lines) == 1
    event = json.loads(lines[0])
    assert event["sources"] == ["w1", "p1"] and event["fatalities"] == 3
    explained = runner.invoke(main, ["explain", event["id"], "--db", str(store)])
    assert explained.exit_code == 0, explained.output
    assert "Reported by 2 article(s)" in explained.output and "merged: score" in explained.output


def test_export_csv_file_with_provenance(store: Path, tmp_path: Path) -> None:
    out = tmp_path / "out" / "syria.csv"
    result = CliRunner().invoke(main, ["export", "--db", str(store), "--format", "acled-csv", "--country", "Syria",
                                       "--output", str(out)])
    assert result.exit_code == 0, result.output
    assert out.read_text().startswith("event_id_cnty,event_date,year,")
    assert json.loads(Path(f"{out}.provenance.json").read_text())["count"] == 1


@pytest.mark.parametrize(
    ("args", "message"),
    [
        # parquet cannot go to a terminal
        (["--format", "parquet"], "--output"),
        # a malformed box names the expected shape
        (["--format", "jsonl", "--bbox", "1,2"], "W,S,E,N"),
    ],
)
def test_export_errors_are_clean(store: Path, args: list[str], message: str) -> None:
    result = CliRunner().invoke(main, ["export", "--db", str(store), *args])
    assert result.exit_code == 1 and message in result.output
    assert "Traceback" not in result.output


def test_export_from_missing_store_says_how_to_make_one(tmp_path: Path) -> None:
    result = CliRunner().invoke(main, ["export", "--db", str(tmp_path / "none.db"), "--format", "jsonl"])
    assert result.exit_code == 1 and "wirecoder run" in result.output
