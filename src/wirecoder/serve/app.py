"""The workbench's HTTP API (FastAPI): events with every export filter and paging, one
event with its sources, evidence offsets, merge explanation and history, articles,
aggregates, map cells, the GeoJSON and ACLED CSV exports, the triage queue and the
review actions. OpenAPI at ``/openapi.json``; the page and a docs page from ``static/``.

Safety, in one place (:func:`guard`): a change needs the review token (``Authorization:
Bearer TOKEN``), JSON, and a same-site request (``Sec-Fetch-Site`` and ``Origin`` checked),
and without a token the store is opened read-only. Every error has one JSON shape,
``{"error": {"status", "type", "message"}}`` (:func:`error_body`).
"""

from __future__ import annotations

import dataclasses
import hmac
import io
import logging
from importlib import resources
from typing import Any, Iterator
from urllib.parse import urlsplit

from fastapi import Depends, FastAPI, Query, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import FileResponse, JSONResponse, Response
from fastapi.staticfiles import StaticFiles
from starlette.exceptions import HTTPException

from .. import __version__, registry, review
from ..errors import ReviewError, WirecoderError
from ..export import Export, ExportFilters
from ..settings import Settings
from ..store import Store
from ..store.query import EventQuery
from ..store.review import DoubtWeights
from .models import (AuditPage, Buckets, EditRequest, ErrorBody, EventDetail, EventPage, MapView, Meta,
                     MergeRequest, ReviewDone, SplitRequest, TriagePage, VerdictRequest, article_page,
                     event_detail, event_summary)

LOG = logging.getLogger("wirecoder.serve")
STATIC = resources.files("wirecoder") / "serve" / "static"
SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})
# Every response: scripts, styles, data and images from this server only; no framing.
SECURITY_HEADERS = {
    "Content-Security-Policy": "default-src 'self'; img-src 'self' data:; style-src 'self' 'unsafe-inline'; "
                               "script-src 'self'; connect-src 'self'; object-src 'none'; frame-ancestors 'none'; "
                               "base-uri 'none'; form-action 'self'",
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "no-referrer",
    "X-Frame-Options": "DENY",
}
ERRORS = {400: {"model": ErrorBody}, 401: {"model": ErrorBody}, 403: {"model": ErrorBody},
          404: {"model": ErrorBody}, 409: {"model": ErrorBody}, 415: {"model": ErrorBody}}


def error_body(status: int, kind: str, message: str) -> JSONResponse:
    """The one shape of every error the API answers."""
    return JSONResponse({"error": {"status": status, "type": kind, "message": message}}, status_code=status,
                        headers=SECURITY_HEADERS)


