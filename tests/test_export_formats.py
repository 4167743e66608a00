"""``export_events`` in its four formats, the filters, and the provenance beside each
file. The store is filled with hand-built events."""

from __future__ import annotations

import csv
import dataclasses
import io
import json
from pathlib import Path

import pytest

from wirecoder.errors import WirecoderError
from wirecoder.export import ACLED_COLUMNS, ExportFilters, export_events, parquet_schema
from wirecoder.records import Article, Document, Event, Evidence, Published, Source
from wirecoder.runner import store_document
from wirecoder.settings import Settings
from wirecoder.store import Store

SETTINGS = Settings()


def event(id: str, article: str, **changes: object) -> Event:
    base = Event(id=id, article_id=article, evidence=Evidence("A sentence.", 0, 11), event_date="2025-03-04",
                 time_precision=1, disorder_type="Political violence", event_type="Battles",
                 sub_event_type="Armed clash", actor1="State forces", inter1=1, actor2="Rebels", inter2=2,
                 interaction=12, country="Syria", iso="SY", admin1="Daraa", location="Dael", geonameid=170959,
                 latitude=32.755, longitude=36.13, geo_precision=1, fatalities=2, confidence=0.8)
    return dataclasses.replace(base, **changes)


EVENTS = [
    event("e1", "a1"),
    # a protest in another country, later
    event("e2", "a2", event_date="2025-03-10", disorder_type="Demonstrations", event_type="Protests",
          sub_event_type="Peaceful protest", actor1="Protesters (Kenya)", inter1=6, actor2=None, inter2=None,
          interaction=60, country="Kenya", iso="KE", admin1="Nairobi", location="Nairobi", geonameid=184745,
          latitude=-1.283, longitude=36.817, fatalities=0),
    # no coordinates: left out of GeoJSON, counted (other actors, so it does not merge with e1)
    event("e3", "a3", actor1="Hayat Tahrir al-Sham", actor2=None, inter2=None, location=None, geonameid=None, latitude=None, longitude=None, geo_precision=None,
          event_date="2025-03-05"),
    # a hypothetical: only with include_noncurrent
    event("e4", "a4", modality="hypothetical", event_date="2025-03-06", location="Nawa", geonameid=166365,
          latitude=32.89, longitude=36.043),
]


@pytest.fixture()
def db(tmp_path: Path) -> str:
    path = str(tmp_path / "w.db")
    with Store.open(path) as store:
        run_id = store.start_run(SETTINGS, ["stories/"], "test")
        for e in EVENTS:
            article = Article(id=e.article_id, source=Source(outlet=f"outlet-{e.article_id}"), headline="H",
                              published=Published(e.event_date, "metadata"), paragraphs=["A sentence."])
            store_document(store, Document(article=article, events=[e]), SETTINGS.dedup, run_id=run_id)
        store.finish_run(run_id, {"articles": 4})
    return path


def wirecoder_id(row: dict[str, str]) -> str:
    """wirecoder's event id, which an ACLED CSV row carries first in its tags."""
    tag = row["tags"].split("; ")[0]
    assert tag.startswith("wirecoder id: "), row["tags"]
    return tag.removeprefix("wirecoder id: ")


def test_acled_csv_has_acled_columns_in_order(db: str, tmp_path: Path) -> None:
    out = tmp_path / "events.csv"
    assert export_events(db, "acled-csv", str(out), ExportFilters(), SETTINGS) == 3
    rows = list(csv.DictReader(out.open(encoding="utf-8")))
    with out.open(encoding="utf-8") as handle:
        assert tuple(next(csv.reader(handle))) == ACLED_COLUMNS
    first = rows[0]
    assert (wirecoder_id(first), first["event_date"], first["year"]) == ("e1", "2025-03-04", "2025")
    assert first["iso"] == "760"  # ACLED's iso is the numeric ISO 3166 code
    assert first["source"] == "outlet-a1"
    assert first["timestamp"].isdigit()
    assert [wirecoder_id(r) for r in rows] == ["e1", "e3", "e2"]  # by date


def test_geojson_is_a_valid_feature_collection(db: str, tmp_path: Path) -> None:
    out = tmp_path / "events.geojson"
    assert export_events(db, "geojson", str(out), ExportFilters(), SETTINGS) == 2
    data = json.loads(out.read_text(encoding="utf-8"))
    assert data["type"] == "FeatureCollection"
    for feature in data["features"]:
        assert feature["type"] == "Feature"
        assert feature["geometry"]["type"] == "Point"
        lon, lat = feature["geometry"]["coordinates"]
        assert -180 <= lon <= 180 and -90 <= lat <= 90
        assert (lat, lon) == (feature["properties"]["latitude"], feature["properties"]["longitude"])
    assert data["features"][0]["geometry"]["coordinates"] == [36.13, 32.755]  # [lon, lat]
    provenance = json.loads((tmp_path / "events.geojson.provenance.json").read_text())
    assert provenance["skipped"] == {"without_coordinates": 1}


