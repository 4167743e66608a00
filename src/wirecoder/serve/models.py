"""The shapes the workbench's API speaks (pydantic models, so that ``/openapi.json`` names
every field), and the functions that build its answers from the store's records."""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, ConfigDict, Field

from ..stages.dedup import WEIGHTS
from ..store import Store
from ..store.query import EventRow


class ErrorDetail(BaseModel):
    status: int = Field(description="The HTTP status, repeated.")
    type: str = Field(description="bad_request, unauthorized, forbidden, not_found, conflict, "
                                  "unsupported_media_type, internal_error")
    message: str = Field(description="What went wrong and, where it helps, what to do.")


class ErrorBody(BaseModel):
    """Every error the API answers has this shape."""

    error: ErrorDetail


class EventSummary(BaseModel):
    """An event as lists and the map show it. ``geo_precision`` 1 is the place itself, 2
    near it or its district, 3 only its province (drawn as an area, never as a pin)."""

    model_config = ConfigDict(extra="allow")
    id: str
    event_date: str | None
    event_type: str | None
    sub_event_type: str | None
    plover_type: str | None
    actor1: str | None
    actor2: str | None
    country: str | None
    admin1: str | None
    location: str | None
    latitude: float | None
    longitude: float | None
    geo_precision: int | None
    fatalities: int
    modality: str
    confidence: float
    n_reports: int
    review: str | None = Field(description="None as coded; confirmed, edited or rejected.")
    reviewed: bool


class EventPage(BaseModel):
    total: int
    limit: int
    offset: int
    events: list[EventSummary]


class Source(BaseModel):
    """One report behind an event: its article, evidence sentence and offsets, and the
    merge score that joined it (None for the report that created the event)."""

    model_config = ConfigDict(extra="allow")
    report_id: str
    article_id: str
    headline: str | None
    outlet: str | None
    published_date: str | None
    url: str | None
    sentence: str | None
    start: int | None
    end: int | None
    merge: dict[str, Any] | None
    coded_as: dict[str, Any]


class AuditRow(BaseModel):
    id: int
    at: str
    who: str
    event_id: str
    action: str
    field: str | None
    before: Any = None
    after: Any = None
    why: str


class EventDetail(BaseModel):
    model_config = ConfigDict(extra="allow")
    event: dict[str, Any] = Field(description="The whole Event record, with the analyst's values.")
    summary: EventSummary
    sources: list[Source]
    merge_weights: dict[str, float] = Field(description="Weight of each part of a merge score.")
    reviewed_fields: dict[str, Any]
    history: list[AuditRow]


class Bucket(BaseModel):
    key: str | None
    events: int
    fatalities: int


class Buckets(BaseModel):
    by: str
    buckets: list[Bucket]


class Cell(BaseModel):
    latitude: float
    longitude: float
    events: int
    fatalities: int
    province_level: int = Field(description="How many of its events are placed only at a province.")


class MapView(BaseModel):
    mode: str = Field(description="points (each event) or cells (counts per grid cell)")
    total: int
    points: list[EventSummary]
    cells: list[Cell]


class Meta(BaseModel):
    version: str
    readonly: bool
    reviews: bool
    events: int
    articles: int
    facets: dict[str, Any]


class TriageItem(BaseModel):
    event: EventSummary
    doubt: float
    parts: dict[str, float]


class TriagePage(BaseModel):
    limit: int
    offset: int
    items: list[TriageItem]


class AuditPage(BaseModel):
    total: int
    limit: int
    offset: int
    entries: list[AuditRow]


class VerdictRequest(BaseModel):
    model_config = ConfigDict(extra="forbid")
    who: str = Field(description="Who makes the change (a name or initials).", max_length=500)
    why: str | None = Field(None, max_length=500)


class EditRequest(VerdictRequest):
    changes: dict[str, Any] = Field(description="Field -> new value: sub_event_type, actor1, assoc_actor_1, actor2, "
                                                "assoc_actor_2, country, admin1, admin2, location, latitude, "
                                                "longitude, geo_precision, event_date, fatalities, injuries, "
                                                "modality, notes.")


class SplitRequest(VerdictRequest):
    report_ids: list[str] = Field(description="The reports that become a new event.")


class MergeRequest(VerdictRequest):
    keep: str = Field(description="The event that stays.")
    absorb: str = Field(description="The event whose reports join it.")


class ReviewDone(BaseModel):
    event_id: str
    review: str | None
    changed: list[str]
    new_event_id: str | None = None


SUMMARY_FIELDS = ("id", "event_date", "event_type", "sub_event_type", "plover_type", "actor1", "actor2", "country",
                  "admin1", "location", "latitude", "longitude", "geo_precision", "fatalities", "modality",
                  "confidence")


def event_summary(row: EventRow) -> dict[str, Any]:
    e = row.event
    return {**{f: getattr(e, f) for f in SUMMARY_FIELDS}, "n_reports": row.n_reports, "review": row.review,
            "reviewed": row.reviewed}


def event_detail(store: Store, row: EventRow) -> dict[str, Any]:
    event_id = row.event.id
    offsets = store.browse.report_offsets(event_id)
    sources = []
    for r in store.event_reports(event_id):
        start, end = offsets.get(r["report_id"], (None, None))
        coded = r["report"]
        sources.append({
            "report_id": r["report_id"], "article_id": r["article_id"], "headline": r["headline"],
            "outlet": r["outlet"], "published_date": r["published_date"], "url": r["url"],
            "sentence": r["sentence"], "start": start, "end": end, "merge": r["merge"],
            "coded_as": {k: coded.get(k) for k in ("event_type", "sub_event_type", "plover_type", "location",
                                                   "event_date", "fatalities", "modality", "confidence")},
        })
    return {"event": {**row.event.to_dict(), "reviewed": row.reviewed}, "summary": event_summary(row),
            "sources": sources, "merge_weights": dict(WEIGHTS), "reviewed_fields": store.reviews.overrides(event_id),
            "history": [h.to_dict() for h in store.reviews.history(event_id)]}


def article_page(store: Store, article: dict[str, Any]) -> dict[str, Any]:
    copies = [{"outlet": o, "url": u, "path": p} for o, u, p in store.copies(article["id"])]
    return {**article, "copies": copies, "events": store.browse.events_of_article(article["id"])}
