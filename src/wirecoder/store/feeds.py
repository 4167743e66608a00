"""What ``wirecoder watch`` remembers of each feed, in the store beside the dataset: the
validators of its last answer (for a conditional GET) and the entries already taken, so
that a watch stopped and started again fetches and stores only what is new.

An entry is known by its guid (RSS ``guid``, Atom ``id``), else its link, else the
content id of its text. It is recorded only once its article is stored (or found stored):
an entry whose page could not be fetched is tried again at the next poll.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timezone
from typing import Iterable

from .store import Store


@dataclass(frozen=True, slots=True)
class FeedValidators:
    """The validators of a feed's last full answer, sent back as ``If-None-Match`` and
    ``If-Modified-Since``."""

    etag: str | None = None
    last_modified: str | None = None


@dataclass(frozen=True, slots=True)
class TakenItem:
    """A feed entry whose article is in the store."""

    key: str
    article_id: str | None
    content_id: str | None


def _now() -> str:
    return datetime.now(timezone.utc).isoformat(timespec="seconds")


class FeedLog:
    """The feed tables of one open :class:`Store`."""

    def __init__(self, store: Store) -> None:
        self.store = store

    def validators(self, url: str) -> FeedValidators:
        row = self.store.conn.execute("SELECT etag, last_modified FROM feeds WHERE url = ?", (url,)).fetchone()
        return FeedValidators(row["etag"], row["last_modified"]) if row else FeedValidators()

    def taken(self, url: str) -> set[str]:
        """The keys of the entries of ``url`` already taken."""
        rows = self.store.conn.execute("SELECT item_key FROM feed_items WHERE feed_url = ?", (url,))
        return {row["item_key"] for row in rows}

    def record_poll(self, url: str, outcome: str, validators: FeedValidators | None = None,
                    items: Iterable[TakenItem] = ()) -> None:
        """One poll of ``url``, in one transaction: its outcome, the entries taken, and the
        new validators (``None`` keeps the old: a failed or unchanged answer gives none).
        Validators are written with the entries, never before them: a poll stopped
        half-way leaves the old validators, and the next poll fetches the feed again."""
        now = _now()
        with self.store.transaction():
            self.store.conn.execute(
                "INSERT INTO feeds(url, polled, outcome) VALUES (?, ?, ?) "
                "ON CONFLICT(url) DO UPDATE SET polled = excluded.polled, outcome = excluded.outcome",
                (url, now, outcome))
            if validators is not None:
                self.store.conn.execute("UPDATE feeds SET etag = ?, last_modified = ? WHERE url = ?",
                                        (validators.etag, validators.last_modified, url))
            self.store.conn.executemany(
                "INSERT OR IGNORE INTO feed_items(feed_url, item_key, article_id, content_id, seen) VALUES (?, ?, ?, ?, ?)",
                [(url, item.key, item.article_id, item.content_id, now) for item in items])
