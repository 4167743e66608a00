"""Stage 1, ``extract``: whatever the user feeds in becomes clean :class:`Article` records.

    inputs.py    INPUT… -> items (files, directories, .gz, stdin, URLs), decoded as NFC text streams
    dumps.py     plain text / scraped dumps -> articles (headlines, captions, widgets, repeats)
    dump_lines.py   the lines of a dump: re-joined, with their gaps, classified by shape
    dump_zones.py   the lines between two paragraphs: headline, header block, story boundary
    html.py      HTML pages -> article (trafilatura + captions + title + date)
    feeds.py     RSS / Atom -> one article per entry
    fetch.py     http(s) URLs -> bytes (timeouts, size limit, retries, redirects, politeness)
    remote.py    fetched pages and feeds -> articles (summary entries completed from their pages)
    jsonl.py     JSON Lines -> one article per line (ids kept)
    publication_dates.py  publication dates from metadata and datelines
    identity.py  stable content ids and near-duplicates within a run
    language.py  the article's language (ISO 639-1), from its script and function words

:func:`iter_articles` streams: each article is yielded as soon as it is read, and a
failing item (or entry, or line) becomes one :class:`ErrorRecord` while the rest goes on.
"""

from __future__ import annotations

import dataclasses
import re
import unicodedata
from typing import Iterable, Iterator

from ...errors import InputError
from ...records import Article, ErrorRecord
from ...settings import Settings
from .publication_dates import validate_cli_date
from .dumps import segment_dump
from .feeds import feed_articles
from .fetch import Fetcher
from .html import extract_html
from .identity import DuplicateFinder, content_id, leading_text
from .inputs import Item, expand_inputs, open_text, sniff_format
from .jsonl import json_array_articles, jsonl_articles
from .language import detect_language
from .remote import complete_entries, fetched_format, open_fetched

__all__ = ["finish_articles", "iter_articles", "item_articles", "repair_string"]


def item_articles(item: Item, settings: Settings, fetcher: Fetcher | None = None) -> Iterator[Article | InputError]:
    """The articles of one item (without ids), or errors for it or its parts. A URL is
    fetched with ``fetcher`` (one is made for the item when none is given)."""
    if item.url is not None and fetcher is None:
        with Fetcher(settings.fetch) as own:
            yield from item_articles(item, settings, own)
        return
    fetched = fetcher.get(item.url) if item.url is not None and fetcher is not None else None
    opened = open_fetched(item, fetched, settings) if fetched else open_text(item, settings.extract.max_item_bytes)
    # An article too long to analyse is refused as it is read, before it is held whole.
    limit = settings.nlp.max_article_chars
    try:
        kind = fetched_format(item, fetched, opened.head) if fetched else sniff_format(item, opened.head)
        if kind == "text":
            found = False
            for article in segment_dump(opened.lines(), item.name, max_chars=limit):
                found = True
                if isinstance(article, Article):
                    article.source.path, article.source.url = (None, item.url) if fetched else (item.name, None)
                yield article
            if not found:
                raise InputError(item.name, "no article text found (only headlines, widgets or captions)")
        elif kind == "jsonl" and opened.head.lstrip("\ufeff \t\r\n").startswith("["):
            yield from json_array_articles(opened.read(), item.name, max_chars=limit, settings=settings.extract)
        elif kind == "jsonl":
            yield from jsonl_articles(opened.lines(), item.name, max_chars=limit, settings=settings.extract)
        elif kind == "feed":
            # Feeds and pages are parsed whole; they are small, and the size limit holds.
            entries = feed_articles(opened.read(), item.name)
            # A fetched feed's summaries are completed from their pages; a file's never.
            yield from complete_entries(entries, settings, fetcher, fetched.final_url) if fetched and fetcher else entries
        else:
            article = extract_html(opened.read(), item.name, url=fetched.final_url if fetched else None,
                                   max_chars=limit, settings=settings.extract)
            article.source.path = None if fetched else item.name
            yield article
    finally:
        opened.close()


def iter_articles(
    inputs: list[str],
    settings: Settings,
    *,
    published: str | None = None,
    outlet: str | None = None,
) -> Iterator[Article | ErrorRecord]:
    """Articles of ``inputs`` in order, each with a stable id and, if it nearly copies an
    earlier one of this run, ``duplicate_of``.

    ``published`` (YYYY-MM-DD; a bad one raises :class:`ConfigError` at once) dates the
    articles that have no date of their own (``how="cli"``); ``outlet`` fills
    ``source.outlet`` where it is missing.
    """
    published = validate_cli_date(published)
    return _iterate(inputs, settings, published, outlet)