def test_parquet_schema_reads_back(db: str, tmp_path: Path) -> None:
    import pyarrow.parquet as pq
    out = tmp_path / "events.parquet"
    assert export_events(db, "parquet", str(out), ExportFilters(), SETTINGS) == 3
    table = pq.read_table(out)
    assert table.schema.equals(parquet_schema())
    # every Event field, in record order (a field added to Event must reach the export)
    assert table.schema.names == [f.name for f in dataclasses.fields(Event)] + ["n_reports", "plover_only", "reviewed"]
    assert table.column("id").to_pylist() == ["e1", "e3", "e2"]
    assert table.column("sources").to_pylist()[0] == ["a1"]
    assert table.column("evidence").to_pylist()[0] == {"sentence": "A sentence.", "start": 0, "end": 11}


def test_parquet_reads_in_duckdb(db: str, tmp_path: Path) -> None:
    import duckdb  # a test extra: the export must read in DuckDB
    out = tmp_path / "events.parquet"
    export_events(db, "parquet", str(out), ExportFilters(), SETTINGS)
    conn = duckdb.connect()
    rows = conn.execute(f"SELECT id, sources, evidence.sentence FROM read_parquet('{out}') ORDER BY id").fetchall()
    assert [r[0] for r in rows] == ["e1", "e2", "e3"] and rows[0][1] == ["a1"] and rows[0][2] == "A sentence."


def test_jsonl_lines_are_event_records(db: str, tmp_path: Path) -> None:
    out = tmp_path / "events.jsonl"
    export_events(db, "jsonl", str(out), ExportFilters(include_noncurrent=True), SETTINGS)
    events = [Event.from_dict(json.loads(line)) for line in out.read_text().splitlines()]
    assert sorted(e.id for e in events) == ["e1", "e2", "e3", "e4"]
    assert events[0].to_dict() == {**EVENTS[0].to_dict(), "sources": ["a1"]}


def test_provenance_names_settings_version_inputs_and_filters(db: str, tmp_path: Path) -> None:
    out = tmp_path / "syria.csv"
    filters = ExportFilters.from_cli(country=("SY",))
    count = export_events(db, "acled-csv", str(out), filters, SETTINGS)
    provenance = json.loads((tmp_path / "syria.csv.provenance.json").read_text())
    assert provenance["count"] == count == 2
    assert provenance["inputs"] == ["stories/"]
    assert provenance["filters"]["country"] == ["SY"]
    assert provenance["settings"]["dedup"]["window_days"] == SETTINGS.dedup.window_days
    assert provenance["runs"][0]["status"] == "finished" and provenance["wirecoder_version"]


@pytest.mark.parametrize(
    ("filters", "expected"),
    [
        # country by name, any case
        ({"country": ("kenya",)}, ["e2"]),
        # country by ISO code
        ({"country": ("SY",)}, ["e1", "e3"]),
        ({"admin1": ("Nairobi",)}, ["e2"]),
        # dates are inclusive; undated events would be excluded
        ({"since": "2025-03-05"}, ["e3", "e2"]),
        ({"until": "2025-03-04"}, ["e1"]),
        # by sub-event type, event type
        ({"types": ("peaceful protest",)}, ["e2"]),
        ({"types": ("Battles",)}, ["e1", "e3"]),
        # actor substring
        ({"actor": ("kenya",)}, ["e2"]),
        # a box around southern Syria (events without coordinates fall outside)
        ({"bbox": "35.5,32.0,37.0,33.5"}, ["e1"]),
        # the noncurrent event appears on request
        ({"include_noncurrent": True, "country": ("SY",)}, ["e1", "e3", "e4"]),
    ],
)
def test_filters(db: str, tmp_path: Path, filters: dict, expected: list[str]) -> None:
    out = tmp_path / "f.jsonl"
    export_events(db, "jsonl", str(out), ExportFilters.from_cli(**filters), SETTINGS)
    assert [json.loads(line)["id"] for line in out.read_text().splitlines()] == expected


@pytest.mark.parametrize(
    ("filters", "message"),
    [
        ({"bbox": "1,2,3"}, "W,S,E,N"),  # three numbers
        ({"bbox": "0,50,10,40"}, "S<=N"),  # south above north
        ({"since": "March 2025"}, "YYYY-MM-DD"),
    ],
)
def test_bad_filters_are_clear_errors(filters: dict, message: str) -> None:
    with pytest.raises(WirecoderError, match=message):
        ExportFilters.from_cli(**filters)


