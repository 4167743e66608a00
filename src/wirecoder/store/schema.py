"""The store's schema as ordered migrations.

A fresh database gets every step in order; an older one gets the steps it lacks. The
version is the highest row of ``schema_version``. Each step runs in one transaction with
its version row, so a crash mid-migration leaves the previous version intact. A store is
marked with ``PRAGMA application_id`` (:data:`APPLICATION_ID`), and wirecoder adds its
tables only to an empty database or one of its own stores (:func:`ownership`).

The tables are plain, so any SQLite tool (``sqlite3``, Datasette, DuckDB's sqlite
scanner) reads them as they are; lists and nested records are JSON in TEXT columns.

    articles          one row per distinct article (near-copies are not rows here)
    article_sources   the near-copies of an article: other outlets/paths with its text
    articles_fts      FTS5 full-text index over headline and body
    places            the places geoparsed in each article
    events            one row per *happening*: the merged result of its reports (Event
                      fields without a column of their own in ``extra``, JSON)
    event_reports     one row per event as coded from one article, linked to its merged
                      event, with the sentence and why it merged (score parts, JSON)
    actors            the actors of each merged event, one row per (event, role, name)
    runs              each run: resolved settings, software version, inputs, counts
    feeds             each watched feed's validators (ETag, Last-Modified) and last poll
    feed_items        the entries of watched feeds already taken, by guid or link
    reviewed_fields   the fields an analyst set, re-applied whenever a run rewrites the event
    audit             every analyst's change, append-only: who, when, event, field, before, after, why
    events_current    view: the dataset proper (asserted and claimed events no analyst rejected)
"""

from __future__ import annotations

import sqlite3
from datetime import datetime, timezone

from ..errors import StoreError

# Columns of ``events`` that are copied one to one from :class:`~wirecoder.records.Event`.
EVENT_SCALAR_COLUMNS: tuple[tuple[str, str], ...] = (
    ("event_date", "TEXT"),
    ("date_text", "TEXT"),
    ("time_precision", "INTEGER"),
    ("disorder_type", "TEXT"),
    ("event_type", "TEXT"),
    ("sub_event_type", "TEXT"),
    ("plover_type", "TEXT"),
    ("plover_mode", "TEXT"),
    ("actor1", "TEXT"),
    ("assoc_actor_1", "TEXT"),
    ("inter1", "INTEGER"),
    ("actor2", "TEXT"),
    ("assoc_actor_2", "TEXT"),
    ("inter2", "INTEGER"),
    ("interaction", "INTEGER"),
    ("civilian_targeting", "TEXT"),
    ("country", "TEXT"),
    ("iso", "TEXT"),
    ("admin1", "TEXT"),
    ("admin2", "TEXT"),
    ("location", "TEXT"),
    ("geonameid", "INTEGER"),
    ("latitude", "REAL"),
    ("longitude", "REAL"),
    ("geo_precision", "INTEGER"),
    ("fatalities", "INTEGER"),
    ("injuries", "INTEGER"),
    ("modality", "TEXT"),
    ("attribution", "TEXT"),
    ("confidence", "REAL"),
    ("notes", "TEXT"),
)

_EVENT_COLUMNS_SQL = ",\n    ".join(f"{name} {kind}" for name, kind in EVENT_SCALAR_COLUMNS)

