"""The SQLite store: migrations, all-or-nothing writes, idempotent upserts, full-text
search, readability by plain SQLite, and ``explain``."""

from __future__ import annotations

import dataclasses
import sqlite3
from pathlib import Path

import pytest

from wirecoder.errors import StoreError
from wirecoder.explain import explain_event
from wirecoder.records import Article, Document, Event, Evidence, Place, Published, Source
from wirecoder.runner import store_document
from wirecoder.settings import DedupSettings
from wirecoder.store import Store
from wirecoder.store.schema import LATEST_VERSION, current_version, migrate

DEDUP = DedupSettings()


def article(id: str, text: str = "Rebels and the army clashed in Dael.", published: str | None = "2025-03-05",
            outlet: str = "Wire") -> Article:
    return Article(id=id, source=Source(path=f"{id}.txt", outlet=outlet), headline=f"Headline {id}",
                   published=Published(published, "metadata" if published else None), paragraphs=[text])


def clash(id: str, article_id: str, **changes: object) -> Event:
    base = Event(id=id, article_id=article_id, evidence=Evidence("Rebels and the army clashed in Dael.", 14, 50),
                 event_date="2025-03-04", time_precision=1, event_type="Battles", sub_event_type="Armed clash",
                 actor1="Military Forces of Syria (2000-)", inter1=1, iso="SY", country="Syria", location="Dael",
                 geonameid=170959, latitude=32.755, longitude=36.13, geo_precision=1, confidence=0.8)
    return dataclasses.replace(base, **changes)


def document(id: str, *events: Event, **kw: object) -> Document:
    return Document(article=article(id, **kw), places=[Place("Dael", 46, 50, 170959, "Dael", "city", "SY")],
                    events=list(events))


def test_fresh_store_has_latest_schema_and_tables(tmp_path: Path) -> None:
    with Store.open(tmp_path / "w.db") as store:
        assert current_version(store.conn) == LATEST_VERSION
        names = {r[0] for r in store.conn.execute("SELECT name FROM sqlite_master")}
    assert {"articles", "article_sources", "places", "events", "event_reports", "actors", "runs",
            "articles_fts", "events_current", "event_sources", "schema_version"} <= names


def test_migration_upgrades_a_version_1_store(tmp_path: Path) -> None:
    path = tmp_path / "old.db"
    conn = sqlite3.connect(path, isolation_level=None)
    assert migrate(conn, target=1) == 1
    # a version-1 store with an article in it, as an older wirecoder left it
    conn.execute("INSERT INTO articles(id, headline, text) VALUES ('old1', 'Old news', 'Shelling hit Nawa.')")
    conn.close()
    with Store.open(path) as store:
        assert current_version(store.conn) == LATEST_VERSION
        # step 2 indexed the article already there and added the views
        assert [r["article_id"] for r in store.search("Nawa")] == ["old1"]
        assert store.conn.execute("SELECT COUNT(*) FROM events_current").fetchone()[0] == 0
        versions = [r[0] for r in store.conn.execute("SELECT version FROM schema_version ORDER BY version")]
    assert versions == list(range(1, LATEST_VERSION + 1))


def test_an_older_store_reads_without_migrating(tmp_path: Path) -> None:
    path = tmp_path / "v2.db"
    conn = sqlite3.connect(path, isolation_level=None)
    migrate(conn, target=2)
    conn.close()
    with Store.open(path, readonly=True) as store:
        assert current_version(store.conn) == 2 and list(store.events()) == []


def test_newer_schema_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "new.db"
    with Store.open(path):
        pass
    conn = sqlite3.connect(path)
    conn.execute("INSERT INTO schema_version VALUES (?, 'future')", (LATEST_VERSION + 1,))
    conn.commit()
    conn.close()
    with pytest.raises(StoreError, match="newer"):
        with Store.open(path):
            pass


def test_readonly_open_of_missing_store_says_how_to_create_it(tmp_path: Path) -> None:
    with pytest.raises(StoreError, match="wirecoder run"):
        with Store.open(tmp_path / "absent.db", readonly=True):
            pass


def test_a_file_that_is_not_a_store_is_a_clear_error(tmp_path: Path) -> None:
    path = tmp_path / "notes.db"
    path.write_text("these are not the tables you are looking for\n" * 100)
    with pytest.raises(StoreError, match="notes.db"):
        with Store.open(path):
            pass