def test_parquet_needs_an_output_file(db: str) -> None:
    with pytest.raises(WirecoderError, match="--output"):
        export_events(db, "parquet", None, ExportFilters(), SETTINGS)


def test_stdout_export(db: str, capsys: pytest.CaptureFixture[str]) -> None:
    assert export_events(db, "acled-csv", None, ExportFilters(), SETTINGS) == 3
    lines = capsys.readouterr().out.splitlines()
    assert lines[0].split(",") == list(ACLED_COLUMNS) and len(lines) == 4


# One ACLED-typed event and one PLOVER-only one (a visit: a PLOVER type, no ACLED type), in
# different countries so that they never merge.
MIXED = [
    event("acled", "a1"),
    event("plover", "a2", disorder_type=None, event_type=None, sub_event_type=None, plover_type="CONSULT",
          actor1="Government (Kenya)", inter1=1, actor2="Government (Uganda)", inter2=1, interaction=11,
          fatalities=0, event_date="2025-03-10", country="Kenya", iso="KE", admin1="Nairobi", location="Nairobi",
          geonameid=184745, latitude=-1.283, longitude=36.817),
]


@pytest.fixture()
def mixed_db(tmp_path: Path) -> str:
    path = str(tmp_path / "mixed.db")
    with Store.open(path) as store:
        run_id = store.start_run(SETTINGS, ["stories/"], "test")
        for e in MIXED:
            article = Article(id=e.article_id, source=Source(outlet=f"outlet-{e.article_id}"), headline="H",
                              published=Published(e.event_date, "metadata"), paragraphs=["A sentence."])
            store_document(store, Document(article=article, events=[e]), SETTINGS.dedup, run_id=run_id)
        store.finish_run(run_id, {"articles": 2})
    return path


def _read_back(fmt: str, out: Path) -> list[tuple[str, bool]]:
    """(id, PLOVER-only?) per exported event, as a user of ``fmt`` would tell them apart."""
    if fmt == "acled-csv":
        rows = list(csv.DictReader(out.open(encoding="utf-8")))
        for row in rows:  # a PLOVER-only row has its ACLED type columns empty
            assert (row["event_type"] == "") == (row["disorder_type"] == "") == (row["sub_event_type"] == "")
        return [(wirecoder_id(r), r["event_type"] == "") for r in rows]
    if fmt == "geojson":
        features = json.loads(out.read_text(encoding="utf-8"))["features"]
        return [(f["id"], f["properties"]["plover_only"]) for f in features]
    if fmt == "jsonl":
        records = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
        return [(r["id"], r["plover_only"]) for r in records]
    import pyarrow.parquet as pq
    table = pq.read_table(out)
    return list(zip(table.column("id").to_pylist(), table.column("plover_only").to_pylist()))


@pytest.mark.parametrize(
    ("fmt", "include", "expected", "included"),
    [
        # an ACLED CSV holds only events with an ACLED type
        ("acled-csv", False, ["acled"], False),
        # on request the PLOVER-only event joins, its ACLED type columns empty
        ("acled-csv", True, ["acled", "plover"], True),
        # GeoJSON feeds maps of ACLED events: the same default as the CSV
        ("geojson", False, ["acled"], False),
        # ...and the same opt-in, with plover_only in the properties to style it apart
        ("geojson", True, ["acled", "plover"], True),
        # JSON Lines keeps every event, marked plover_only, with no flag needed
        ("jsonl", False, ["acled", "plover"], True),
        # the flag changes nothing for JSON Lines
        ("jsonl", True, ["acled", "plover"], True),
        # Parquet keeps every event too, plover_only a boolean column to filter on
        ("parquet", False, ["acled", "plover"], True),
        # the flag changes nothing for Parquet
        ("parquet", True, ["acled", "plover"], True),
    ],
)
def test_plover_only_events_per_format(mixed_db: str, tmp_path: Path, fmt: str, include: bool,
                                       expected: list[str], included: bool) -> None:
    out = tmp_path / f"events.{fmt}"
    count = export_events(mixed_db, fmt, str(out), ExportFilters(include_plover_only=include), SETTINGS)
    assert _read_back(fmt, out) == [(id, id == "plover") for id in expected]
    provenance = json.loads(Path(f"{out}.provenance.json").read_text(encoding="utf-8"))
    assert provenance["count"] == count == len(expected)
    assert provenance["plover_only_included"] is included
    assert provenance["filters"]["include_plover_only"] is include
