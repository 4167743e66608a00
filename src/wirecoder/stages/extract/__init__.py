"""Stage 1, ``extract``: whatever the user feeds in becomes clean :class:`Article` records.

    inputs.py    INPUT… -> items (files, directories, .gz, stdin), decoded as text streams
    dumps.py     plain text / scraped dumps -> articles (headlines, captions, widgets, repeats)
    dump_lines.py   the lines of a dump: re-joined, with their gaps, classified by shape
    dump_zones.py   the lines between two paragraphs: headline, header block, story boundary
    html.py      HTML pages -> article (trafilatura + captions + title + date)
    feeds.py     RSS / Atom -> one article per entry
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
from typing import Iterator

from ...errors import InputError
from ...records import Article, ErrorRecord
from ...settings import Settings
from .publication_dates import validate_cli_date
from .dumps import segment_dump
from .feeds import feed_articles
from .html import extract_html
from .identity import DuplicateFinder, content_id, leading_text
from .inputs import Item, expand_inputs, open_text, sniff_format
from .jsonl import json_array_articles, jsonl_articles
from .language import detect_language

__all__ = ["iter_articles", "item_articles"]


def item_articles(item: Item, settings: Settings) -> Iterator[Article | InputError]:
    """The articles of one item (without ids), or errors for it or its parts."""
    opened = open_text(item, settings.extract.max_item_bytes)
    # An article too long to analyse is refused as it is read, before it is held whole.
    limit = settings.nlp.max_article_chars
    try:
        kind = sniff_format(item, opened.head)
        if kind == "text":
            found = False
            for article in segment_dump(opened.lines(), item.name, max_chars=limit):
                found = True
                if isinstance(article, Article):
                    article.source.path = item.name
                yield article
            if not found:
                raise InputError(item.name, "no article text found (only headlines, widgets or captions)")
        elif kind == "jsonl" and opened.head.lstrip("\ufeff \t\r\n").startswith("["):
            yield from json_array_articles(opened.read(), item.name, max_chars=limit)
        elif kind == "jsonl":
            yield from jsonl_articles(opened.lines(), item.name, max_chars=limit)
        elif kind == "feed":
            # Feeds and pages are parsed whole; they are small, and the size limit holds.
            yield from feed_articles(opened.read(), item.name)
        else:
            article = extract_html(opened.read(), item.name, max_chars=limit)
            article.source.path = item.name
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
    for item in expand_inputs(inputs):
        if isinstance(item, InputError):
            yield ErrorRecord(item=item.item, error=item.reason)
            continue
        try:
            for result in item_articles(item, settings):
                if isinstance(result, InputError):
                    yield ErrorRecord(item=result.item, error=result.reason)
                    continue
                yield _finish(result, duplicates, published, outlet)
        except InputError as exc:
            yield ErrorRecord(item=exc.item, error=exc.reason)
        except Exception as exc:  # noqa: BLE001 - unforeseen trouble with one item must not sink the batch
            yield ErrorRecord(item=item.name, error=f"{type(exc).__name__}: {exc}")


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


def _repair_text(record: object) -> None:
    """Repair every string of the article, its source, date and captions, in place."""
    for name in (f.name for f in dataclasses.fields(record)):  # type: ignore[arg-type]
        value = getattr(record, name)
        if isinstance(value, str):
            setattr(record, name, _LONE_SURROGATE.sub("\ufffd", value))
        elif isinstance(value, list):
            setattr(record, name, [_LONE_SURROGATE.sub("\ufffd", v) if isinstance(v, str) else v for v in value])
            for v in value:
                if dataclasses.is_dataclass(v):
                    _repair_text(v)
        elif dataclasses.is_dataclass(value):
            _repair_text(value)
