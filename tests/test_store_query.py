"""``Store.query``: the one reader of events that export, explain and the HTTP API share;
and dedup as a step of its own, against any candidate source."""

from __future__ import annotations

from pathlib import Path

import pytest

from wirecoder.records import Event, Evidence
from wirecoder.reports import Candidate, CandidateQuery, Report
from wirecoder.settings import DedupSettings
from wirecoder.stages import dedup
from wirecoder.store import Store
from wirecoder.store.query import EventQuery
from wirecoder.store.testing import KeywordCoder
from wirecoder.records import Article, Document, Published, Source
from wirecoder.runner import store_document

DEDUP = DedupSettings()
STORIES = [
    ("a1", "2025-03-04", "Rebels clashed with the army in Dael."),
    ("a2", "2025-03-05", "Hundreds protest in Goma."),
    ("a3", "2025-03-06", "Troops shelled Sake."),
    ("a4", "2025-03-07", "Rebels clashed with troops in Jasem."),
]


@pytest.fixture()
def store(tmp_path: Path):
    with Store.open(tmp_path / "w.db") as store:
        for article_id, published, text in STORIES:
            article = Article(id=article_id, source=Source(outlet="wire"), headline="H",
                              published=Published(published, "metadata"), paragraphs=[text])
            store_document(store, KeywordCoder()(Document(article=article)), DEDUP)
        yield store


@pytest.mark.parametrize(
    ("query", "locations"),
    [
        # the default: every current event, by date
        (EventQuery(), ["Dael", "Goma", "Sake", "Jasem"]),
        # one page of two, then the next
        (EventQuery(limit=2), ["Dael", "Goma"]),
        (EventQuery(limit=2, offset=2), ["Sake", "Jasem"]),
        # an offset alone pages to the end
        (EventQuery(offset=3), ["Jasem"]),
        # filters: country by ISO code, a date range, a type
        (EventQuery(country=("cd",)), ["Goma", "Sake"]),
        (EventQuery(since="2025-03-05", until="2025-03-06"), ["Goma", "Sake"]),
        (EventQuery(types=("Battles",)), ["Dael", "Jasem"]),
    ],
)
def test_store_query_filters_orders_and_pages(store: Store, query: EventQuery, locations: list[str]) -> None:
    assert [row.event.location for row in store.query(query)] == locations


def test_store_query_by_id_order(store: Store) -> None:
    ids = [row.event.id for row in store.query(EventQuery(order="id"))]
    assert ids == sorted(ids) and len(ids) == 4


def test_store_query_refuses_unknown_order(store: Store) -> None:
    with pytest.raises(ValueError, match="order"):
        list(store.query(EventQuery(order="size")))  # type: ignore[arg-type]


def _clash(event_id: str, article_id: str, day: str) -> Event:
    return Event(id=event_id, article_id=article_id, evidence=Evidence("s", 0, 1), event_date=day,
                 event_type="Battles", sub_event_type="Armed clash", actor1="Rebels", country="Syria", iso="SY",
                 admin1="Daraa", location="Dael", geonameid=900001, latitude=32.755, longitude=36.13,
                 geo_precision=1, confidence=0.8, sources=[article_id])


class ListSource:
    """A candidate source that is a list: dedup needs no store."""

    def __init__(self, reports: list[Report]) -> None:
        self.reports = reports
        self.asked: list[CandidateQuery] = []

    def candidates_near(self, queries):
        self.asked += queries
        return [Candidate(r.event, frozenset({r.event.article_id}), r.published, r.published) for r in self.reports]

    def reports_of(self, event_id: str) -> list[Report]:
        return [r for r in self.reports if r.event.id == event_id]


def test_dedup_decides_against_any_candidate_source() -> None:
    stored = Report(_clash("s1", "old", "2025-03-04"), "2025-03-04")
    source = ListSource([stored])
    new = [Report(_clash("n1", "b", "2025-03-04"), "2025-03-05"),
           Report(_clash("n2", "b", "2025-03-20"), "2025-03-05")]  # 16 days later: its own event
    outcomes = dedup.decide(new, source, DEDUP)
    assert [(o.report.event.id, o.merged_into) for o in outcomes] == [("n1", "s1"), ("n2", None)]
    merged = outcomes[0].event
    assert merged.n_reports == 2 and merged.event.sources == ["old", "b"]
    assert (merged.first_published, merged.last_published) == ("2025-03-04", "2025-03-05")
    # Battles may merge with Explosions/Remote violence: the source is asked for both
    assert source.asked[0].event_types == ("Battles", "Explosions/Remote violence")