# Step 1: the tables. Kept exactly as first released so that upgrading a version-1 file
# is tested against what such files really contain.
_V1 = f"""
CREATE TABLE runs (
    id INTEGER PRIMARY KEY,
    started TEXT NOT NULL,
    finished TEXT,
    status TEXT NOT NULL DEFAULT 'running',   -- running | finished | failed (a killed run stays 'running')
    version TEXT NOT NULL,
    settings TEXT NOT NULL,                   -- JSON: the resolved settings
    inputs TEXT NOT NULL,                     -- JSON list
    counts TEXT                               -- JSON object, set when the run ends
);
CREATE TABLE articles (
    id TEXT PRIMARY KEY,
    headline TEXT,
    published_date TEXT,
    published_how TEXT,
    path TEXT,
    url TEXT,
    outlet TEXT,
    captions TEXT NOT NULL DEFAULT '[]',      -- JSON [{{"text", "credit"}}]
    paragraphs TEXT NOT NULL DEFAULT '[]',    -- JSON [str]
    text TEXT NOT NULL,                       -- headline + body: the text offsets refer to
    run_id INTEGER REFERENCES runs(id)
);
CREATE TABLE article_sources (
    copy_id TEXT PRIMARY KEY,                 -- the near-copy's own article id
    article_id TEXT NOT NULL REFERENCES articles(id),
    path TEXT,
    url TEXT,
    outlet TEXT,
    published_date TEXT,
    run_id INTEGER REFERENCES runs(id)
);
CREATE INDEX article_sources_article ON article_sources(article_id);
CREATE TABLE places (
    article_id TEXT NOT NULL REFERENCES articles(id),
    idx INTEGER NOT NULL,
    text TEXT NOT NULL,
    start INTEGER NOT NULL,
    "end" INTEGER NOT NULL,
    geonameid INTEGER,
    name TEXT,
    kind TEXT,
    country_code TEXT,
    admin1 TEXT,
    latitude REAL,
    longitude REAL,
    confidence REAL,
    PRIMARY KEY (article_id, idx)
);
CREATE TABLE events (
    id TEXT PRIMARY KEY,
    article_id TEXT NOT NULL REFERENCES articles(id),  -- the first report's article
    {_EVENT_COLUMNS_SQL},
    evidence TEXT NOT NULL,                   -- JSON {{"sentence", "start", "end"}} of the best report
    sources TEXT NOT NULL DEFAULT '[]',       -- JSON: article ids of every report
    n_reports INTEGER NOT NULL DEFAULT 1,
    is_current INTEGER NOT NULL,              -- 1 for asserted/claimed
    first_published TEXT,                     -- earliest/latest publication date of its reports,
    last_published TEXT                       -- to compare undated events
);
CREATE INDEX events_type_date ON events(event_type, event_date);
CREATE TABLE event_reports (
    report_id TEXT PRIMARY KEY,               -- the Event id as coded from one article
    event_id TEXT NOT NULL REFERENCES events(id),
    article_id TEXT NOT NULL REFERENCES articles(id),
    sentence TEXT,
    start INTEGER,
    "end" INTEGER,
    report TEXT NOT NULL,                     -- JSON: the Event as coded from this article
    merge TEXT,                               -- JSON: score parts when it joined an existing event
    run_id INTEGER REFERENCES runs(id)
);
CREATE INDEX event_reports_event ON event_reports(event_id);
CREATE INDEX event_reports_article ON event_reports(article_id);
CREATE TABLE actors (
    event_id TEXT NOT NULL REFERENCES events(id),
    role TEXT NOT NULL,                       -- actor1 | assoc_actor_1 | actor2 | assoc_actor_2
    name TEXT NOT NULL,
    inter INTEGER,
    PRIMARY KEY (event_id, role, name)
);
CREATE INDEX actors_name ON actors(name);
"""

# Step 2: full-text search and the convenience views.
_V2 = """
CREATE VIRTUAL TABLE articles_fts USING fts5(article_id UNINDEXED, headline, text);
INSERT INTO articles_fts(article_id, headline, text) SELECT id, headline, text FROM articles;
CREATE VIEW events_current AS SELECT * FROM events WHERE is_current = 1;
CREATE VIEW event_sources AS
    SELECT r.event_id, r.report_id, r.article_id, a.headline, a.outlet, a.published_date, r.sentence
    FROM event_reports r JOIN articles a ON a.id = r.article_id;
"""

# Step 3: Event fields that have no column of their own (fields added to the record after
# this schema) are kept as JSON, so that a newer coder's output survives the store.
_V3 = """
ALTER TABLE events ADD COLUMN extra TEXT NOT NULL DEFAULT '{}';
DROP VIEW events_current;
CREATE VIEW events_current AS SELECT * FROM events WHERE is_current = 1;
"""