def _iterate(inputs: list[str], settings: Settings, published: str | None, outlet: str | None) -> Iterator[Article | ErrorRecord]:
    duplicates = DuplicateFinder(settings.extract)
    # One client for the batch: one connection pool, one clock per host for the delay.
    with Fetcher(settings.fetch) as fetcher:
        for item in expand_inputs(inputs):
            if isinstance(item, InputError):
                yield ErrorRecord(item=item.item, error=item.reason)
                continue
            try:
                yield from finish_articles(item_articles(item, settings, fetcher), duplicates, published, outlet)
            except InputError as exc:
                yield ErrorRecord(item=exc.item, error=exc.reason)
            except Exception as exc:  # noqa: BLE001 - unforeseen trouble with one item must not sink the batch
                yield ErrorRecord(item=item.name, error=f"{type(exc).__name__}: {exc}")


def finish_articles(results: Iterable[Article | InputError], duplicates: DuplicateFinder,
                    published: str | None = None, outlet: str | None = None) -> Iterator[Article | ErrorRecord]:
    """Extracted articles made whole (NFC text, language, id, date and outlet from the
    command line, ``duplicate_of``); each error an :class:`ErrorRecord`."""
    for result in results:
        if isinstance(result, InputError):
            yield ErrorRecord(item=result.item, error=result.reason)
            continue
        yield _finish(result, duplicates, published, outlet)


def _finish(article: Article, duplicates: DuplicateFinder, published: str | None, outlet: str | None) -> Article:
    _repair_text(article)
    if not article.language:
        # The opening is evidence enough; the whole text is not built for it.
        article.language = detect_language(leading_text([article.headline or "", *article.paragraphs], 5_000))
    if not article.id:
        article.id = content_id(article)
    if published and not article.published.date:
        article.published.date, article.published.how = published, "cli"
    if outlet and not article.source.outlet:
        article.source.outlet = outlet
    article.duplicate_of = duplicates.check(article)
    return article


# A UTF-16 surrogate alone is no character: JSON escapes ("\\ud800") and badly decoded
# file names produce them, and every UTF-8 encoder (spaCy's, SQLite's, stdout's) refuses
# them. Each becomes U+FFFD, one character for one, so offsets hold.
_LONE_SURROGATE = re.compile("[\ud800-\udfff]")


def repair_string(text: str, normalize: bool = True) -> str:
    """``text`` in Unicode NFC, with lone surrogates as U+FFFD.

    NFC first: "Bogota" + U+0301 (a combining acute, as macOS file names and some CMSs
    write it) is then "Bogotá", one character, which the gazetteer, the tokenizer and
    ``\\w`` know; decomposed, the place and its events' locations were lost. Files are
    already NFC as they are decoded (:class:`~.inputs.OpenedItem`); this catches what
    only appears after parsing (JSON ``\\u0301`` escapes, HTML ``&#769;`` references).
    The article's text *is* the normalized text: every character offset (places,
    evidence) points into it, not into the bytes given."""
    if normalize:
        text = unicodedata.normalize("NFC", text)
    return _LONE_SURROGATE.sub("\ufffd", text)


# Names, not text: a user's id (joined on as given), a path or an address (normalized,
# they could name another file or page) only lose their lone surrogates.
_KEEP_FORM = frozenset({"id", "duplicate_of", "source"})


def _repair_text(record: object, normalize: bool = True) -> None:
    """Repair every string of the article, its date and captions, in place."""
    for name in (f.name for f in dataclasses.fields(record)):  # type: ignore[arg-type]
        value = getattr(record, name)
        keep_form = not normalize or name in _KEEP_FORM
        if isinstance(value, str):
            setattr(record, name, repair_string(value, not keep_form))
        elif isinstance(value, list):
            setattr(record, name, [repair_string(v, not keep_form) if isinstance(v, str) else v for v in value])
            for v in value:
                if dataclasses.is_dataclass(v):
                    _repair_text(v, not keep_form)
        elif dataclasses.is_dataclass(value):
            _repair_text(value, not keep_form)
