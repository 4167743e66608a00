"""The SQLite store: articles, places, merged events and the reports behind them.

Every article is written in one transaction together with its places, its events and
their links, so a run killed at any point leaves whole articles or none (SQLite's
write-ahead log makes a SIGKILL safe). Writes are keyed by article id: storing an article
that is already there changes nothing, which is what makes ``wirecoder run`` idempotent.
"""

from __future__ import annotations

import dataclasses
import hashlib
import json
import os
import sqlite3
import stat
import time
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path
from typing import Any, Iterable, Iterator, Mapping, Sequence
from urllib.parse import quote, urlencode

from ..errors import StoreError
from ..records import Article, Document, Event, Evidence, Place
from ..reports import Candidate, CandidateQuery, MergedEvent, Outcome, Report
from ..settings import Settings
from .browse import Browse
from .query import EventQuery, EventRow, like_literal
from .review import Reviews
from .schema import EVENT_SCALAR_COLUMNS, REVIEW_VERSION, check_version, current_version, migrate, ownership

_SCALARS = [name for name, _ in EVENT_SCALAR_COLUMNS]
# Event fields without a column (added to the record after the schema): kept in ``extra``.
_EXTRA = [f.name for f in dataclasses.fields(Event)
          if f.name not in {"id", "article_id", "evidence", "sources", *_SCALARS}]
_ACTOR_ROLES = (("actor1", "inter1"), ("assoc_actor_1", "inter1"), ("actor2", "inter2"), ("assoc_actor_2", "inter2"))


def _now() -> str:
    return datetime.now(timezone.utc).isoformat(timespec="seconds")


def _dumps(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False, sort_keys=True)


@dataclass(slots=True)
class WriteResult:
    """What storing one document did."""

    stored: bool = True
    new_events: int = 0
    merged_events: int = 0


