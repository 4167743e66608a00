"""Articles stored by another version or with other settings: a run counts them and
says so in one line, changes nothing (idempotence), and with ``--reprocess`` analyses
them again, replacing their events and keeping the ids of events that come out the
same. Each article keeps the fingerprint of what analysed it (store schema step 5)."""

from __future__ import annotations

import sqlite3
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from wirecoder import runner
from wirecoder.cli import main
from wirecoder.records import Article, Document, Published, Source
from wirecoder.runner import analysis_fingerprint, run_pipeline
from wirecoder.settings import Settings
from wirecoder.store import Store
from wirecoder.store.testing import KeywordCoder

from test_run_pipeline import STORY, TWO_TOWNS, dump, make_articles

OTHER = Settings().replace("dedup", window_days=3)  # other settings, same coding


def run(tmp_path: Path, settings: Settings = Settings(), reprocess: bool = False, stages: Any = None,
        articles: list[Article] | None = None) -> runner.RunSummary:
    return run_pipeline(["test"], settings, db_path=str(tmp_path / "w.db"), reprocess=reprocess,
                        stages=stages or [KeywordCoder()], articles=articles or make_articles(STORY + TWO_TOWNS))


def event_ids(tmp_path: Path) -> list[tuple[str, str | None, list[str]]]:
    with Store.open(tmp_path / "w.db", readonly=True) as store:
        return sorted((e.id, e.location, sorted(e.sources)) for e in store.events())


def test_each_article_keeps_the_fingerprint_of_what_analysed_it(tmp_path: Path) -> None:
    run(tmp_path)
    with Store.open(tmp_path / "w.db", readonly=True) as store:
        assert store.analysed_with("wire-2025-03-04") == (analysis_fingerprint(Settings()), runner.__version__)
        assert store.analysed_with("no-such-article") is None


@pytest.mark.parametrize("settings", [
    Settings().replace("store", path="elsewhere.db"),    # where the store is
    Settings().replace("run", progress_seconds=1.0),      # how progress is reported
    Settings().replace("geo", cache_dir="/tmp/other"),    # where caches are kept
    Settings().replace("nlp", batch_size=4),              # how many articles are parsed at once
])
def test_settings_that_do_not_change_the_analysis_keep_the_fingerprint(settings: Settings) -> None:
    assert analysis_fingerprint(settings) == analysis_fingerprint(Settings())


def test_other_settings_change_the_fingerprint(tmp_path: Path) -> None:
    assert analysis_fingerprint(OTHER) != analysis_fingerprint(Settings())
    # the actors file counts by its content, not only its name
    actors = tmp_path / "actors.jsonl"
    actors.write_text('{"name": "A", "kind": "rebels", "aliases": ["a"]}\n', encoding="utf-8")
    first = analysis_fingerprint(Settings().replace("resolve", actors_file=str(actors)))
    actors.write_text('{"name": "B", "kind": "rebels", "aliases": ["a"]}\n', encoding="utf-8")
    assert analysis_fingerprint(Settings().replace("resolve", actors_file=str(actors))) != first


def test_unchanged_inputs_and_settings_change_nothing(tmp_path: Path) -> None:
    run(tmp_path)
    before = dump(tmp_path / "w.db")
    again = run(tmp_path)
    assert dump(tmp_path / "w.db") == before
    assert again.outdated == {} and "outdated" not in again.describe()


def test_articles_analysed_with_other_settings_are_counted_not_changed(tmp_path: Path) -> None:
    run(tmp_path)
    before = dump(tmp_path / "w.db")
    summary = run(tmp_path, OTHER)
    assert summary.outdated == {"with other settings": 5} and summary.already_stored == 5
    assert dump(tmp_path / "w.db") == before  # nothing replaced without --reprocess
    with Store.open(tmp_path / "w.db", readonly=True) as store:
        assert store.analysed_with("wire-2025-03-04")[0] == analysis_fingerprint(Settings())
    line = summary.outdated_line()
    assert "5 of the articles already stored were analysed otherwise (5 with other settings)" in line
    assert "--reprocess" in line and line in summary.describe()