def test_write_is_all_or_nothing(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    with Store.open(tmp_path / "w.db") as store:
        def broken(self: Store, event: Event) -> None:
            raise RuntimeError("disk gone")

        monkeypatch.setattr(Store, "write_actors", broken)
        with pytest.raises(RuntimeError):
            store_document(store, document("a1", clash("e1", "a1")), DEDUP)
        monkeypatch.undo()
        # nothing of the article reached the store: not the article, places, events or text index
        assert {k: v for k, v in store.counts().items()} == dict.fromkeys(store.counts(), 0)
        assert store.search("Dael") == []
        assert store_document(store, document("a1", clash("e1", "a1")), DEDUP).stored


def test_writing_an_article_twice_changes_nothing(tmp_path: Path) -> None:
    with Store.open(tmp_path / "w.db") as store:
        first = store_document(store, document("a1", clash("e1", "a1")), DEDUP)
        before = store.canonical_dump()
        again = store_document(store, document("a1", clash("e1", "a1")), DEDUP)
        assert (first.stored, first.new_events) == (True, 1)
        assert (again.stored, again.new_events, again.merged_events) == (False, 0, 0)
        assert store.canonical_dump() == before


def test_replace_takes_reports_out_of_merged_events(tmp_path: Path) -> None:
    with Store.open(tmp_path / "w.db") as store:
        store_document(store, document("a1", clash("e1", "a1", fatalities=5)), DEDUP)
        store_document(store, document("a2", clash("e2", "a2", fatalities=3)), DEDUP)
        assert store.event("e1").fatalities == 3 and store.event("e1").sources == ["a1", "a2"]
        store_document(store, document("a2"), DEDUP, replace=True)  # a2 re-coded: no event any more
        event = store.event("e1")
        assert event.sources == ["a1"] and event.fatalities == 5


def test_merges_across_articles_and_links_reports(tmp_path: Path) -> None:
    with Store.open(tmp_path / "w.db") as store:
        store_document(store, document("a1", clash("e1", "a1")), DEDUP)
        result = store_document(store, document("a2", clash("e2", "a2")), DEDUP)
        assert (result.new_events, result.merged_events) == (0, 1)
        rows = store.conn.execute("SELECT report_id, event_id, merge IS NOT NULL FROM event_reports "
                                  "ORDER BY report_id").fetchall()
        assert [tuple(r) for r in rows] == [("e1", "e1", 0), ("e2", "e1", 1)]
        assert store.conn.execute("SELECT n_reports FROM events").fetchone()[0] == 2
        actors = store.conn.execute("SELECT role, name, inter FROM actors").fetchall()
        assert [tuple(a) for a in actors] == [("actor1", "Military Forces of Syria (2000-)", 1)]


def test_near_copy_recorded_as_another_source(tmp_path: Path) -> None:
    with Store.open(tmp_path / "w.db") as store:
        copy = dataclasses.replace(article("c1", outlet="Mirror"), duplicate_of="a1")
        assert store.add_copy(copy) is None  # its original is not stored yet
        store_document(store, document("a1", clash("e1", "a1")), DEDUP)
        assert store.add_copy(copy) is True
        assert store.add_copy(copy) is False
        assert store.has_article("c1")
        assert "near-copies: Mirror" in explain_event(store, "e1")


def test_noncurrent_events_are_kept_but_not_merged(tmp_path: Path) -> None:
    with Store.open(tmp_path / "w.db") as store:
        store_document(store, document("a1", clash("e1", "a1")), DEDUP)
        store_document(store, document("a2", clash("e2", "a2", modality="historical")), DEDUP)
        assert [e.id for e in store.events()] == ["e1"]
        assert sorted(e.id for e in store.events(current_only=False)) == ["e1", "e2"]
        assert store.conn.execute("SELECT COUNT(*) FROM events_current").fetchone()[0] == 1


def test_colliding_report_ids_are_made_unique(tmp_path: Path) -> None:
    with Store.open(tmp_path / "w.db") as store:
        # a coder that numbers events per article ("e1" in every article)
        store_document(store, document("a1", clash("e1", "a1")), DEDUP)
        store_document(store, document("a2", clash("e1", "a2", location="Jasem", geonameid=165997,
                                                  latitude=32.992, longitude=36.060)), DEDUP)
        assert store.conn.execute("SELECT COUNT(*) FROM events").fetchone()[0] == 2


def test_event_fields_without_a_column_survive_the_store(tmp_path: Path) -> None:
    from wirecoder.store.store import _EXTRA

    if not _EXTRA:
        pytest.skip("every Event field has a column of its own")
    values: dict = {name: f"value of {name}" for name in _EXTRA if name != "mentions"}
    if "mentions" in _EXTRA:  # structured: every sentence reporting the happening
        values["mentions"] = [Evidence("Troops clashed with rebels.", 0, 27)]
    event = clash("e1", "a1", **values)
    with Store.open(tmp_path / "w.db") as store:
        store_document(store, document("a1", event), DEDUP)
        assert store.event("e1").to_dict() == {**event.to_dict(), "sources": ["a1"]}


def test_store_is_plain_sqlite(tmp_path: Path) -> None:
    path = tmp_path / "w.db"
    with Store.open(path) as store:
        store_document(store, document("a1", clash("e1", "a1")), DEDUP)
    conn = sqlite3.connect(path)
    row = conn.execute("SELECT event_type, location, json_extract(sources, '$[0]') FROM events_current").fetchone()
    assert row == ("Battles", "Dael", "a1")


def test_explain_shows_reports_sentences_and_score_parts(tmp_path: Path) -> None:
    with Store.open(tmp_path / "w.db") as store:
        store_document(store, document("a1", clash("e1", "a1", fatalities=4)), DEDUP)
        store_document(store, document("a2", clash("e2", "a2", fatalities=2), outlet="Daily"), DEDUP)
    with Store.open(tmp_path / "w.db", readonly=True) as store:
        text = explain_event(store, "e1")
        assert "Reported by 2 article(s)" in text
        assert "Headline a2" in text and "Daily" in text
        assert "clashed in Dael" in text
        for part in ("type", "place", "date", "actors"):
            assert f"      {part}" in text
        assert "fatalities     2" in text
        assert explain_event(store, "e") == text  # an unambiguous prefix is enough
        assert explain_event(store, "e2") == text  # a merged report's id leads to its event
        with pytest.raises(StoreError, match="no event"):
            explain_event(store, "zzz")
