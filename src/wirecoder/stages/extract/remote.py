"""Articles of URLs: a page is read as an HTML file is; a feed's entries are read as a
feed file's are, and an entry that holds only a summary is completed from its page.

*A summary*: a fetched feed's entry whose text is shorter than ``fetch.summary_max_chars``
(RSS descriptions are a sentence or three; feeds that carry whole stories carry
thousands of characters) and that links to an http(s) page. Its page is fetched (after
``fetch.host_delay_seconds`` for its host) and read as the article; the entry's title,
date and outlet fill what the page lacks. A page that cannot be fetched or read is an
error naming the page's URL; the other entries go on. Feed files read from disk are
never completed: reading a file must not reach the network.
"""

from __future__ import annotations

import io
from dataclasses import dataclass, field
from typing import Iterable, Iterator
from urllib.parse import urljoin

from ...errors import InputError
from ...records import Article
from ...settings import Settings
from .feeds import feed_entries
from .fetch import Fetched, Fetcher, is_url
from .html import extract_html
from .identity import content_id
from .inputs import Item, OpenedItem, open_text, sniff_format


def url_item(url: str) -> Item:
    return Item(name=url, path=None, url=url)


def open_fetched(item: Item, fetched: Fetched, settings: Settings) -> OpenedItem:
    """The fetched body as a text stream, decoded as a file's bytes are."""
    return open_text(item, settings.fetch.max_bytes, stream=io.BytesIO(fetched.body))


def fetched_format(item: Item, fetched: Fetched, head: str) -> str:
    """``html``, ``feed``, ``jsonl`` or ``text``: from the media type the server gives
    where it is specific, else from the URL's path and the first characters."""
    media_type = fetched.media_type
    start = head.lstrip("\ufeff \t\r\n")[:1024].lower()
    # Many servers call every feed text/html or text/plain: the document's root decides.
    if any(kind in media_type for kind in ("rss", "atom", "rdf")) or (
            start.startswith("<") and ("<rss" in start or "<feed" in start or "<rdf:rdf" in start)):
        return "feed"
    if "html" in media_type:
        return "html"
    if "json" in media_type:
        return "jsonl"
    return sniff_format(item, head)  # text/xml, application/xml, text/plain, none given


def is_summary(article: Article, settings: Settings) -> bool:
    limit = settings.fetch.summary_max_chars
    link = article.source.url
    return bool(limit and link and is_url(link) and len(article.text) < limit)


def page_article(url: str, settings: Settings, fetcher: Fetcher) -> Article:
    """The article of the page at ``url`` (an :class:`InputError` naming it otherwise)."""
    item = url_item(url)
    fetched = fetcher.get(url)
    opened = open_fetched(item, fetched, settings)
    try:
        article = extract_html(opened.read(), url, url=fetched.final_url,
                               max_chars=settings.nlp.max_article_chars, settings=settings.extract)
    finally:
        opened.close()
    article.source.url = fetched.final_url
    return article


def complete_entry(entry: Article, settings: Settings, fetcher: Fetcher, feed_url: str | None = None) -> Article:
    """The entry itself when it holds a story, else the article of its page, with the
    entry's title, date and outlet where the page has none. A link relative to the
    feed (``/2025/03/story``) is made absolute first."""
    if feed_url and entry.source.url and not is_url(entry.source.url):
        entry.source.url = urljoin(feed_url, entry.source.url)
    if not is_summary(entry, settings):
        return entry
    assert entry.source.url is not None
    article = page_article(entry.source.url, settings, fetcher)
    article.headline = article.headline or entry.headline
    if not article.published.date and entry.published.date:
        article.published = entry.published
    article.source.outlet = article.source.outlet or entry.source.outlet
    return article


def complete_entries(entries: Iterable[Article | InputError], settings: Settings,
                     fetcher: Fetcher, feed_url: str) -> Iterator[Article | InputError]:
    for entry in entries:
        if isinstance(entry, InputError):
            yield entry
            continue
        try:
            yield complete_entry(entry, settings, fetcher, feed_url)
        except InputError as exc:
            yield exc


@dataclass
class FeedPoll:
    """One poll of a feed: its answer (``status`` 200 or 304; ``error`` when it failed)
    and its entries not taken before, each with its key."""

    url: str
    status: int | None = None
    etag: str | None = None
    last_modified: str | None = None
    error: InputError | None = None
    known: int = 0  # entries taken at an earlier poll
    entries: list[tuple[str, Article | InputError]] = field(default_factory=list)


def poll_feed(url: str, settings: Settings, fetcher: Fetcher, *, etag: str | None = None,
              last_modified: str | None = None, taken: frozenset[str] | set[str] = frozenset()) -> FeedPoll:
    """Fetch the feed at ``url`` (conditionally, with the validators of its last answer)
    and read its entries that are not in ``taken``, completing summaries from their pages.
    An entry is known by its guid, else its link, else the content id of its text."""
    poll = FeedPoll(url)
    try:
        fetched = fetcher.get(url, etag=etag, last_modified=last_modified)
        poll.status = fetched.status
        # A 304 may leave the validators out; the old ones stay good.
        poll.etag = fetched.etag or (etag if fetched.not_modified else None)
        poll.last_modified = fetched.last_modified or (last_modified if fetched.not_modified else None)
        if fetched.not_modified:
            return poll
        item = url_item(url)
        opened = open_fetched(item, fetched, settings)
        try:
            if fetched_format(item, fetched, opened.head) != "feed":
                raise InputError(url, "not a feed (an RSS or Atom document was expected)")
            entries = list(feed_entries(opened.read(), url))
        finally:
            opened.close()
    except InputError as exc:
        poll.status, poll.error = None, exc
        return poll
    for key, entry in entries:
        if key is None:
            key = content_id(entry) if isinstance(entry, Article) else entry.item
        if key in taken:
            poll.known += 1
            continue
        if isinstance(entry, Article):
            try:
                entry = complete_entry(entry, settings, fetcher, fetched.final_url)
            except InputError as exc:
                entry = exc
        poll.entries.append((key, entry))
    return poll
