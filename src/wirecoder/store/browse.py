"""What the workbench reads beyond :meth:`Store.query`: counts and fatalities per period,
place, type or actor; events gathered into map grid cells (server-side clustering, so a
page stays responsive over hundreds of thousands of events); the values the filter
controls offer; an article's stored text. SQL only, over :class:`EventQuery` filters.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Literal

from .query import EventQuery

if TYPE_CHECKING:
    from .store import Store

GroupBy = Literal["week", "month", "country", "admin1", "type", "actor"]
# The key each grouping counts by. Weeks start on Monday (ISO), named by that day.
GROUP_KEYS: dict[str, str] = {
    "week": "date(event_date, '-6 days', 'weekday 1')",
    "month": "substr(event_date, 1, 7)",
    "country": "country",
    "admin1": "COALESCE(country, '') || ' / ' || COALESCE(admin1, '')",
    "type": "COALESCE(event_type, plover_type)",
    "actor": "a.name",
}


@dataclass(frozen=True, slots=True)
class Bucket:
    """One group of an aggregate: its key, how many events and their fatalities."""

    key: str | None
    events: int
    fatalities: int


@dataclass(frozen=True, slots=True)
class Cell:
    """Events of one grid cell of the map: their count, fatalities, mean position, and
    how many are placed only at a province (geo_precision 3) — drawn apart, never as pins."""

    latitude: float
    longitude: float
    events: int
    fatalities: int
    province_level: int


class Browse:
    """Read-only views of one open :class:`~wirecoder.store.Store` (``store.browse``)."""

    def __init__(self, store: Store) -> None:
        self.store = store
        self.conn = store.conn

    def _where(self, query: EventQuery) -> tuple[str, list[Any]]:
        return query.where(reviews=self.store.has_reviews)

    def aggregate(self, query: EventQuery, by: GroupBy, limit: int | None = None) -> list[Bucket]:
        """Counts and fatalities of the events ``query`` selects, per ``by``: periods in
        time order (undated events have no period and are left out), other keys by count."""
        if by not in GROUP_KEYS:
            raise ValueError(f"unknown grouping {by!r}; choose one of {', '.join(GROUP_KEYS)}")
        where, params = self._where(query)
        key = GROUP_KEYS[by]
        source = "events JOIN actors a ON a.event_id = events.id" if by == "actor" else "events"
        # An event with two actors counts once for each (it is one of each actor's events).
        order = "k" if by in ("week", "month") else "n DESC, k"
        having = "WHERE k IS NOT NULL" if by in ("week", "month") else ""
        sql = (f"SELECT k, COUNT(*) AS n, SUM(f) AS f FROM (SELECT {key} AS k, events.fatalities AS f FROM {source} "
               f"WHERE {where}) {having} GROUP BY k ORDER BY {order} LIMIT ?")
        rows = self.conn.execute(sql, [*params, -1 if limit is None else limit])
        return [Bucket(r[0], int(r[1]), int(r[2] or 0)) for r in rows]

    def grid(self, query: EventQuery, cell_degrees: float) -> list[Cell]:
        """The events with coordinates that ``query`` selects, in square cells of
        ``cell_degrees``; each cell at the mean position of its events."""
        where, params = self._where(query)
        sql = ("SELECT AVG(latitude), AVG(longitude), COUNT(*), SUM(fatalities), SUM(geo_precision >= 3) "
               f"FROM events WHERE {where} AND latitude IS NOT NULL AND longitude IS NOT NULL "
               "GROUP BY CAST((latitude + 90) / ? AS INTEGER), CAST((longitude + 180) / ? AS INTEGER) "
               "ORDER BY COUNT(*) DESC")
        return [Cell(r[0], r[1], int(r[2]), int(r[3] or 0), int(r[4] or 0))
                for r in self.conn.execute(sql, [*params, cell_degrees, cell_degrees])]

    def count_placed(self, query: EventQuery) -> int:
        """How many of the events ``query`` selects have coordinates."""
        where, params = self._where(query)
        return int(self.conn.execute(
            f"SELECT COUNT(*) FROM events WHERE {where} AND latitude IS NOT NULL AND longitude IS NOT NULL",
            params).fetchone()[0])

    def facets(self, include_noncurrent: bool = True) -> dict[str, Any]:
        """The values the filter controls offer: countries, first-level divisions, event
        types and modalities present, and the first and last event dates."""
        where = "1" if include_noncurrent else "is_current = 1"

        def distinct(column: str) -> list[str]:
            return [r[0] for r in self.conn.execute(
                f"SELECT DISTINCT {column} FROM events WHERE {where} AND {column} IS NOT NULL ORDER BY 1")]

        first, last = self.conn.execute(f"SELECT MIN(event_date), MAX(event_date) FROM events WHERE {where}").fetchone()
        admin1 = [{"country": r[0], "admin1": r[1]} for r in self.conn.execute(
            f"SELECT DISTINCT country, admin1 FROM events WHERE {where} AND admin1 IS NOT NULL ORDER BY 1, 2")]
        return {"countries": distinct("country"), "admin1": admin1, "event_types": distinct("event_type"),
                "sub_event_types": distinct("sub_event_type"), "plover_types": distinct("plover_type"),
                "modalities": distinct("modality"), "first_date": first, "last_date": last}

    def article_text(self, article_id: str) -> dict[str, Any] | None:
        """An article as stored: ``id, headline, published_date, outlet, url, path, text``
        (``text`` is the headline and body every evidence offset refers to)."""
        row = self.conn.execute("SELECT id, headline, published_date, outlet, url, path, text FROM articles "
                                "WHERE id = ?", (article_id,)).fetchone()
        return dict(row) if row else None

    def articles(self, limit: int, offset: int = 0) -> list[dict[str, Any]]:
        """Articles by publication date, newest first, with how many events they report."""
        rows = self.conn.execute(
            "SELECT a.id, a.headline, a.published_date, a.outlet, a.url, "
            "(SELECT COUNT(*) FROM event_reports r WHERE r.article_id = a.id) AS reports "
            "FROM articles a ORDER BY a.published_date DESC, a.id LIMIT ? OFFSET ?", (limit, offset))
        return [dict(r) for r in rows]

    def article_count(self) -> int:
        return int(self.conn.execute("SELECT COUNT(*) FROM articles").fetchone()[0])

    def events_of_article(self, article_id: str) -> list[str]:
        """The events an article's reports belong to."""
        return [r[0] for r in self.conn.execute(
            "SELECT DISTINCT event_id FROM event_reports WHERE article_id = ? ORDER BY event_id", (article_id,))]

    def report_offsets(self, event_id: str) -> dict[str, tuple[int | None, int | None]]:
        """Each report's evidence offsets in its article: report id -> (start, end)."""
        return {r[0]: (r[1], r[2]) for r in self.conn.execute(
            'SELECT report_id, start, "end" FROM event_reports WHERE event_id = ?', (event_id,))}