# Step 4: each near-copy keeps the content id of its own text, so that a different story
# arriving later under the copy's id is told apart from the copy itself (see
# ``runner._fresh_articles``). Rows written before this step have NULL: unknown.
_V4 = """
ALTER TABLE article_sources ADD COLUMN content_id TEXT;
"""

# Step 5: which software version and settings analysed each article (a hash, see
# ``Settings.analysis_fingerprint``), so that a run can tell the articles an older
# version or other settings analysed, and offer to analyse them again (``--reprocess``).
# Rows written before this step have NULL: analysed by an earlier wirecoder.
_V5 = """
ALTER TABLE articles ADD COLUMN fingerprint TEXT;
"""

# Step 6: what `wirecoder watch` remembers between polls, so that it resumes after a
# restart: each feed's validators for a conditional GET, and the entries already taken
# (by guid, else link), with the article each became.
_V6 = """
CREATE TABLE feeds (
    url TEXT PRIMARY KEY,                     -- the feed as the user gave it
    etag TEXT,                                -- validators of its last full answer
    last_modified TEXT,
    polled TEXT,                              -- when it was last polled, and what came of it
    outcome TEXT
);
CREATE TABLE feed_items (
    feed_url TEXT NOT NULL REFERENCES feeds(url),
    item_key TEXT NOT NULL,                   -- the entry's guid, else its link, else its content id
    article_id TEXT,                          -- the article it became (NULL: it was a near-copy or failed analysis)
    content_id TEXT,
    seen TEXT NOT NULL,
    PRIMARY KEY (feed_url, item_key)
);
"""
# Step 7: review. ``events.review`` is NULL for an event as the machine coded it, else
# ``confirmed``, ``edited`` or ``rejected`` (an analyst's verdict). The analyst's values
# live in ``reviewed_fields`` and win over every later run (the store re-applies them when
# a merge rewrites the event); ``audit`` is the record of every change, and triggers
# refuse to change or delete its rows.
_V7 = """
ALTER TABLE events ADD COLUMN review TEXT;
CREATE INDEX events_review ON events(review);
-- For the workbench over large stores: a page in Store.query's date order is read from
-- this index (and stops at the page's end) instead of sorting every event. (An index on
-- is_current would tempt SQLite, which has no statistics here, away from it: nearly every
-- event is current.)
CREATE INDEX events_date_order ON events((event_date IS NULL), event_date, id);
CREATE INDEX events_date ON events(event_date);       -- date ranges counted without a full scan
CREATE TABLE reviewed_fields (
    event_id TEXT NOT NULL,
    field TEXT NOT NULL,
    value TEXT,                               -- JSON: the analyst's value
    PRIMARY KEY (event_id, field)
);
CREATE TABLE audit (
    id INTEGER PRIMARY KEY,
    at TEXT NOT NULL,                         -- ISO 8601, UTC
    who TEXT NOT NULL,
    event_id TEXT NOT NULL,
    action TEXT NOT NULL,                     -- confirm | reject | edit | merge | split
    field TEXT,                               -- the field edited (edit), else NULL
    before TEXT,                              -- JSON
    after TEXT,                               -- JSON
    why TEXT NOT NULL DEFAULT ''
);
CREATE INDEX audit_event ON audit(event_id);
CREATE TRIGGER audit_no_update BEFORE UPDATE ON audit
BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END;
CREATE TRIGGER audit_no_delete BEFORE DELETE ON audit
BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END;
DROP VIEW events_current;
CREATE VIEW events_current AS SELECT * FROM events WHERE is_current = 1 AND review IS NOT 'rejected';
"""

MIGRATIONS: tuple[str, ...] = (_V1, _V2, _V3, _V4, _V5, _V6, _V7)
# The first version whose stores hold reviews (a read-only open of an older one serves
# it without them).
REVIEW_VERSION = 7
LATEST_VERSION = len(MIGRATIONS)

