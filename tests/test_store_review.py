"""Review in the store: verdicts, edits, merges and splits, each an append-only audit row;
reviewed fields survive re-runs; exports carry the reviewed values and flag. Stores are
built with the rule-based stand-in stage (``wirecoder.store.testing``)."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

import pytest
from click.testing import CliRunner

from wirecoder import review
from wirecoder.cli import main
from wirecoder.errors import ReviewError
from wirecoder.export import ExportFilters, export_events
from wirecoder.records import Article, Published, Source
from wirecoder.runner import run_pipeline
from wirecoder.settings import Settings
from wirecoder.store import Store
from wirecoder.store.query import EventQuery
from wirecoder.store.review import DoubtWeights
from wirecoder.store.schema import migrate
from wirecoder.store.testing import KeywordCoder

# Texts written for these tests. The clash in Dael is told by two outlets (one event, two
# reports); the protest in Nawa and the shelling of Jasem are events of their own.
DAEL_WIRE = ("wire", "2025-03-04", "Wire report",
             "Syrian army soldiers clashed with rebels in Dael on 2025-03-04, and 4 soldiers were killed.")
DAEL_PAPER = ("paper", "2025-03-05", "Paper report",
              "Rebels fought the army in Dael on 2025-03-04; 5 soldiers died.")
NAWA = ("radio", "2025-03-06", "Radio report", "Hundreds protest in Nawa on 2025-03-06 against prices.")
JASEM = ("daily", "2025-03-07", "Daily report", "The army shelled Jasem on 2025-03-07, and 2 people were killed.")
# A later report of the Dael clash, giving a toll of 3: a re-run merges it into the event.
DAEL_LATE = ("late", "2025-03-06", "Late report", "Soldiers clashed with rebels in Dael on 2025-03-04: 3 soldiers were killed.")


def articles(*stories: tuple[str, str, str, str]) -> list[Article]:
    return [Article(id=f"{outlet}-{published}", source=Source(outlet=outlet), headline=title,
                    published=Published(published, "metadata"), paragraphs=[text])
            for outlet, published, title, text in stories]


def build(path: Path, *stories: tuple[str, str, str, str]) -> str:
    run_pipeline(["test"], Settings(), db_path=str(path), progress=False, stages=[KeywordCoder()],
                 articles=articles(*stories))
    return str(path)


@pytest.fixture
def db(tmp_path: Path) -> str:
    return build(tmp_path / "w.db", DAEL_WIRE, DAEL_PAPER, NAWA, JASEM)


def event_at(store: Store, location: str) -> str:
    return next(r.event.id for r in store.query(EventQuery(include_noncurrent=True)) if r.event.location == location)


def test_review_edit_writes_the_value_and_one_audit_row_per_field(db: str) -> None:
    with Store.open(db) as store:
        dael = event_at(store, "Dael")
        changed = review.edit(store, dael, {"fatalities": 6, "actor2": "Rebels", "event_date": "2025-03-04"},
                              who="ana", why="ministry figure")
        assert changed == ["fatalities"]  # actor2 and the date were already so: no row for them
        row = next(r for r in store.query() if r.event.id == dael)
        assert row.event.fatalities == 6 and row.review == "edited" and row.reviewed
        [entry] = store.reviews.history(dael)
        assert (entry.who, entry.action, entry.field, entry.before, entry.after, entry.why) == \
            ("ana", "edit", "fatalities", 4, 6, "ministry figure")


def test_review_sub_event_type_brings_its_event_and_disorder_types(db: str) -> None:
    with Store.open(db) as store:
        nawa = event_at(store, "Nawa")
        review.edit(store, nawa, {"sub_event_type": "Armed clash"}, who="ana")
        event = store.event(nawa)
        assert (event.event_type, event.sub_event_type, event.disorder_type) == \
            ("Battles", "Armed clash", "Political violence")
        assert {e.field for e in store.reviews.history(nawa)} == {"sub_event_type", "event_type", "disorder_type"}


def test_review_rerun_never_overwrites_a_reviewed_field(tmp_path: Path) -> None:
    path = build(tmp_path / "w.db", DAEL_WIRE, DAEL_PAPER)
    with Store.open(path) as store:
        dael = event_at(store, "Dael")
        review.edit(store, dael, {"fatalities": 9, "location": "Dael town"}, who="ana", why="checked")
    build(tmp_path / "w.db", DAEL_WIRE, DAEL_PAPER, DAEL_LATE)  # the late report merges in
    with Store.open(path, readonly=True) as store:
        [row] = [r for r in store.query() if r.event.id == dael]
        assert row.n_reports == 3  # the run did merge the new report...
        assert (row.event.fatalities, row.event.location) == (9, "Dael town")  # ...but kept the analyst's values
        assert "late-2025-03-06" in row.event.sources


def test_review_audit_log_is_append_only(db: str) -> None:
    with Store.open(db) as store:
        review.confirm(store, event_at(store, "Nawa"), who="ana")
        for sql in ("UPDATE audit SET who = 'mallory'", "DELETE FROM audit"):
            with pytest.raises(sqlite3.IntegrityError, match="append-only"):
                store.conn.execute(sql)
        assert [e.who for e in store.reviews.log()] == ["ana"]


def test_review_reject_takes_the_event_out_of_the_dataset(db: str) -> None:
    with Store.open(db) as store:
        jasem = event_at(store, "Jasem")
        review.reject(store, jasem, who="ana", why="the shelling was of another town")
        assert jasem not in {r.event.id for r in store.query()}
        assert store.count() == 2
        [row] = [r for r in store.query(EventQuery(include_noncurrent=True)) if r.event.id == jasem]
        assert row.review == "rejected" and not row.reviewed
        [entry] = store.reviews.history(jasem)
        assert (entry.action, entry.before, entry.after) == ("reject", None, "rejected")


def test_review_confirm_keeps_an_edited_verdict(db: str) -> None:
    with Store.open(db) as store:
        nawa = event_at(store, "Nawa")
        review.confirm(store, nawa, who="ana")
        assert store.reviews.verdict(nawa) == "confirmed"
        review.edit(store, nawa, {"fatalities": 1}, who="bo")
        review.confirm(store, nawa, who="cy")
        assert store.reviews.verdict(nawa) == "edited"  # confirming an edit does not forget it


def test_review_merge_joins_the_reports_and_records_both_sides(db: str) -> None:
    with Store.open(db) as store:
        dael, jasem = event_at(store, "Dael"), event_at(store, "Jasem")
        review.merge(store, dael, jasem, who="ana", why="one operation")
        assert store.event(jasem) is None
        [row] = [r for r in store.query() if r.event.id == dael]
        assert row.n_reports == 3 and "daily-2025-03-07" in row.event.sources
        assert [e.action for e in store.reviews.history(dael)] == ["merge"]
        [gone] = store.reviews.history(jasem)
        assert gone.after == dael and gone.before["location"] == "Jasem"


def test_review_split_makes_a_new_event_of_some_reports(db: str) -> None:
    with Store.open(db) as store:
        dael = event_at(store, "Dael")
        reports = store.reviews.report_ids(dael)
        assert len(reports) == 2
        moved = next(r for r in reports if r != dael)
        new = review.split(store, dael, [moved], who="ana", why="two clashes")
        assert store.reviews.report_ids(new) == [moved]
        assert store.reviews.report_ids(dael) == [r for r in reports if r != moved]
        assert store.count(EventQuery(country=("SY",))) == 4
        assert [e.action for e in store.reviews.history(new)] == ["split"]


@pytest.mark.parametrize("changes, message", [
    # a field no analyst edits here (ids, provenance)
    ({"sources": []}, "cannot edit sources"),
    # dates are ISO dates
    ({"event_date": "March 4"}, "YYYY-MM-DD"),
    # tolls are whole numbers, never negative
    ({"fatalities": -1}, "whole number"),
    ({"fatalities": 2.5}, "whole number"),
    # coordinates on the globe
    ({"latitude": 91}, "from -90 to 90"),
    # a type from ACLED's codebook
    ({"sub_event_type": "Skirmish"}, "not an ACLED sub-event type"),
    ({"modality": "likely"}, "one of asserted"),
    ({}, "nothing to edit"),
])
def test_review_bad_edits_are_refused_naming_the_field(db: str, changes: dict, message: str) -> None:
    with Store.open(db) as store:
        nawa = event_at(store, "Nawa")
        with pytest.raises(ReviewError, match=message):
            review.edit(store, nawa, changes, who="ana")
        assert store.reviews.count() == 0 and store.reviews.verdict(nawa) is None


def test_review_refuses_unknown_events_anonymous_changes_and_silly_splits(db: str) -> None:
    with Store.open(db) as store:
        with pytest.raises(ReviewError, match="no event 'nope'") as info:
            review.confirm(store, "nope", who="ana")
        assert info.value.status == 404
        nawa = event_at(store, "Nawa")
        with pytest.raises(ReviewError, match="say who"):
            review.confirm(store, nawa, who=" ")
        with pytest.raises(ReviewError, match="with itself"):
            review.merge(store, nawa, nawa, who="ana")
        with pytest.raises(ReviewError, match="not none or all"):
            review.split(store, nawa, store.reviews.report_ids(nawa), who="ana")
        with pytest.raises(ReviewError, match="has no report"):
            review.split(store, nawa, ["x"], who="ana")
        assert store.reviews.count() == 0


def test_review_filters_by_reviewed_and_modality(db: str) -> None:
    with Store.open(db) as store:
        nawa = event_at(store, "Nawa")
        review.confirm(store, nawa, who="ana")
        assert [r.event.id for r in store.query(EventQuery(reviewed=True))] == [nawa]
        assert nawa not in {r.event.id for r in store.query(EventQuery(reviewed=False))}
        review.edit(store, nawa, {"modality": "claimed"}, who="ana")
        assert [r.event.id for r in store.query(EventQuery(modality=("claimed",)))] == [nawa]
        review.edit(store, nawa, {"modality": "denied"}, who="ana")  # an edited modality moves it out
        assert nawa not in {r.event.id for r in store.query()}


def test_review_triage_puts_the_most_doubtful_first_and_leaves_out_reviewed(db: str) -> None:
    weights = DoubtWeights(confidence=1.0, place=0.0, claimed=0.0, single_source=1.0, big_toll=0.0, big_toll_at=10)
    with Store.open(db) as store:
        queue = store.reviews.triage(EventQuery(), weights, limit=10)
        # Dael has two reports; Nawa and Jasem one each: they come first
        assert [d.row.event.location for d in queue][-1] == "Dael"
        assert queue[0].parts["single_source"] == 1.0 and queue[0].doubt >= queue[-1].doubt
        review.confirm(store, queue[0].row.event.id, who="ana")
        assert queue[0].row.event.id not in {d.row.event.id for d in store.reviews.triage(EventQuery(), weights, 10)}


def test_review_exports_carry_reviewed_values_and_flag(db: str, tmp_path: Path) -> None:
    with Store.open(db) as store:
        dael = event_at(store, "Dael")
        review.edit(store, dael, {"fatalities": 7}, who="ana")
    out = tmp_path / "e.jsonl"
    export_events(db, "jsonl", str(out), ExportFilters(), Settings())
    records = {r["id"]: r for r in map(json.loads, out.read_text().splitlines())}
    assert records[dael]["fatalities"] == 7 and records[dael]["reviewed"] is True
    assert [r["reviewed"] for i, r in records.items() if i != dael] == [False, False]
    csv_out = tmp_path / "e.csv"
    export_events(db, "acled-csv", str(csv_out), ExportFilters(reviewed=True), Settings())
    lines = csv_out.read_text().splitlines()
    assert len(lines) == 2 and dael in lines[1] and "reviewed" in lines[1]


def test_review_export_audit_writes_the_log(db: str, tmp_path: Path) -> None:
    with Store.open(db) as store:
        review.edit(store, event_at(store, "Nawa"), {"fatalities": 1}, who="ana", why="a death reported later")
    out = tmp_path / "audit.jsonl"
    result = CliRunner().invoke(main, ["export", "--audit", "--db", db, "--output", str(out)])
    assert result.exit_code == 0, result.output
    [row] = [json.loads(line) for line in out.read_text().splitlines()]
    assert (row["who"], row["field"], row["before"], row["after"], row["why"]) == \
        ("ana", "fatalities", 0, 1, "a death reported later")
    result = CliRunner().invoke(main, ["export", "--audit", "--format", "jsonl", "--db", db])
    assert result.exit_code == 2 and "leave out --format" in result.output


def test_review_older_store_reads_without_reviews(tmp_path: Path) -> None:
    path = tmp_path / "v4.db"
    conn = sqlite3.connect(path, isolation_level=None)
    migrate(conn, target=4)
    conn.close()
    with Store.open(path, readonly=True) as store:
        assert not store.has_reviews
        assert store.count(EventQuery(reviewed=False)) == 0 and list(store.reviews.log()) == []


def test_review_export_command_filters_by_reviewed_and_modality(db: str) -> None:
    with Store.open(db) as store:
        nawa = event_at(store, "Nawa")
        review.edit(store, nawa, {"modality": "claimed"}, who="ana")
    for options, expected in ((["--reviewed"], [nawa]), (["--modality", "claimed"], [nawa]),
                              (["--unreviewed", "--modality", "claimed"], [])):
        result = CliRunner().invoke(main, ["export", "--db", db, "--format", "jsonl", *options])
        assert result.exit_code == 0, result.output
        lines = [line for line in result.stdout.splitlines() if line.startswith("{\"")]
        assert [json.loads(line)["id"] for line in lines] == expected, options