class Store:
    """A wirecoder SQLite store. Open it with :meth:`open`; write an analysed article
    with :func:`wirecoder.runner.store_document` (dedup, then the store, in one
    transaction); read with :meth:`query`::

        with Store.open("wirecoder.db") as store:
            store_document(store, document, settings.dedup)

    It is the *candidate source* of dedup (:class:`wirecoder.stages.dedup.CandidateSource`):
    :meth:`candidates_near` and :meth:`reports_of`.
    """

    def __init__(self, conn: sqlite3.Connection, path: str, readonly: bool) -> None:
        self.conn = conn
        self.path = path
        self.readonly = readonly
        # Stores from before schema version 5 (read as they are) have no review tables.
        self.has_reviews = current_version(conn) >= REVIEW_VERSION
        self.event_columns = frozenset(r[1] for r in conn.execute("PRAGMA table_info(events)"))
        self.reviews = Reviews(self)
        self.browse = Browse(self)

    # -- opening -----------------------------------------------------------------

    @classmethod
    @contextmanager
    def open(cls, path: str | Path, readonly: bool = False) -> Iterator[Store]:
        """Open (and create or migrate, unless ``readonly``) the store at ``path``.

        Only an empty or new file, or a wirecoder store, is opened: another program's
        SQLite file is refused before anything is written to it (not even the switch to
        WAL). A read-only open also works where the store's folder cannot be written
        (it then opens the file as immutable, see :func:`_connect_readonly`)."""
        path = str(path)
        conn = _connect_readonly(path) if readonly else _connect_writable(path)
        conn.row_factory = sqlite3.Row
        try:
            conn.execute("PRAGMA foreign_keys=ON")
            if readonly:
                # An older store is read as it is (a read-only open cannot migrate it; the
                # next `wirecoder run` will). Reading code tolerates the missing columns.
                _check_readable(conn, path)
            else:
                migrate(conn, where=path)
            yield cls(conn, path, readonly)
        except sqlite3.DatabaseError as exc:
            raise StoreError(f"store {path}: {exc}") from exc
        finally:
            conn.close()

    @contextmanager
    def transaction(self) -> Iterator[None]:
        """One all-or-nothing write (``BEGIN IMMEDIATE`` takes the write lock up front)."""
        self.conn.execute("BEGIN IMMEDIATE")
        try:
            yield
        except BaseException:
            self.conn.execute("ROLLBACK")
            raise
        self.conn.execute("COMMIT")

    # -- runs ----------------------------------------------------------------------

    def start_run(self, settings: Settings, inputs: Sequence[str], version: str) -> int:
        with self.transaction():
            cursor = self.conn.execute(
                "INSERT INTO runs(started, version, settings, inputs) VALUES (?, ?, ?, ?)",
                (_now(), version, settings.to_json(), _dumps(list(inputs))),
            )
        return int(cursor.lastrowid)

    def finish_run(self, run_id: int, counts: dict[str, Any], status: str = "finished") -> None:
        with self.transaction():
            self.conn.execute(
                "UPDATE runs SET finished = ?, status = ?, counts = ? WHERE id = ?",
                (_now(), status, _dumps(counts), run_id),
            )

    def runs(self) -> list[dict[str, Any]]:
        rows = self.conn.execute("SELECT * FROM runs ORDER BY id").fetchall()
        return [{**dict(r), "settings": json.loads(r["settings"]), "inputs": json.loads(r["inputs"]),
                 "counts": json.loads(r["counts"]) if r["counts"] else None} for r in rows]

    # -- articles ------------------------------------------------------------------

    def has_article(self, article_id: str) -> bool:
        """Whether the article (or a near-copy with this id) is already stored."""
        row = self.conn.execute(
            "SELECT 1 FROM articles WHERE id = ? UNION ALL SELECT 1 FROM article_sources WHERE copy_id = ? LIMIT 1",
            (article_id, article_id),
        ).fetchone()
        return row is not None

    def same_story(self, article: Article) -> bool | None:
        """Whether the story stored under ``article.id`` is ``article``'s: None when the id
        is free, True when it holds the same text (by extract's content id, which
        ignores case and layout), False when a different story holds it.

        A near-copy recorded before copies kept their content id counts as the same."""
        from ..stages.extract.identity import content_id

        stored = self.article(article.id)
        if stored is not None:
            return content_id(stored) == content_id(article)
        row = self.conn.execute("SELECT * FROM article_sources WHERE copy_id = ?", (article.id,)).fetchone()
        if row is None:
            return None
        recorded = row["content_id"] if "content_id" in row.keys() else None
        return recorded is None or recorded == content_id(article)

    def add_copy(self, article: Article, run_id: int | None = None) -> bool | None:
        """Record a near-copy as another source of ``article.duplicate_of``.

        Returns True when recorded, False when it was already there, None when the
        article it copies is not stored (the caller then analyses it on its own)."""
        from ..stages.extract.identity import content_id

        canonical = article.duplicate_of
        with self.transaction():
            if self.has_article(article.id):
                return False
            if canonical is None or not self.conn.execute(
                "SELECT 1 FROM articles WHERE id = ?", (canonical,)
            ).fetchone():
                return None
            self.conn.execute(
                "INSERT INTO article_sources(copy_id, article_id, path, url, outlet, published_date, run_id, "
                "content_id) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                (article.id, canonical, article.source.path, article.source.url, article.source.outlet,
                 article.published.date, run_id, content_id(article)),
            )
        return True

    def article(self, article_id: str) -> Article | None:
        row = self.conn.execute("SELECT * FROM articles WHERE id = ?", (article_id,)).fetchone()
        if row is None:
            return None
        return Article.from_dict({
            "id": row["id"], "headline": row["headline"],
            "source": {"path": row["path"], "url": row["url"], "outlet": row["outlet"]},
            "published": {"date": row["published_date"], "how": row["published_how"]},
            "captions": json.loads(row["captions"]), "paragraphs": json.loads(row["paragraphs"]),
        })

    def search(self, query: str, limit: int = 20) -> list[dict[str, Any]]:
        """Full-text search (FTS5 syntax) over headlines and bodies, best match first."""
        try:
            rows = self.conn.execute(
                "SELECT article_id, headline, snippet(articles_fts, 2, '[', ']', '…', 12) AS snippet "
                "FROM articles_fts WHERE articles_fts MATCH ? ORDER BY rank LIMIT ?",
                (query, limit),
            ).fetchall()
        except sqlite3.OperationalError as exc:
            raise StoreError(f"bad full-text query {query!r}: {exc}") from exc
        return [dict(r) for r in rows]

    # -- documents -----------------------------------------------------------------

    def analysed_with(self, article_id: str) -> tuple[str | None, str | None] | None:
        """``(fingerprint, version)`` of what analysed the stored article: the hash of
        the version and settings (None: stored before the store kept it) and the software
        version of the run that stored it; None when no analysed article has this id."""
        row = self.conn.execute(
            "SELECT a.fingerprint, r.version FROM articles a LEFT JOIN runs r ON r.id = a.run_id WHERE a.id = ?",
            (article_id,)).fetchone()
        return None if row is None else (row[0], row[1])

    def holds_article(self, article_id: str) -> bool:
        """Whether an analysed article is stored under this id (near-copies aside)."""
        return self.conn.execute("SELECT 1 FROM articles WHERE id = ?", (article_id,)).fetchone() is not None

    def new_reports(self, document: Document) -> list[Report]:
        """The document's events as reports to store: each with its article's publication
        date, and an id no stored report or event has (the coder's ids are per article)."""
        article = document.article
        reports: list[Report] = []
        seen: set[str] = set()
        for e in document.events:
            e = self._unique_report(article.id, e, seen)
            seen.add(e.id)
            reports.append(Report(e, article.published.date))
        return reports

    def write_outcomes(self, document: Document, outcomes: Sequence[Outcome], run_id: int | None = None,
                       fingerprint: str | None = None) -> WriteResult:
        """Store an analysed article with its places, and its reports as dedup decided
        (:func:`wirecoder.stages.dedup.decide`): new events, and reports joining stored
        events with those events' new fields. Call it inside :meth:`transaction`, the
        one in which dedup read its candidates, so that the two cannot interleave with
        another writer's (see :func:`wirecoder.runner.store_document`). ``fingerprint``
        says which version and settings analysed it (:meth:`analysed_with`)."""
        self.require_transaction()
        article = document.article
        self._insert_article(article, run_id, fingerprint)
        self._insert_places(article.id, document.places)
        result = WriteResult()
        for outcome in outcomes:
            if outcome.merged_into is None:
                self._put_event(outcome.event, insert=True)
                self._add_report(outcome.report, outcome.event.event.id, None, run_id)
                result.new_events += 1
            else:
                self._add_report(outcome.report, outcome.merged_into, outcome.score, run_id)
                self._put_event(outcome.event, insert=False)
                result.merged_events += 1
        return result

    def remove_article(self, article_id: str, keep_copies: bool = False) -> list[str]:
        """Take an analysed article out (its reports, places, text and near-copies); returns
        the events that lost reports, which the caller then rewrites
        (:meth:`rewrite_events`). Inside :meth:`transaction`.

        ``keep_copies`` keeps its near-copies for the article written again under the
        same id in this transaction (reprocessing): their link is checked at commit."""
        self.require_transaction()
        if keep_copies:
            self.conn.execute("PRAGMA defer_foreign_keys = ON")  # lasts until this transaction ends
        affected = [r[0] for r in self.conn.execute(
            "SELECT DISTINCT event_id FROM event_reports WHERE article_id = ? ORDER BY event_id", (article_id,))]
        self.conn.execute("DELETE FROM event_reports WHERE article_id = ?", (article_id,))
        self.conn.execute("DELETE FROM places WHERE article_id = ?", (article_id,))
        self.conn.execute("DELETE FROM articles_fts WHERE article_id = ?", (article_id,))
        if not keep_copies:
            self.conn.execute("DELETE FROM article_sources WHERE article_id = ?", (article_id,))
        self.conn.execute("DELETE FROM articles WHERE id = ?", (article_id,))
        return affected

    def rewrite_events(self, events: Iterable[tuple[str, MergedEvent | None]]) -> None:
        """Replace stored events' fields (None: delete the event). Inside :meth:`transaction`."""
        self.require_transaction()
        for event_id, merged in events:
            if merged is None:
                self.conn.execute("DELETE FROM actors WHERE event_id = ?", (event_id,))
                self.conn.execute("DELETE FROM events WHERE id = ?", (event_id,))
            else:
                self._put_event(merged, insert=False)

    def require_transaction(self) -> None:
        """Refuse a write outside :meth:`transaction`."""
        if not self.conn.in_transaction:
            raise StoreError("a store write outside Store.transaction(): it would not be all or nothing")

    def _insert_article(self, article: Article, run_id: int | None, fingerprint: str | None = None) -> None:
        text = article.text
        self.conn.execute(
            "INSERT INTO articles(id, headline, published_date, published_how, path, url, outlet, captions, "
            "paragraphs, text, run_id, fingerprint) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (article.id, article.headline, article.published.date, article.published.how, article.source.path,
             article.source.url, article.source.outlet, _dumps([{"text": c.text, "credit": c.credit} for c in article.captions]),
             _dumps(article.paragraphs), text, run_id, fingerprint),
        )
        self.conn.execute("INSERT INTO articles_fts(article_id, headline, text) VALUES (?, ?, ?)",
                          (article.id, article.headline, text))

    def _insert_places(self, article_id: str, places: Sequence[Place]) -> None:
        self.conn.executemany(
            'INSERT INTO places(article_id, idx, text, start, "end", geonameid, name, kind, country_code, admin1, '
            "latitude, longitude, confidence) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            [(article_id, i, p.text, p.start, p.end, p.geonameid, p.name, p.kind, p.country_code, p.admin1,
              p.latitude, p.longitude, p.confidence) for i, p in enumerate(places)],
        )

    def _unique_report(self, article_id: str, event: Event, seen: set[str]) -> Event:
        """Report ids come from the coder; make sure they are unique in the store."""
        taken = event.id in seen or self.conn.execute(
            "SELECT 1 FROM event_reports WHERE report_id = ? UNION ALL SELECT 1 FROM events WHERE id = ?",
            (event.id, event.id),
        ).fetchone()
        if taken:
            digest = hashlib.sha1(f"{article_id}\0{event.id}\0{len(seen)}".encode()).hexdigest()[:16]
            event = Event.from_dict({**event.to_dict(), "id": digest})
        if event.article_id != article_id:
            event = Event.from_dict({**event.to_dict(), "article_id": article_id})
        return event

    # -- the candidate source of dedup ---------------------------------------------------

    def candidates_near(self, queries: Sequence[CandidateQuery]) -> list[Candidate]:
        """Stored current events that any of ``queries`` selects (type, and date or
        publication window), each once, in the order first found."""
        found: dict[str, None] = {}
        for query in queries:
            if query.event_types:
                where = f"event_type IN ({','.join('?' * len(query.event_types))})"
                params: list[Any] = list(query.event_types)
            else:
                where, params = "event_type IS NULL AND plover_type = ?", [query.plover_type]
            window = query.window_days
            when: list[str] = []
            if query.event_date:
                when.append("event_date BETWEEN date(?, ?) AND date(?, ?)")
                params += [query.event_date[:10], f"-{window} days", query.event_date[:10], f"+{window} days"]
            if query.published:
                when.append("(first_published <= date(?, ?) AND last_published >= date(?, ?))")
                params += [query.published[:10], f"+{window} days", query.published[:10], f"-{window} days"]
            if not when:
                continue
            sql = f"SELECT id FROM events WHERE is_current = 1 AND {where} AND ({' OR '.join(when)}) ORDER BY id"
            for row in self.conn.execute(sql, params):
                found.setdefault(row["id"])
        return [self._candidate(event_id) for event_id in found]

    def _candidate(self, event_id: str) -> Candidate:
        row = self.conn.execute("SELECT * FROM events WHERE id = ?", (event_id,)).fetchone()
        articles = frozenset(r[0] for r in self.conn.execute(
            "SELECT article_id FROM event_reports WHERE event_id = ?", (event_id,)))
        return Candidate(event=row_to_event(row), article_ids=articles,
                         first_published=row["first_published"], last_published=row["last_published"])

    def reports_of(self, event_id: str) -> list[Report]:
        """The reports a stored event is merged from, with their articles' publication dates."""
        rows = self.conn.execute(
            "SELECT r.report, a.published_date FROM event_reports r JOIN articles a ON a.id = r.article_id "
            "WHERE r.event_id = ? ORDER BY r.report_id", (event_id,),
        ).fetchall()
        return [Report(Event.from_dict(json.loads(r[0])), r[1]) for r in rows]

    # -- writing events ------------------------------------------------------------------

    def insert_event(self, merged: MergedEvent) -> None:
        """Write a new event's row and actors (an analyst's split). Inside :meth:`transaction`."""
        self.require_transaction()
        self._put_event(merged, insert=True)

    def _put_event(self, merged: MergedEvent, insert: bool) -> None:
        """Write an event's row (a new one, or over the stored one) and its actors. The
        fields an analyst set win over what the reports say: a re-run never overwrites them."""
        event = merged.event
        reviewed = self.reviews.overrides(event.id)
        if reviewed:
            event = Event.from_dict({**event.to_dict(), **reviewed})
        columns = [*_SCALARS, "article_id", "evidence", "sources", "n_reports", "is_current", "first_published",
                   "last_published", "extra"]
        values = [*[getattr(event, c) for c in _SCALARS], event.article_id, _evidence_json(event.evidence),
                  _dumps(event.sources), merged.n_reports, int(event.is_current), merged.first_published,
                  merged.last_published, _extra_json(event)]
        if insert:
            self.conn.execute(f"INSERT INTO events(id, {', '.join(columns)}) VALUES ({', '.join('?' * (len(columns) + 1))})",
                              [event.id, *values])
        else:
            assignments = ", ".join(f"{c} = ?" for c in columns)
            self.conn.execute(f"UPDATE events SET {assignments} WHERE id = ?", [*values, event.id])
        self.write_actors(event)

    def _add_report(self, report: Report, event_id: str, score: Mapping[str, Any] | None,
                    run_id: int | None) -> None:
        e = report.event
        self.conn.execute(
            'INSERT INTO event_reports(report_id, event_id, article_id, sentence, start, "end", report, merge, run_id) '
            "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (e.id, event_id, e.article_id, e.evidence.sentence, e.evidence.start, e.evidence.end,
             _dumps(e.to_dict()), _dumps(score) if score is not None else None, run_id),
        )

    def write_actors(self, event: Event) -> None:
        """(Re)write the ``actors`` rows of an event from its actor fields."""
        self.conn.execute("DELETE FROM actors WHERE event_id = ?", (event.id,))
        rows = set()
        for role, inter in _ACTOR_ROLES:
            for name in _names(getattr(event, role)):
                rows.add((event.id, role, name, getattr(event, inter) if not role.startswith("assoc") else None))
        self.conn.executemany("INSERT INTO actors(event_id, role, name, inter) VALUES (?, ?, ?, ?)", sorted(rows))

    # -- reading -------------------------------------------------------------------

    def event(self, event_id: str) -> Event | None:
        row = self.conn.execute("SELECT * FROM events WHERE id = ?", (event_id,)).fetchone()
        return row_to_event(row) if row else None

    def events(self, current_only: bool = True) -> Iterator[Event]:
        sql = "SELECT * FROM events" + (" WHERE is_current = 1" if current_only else "") + " ORDER BY id"
        for row in self.conn.execute(sql):
            yield row_to_event(row)

    def query(self, query: EventQuery | None = None) -> Iterator[EventRow]:
        """The events ``query`` selects (default: every current event), in its order and
        page; what export, explain and the HTTP API read."""
        sql, params = (query or EventQuery()).sql(reviews=self.has_reviews)
        for row in self.conn.execute(sql, params):
            yield self.event_row(row)

    def event_row(self, row: sqlite3.Row) -> EventRow:
        """An :class:`EventRow` of a row of ``events`` (with ``updated`` selected beside it)."""
        keys = row.keys()
        return EventRow(row_to_event(row), row["n_reports"], row["updated"] if "updated" in keys else None,
                        row["review"] if "review" in keys else None)

    def count(self, query: EventQuery | None = None) -> int:
        """How many events ``query`` selects (its page aside)."""
        where, params = (query or EventQuery()).where(reviews=self.has_reviews)
        return int(self.conn.execute(f"SELECT COUNT(*) FROM events WHERE {where}", params).fetchone()[0])

    def article_origins(self) -> dict[str, tuple[str | None, str | None, str | None]]:
        """Each stored article's ``(outlet, url, path)``, by article id."""
        return {row["id"]: (row["outlet"], row["url"], row["path"])
                for row in self.conn.execute("SELECT id, outlet, url, path FROM articles")}

    def copy_origins(self) -> dict[str, list[tuple[str | None, str | None, str | None]]]:
        """The near-copies of every article that has some: ``(outlet, url, path)`` each,
        by the id of the article they copy."""
        found: dict[str, list[tuple[str | None, str | None, str | None]]] = {}
        for row in self.conn.execute("SELECT article_id, outlet, url, path FROM article_sources ORDER BY copy_id"):
            found.setdefault(row["article_id"], []).append((row["outlet"], row["url"], row["path"]))
        return found

    def reported_countries(self) -> dict[str, set[str]]:
        """The countries (ISO alpha-2) of the events each article reported, by article id.
        Read from each event's ``sources``, which a store loaded from Parquet
        (:meth:`load_snapshot`, no report rows) holds too."""
        found: dict[str, set[str]] = {}
        for row in self.conn.execute(
                "SELECT DISTINCT j.value, e.iso FROM events e, json_each(e.sources) j WHERE e.iso IS NOT NULL"):
            found.setdefault(row[0], set()).add(row[1])
        return found

    def filter_vocabulary(self) -> dict[str, set[str]]:
        """What export filters can name in this store: ``types`` (every ACLED event and
        sub-event type and PLOVER type of an event) and ``actors`` (every actor name)."""
        types = {r[0] for r in self.conn.execute(
            "SELECT event_type FROM events UNION SELECT sub_event_type FROM events UNION SELECT plover_type FROM events")
            if r[0]}
        actors = {r[0] for r in self.conn.execute("SELECT DISTINCT name FROM actors")}
        return {"types": types, "actors": actors}

    def schema_version(self) -> int:
        return current_version(self.conn)

    def event_of_report(self, report_id: str) -> str | None:
        """The id of the event a report (an id as ``wirecoder code`` printed it) joined."""
        row = self.conn.execute("SELECT event_id FROM event_reports WHERE report_id = ?", (report_id,)).fetchone()
        return row[0] if row else None

    def event_ids_starting(self, prefix: str, limit: int = 5) -> list[str]:
        """Event ids that begin with ``prefix``, sorted, at most ``limit``."""
        pattern = like_literal(prefix) + "%"
        return [r[0] for r in self.conn.execute(
            "SELECT id FROM events WHERE id LIKE ? ESCAPE '\\' ORDER BY id LIMIT ?", (pattern, limit))]

    def event_reports(self, event_id: str) -> list[dict[str, Any]]:
        """The reports behind an event with their articles, earliest published first:
        ``report_id, article_id, sentence, report`` (the coded event, a dict), ``merge``
        (the merge score as a dict, None for the report that created the event),
        ``headline, outlet, published_date, path, url``."""
        rows = self.conn.execute(
            "SELECT r.report_id, r.article_id, r.sentence, r.report, r.merge, a.headline, a.outlet, a.published_date, "
            "a.path, a.url FROM event_reports r JOIN articles a ON a.id = r.article_id WHERE r.event_id = ? "
            "ORDER BY a.published_date, r.article_id, r.report_id", (event_id,),
        ).fetchall()
        return [{**dict(r), "report": json.loads(r["report"]),
                 "merge": json.loads(r["merge"]) if r["merge"] is not None else None} for r in rows]

    def article_ids(self) -> list[str]:
        """Every analysed article's id, in the order they were stored."""
        return [r[0] for r in self.conn.execute("SELECT id FROM articles ORDER BY rowid")]

    def places_of(self, article_id: str) -> list[Place]:
        rows = self.conn.execute('SELECT text, start, "end", geonameid, name, kind, country_code, admin1, latitude, '
                                 "longitude, confidence FROM places WHERE article_id = ? ORDER BY idx", (article_id,))
        return [Place(*row) for row in rows]

    def reports_by_article(self, article_ids: Sequence[str]) -> list[tuple[str, Report]]:
        """The stored reports of these articles, each with the id of the event it joined:
        ``(event_id, report)``, by article id, then report id."""
        found: list[tuple[str, Report]] = []
        for article_id in sorted(set(article_ids)):
            found += [(r[0], Report(Event.from_dict(json.loads(r[1])), r[2])) for r in self.conn.execute(
                "SELECT r.event_id, r.report, a.published_date FROM event_reports r JOIN articles a "
                "ON a.id = r.article_id WHERE r.article_id = ? ORDER BY r.report_id", (article_id,))]
        return found

    def load_snapshot(self, articles: Iterable[Article], events: Iterable[MergedEvent]) -> None:
        """Fill an empty store with articles and already merged events (no dedup, no
        reports): how ``wirecoder export`` reads a Parquet output folder."""
        with self.transaction():
            for article in articles:
                self._insert_article(article, None)
            for merged in events:
                self._put_event(merged, insert=True)

    def copies(self, article_id: str) -> list[tuple[str | None, str | None, str | None]]:
        """The near-copies recorded for an article: ``(outlet, url, path)`` each."""
        return [(r["outlet"], r["url"], r["path"]) for r in self.conn.execute(
            "SELECT outlet, url, path FROM article_sources WHERE article_id = ? ORDER BY copy_id", (article_id,))]

    def counts(self) -> dict[str, int]:
        tables = ("articles", "article_sources", "places", "events", "event_reports", "actors", "runs")
        return {t: int(self.conn.execute(f"SELECT COUNT(*) FROM {t}").fetchone()[0]) for t in tables}

    def canonical_dump(self) -> dict[str, list[list[Any]]]:
        """The store's content without run ids, timestamps and the fingerprints of what
        analysed each article (provenance, like the run), rows sorted: two stores holding
        the same dataset give equal dumps (used to test idempotency and resume)."""
        skip = {"run_id", "fingerprint"}
        dump: dict[str, list[list[Any]]] = {}
        for table in ("articles", "article_sources", "places", "events", "event_reports", "actors"):
            columns = [r[1] for r in self.conn.execute(f"PRAGMA table_info({table})") if r[1] not in skip]
            quoted = ", ".join(f'"{c}"' for c in columns)
            dump[table] = sorted(([*row] for row in self.conn.execute(f"SELECT {quoted} FROM {table}")), key=repr)
        return dump


