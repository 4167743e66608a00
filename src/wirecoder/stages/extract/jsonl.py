"""JSON Lines: one object per line, ``{"id", "url", "title", "published", "language"?, "text" | "html"}``.

Two promises matter to the stages downstream:

- an ``"id"`` given in the line is the article's id (users join their data on it; the
  ``code`` command answers bare snippets ``{"id","text"}`` under their own id);
- ``text`` is split into paragraphs on blank lines only, and kept byte for byte where
  it can be: a text without blank lines comes back as ``Article.text`` unchanged, so the
  character offsets of events point into the text the user gave — once in Unicode NFC,
  as every input is (``extract.repair_string``); text already NFC, nearly all text, is
  unchanged by it.

Each bad line is an error naming ``path:line``; the other lines go on.
"""

from __future__ import annotations

import json
import re
from typing import Any, Iterable, Iterator

from ...errors import InputError
from ...records import Article, Published
from ...settings import ExtractSettings
from .publication_dates import parse_date
from .html import extract_html

BLANK_LINE = re.compile(r"\n[ \t]*\n\s*")


def split_text(text: str) -> list[str]:
    """Paragraphs of a JSONL ``text``: exact pieces when it is split by plain ``\\n\\n``
    into clean paragraphs (so joining gives the text back), else normalized."""
    if not BLANK_LINE.search(text):
        return [text]
    pieces = text.split("\n\n")
    if all(p and p == p.strip() for p in pieces):
        return pieces
    return [p.strip() for p in BLANK_LINE.split(text) if p.strip()]


def _string(record: dict[str, Any], *keys: str) -> str | None:
    for key in keys:
        value = record.get(key)
        if isinstance(value, str) and value.strip():
            return value
    return None


def record_article(record: Any, name: str, max_chars: int | None = None,
                   settings: ExtractSettings | None = None) -> Article:
    """One article from one decoded JSON line; a ``text`` longer than ``max_chars`` is
    refused before it is split (the analysis would refuse it anyway)."""
    if not isinstance(record, dict):
        raise InputError(name, f"expected a JSON object, got {type(record).__name__}")
    url = _string(record, "url", "link")
    title = _string(record, "title", "headline")
    text = record.get("text")
    html = _string(record, "html")
    if max_chars is not None and isinstance(text, str) and len(text) > max_chars:
        raise InputError(name, f"the text has {len(text):,} characters, more than the {max_chars:,} "
                               "allowed (nlp.max_article_chars); not a news report?")
    if isinstance(text, str) and text.strip():
        article = Article(id="", headline=" ".join(title.split()) if title else None, paragraphs=split_text(text))
    elif html:
        article = extract_html(html, name, url=url, max_chars=max_chars, settings=settings)
        if title:
            article.headline = " ".join(title.split())
    else:
        raise InputError(name, 'no "text" or "html" field with content')
    raw_id = record.get("id")
    if raw_id is not None and raw_id != "":
        article.id = str(raw_id)
    date = parse_date(_string(record, "published", "date", "published_at"))
    if date:
        article.published = Published(date, "metadata")
    article.source.path = name
    article.source.url = url or article.source.url
    outlet = record.get("outlet") if isinstance(record.get("outlet"), str) else None
    if outlet is None and isinstance(record.get("source"), str):
        outlet = record["source"]
    article.source.outlet = outlet or article.source.outlet
    language = _string(record, "language", "lang")
    if language:  # "en", "EN", "en-GB": the primary subtag names the pack
        article.language = language.strip().lower().replace("_", "-").split("-")[0]
    return article


def jsonl_articles(lines: Iterable[str], item: str, max_chars: int | None = None,
                   settings: ExtractSettings | None = None) -> Iterator[Article | InputError]:
    for number, line in enumerate(lines, start=1):
        if not line.strip():
            continue
        name = f"{item}:{number}"
        try:
            record = json.loads(line)
        except json.JSONDecodeError as exc:
            yield InputError(name, f"invalid JSON: {exc.msg} at column {exc.colno}")
            continue
        try:
            yield record_article(record, name, max_chars, settings)
        except InputError as exc:
            yield exc


def json_array_articles(text: str, item: str, max_chars: int | None = None,
                        settings: ExtractSettings | None = None) -> Iterator[Article | InputError]:
    """A ``.json`` file holding one array of records instead of one record per line;
    its records are named ``path#N``."""
    try:
        records = json.loads(text)
    except json.JSONDecodeError as exc:
        raise InputError(item, f"invalid JSON: {exc.msg} at line {exc.lineno}, column {exc.colno}") from exc
    if not isinstance(records, list):
        raise InputError(item, "expected a JSON array of records or JSON Lines")
    for number, record in enumerate(records, start=1):
        try:
            yield record_article(record, f"{item}#{number}", max_chars, settings)
        except InputError as exc:
            yield exc
