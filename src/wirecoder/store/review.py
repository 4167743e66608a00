"""The analyst's side of the store: verdicts, reviewed fields, the audit log, moving
reports between events, and the triage queue. SQL only; what a change *means* (which
fields may be edited, how a merge recombines its reports) is :mod:`wirecoder.review`.

Three rules hold here:

- the ``audit`` table is append-only (the schema's triggers refuse UPDATE and DELETE):
  every change is a row saying who, when, which event and field, the value before and
  after, and why;
- a field an analyst set is kept in ``reviewed_fields`` and re-applied by the store
  whenever a run rewrites the event (:meth:`Reviews.overrides`), so a re-run never
  overwrites it;
- ``events.review`` holds the verdict: NULL as coded, ``confirmed``, ``edited`` or
  ``rejected`` (rejected events leave the dataset like denied ones).
"""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass
from datetime import datetime, timezone
from typing import TYPE_CHECKING, Any, Iterator, Sequence

from ..errors import StoreError
from .query import EventQuery, EventRow

if TYPE_CHECKING:
    from .store import Store

VERDICTS = ("confirmed", "edited", "rejected")
ACTIONS = ("confirm", "reject", "edit", "merge", "split")


@dataclass(frozen=True, slots=True)
class AuditEntry:
    """One row of the audit log."""

    id: int
    at: str          # ISO 8601, UTC
    who: str
    event_id: str
    action: str      # one of ACTIONS
    field: str | None
    before: Any
    after: Any
    why: str

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


@dataclass(frozen=True, slots=True)
class DoubtWeights:
    """How much each reason for doubt adds to an event's place in the triage queue."""

    confidence: float      # × (1 − the coder's confidence)
    place: float           # × (1 − the geoparser's confidence in the place: a small margin between candidates)
    claimed: float         # the event is only claimed
    single_source: float   # one report only
    big_toll: float        # fatalities ≥ big_toll_at
    big_toll_at: int


@dataclass(frozen=True, slots=True)
class Doubtful:
    """An event of the triage queue, with its doubt and the parts it adds up from."""

    row: EventRow
    doubt: float
    parts: dict[str, float]


def _now() -> str:
    return datetime.now(timezone.utc).isoformat(timespec="seconds")


def _dumps(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False, sort_keys=True)