# -- opening -------------------------------------------------------------------------

_SQLITE_MAGIC = b"SQLite format 3\x00"


def _header(path: str) -> bytes | None:
    """The first 100 bytes (SQLite's header) of the file at ``path``; None when there is
    no file, b"" when it is empty. Anything that cannot be a store is refused here, before
    SQLite opens it (SQLite would block on a FIFO and report other cases obscurely)."""
    try:
        info = os.stat(path)
    except FileNotFoundError:
        return None
    except OSError as exc:
        raise StoreError(f"cannot open store {path}: {exc.strerror or exc}") from exc
    if stat.S_ISDIR(info.st_mode):
        raise StoreError(f"cannot open store {path}: it is a folder; give the path of a store file")
    if not stat.S_ISREG(info.st_mode):
        raise StoreError(f"cannot open store {path}: it is not a regular file (a device, FIFO or socket)")
    try:
        with open(path, "rb") as handle:
            head = handle.read(100)
    except OSError as exc:
        raise StoreError(f"cannot open store {path}: {exc.strerror or exc}") from exc
    if head and not head.startswith(_SQLITE_MAGIC):
        raise StoreError(f"{path} is not a SQLite database, so not a wirecoder store "
                         f"(it begins {head[:16]!r}); name a store made by `wirecoder run`, or a new file")
    return head


