"""``wirecoder watch FEED… --every 15m``: poll feeds, store only what is new, and resume
after a restart.

Each poll, for each feed:

1. The feed is fetched with the validators of its last full answer (``If-None-Match``,
   ``If-Modified-Since``); a 304 costs the site nothing and means nothing is new.
2. Its entries are known by guid, else link, else content id; those taken at an earlier
   poll (``feed_items`` in the store) are skipped before anything is fetched for them.
   A summary entry's page is fetched (``extract/remote.py``).
3. The new articles go through ``wirecoder run``'s pipeline into the store, which also
   skips an article it holds already (the same text under another guid).
4. Then, in one transaction, the entries taken and the new validators are recorded. An
   entry that failed (its page could not be fetched) is not recorded, and the feed's new
   validators are then not either: the next poll asks for the whole feed and tries it
   again. A poll stopped half-way (Ctrl-C, a crash) records nothing of itself; the next
   finds its articles stored and records them.

Everything lives in the store, so a watch stopped and started again (even on another
machine with the same file) goes on where it was.
"""

from __future__ import annotations

import re
import time
from dataclasses import dataclass
from datetime import datetime, timezone
from typing import Callable, Sequence

from .errors import ConfigError
from .pipeline import Stage, build_stages
from .records import Article, ErrorRecord
from .runner import run_pipeline
from .settings import Settings
from .stages.extract import finish_articles
from .stages.extract.fetch import Fetcher, is_url
from .stages.extract.identity import DuplicateFinder, content_id
from .stages.extract.remote import FeedPoll, poll_feed
from .store import FeedLog, FeedValidators, Store, TakenItem

_INTERVAL = re.compile(r"^\s*(\d+(?:\.\d*)?)\s*([smhd]?)\s*$", re.I)
_UNIT_SECONDS = {"": 1, "s": 1, "m": 60, "h": 3600, "d": 86400}


def parse_interval(text: str) -> float:
    """``"15m"`` -> 900.0; ``s``, ``m``, ``h``, ``d`` or seconds without a unit."""
    match = _INTERVAL.match(text)
    if not match or float(match[1]) <= 0:
        raise ConfigError(f"--every {text!r}: give a positive interval such as 30s, 15m, 2h or 1d")
    return float(match[1]) * _UNIT_SECONDS[match[2].lower()]


def check_feeds(feeds: Sequence[str]) -> None:
    not_urls = [f for f in feeds if not is_url(f)]
    if not_urls:
        raise ConfigError(f"watch polls feed URLs (http or https), not {', '.join(map(repr, not_urls))}; "
                          "read files with `wirecoder run`")


@dataclass
class PollReport:
    """What one poll did, said in one line."""

    number: int
    feeds: int
    new: int = 0             # articles stored by this poll
    events: int = 0          # new events (reports merged into stored events not counted)
    known: int = 0           # entries taken at an earlier poll, skipped
    already_stored: int = 0  # new entries whose text the store held already
    unchanged: int = 0       # feeds that answered 304 Not Modified
    errors: int = 0

    def line(self) -> str:
        when = datetime.now(timezone.utc).isoformat(timespec="seconds")
        return (f"{when} poll {self.number}: {self.feeds} feed(s), {self.new} new article(s), "
                f"{self.events} new event(s), {self.known + self.already_stored} seen before, "
                f"{self.unchanged} not modified, {self.errors} error(s)")


class Watcher:
    """Polls ``feeds`` into the store at ``db_path``; the analysis stages are built once,
    at the first poll that brings an article."""

    def __init__(self, feeds: Sequence[str], settings: Settings, db_path: str, fetcher: Fetcher,
                 on_error: Callable[[ErrorRecord], None]) -> None:
        check_feeds(feeds)
        self.feeds = list(dict.fromkeys(feeds))
        self.settings, self.db_path, self.fetcher, self.on_error = settings, db_path, fetcher, on_error
        self.stages: list[Stage] | None = None
        self.polls = 0

    def poll(self) -> PollReport:
        self.polls += 1
        report = PollReport(self.polls, len(self.feeds))
        with Store.open(self.db_path) as store:
            log = FeedLog(store)
            known = {url: (log.validators(url), log.taken(url)) for url in self.feeds}
        polls = [poll_feed(url, self.settings, self.fetcher, etag=known[url][0].etag,
                           last_modified=known[url][0].last_modified, taken=known[url][1]) for url in self.feeds]
        duplicates = DuplicateFinder(self.settings.extract)
        fresh: list[tuple[str, str, Article]] = []  # (feed, entry key, article)
        failed: set[str] = set()                    # feeds with an entry that failed
        for feed in polls:
            report.known += feed.known
            report.unchanged += feed.status == 304
            if feed.error is not None:
                self._error(ErrorRecord(item=feed.error.item, error=feed.error.reason), report)
            for key, entry in feed.entries:
                for result in finish_articles([entry], duplicates):
                    if isinstance(result, ErrorRecord):
                        self._error(result, report)
                        failed.add(feed.url)
                    else:
                        fresh.append((feed.url, key, result))
        if fresh:
            if self.stages is None:
                self.stages = build_stages(self.settings)
            summary = run_pipeline(self.feeds, self.settings, db_path=self.db_path, stages=self.stages,
                                   articles=[article for _, _, article in fresh], on_error=lambda r: self._error(r, report))
            report.new, report.events = summary.new, summary.events_new
            report.already_stored = summary.already_stored + summary.duplicates
        self._record(polls, fresh, failed)
        return report

    def _error(self, record: ErrorRecord, report: PollReport) -> None:
        report.errors += 1
        self.on_error(record)

    def _record(self, polls: list[FeedPoll], fresh: list[tuple[str, str, Article]], failed: set[str]) -> None:
        with Store.open(self.db_path) as store:
            log = FeedLog(store)
            for feed in polls:
                taken = [TakenItem(key, article.id, content_id(article)) for url, key, article in fresh if url == feed.url]
                if feed.error is not None:
                    outcome, validators = f"error: {feed.error.reason}", None
                elif feed.status == 304:
                    outcome, validators = "not modified", None
                else:
                    complete = feed.url not in failed and all(isinstance(e, Article) for _, e in feed.entries)
                    outcome = f"{len(taken)} new" + ("" if complete else ", some entries failed")
                    validators = FeedValidators(feed.etag, feed.last_modified) if complete else FeedValidators()
                log.record_poll(feed.url, outcome, validators, taken)


def watch(feeds: Sequence[str], settings: Settings, *, db_path: str, every: float, once: bool,
          echo: Callable[[str], None], on_error: Callable[[ErrorRecord], None],
          sleep: Callable[[float], None] | None = None) -> PollReport:
    """Poll until interrupted (or once, with ``once``), a poll every ``every`` seconds
    (from the start of one to the start of the next), echoing one line per poll; the
    last poll's report is returned. Ctrl-C raises ``KeyboardInterrupt`` to the caller,
    with nothing half-written (see the module's docstring)."""
    with Fetcher(settings.fetch) as fetcher:
        watcher = Watcher(feeds, settings, db_path, fetcher, on_error)
        while True:
            started = time.monotonic()
            report = watcher.poll()
            echo(report.line())
            if once:
                return report
            (sleep or time.sleep)(max(0.0, every - (time.monotonic() - started)))