class Reviews:
    """The review tables of one open :class:`~wirecoder.store.Store` (``store.reviews``).
    Writes must run inside ``store.transaction()``."""

    def __init__(self, store: Store) -> None:
        self.store = store
        self.conn = store.conn

    def _require_reviews(self) -> None:
        if not self.store.has_reviews:
            raise StoreError(f"{self.store.path} predates reviews (schema version {self.store.schema_version()}); "
                             "open it once for writing (wirecoder run or wirecoder serve --review-token) to upgrade it")

    # -- reading ----------------------------------------------------------------------

    def overrides(self, event_id: str) -> dict[str, Any]:
        """The fields an analyst set on the event: field -> value."""
        if not self.store.has_reviews:
            return {}
        return {r[0]: json.loads(r[1]) for r in self.conn.execute(
            "SELECT field, value FROM reviewed_fields WHERE event_id = ? ORDER BY field", (event_id,))}

    def verdict(self, event_id: str) -> str | None:
        if not self.store.has_reviews:
            return None
        row = self.conn.execute("SELECT review FROM events WHERE id = ?", (event_id,)).fetchone()
        return row[0] if row else None

    def history(self, event_id: str) -> list[AuditEntry]:
        """The audit rows of one event, oldest first."""
        return list(self.log(event_id=event_id))

    def log(self, event_id: str | None = None, limit: int | None = None, offset: int = 0) -> Iterator[AuditEntry]:
        """The audit log, oldest first (one event's rows when ``event_id``)."""
        if not self.store.has_reviews:
            return
        where, params = ("WHERE event_id = ?", [event_id]) if event_id else ("", [])
        sql = f"SELECT * FROM audit {where} ORDER BY id LIMIT ? OFFSET ?"
        for r in self.conn.execute(sql, [*params, -1 if limit is None else limit, offset]):
            yield AuditEntry(r["id"], r["at"], r["who"], r["event_id"], r["action"], r["field"],
                             json.loads(r["before"]) if r["before"] is not None else None,
                             json.loads(r["after"]) if r["after"] is not None else None, r["why"])

    def count(self, event_id: str | None = None) -> int:
        if not self.store.has_reviews:
            return 0
        where, params = ("WHERE event_id = ?", [event_id]) if event_id else ("", [])
        return int(self.conn.execute(f"SELECT COUNT(*) FROM audit {where}", params).fetchone()[0])

    def report_ids(self, event_id: str) -> list[str]:
        return [r[0] for r in self.conn.execute(
            "SELECT report_id FROM event_reports WHERE event_id = ? ORDER BY report_id", (event_id,))]

    # -- writing ----------------------------------------------------------------------

    def append(self, who: str, event_id: str, action: str, field: str | None = None, before: Any = None,
               after: Any = None, why: str = "") -> int:
        """Add one audit row; returns its id."""
        self.store.require_transaction()
        self._require_reviews()
        if action not in ACTIONS:
            raise StoreError(f"unknown review action {action!r}; one of {', '.join(ACTIONS)}")
        cursor = self.conn.execute(
            "INSERT INTO audit(at, who, event_id, action, field, before, after, why) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
            (_now(), who, event_id, action, field, _dumps(before), _dumps(after), why or ""))
        return int(cursor.lastrowid)

    def set_verdict(self, event_id: str, verdict: str) -> None:
        self.store.require_transaction()
        self._require_reviews()
        if verdict not in VERDICTS:
            raise StoreError(f"unknown verdict {verdict!r}; one of {', '.join(VERDICTS)}")
        self.conn.execute("UPDATE events SET review = ? WHERE id = ?", (verdict, event_id))

    def set_field(self, event_id: str, field: str, value: Any) -> None:
        """Write an analyst's value into the event's column and keep it in
        ``reviewed_fields``, from where every later rewrite of the event re-applies it."""
        self.store.require_transaction()
        self._require_reviews()
        if field not in self.store.event_columns:
            raise StoreError(f"events have no column {field!r}")
        self.conn.execute(f'UPDATE events SET "{field}" = ? WHERE id = ?', (value, event_id))
        if field == "modality":
            self.conn.execute("UPDATE events SET is_current = ? WHERE id = ?",
                              (int(value in ("asserted", "claimed")), event_id))
        self.conn.execute("INSERT INTO reviewed_fields(event_id, field, value) VALUES (?, ?, ?) "
                          "ON CONFLICT(event_id, field) DO UPDATE SET value = excluded.value",
                          (event_id, field, _dumps(value)))

    def move_reports(self, report_ids: Sequence[str], to_event: str) -> None:
        """Attach reports to another (existing) event; the caller then recombines both."""
        self.store.require_transaction()
        self.conn.executemany("UPDATE event_reports SET event_id = ? WHERE report_id = ?",
                              [(to_event, r) for r in report_ids])

    # -- the triage queue -------------------------------------------------------------

    def triage(self, query: EventQuery, weights: DoubtWeights, limit: int, offset: int = 0) -> list[Doubtful]:
        """Events no analyst has looked at, most doubtful first (see :class:`DoubtWeights`)."""
        self._require_reviews()
        where, params = query.where(reviews=True)
        parts_sql = {
            "confidence": "? * (1.0 - COALESCE(confidence, 0.0))",
            "place": "? * (1.0 - COALESCE((SELECT MAX(p.confidence) FROM places p WHERE p.article_id = "
                     "events.article_id AND p.geonameid = events.geonameid), 0.0))",
            "claimed": "? * (modality = 'claimed')",
            "single_source": "? * (n_reports = 1)",
            "big_toll": "? * (fatalities >= ?)",
        }
        part_params = [weights.confidence, weights.place, weights.claimed, weights.single_source,
                       weights.big_toll, weights.big_toll_at]
        columns = ", ".join(f"{sql} AS doubt_{name}" for name, sql in parts_sql.items())
        sql = (f"SELECT * FROM (SELECT events.*, NULL AS updated, {columns} FROM events "
               f"WHERE review IS NULL AND {where}) "
               "ORDER BY (" + " + ".join(f"doubt_{n}" for n in parts_sql) + ") DESC, id LIMIT ? OFFSET ?")
        out = []
        for r in self.conn.execute(sql, [*part_params, *params, limit, offset]):
            parts = {name: round(float(r[f"doubt_{name}"]), 4) for name in parts_sql}
            out.append(Doubtful(self.store.event_row(r), round(sum(parts.values()), 4), parts))
        return out