def _uri(path: str, **params: str) -> str:
    """A ``file:`` URI for ``path`` (quoted, so that '?', '#' and '%' in names are safe)."""
    return f"file:{quote(os.path.abspath(path))}?{urlencode(params)}"


# Connections are made with ``check_same_thread=False``: a web server's framework may open
# a store in one worker thread and read it in another, one request at a time; a Store is
# never shared by two threads at once.


def _connect_writable(path: str) -> sqlite3.Connection:
    if path == ":memory:":
        return sqlite3.connect(path, isolation_level=None, check_same_thread=False)
    header = _header(path)
    try:
        if header is None:
            Path(path).parent.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise StoreError(f"cannot create store {path}: {exc.strerror or exc}") from exc
    try:
        conn = sqlite3.connect(path, isolation_level=None, timeout=30, check_same_thread=False)
    except sqlite3.Error as exc:
        raise StoreError(f"cannot open store {path}: {exc}") from exc
    try:
        # Whose file is it? Asked before anything is written: another program's database
        # must come out of this byte for byte as it went in.
        if header and ownership(conn) == "foreign":
            raise StoreError(f"{path} is another program's SQLite database, not a wirecoder store; "
                             "wirecoder will not add its tables to it. Give a new file with --db")
        # WAL: readers never block the writer, and a killed writer leaves the last
        # committed transaction intact. NORMAL sync is safe against process death.
        _switch_to_wal(conn)
        conn.execute("PRAGMA synchronous=NORMAL")
    except sqlite3.Error as exc:
        conn.close()
        raise StoreError(f"cannot open store {path}: {exc}") from exc
    except BaseException:
        conn.close()
        raise
    return conn


