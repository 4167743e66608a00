"""Which stored events to read: :class:`EventQuery`, turned into SQL here and nowhere
else. ``wirecoder export``, ``wirecoder explain`` and the HTTP API all ask the store
through :meth:`wirecoder.store.Store.query`::

    with Store.open("wirecoder.db", readonly=True) as store:
        for row in store.query(EventQuery(country=("SY",), since="2025-03-01", limit=50)):
            print(row.event.id, row.n_reports)
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Literal

from ..geo import country_code, country_name
from ..records import Event

# How results are ordered: by event date (undated last), ids breaking ties; or by id.
ORDERS: dict[str, str] = {
    "date": "event_date IS NULL, event_date, id",
    "id": "id",
}
Order = Literal["date", "id"]


@dataclass(frozen=True, slots=True)
class EventQuery:
    """Which events to read; empty fields filter nothing. Text matches ignore case."""

    country: tuple[str, ...] = ()      # country names or ISO codes (alpha-2, alpha-3, numeric)
    admin1: tuple[str, ...] = ()
    since: str | None = None           # YYYY-MM-DD, inclusive (undated events excluded)
    until: str | None = None
    types: tuple[str, ...] = ()        # event type, sub-event type or PLOVER type
    actor: tuple[str, ...] = ()        # substring of any actor (taken literally: % and _ too)
    bbox: tuple[float, float, float, float] | None = None  # W, S, E, N in degrees
    include_noncurrent: bool = False   # denied, historical, future, hypothetical and rejected events too
    modality: tuple[str, ...] = ()     # asserted, claimed, denied, historical, future, hypothetical
    reviewed: bool | None = None       # True: only events an analyst confirmed or edited; False: only the others
    ids: tuple[str, ...] = ()          # only these event ids
    include_plover_only: bool = True   # events with a PLOVER type but no ACLED event_type
    order: Order = "date"
    limit: int | None = None
    offset: int = 0

    def where(self, reviews: bool = True) -> tuple[str, list[Any]]:
        """The SQL ``WHERE`` clause over ``events`` and its parameters. ``reviews``: the
        store has the review columns (schema version 5 on); without them no event counts
        as reviewed or rejected."""
        clauses: list[str] = []
        if not self.include_noncurrent:
            clauses.append("is_current = 1")
            if reviews:
                clauses.append("review IS NOT 'rejected'")
        if not self.include_plover_only:
            clauses.append("event_type IS NOT NULL")
        params: list[Any] = []

        def any_of(sql: str, values: tuple[str, ...], per_value: int = 1) -> None:
            clauses.append("(" + " OR ".join([sql] * len(values)) + ")")
            for v in values:
                params.extend([v.lower()] * per_value)

        if self.country:
            # each value as given and, when it names a country (a name or an ISO alpha-2,
            # alpha-3 or numeric code), as that country's code and GeoNames name
            values = []
            for value in self.country:
                code = country_code(value)
                values += [value, *((code, country_name(code) or code) if code else ())]
            any_of("(lower(country) = ? OR lower(iso) = ?)", tuple(dict.fromkeys(values)), 2)
        if self.admin1:
            any_of("lower(admin1) = ?", self.admin1)
        if self.since:
            clauses.append("event_date >= ?")
            params.append(self.since)
        if self.until:
            clauses.append("event_date <= ?")
            params.append(self.until)
        if self.types:
            any_of("(lower(event_type) = ? OR lower(sub_event_type) = ? OR lower(plover_type) = ?)", self.types, 3)
        if self.actor:
            clauses.append("(" + " OR ".join(
                ["EXISTS (SELECT 1 FROM actors a WHERE a.event_id = events.id AND lower(a.name) LIKE ? ESCAPE '\\')"]
                * len(self.actor)) + ")")
            params.extend(f"%{like_literal(a.lower())}%" for a in self.actor)
        if self.ids:
            clauses.append(f"id IN ({', '.join('?' * len(self.ids))})")
            params.extend(self.ids)
        if self.modality:
            any_of("modality = ?", self.modality)
        if self.reviewed is not None:
            if not reviews:
                clauses.append("0" if self.reviewed else "1")
            else:
                clauses.append("review IN ('confirmed', 'edited')" if self.reviewed
                               else "(review IS NULL OR review = 'rejected')")
        if self.bbox:
            w, s, e, n = self.bbox
            clauses.append("latitude BETWEEN ? AND ?")
            params += [s, n]
            if w <= e:
                clauses.append("longitude BETWEEN ? AND ?")
                params += [w, e]
            else:  # the box crosses the antimeridian
                clauses.append("(longitude >= ? OR longitude <= ?)")
                params += [w, e]
        return (" AND ".join(clauses) or "1"), params

    def sql(self, reviews: bool = True) -> tuple[str, list[Any]]:
        """The whole ``SELECT``: each event, its reports' count and when a run last
        touched it (``updated``), in :data:`ORDERS` order, one page if ``limit``."""
        if self.order not in ORDERS:
            raise ValueError(f"unknown order {self.order!r}; choose one of {', '.join(ORDERS)}")
        where, params = self.where(reviews)
        sql = ("SELECT events.*, (SELECT MAX(runs.started) FROM event_reports r JOIN runs ON runs.id = r.run_id "
               f"WHERE r.event_id = events.id) AS updated FROM events WHERE {where} "
               f"ORDER BY {ORDERS[self.order]}")
        if self.limit is not None or self.offset:
            sql += " LIMIT ? OFFSET ?"
            params = [*params, -1 if self.limit is None else self.limit, self.offset]
        return sql, params


def like_literal(text: str) -> str:
    """``text`` for a ``LIKE … ESCAPE '\\'`` pattern, its ``%`` and ``_`` taken literally."""
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


@dataclass(frozen=True, slots=True)
class EventRow:
    """One event as :meth:`Store.query` gives it, with what the store knows beside it."""

    event: Event
    n_reports: int
    updated: str | None  # when a run last added a report to it (ISO 8601), None if unknown
    review: str | None = None  # None (as coded), "confirmed", "edited" or "rejected"

    @property
    def reviewed(self) -> bool:
        """Whether an analyst confirmed or edited the event (a rejected one is not "reviewed
        values": it leaves the dataset)."""
        return self.review in ("confirmed", "edited")