def test_an_older_version_is_named(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(runner, "__version__", "0.0.9")
    run(tmp_path)
    monkeypatch.undo()
    summary = run(tmp_path)
    assert summary.outdated == {"by version 0.0.9": 5}


def test_articles_stored_before_fingerprints_are_outdated(tmp_path: Path) -> None:
    run(tmp_path)
    with sqlite3.connect(tmp_path / "w.db") as conn:  # as a store from before schema step 5
        conn.execute("UPDATE articles SET fingerprint = NULL")
    assert run(tmp_path).outdated == {"by a wirecoder that kept no fingerprint": 5}


def test_reprocess_replaces_events_keeping_the_ids_of_the_same_events(tmp_path: Path) -> None:
    run(tmp_path)
    before = event_ids(tmp_path)
    summary = run(tmp_path, OTHER, reprocess=True)
    assert (summary.reprocessed, summary.new, summary.already_stored) == (5, 0, 0)
    assert event_ids(tmp_path) == before
    with Store.open(tmp_path / "w.db", readonly=True) as store:
        assert store.analysed_with("wire-2025-03-04")[0] == analysis_fingerprint(OTHER)
        assert store.counts()["events"] == len(before) and store.counts()["event_reports"] == 5
    # once reprocessed, the articles are current: a second run changes nothing
    after = dump(tmp_path / "w.db")
    again = run(tmp_path, OTHER, reprocess=True)
    assert (again.reprocessed, again.outdated) == (0, {}) and dump(tmp_path / "w.db") == after


def test_reprocess_drops_events_the_new_analysis_no_longer_finds(tmp_path: Path) -> None:
    class NoProtests(KeywordCoder):
        """Other coding: protests are no longer events."""

        def __call__(self, document: Document) -> Document:
            document = super().__call__(document)
            document.events = [e for e in document.events if e.event_type != "Protests"]
            return document

    protest = make_articles([("agency", "2025-02-11", "Crowds in Goma", "Protesters gathered in Goma on Tuesday.")])
    articles = make_articles(TWO_TOWNS) + protest
    run(tmp_path, articles=articles)
    before = event_ids(tmp_path)
    assert len(before) == 3
    run(tmp_path, OTHER, reprocess=True, stages=[NoProtests()], articles=articles)
    after = event_ids(tmp_path)
    assert after == [e for e in before if e[2] != ["agency-2025-02-11"]]  # the two clashes keep their ids


def test_reprocess_keeps_the_near_copies_of_an_article(tmp_path: Path) -> None:
    original = make_articles(STORY[:1])
    copy = Article(id="copy-1", source=Source(outlet="mirror"), headline=STORY[0][2],
                   published=Published("2025-03-04", "metadata"), paragraphs=[STORY[0][3]],
                   duplicate_of=original[0].id)
    run(tmp_path, articles=original + [copy])
    run(tmp_path, OTHER, reprocess=True, articles=original + [copy])
    with Store.open(tmp_path / "w.db", readonly=True) as store:
        assert store.copies(original[0].id) == [("mirror", None, None)]


def test_cli_says_so_and_offers_reprocess(tmp_path: Path) -> None:
    story = tmp_path / "story.txt"
    story.write_text("Clashes in Goma\n\nRebels clashed with the army in Goma on 2025-03-01.\n", encoding="utf-8")
    base = ["run", str(story), "--db", str(tmp_path / "w.db"), "--set", 'pipeline.stages=["testing.keywords"]']
    assert CliRunner().invoke(main, base).exit_code == 0
    other = CliRunner().invoke(main, [*base, "--set", "dedup.window_days=5"])
    assert other.exit_code == 0
    assert ("outdated    1 of the articles already stored were analysed otherwise (1 with other settings); "
            "rerun with --reprocess") in other.stderr
    again = CliRunner().invoke(main, [*base, "--set", "dedup.window_days=5", "--reprocess"])
    assert again.exit_code == 0 and "reprocessed 1 analysed again" in again.stderr


def test_a_store_from_before_fingerprints_is_migrated_and_its_articles_are_outdated(tmp_path: Path) -> None:
    import json

    from wirecoder.store.schema import migrate

    conn = sqlite3.connect(tmp_path / "w.db", isolation_level=None)
    migrate(conn, target=4)  # the schema before step 5
    outlet, published, title, text = STORY[0]
    conn.execute("INSERT INTO articles(id, headline, published_date, outlet, paragraphs, text) VALUES (?, ?, ?, ?, ?, ?)",
                 (f"{outlet}-{published}", title, published, outlet, json.dumps([text]), f"{title}\n\n{text}"))
    conn.close()
    summary = run(tmp_path, articles=make_articles(STORY[:1]))
    assert summary.outdated == {"by a wirecoder that kept no fingerprint": 1}
    with Store.open(tmp_path / "w.db", readonly=True) as store:
        assert store.analysed_with(f"{outlet}-{published}") == (None, None)