def _switch_to_wal(conn: sqlite3.Connection, patience: float = 30.0) -> None:
    """``PRAGMA journal_mode=WAL``, waiting while other processes hold the file: the switch
    needs the file to itself, and SQLite reports "database is locked" at once instead of
    waiting its busy timeout (seen with eight runs started together on a new store)."""
    deadline = time.monotonic() + patience
    while True:
        try:
            conn.execute("PRAGMA journal_mode=WAL")
            return
        except sqlite3.OperationalError as exc:
            if "locked" not in str(exc) or time.monotonic() > deadline:
                raise
            time.sleep(0.02)


def _connect_readonly(path: str) -> sqlite3.Connection:
    """A read-only connection that never writes beside the store if it cannot.

    ``mode=ro`` still needs the WAL index (``-shm``) beside a WAL store, which a folder
    the user cannot write (a shared archive, a mounted snapshot) does not allow. Then the
    file is opened ``immutable=1``: SQLite reads it without any locking or index, which
    is right because nobody can be writing there either — unless a write-ahead log with
    content was left beside it, whose transactions immutable would silently skip."""
    if path == ":memory:":
        return sqlite3.connect(path, isolation_level=None, check_same_thread=False)
    header = _header(path)
    if header is None:
        raise StoreError(f"no store at {path}; create one with: wirecoder run INPUT… --db {path}")
    if not header:
        raise StoreError(f"{path} is an empty file, not a wirecoder store; create one with: "
                         f"wirecoder run INPUT… --db {path}")
    try:
        conn = sqlite3.connect(_uri(path, mode="ro"), uri=True, isolation_level=None, timeout=30, check_same_thread=False)
        try:
            conn.execute("SELECT COUNT(*) FROM sqlite_master").fetchone()
            return conn
        except sqlite3.OperationalError:
            conn.close()
            if os.access(os.path.dirname(os.path.abspath(path)), os.W_OK) and not _readonly_fs(path):
                raise
        wal = f"{path}-wal"
        if os.path.exists(wal) and os.path.getsize(wal) > 0:
            raise StoreError(f"cannot read store {path}: its folder is read-only and it has a write-ahead log "
                             f"({wal}) not yet merged; open it once where the folder is writable")
        conn = sqlite3.connect(_uri(path, mode="ro", immutable="1"), uri=True, isolation_level=None, check_same_thread=False)
        conn.execute("SELECT COUNT(*) FROM sqlite_master").fetchone()
        return conn
    except sqlite3.Error as exc:
        raise StoreError(f"cannot open store {path} for reading: {exc}") from exc


