"""End to end on the seed dump (``../shared/seeds``): extract, nlp, geoparse, code and
resolve, as EXPECTED.md and issue 5 ask."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from wirecoder.records import Document, ErrorRecord


def _run(seed_path: Path, settings: Any, published: str | None) -> list[Document]:
    from wirecoder.pipeline import analyze, build_stages
    from wirecoder.stages.extract import iter_articles

    articles = [a for a in iter_articles([str(seed_path)], settings) if not isinstance(a, ErrorRecord)]
    for article in articles:
        article.published.date, article.published.how = published, ("cli" if published else None)
    results = list(analyze(articles, build_stages(settings, "resolve")))
    assert not [r for r in results if isinstance(r, ErrorRecord)]
    return [r for r in results if isinstance(r, Document)]


@pytest.fixture(scope="module")
def seed_documents(seed_path: Path, settings: Any) -> list[Document]:
    return _run(seed_path, settings, None)


@pytest.fixture(scope="module")
def seed_documents_published(seed_path: Path, settings: Any) -> list[Document]:
    return _run(seed_path, settings, "2021-07-27")


def _current(document: Document) -> list[Any]:
    return [e for e in document.events if e.is_current]


@pytest.mark.slow
@pytest.mark.parametrize("geonameid", [
    170905,  # Daraa: missiles into Daraa al-Balad
    170959,  # Dael: attacks on army checkpoints
    165997,  # Jasem: attacks on army outposts
    172469,  # Sanameen: ambush on troops
    166365,  # Nawa: ambush on troops
])
def test_seed_event_places(seed_documents: list[Document], geonameid: int) -> None:
    events = [e for e in _current(seed_documents[0]) if e.geonameid == geonameid and e.event_type]
    assert events, f"no current event at {geonameid}"


@pytest.mark.slow
def test_seed_daraa_attack_by_syrian_government_forces(seed_documents: list[Document]) -> None:
    events = [e for e in _current(seed_documents[0])
              if e.geonameid == 170905 and e.event_type in ("Explosions/Remote violence", "Battles")]
    assert any(e.actor1 and "Syria" in e.actor1 and e.inter1 == 1 for e in events), [e.actor1 for e in events]


@pytest.mark.slow
def test_seed_four_soldiers_split_over_sanameen_and_nawa(seed_documents: list[Document]) -> None:
    by_place = {172469: 0, 166365: 0}
    for event in _current(seed_documents[0]):
        if event.geonameid in by_place:
            by_place[event.geonameid] += event.fatalities
    assert by_place == {172469: 2, 166365: 2}


@pytest.mark.slow
def test_seed_no_event_dated_2018(seed_documents: list[Document], seed_documents_published: list[Document]) -> None:
    for documents in (seed_documents, seed_documents_published):
        for document in documents:
            for event in document.events:
                assert not (event.event_date or "").startswith("2018"), event.evidence.sentence
                assert event.event_date != "2018-10-02"


@pytest.mark.slow
def test_seed_without_publication_date_keeps_phrases(seed_documents: list[Document]) -> None:
    events = [e for d in seed_documents for e in d.events]
    assert all(e.event_date is None for e in events if e.date_text and "2021" not in e.date_text)
    assert any(e.date_text == "on Tuesday" for e in events)


@pytest.mark.slow
def test_seed_published_tuesday_and_monday(seed_documents_published: list[Document]) -> None:
    events = seed_documents_published[0].events
    tuesday = [e for e in events if e.date_text == "on Tuesday"]
    monday = [e for e in events if e.date_text == "on Monday"]
    assert tuesday and all(e.event_date == "2021-07-27" for e in tuesday)
    assert monday and all(e.event_date == "2021-07-26" for e in monday)


@pytest.mark.slow
def test_seed_event_ids_are_unique(seed_documents: list[Document]) -> None:
    ids = [e.id for d in seed_documents for e in d.events]
    assert len(ids) == len(set(ids))