def create_app(db_path: str, settings: Settings, token: str | None = None) -> FastAPI:
    """The workbench over the store at ``db_path``; edits only with ``token`` (else the
    setting ``serve.review_token``; empty: read-only)."""
    token = token if token is not None else settings.serve.review_token
    readonly = not token
    if not readonly:  # open once for writing: create nothing new, but migrate to reviews
        with Store.open(db_path):
            pass
    else:
        with Store.open(db_path, readonly=True):
            pass  # fail now, naming the file, rather than on the first request
    conf = settings.serve
    app = FastAPI(title="wirecoder workbench", version=__version__, docs_url=None, redoc_url=None,
                  description="The events of a wirecoder store: filter, map, aggregate, export, review. "
                              "Errors: {\"error\": {\"status\", \"type\", \"message\"}}. Changes need "
                              "`Authorization: Bearer TOKEN` and are refused cross-site.")

    def open_store() -> Iterator[Store]:
        with Store.open(db_path, readonly=readonly) as store:
            yield store

    def guard(request: Request) -> None:
        """Refuse a change that is cross-site, not JSON, or without the token."""
        fetch_site = request.headers.get("sec-fetch-site")
        if fetch_site is not None and fetch_site not in ("same-origin", "none"):
            raise HTTPException(403, f"cross-site request refused (Sec-Fetch-Site: {fetch_site})")
        origin = request.headers.get("origin")
        if origin is not None and urlsplit(origin).netloc != request.headers.get("host"):
            raise HTTPException(403, f"cross-site request refused (Origin {origin} is not this server)")
        if readonly:
            raise HTTPException(403, "read-only: this server was started without a review token "
                                     "(wirecoder serve --review-token TOKEN)")
        given = request.headers.get("authorization", "")
        if not given.startswith("Bearer ") or not hmac.compare_digest(given[7:].encode(), token.encode()):
            raise HTTPException(401, "a change needs the review token: Authorization: Bearer TOKEN")
        if request.headers.get("content-type", "").split(";")[0].strip() != "application/json":
            raise HTTPException(415, "send the change as JSON (Content-Type: application/json)")

    @app.middleware("http")
    async def security_headers(request: Request, call_next: Any) -> Response:
        response = await call_next(request)
        for name, value in SECURITY_HEADERS.items():
            response.headers.setdefault(name, value)
        return response

    @app.exception_handler(HTTPException)
    async def http_error(_: Request, exc: HTTPException) -> JSONResponse:
        kinds = {400: "bad_request", 401: "unauthorized", 403: "forbidden", 404: "not_found", 405: "method_not_allowed",
                 409: "conflict", 415: "unsupported_media_type"}
        return error_body(exc.status_code, kinds.get(exc.status_code, "error"), str(exc.detail))

    @app.exception_handler(RequestValidationError)
    async def invalid(_: Request, exc: RequestValidationError) -> JSONResponse:
        parts = [f"{'.'.join(str(x) for x in e.get('loc', ()) if x != 'body')}: {e.get('msg')}" for e in exc.errors()]
        return error_body(400, "bad_request", "; ".join(parts) or "invalid request")

    @app.exception_handler(ReviewError)
    async def refused(_: Request, exc: ReviewError) -> JSONResponse:
        return error_body(exc.status, {404: "not_found", 409: "conflict"}.get(exc.status, "bad_request"), str(exc))

    @app.exception_handler(WirecoderError)
    async def wirecoder_error(_: Request, exc: WirecoderError) -> JSONResponse:
        return error_body(400, "bad_request", str(exc))

    @app.exception_handler(Exception)
    async def bug(request: Request, exc: Exception) -> JSONResponse:
        # The server's console gets the traceback, the client one line.
        LOG.error("internal error on %s %s", request.method, request.url.path, exc_info=exc)
        return error_body(500, "internal_error", f"internal error (a bug; please report it): {type(exc).__name__}")

    def filters(
        country: list[str] = Query([], description="Country name or ISO code; repeatable."),
        admin1: list[str] = Query([], description="First-level division; repeatable."),
        since: str | None = Query(None, description="YYYY-MM-DD, inclusive."),
        until: str | None = Query(None, description="YYYY-MM-DD, inclusive."),
        type: list[str] = Query([], description="Event type, sub-event type or PLOVER type; repeatable."),
        actor: list[str] = Query([], description="Substring of any actor; repeatable."),
        bbox: str | None = Query(None, description="W,S,E,N in degrees."),
        modality: list[str] = Query([], description="asserted, claimed, denied, historical, future, hypothetical."),
        reviewed: bool | None = Query(None, description="true: only reviewed events; false: only the others."),
        include_noncurrent: bool = Query(False, description="Also denied, historical, future, hypothetical, rejected."),
        include_plover_only: bool = Query(True, description="Also events with a PLOVER type but no ACLED type."),
    ) -> ExportFilters:
        unknown = sorted(set(modality) - set(review.MODALITIES))
        if unknown:
            raise HTTPException(400, f"modality {', '.join(unknown)} unknown; one of {', '.join(review.MODALITIES)}")
        try:
            return ExportFilters.from_cli(tuple(country), tuple(admin1), since, until, tuple(type), tuple(actor), bbox,
                                          include_noncurrent or bool(set(modality) - {"asserted", "claimed"}),
                                          include_plover_only, tuple(modality), reviewed)
        except WirecoderError as exc:  # the command's words ("--since …") as the API's ("since …")
            raise HTTPException(400, str(exc).removeprefix("--")) from None

    def page(limit: int | None = Query(None, ge=1, le=conf.max_page_size,
                                       description=f"At most {conf.max_page_size}; default {conf.page_size}."),
             offset: int = Query(0, ge=0)) -> tuple[int, int]:
        return (limit or conf.page_size, offset)

    def query_of(f: ExportFilters, limit: int | None = None, offset: int = 0) -> EventQuery:
        return dataclasses.replace(f.query(), limit=limit, offset=offset, include_plover_only=f.include_plover_only)

    # -- the page ------------------------------------------------------------------------

    @app.get("/", include_in_schema=False)
    def index() -> FileResponse:
        return FileResponse(str(STATIC / "index.html"))

    @app.get("/docs", include_in_schema=False)
    def docs() -> FileResponse:
        return FileResponse(str(STATIC / "docs.html"))

    app.mount("/static", StaticFiles(directory=str(STATIC)), name="static")

    # -- reading -------------------------------------------------------------------------

    @app.get("/api/meta", response_model=Meta, tags=["read"])
    def meta(store: Store = Depends(open_store)) -> dict[str, Any]:
        """The store: its size, whether edits are allowed, and the values the filters offer."""
        return {"version": __version__, "readonly": readonly, "reviews": store.has_reviews,
                "events": store.count(EventQuery(include_noncurrent=True)), "articles": store.browse.article_count(),
                "facets": store.browse.facets()}

    @app.get("/api/events", response_model=EventPage, responses=ERRORS, tags=["read"])
    def events(f: ExportFilters = Depends(filters), paging: tuple[int, int] = Depends(page),
               store: Store = Depends(open_store)) -> dict[str, Any]:
        """Events the filters select, by date (undated last), one page."""
        limit, offset = paging
        rows = store.query(query_of(f, limit, offset))
        return {"total": store.count(query_of(f)), "limit": limit, "offset": offset,
                "events": [event_summary(r) for r in rows]}

    @app.get("/api/events/{event_id}", response_model=EventDetail, responses=ERRORS, tags=["read"])
    def event(event_id: str, store: Store = Depends(open_store)) -> dict[str, Any]:
        """One event: its fields, sources with evidence sentences and offsets, why its
        reports merged, the fields an analyst set, and its audit history."""
        row = next(store.query(EventQuery(include_noncurrent=True, ids=(event_id,))), None)
        if row is None:
            raise HTTPException(404, f"no event {event_id!r}")
        return event_detail(store, row)

    @app.get("/api/articles", responses=ERRORS, tags=["read"])
    def articles(paging: tuple[int, int] = Depends(page), q: str | None = Query(None, description="Full-text search (FTS5)."),
                 store: Store = Depends(open_store)) -> dict[str, Any]:
        """Articles, newest first, or those matching a full-text query, best first."""
        limit, offset = paging
        if q:
            return {"total": None, "limit": limit, "offset": 0, "articles": store.search(q, limit)}
        return {"total": store.browse.article_count(), "limit": limit, "offset": offset,
                "articles": store.browse.articles(limit, offset)}

    @app.get("/api/articles/{article_id}", responses=ERRORS, tags=["read"])
    def article(article_id: str, store: Store = Depends(open_store)) -> dict[str, Any]:
        """An article's stored text (offsets refer to it), its near-copies and its events."""
        found = store.browse.article_text(article_id)
        if found is None:
            raise HTTPException(404, f"no article {article_id!r}")
        return article_page(store, found)

    @app.get("/api/aggregates", response_model=Buckets, responses=ERRORS, tags=["read"])
    def aggregates(by: str = Query(..., pattern="^(week|month|country|admin1|type|actor)$"),
                   f: ExportFilters = Depends(filters), limit: int | None = Query(None, ge=1),
                   store: Store = Depends(open_store)) -> dict[str, Any]:
        """Event counts and fatalities per week or month (undated events left out), per
        country, admin1, type or actor."""
        buckets = store.browse.aggregate(query_of(f), by, limit)  # type: ignore[arg-type]
        return {"by": by, "buckets": [{"key": b.key, "events": b.events, "fatalities": b.fatalities}
                                      for b in buckets]}

    @app.get("/api/map", response_model=MapView, responses=ERRORS, tags=["read"])
    def map_view(f: ExportFilters = Depends(filters), zoom: int = Query(2, ge=0, le=20),
                 store: Store = Depends(open_store)) -> dict[str, Any]:
        """What the map draws: the events themselves while few enough are in view
        (``serve.max_points``), else counts per grid cell (server-side clustering)."""
        q = query_of(f)
        total = store.browse.count_placed(q)
        if total <= conf.max_points:
            points = [event_summary(r) for r in store.query(q) if r.event.latitude is not None]
            return {"mode": "points", "total": total, "points": points, "cells": []}
        degrees = 360 / (2 ** zoom * 256) * 48  # cells about 48 pixels wide at this zoom
        cells = [{"latitude": c.latitude, "longitude": c.longitude, "events": c.events, "fatalities": c.fatalities,
                  "province_level": c.province_level} for c in store.browse.grid(q, degrees)]
        return {"mode": "cells", "total": total, "points": [], "cells": cells}

    def export_as(fmt: str, f: ExportFilters, store: Store, request: Request) -> str:
        # As `wirecoder export`: PLOVER-only events only when asked for by name.
        if "include_plover_only" not in request.query_params:
            f = dataclasses.replace(f, include_plover_only=False)
        out = io.StringIO()
        registry.export_formats.get(fmt)(Export(store, f, fmt), out)
        return out.getvalue()

    @app.get("/api/export.geojson", responses=ERRORS, tags=["export"])
    def export_geojson(request: Request, f: ExportFilters = Depends(filters),
                       store: Store = Depends(open_store)) -> Response:
        """The same GeoJSON as ``wirecoder export --format geojson`` (reviewed values and flag)."""
        return Response(export_as("geojson", f, store, request), media_type="application/geo+json")

    @app.get("/api/export.csv", responses=ERRORS, tags=["export"])
    def export_csv(request: Request, f: ExportFilters = Depends(filters), store: Store = Depends(open_store)) -> Response:
        """The same ACLED-style CSV as ``wirecoder export --format acled-csv``."""
        return Response(export_as("acled-csv", f, store, request), media_type="text/csv; charset=utf-8",
                        headers={"Content-Disposition": 'attachment; filename="events.csv"'})

    # -- review --------------------------------------------------------------------------

    @app.get("/api/review/queue", response_model=TriagePage, responses=ERRORS, tags=["review"])
    def triage(f: ExportFilters = Depends(filters), paging: tuple[int, int] = Depends(page),
               store: Store = Depends(open_store)) -> dict[str, Any]:
        """Events no analyst has looked at, most doubtful first: low confidence, a doubtful
        place, claimed only, one source, a big toll (weights: settings ``serve.doubt_*``)."""
        limit, offset = paging
        if not store.has_reviews:
            return {"limit": limit, "offset": offset, "items": []}
        weights = DoubtWeights(conf.doubt_confidence, conf.doubt_place, conf.doubt_claimed, conf.doubt_single_source,
                               conf.doubt_big_toll, conf.big_toll)
        items = store.reviews.triage(query_of(f), weights, limit, offset)
        return {"limit": limit, "offset": offset,
                "items": [{"event": event_summary(d.row), "doubt": d.doubt, "parts": d.parts} for d in items]}

    @app.get("/api/audit", response_model=AuditPage, responses=ERRORS, tags=["review"])
    def audit(event_id: str | None = None, paging: tuple[int, int] = Depends(page),
              store: Store = Depends(open_store)) -> dict[str, Any]:
        """The audit log, oldest first: who changed what, when, from what to what, and why."""
        limit, offset = paging
        return {"total": store.reviews.count(event_id), "limit": limit, "offset": offset,
                "entries": [e.to_dict() for e in store.reviews.log(event_id, limit, offset)]}

    @app.post("/api/events/{event_id}/confirm", response_model=ReviewDone, responses=ERRORS, tags=["review"],
              dependencies=[Depends(guard)])
    def confirm(event_id: str, body: VerdictRequest, store: Store = Depends(open_store)) -> dict[str, Any]:
        """The event stands as it is."""
        review.confirm(store, event_id, body.who, body.why)
        return {"event_id": event_id, "review": store.reviews.verdict(event_id), "changed": []}

    @app.post("/api/events/{event_id}/reject", response_model=ReviewDone, responses=ERRORS, tags=["review"],
              dependencies=[Depends(guard)])
    def reject(event_id: str, body: VerdictRequest, store: Store = Depends(open_store)) -> dict[str, Any]:
        """Not an event: it leaves the dataset (kept, flagged rejected)."""
        review.reject(store, event_id, body.who, body.why)
        return {"event_id": event_id, "review": "rejected", "changed": []}

    @app.post("/api/events/{event_id}/edit", response_model=ReviewDone, responses=ERRORS, tags=["review"],
              dependencies=[Depends(guard)])
    def edit(event_id: str, body: EditRequest, store: Store = Depends(open_store)) -> dict[str, Any]:
        """Set fields (type, actors, place, date, toll, modality, notes); one audit row each."""
        changed = review.edit(store, event_id, body.changes, body.who, body.why)
        return {"event_id": event_id, "review": store.reviews.verdict(event_id), "changed": changed}

    @app.post("/api/events/{event_id}/split", response_model=ReviewDone, responses=ERRORS, tags=["review"],
              dependencies=[Depends(guard)])
    def split(event_id: str, body: SplitRequest, store: Store = Depends(open_store)) -> dict[str, Any]:
        """Some reports tell of another happening: they become a new event (``new_event_id``)."""
        new = review.split(store, event_id, body.report_ids, body.who, body.why)
        return {"event_id": event_id, "review": "edited", "changed": ["reports"], "new_event_id": new}

    @app.post("/api/merge", response_model=ReviewDone, responses=ERRORS, tags=["review"],
              dependencies=[Depends(guard)])
    def merge(body: MergeRequest, store: Store = Depends(open_store)) -> dict[str, Any]:
        """Two events are one happening: ``absorb``'s reports join ``keep``."""
        review.merge(store, body.keep, body.absorb, body.who, body.why)
        return {"event_id": body.keep, "review": "edited", "changed": ["reports"]}

    return app