def _readonly_fs(path: str) -> bool:
    """Whether the file system holding ``path`` is mounted read-only (root may write any
    folder, but not on a read-only mount)."""
    try:
        return bool(os.statvfs(os.path.dirname(os.path.abspath(path))).f_flag & os.ST_RDONLY)
    except OSError:
        return False


def _check_readable(conn: sqlite3.Connection, path: str) -> None:
    """A read-only open serves only a wirecoder store this wirecoder understands."""
    owner = ownership(conn)
    version = current_version(conn) if owner == "wirecoder" else 0
    if owner != "wirecoder" or version == 0:
        raise StoreError(f"{path} is not a wirecoder store (it has no wirecoder tables); "
                         f"create one with: wirecoder run INPUT… --db {path}")
    check_version(version, path)

def _names(value: str | None) -> list[str]:
    """The names in a "; "-separated actor field, one ``actors`` row each."""
    return [part.strip() for part in (value or "").split(";") if part.strip()]


def _evidence_json(evidence: Evidence) -> str:
    return _dumps({"sentence": evidence.sentence, "start": evidence.start, "end": evidence.end})


def _extra_json(event: Event) -> str:
    extra = {name: getattr(event, name) for name in _EXTRA}
    extra["mentions"] = [dataclasses.asdict(m) for m in event.mentions]
    return _dumps(extra)


def row_to_event(row: sqlite3.Row) -> Event:
    """The Event of an ``events`` row (its columns, plus the fields kept in ``extra``)."""
    data: dict[str, Any] = json.loads(row["extra"] or "{}") if "extra" in row.keys() else {}
    data.update({c: row[c] for c in _SCALARS})
    data.update(id=row["id"], article_id=row["article_id"], evidence=json.loads(row["evidence"]),
                sources=json.loads(row["sources"]))
    if data["fatalities"] is None:
        data["fatalities"] = 0
    if data["confidence"] is None:
        data["confidence"] = 0.0
    return Event.from_dict(data)