# ``PRAGMA application_id`` of a wirecoder store (the bytes "wcdr"): the mark that lets
# wirecoder tell its own files from any other program's SQLite file. Stores made before
# the mark have 0 there and are recognized by their tables (:func:`ownership`).
APPLICATION_ID = int.from_bytes(b"wcdr", "big")
# Tables every wirecoder store has from schema version 1 on.
_CORE_TABLES = frozenset({"schema_version", "runs", "articles", "article_sources", "events", "event_reports"})


def ownership(conn: sqlite3.Connection) -> str:
    """Whose database this is: ``"empty"`` (no tables: free to become a store),
    ``"wirecoder"`` (a store, marked or from before the mark) or ``"foreign"``
    (another program's file, which wirecoder must not touch)."""
    app_id = int(conn.execute("PRAGMA application_id").fetchone()[0])
    if app_id == APPLICATION_ID:
        return "wirecoder"
    names = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE name NOT LIKE 'sqlite_%'")}
    if app_id != 0:
        return "foreign"
    if not names:
        return "empty"
    # An unmarked store: from before the mark, or a first migration step interrupted
    # before it wrote anything but the version table (older wirecoders created that
    # table outside the step's transaction).
    if names == {"schema_version"} or _CORE_TABLES <= names:
        return "wirecoder"
    return "foreign"


def current_version(conn: sqlite3.Connection) -> int:
    exists = conn.execute(
        "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'schema_version'"
    ).fetchone()
    if not exists:
        return 0
    row = conn.execute("SELECT MAX(version) FROM schema_version").fetchone()
    return int(row[0] or 0)


def check_version(version: int, where: str) -> None:
    """Refuse a store written by a newer wirecoder: its tables may mean other things."""
    if version > LATEST_VERSION:
        raise StoreError(
            f"{where} has schema version {version}, newer than this wirecoder knows "
            f"({LATEST_VERSION}); upgrade wirecoder to open it"
        )


def migrate(conn: sqlite3.Connection, target: int = LATEST_VERSION, where: str = "the store") -> int:
    """Bring the database up to ``target`` (default: latest); returns the version reached.

    ``conn`` must be in autocommit mode (``isolation_level=None``). Each step runs in its
    own ``BEGIN IMMEDIATE … COMMIT`` and reads the version again once it holds the write
    lock: two processes opening a fresh store at once serialize there, and the second
    finds the step done instead of failing on "table runs already exists".
    """
    version = current_version(conn)
    check_version(version, where)
    for step in range(version + 1, target + 1):
        conn.execute("BEGIN IMMEDIATE")
        try:
            reached = current_version(conn)
            check_version(reached, where)
            if reached >= step:  # another process did it while we waited for the lock
                conn.execute("COMMIT")
                continue
            if ownership(conn) == "foreign":
                raise StoreError(f"{where} is another program's SQLite database, not a wirecoder store; "
                                 "give wirecoder a file of its own with --db")
            conn.execute(
                "CREATE TABLE IF NOT EXISTS schema_version (version INTEGER PRIMARY KEY, applied TEXT NOT NULL)"
            )
            conn.execute(f"PRAGMA application_id = {APPLICATION_ID}")
            for statement in _statements(MIGRATIONS[step - 1]):
                conn.execute(statement)
            conn.execute(
                "INSERT INTO schema_version(version, applied) VALUES (?, ?)",
                (step, datetime.now(timezone.utc).isoformat(timespec="seconds")),
            )
            conn.execute("COMMIT")
        except BaseException as exc:
            if conn.in_transaction:
                conn.execute("ROLLBACK")
            if isinstance(exc, sqlite3.Error):
                raise StoreError(f"migration of {where} to schema version {step} failed: {exc}") from exc
            raise
    return max(current_version(conn), version)


def _statements(script: str) -> list[str]:
    """Split a migration script into statements (``executescript`` would commit early)."""
    statements, buffer = [], ""
    for line in script.splitlines(keepends=True):
        buffer += line
        if sqlite3.complete_statement(buffer):
            statements.append(buffer.strip())
            buffer = ""
    if buffer.strip():
        statements.append(buffer.strip())
    return statements
