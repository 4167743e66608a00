"""The command line around the dataset: ``wirecoder run`` (with the rule-based stand-in
stages), ``wirecoder export`` and ``wirecoder explain``, as a user types them."""

from __future__ import annotations

import csv
import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from wirecoder.cli import main
from wirecoder.errors import EXIT_USAGE
from wirecoder.records import Article, Document, Event, Evidence, Published, Source
from wirecoder.runner import store_document
from wirecoder.settings import Settings
from wirecoder.store import Store

from test_export_formats import wirecoder_id

STORIES = [
    {"id": "w1", "url": "https://wire.example/1", "title": "Violence in southern Syria", "published": "2025-03-04",
     "text": "Rebels clashed with the army in Dael on Tuesday, and 3 soldiers were killed, a monitor said."},
    {"id": "p1", "url": "https://paper.example/1", "title": "Dael fighting", "published": "2025-03-05",
     "text": "The army fought rebels in Dael on Tuesday. Officials gave no toll for the fighting."},
]


@pytest.fixture()
def store(tmp_path: Path) -> Path:
    inputs = tmp_path / "stories.jsonl"
    inputs.write_text("".join(json.dumps(s) + "\n" for s in STORIES), encoding="utf-8")
    db = tmp_path / "w.db"
    result = CliRunner().invoke(main, ["run", str(inputs), "--db", str(db), "--set", 'pipeline.stages=["testing.keywords"]'])
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
    assert result.exit_code == EXIT_USAGE and message in result.output
    assert "Traceback" not in result.output


def test_export_from_missing_store_says_how_to_make_one(tmp_path: Path) -> None:
    result = CliRunner().invoke(main, ["export", "--db", str(tmp_path / "none.db"), "--format", "jsonl"])
    assert result.exit_code == EXIT_USAGE and "wirecoder run" in result.output


@pytest.fixture()
def mixed_store(tmp_path: Path) -> Path:
    """A store built by hand: one clash (ACLED-typed) and one visit (PLOVER-only)."""
    settings = Settings()
    acled = Event(id="acled", article_id="a1", evidence=Evidence("Rebels clashed with the army in Dael.", 0, 37),
                  event_date="2025-03-04", time_precision=1, disorder_type="Political violence",
                  event_type="Battles", sub_event_type="Armed clash", actor1="State forces", inter1=1,
                  actor2="Rebels", inter2=2, country="Syria", iso="SY", admin1="Daraa", location="Dael",
                  latitude=32.755, longitude=36.13, geo_precision=1, confidence=0.8)
    plover = Event(id="plover", article_id="a2", evidence=Evidence("The president visited Kampala.", 0, 30),
                   event_date="2025-03-10", time_precision=1, plover_type="CONSULT", actor1="Government (Kenya)",
                   inter1=1, actor2="Government (Uganda)", inter2=1, country="Uganda", iso="UG",
                   admin1="Central", location="Kampala", latitude=0.316, longitude=32.582, geo_precision=1,
                   confidence=0.7)
    db = tmp_path / "mixed.db"
    with Store.open(str(db)) as store:
        run_id = store.start_run(settings, ["stories/"], "test")
        for e in (acled, plover):
            article = Article(id=e.article_id, source=Source(outlet="wire"), headline="H",
                              published=Published(e.event_date, "metadata"), paragraphs=[e.evidence.sentence])
            store_document(store, Document(article=article, events=[e]), settings.dedup, run_id=run_id)
        store.finish_run(run_id, {"articles": 2})
    return db


def _ids(fmt: str, out: Path) -> list[str]:
    if fmt == "acled-csv":
        return [wirecoder_id(row) for row in csv.DictReader(out.open(encoding="utf-8"))]
    if fmt == "geojson":
        return [f["id"] for f in json.loads(out.read_text(encoding="utf-8"))["features"]]
    return [json.loads(line)["id"] for line in out.read_text(encoding="utf-8").splitlines()]


@pytest.mark.parametrize(
    ("fmt", "flag", "expected"),
    [
        # by default an ACLED CSV leaves the PLOVER-only visit out
        ("acled-csv", [], ["acled"]),
        # the flag brings it in
        ("acled-csv", ["--include-plover-only"], ["acled", "plover"]),
        # a map of ACLED events: the same default
        ("geojson", [], ["acled"]),
        # ...and the same opt-in
        ("geojson", ["--include-plover-only"], ["acled", "plover"]),
        # JSON Lines holds every event without the flag
        ("jsonl", [], ["acled", "plover"]),
        # and the flag is harmless there
        ("jsonl", ["--include-plover-only"], ["acled", "plover"]),
    ],
)
def test_export_include_plover_only(mixed_store: Path, tmp_path: Path, fmt: str, flag: list[str],
                                    expected: list[str]) -> None:
    out = tmp_path / f"events.{fmt}"
    result = CliRunner().invoke(main, ["export", "--db", str(mixed_store), "--format", fmt, *flag,
                                       "--output", str(out)])
    assert result.exit_code == 0, result.output
    assert _ids(fmt, out) == expected
    provenance = json.loads(Path(f"{out}.provenance.json").read_text(encoding="utf-8"))
    assert provenance["plover_only_included"] is ("plover" in expected)
    assert json.loads(result.stderr.splitlines()[-1])["summary"]["events"] == len(expected)


def test_export_help_names_the_plover_flag() -> None:
    result = CliRunner().invoke(main, ["export", "--help"])
    assert result.exit_code == 0 and "--include-plover-only" in result.output
