"""RSS 2.0, RSS 1.0 (RDF) and Atom feed files, read with lxml: one article per entry.

Elements are matched by local name so that namespaced variants (``dc:date``,
``content:encoded``, Atom's default namespace) need no special cases. The entry's HTML
content is split into paragraphs (``<p>``, else line breaks) with its ``<figcaption>``s
kept apart as captions. A feed that is not well-formed XML is one error for the file:
guessing entries out of broken markup would invent articles.
"""

from __future__ import annotations

import re
from html.entities import name2codepoint
from typing import Any, Iterator

import lxml.html
from lxml import etree

from ...errors import InputError
from ...records import Article, Caption, Published
from .publication_dates import parse_date
from .html import extract_captions

XML_DECLARATION = re.compile(r"^\ufeff?\s*<\?xml[^>]*\?>")
NAMED_ENTITY = re.compile(r"&([A-Za-z][A-Za-z0-9]{1,31});")
XML_ENTITIES = frozenset({"amp", "lt", "gt", "quot", "apos"})
ENTRY_TAGS = {"item", "entry"}
DATE_TAGS = ("published", "pubDate", "date", "issued", "created", "updated", "modified")
CONTENT_TAGS = ("encoded", "content", "description", "summary")
BLOCK_TAGS = {"p", "li", "blockquote", "h2", "h3", "h4", "pre"}


def _local(element: Any) -> str:
    tag = element.tag
    return etree.QName(tag).localname if isinstance(tag, str) else ""


def _child(entry: Any, name: str) -> Any:
    for child in entry:
        if _local(child) == name:
            return child
    return None


def _child_text(entry: Any, name: str) -> str | None:
    child = _child(entry, name)
    if child is None:
        return None
    text = "".join(child.itertext()).strip()
    # Content keeps its line structure (it may be plain text with blank lines).
    return text if name in CONTENT_TAGS else " ".join(text.split())


def _link(entry: Any) -> str | None:
    for child in entry:
        if _local(child) != "link":
            continue
        href = child.get("href")
        if href and child.get("rel", "alternate") == "alternate":
            return href.strip()
        if not href and child.text and child.text.strip():
            return child.text.strip()
    return None


def html_paragraphs(markup: str) -> tuple[list[str], list[Caption]]:
    """Paragraphs and captions of an entry's content (HTML or plain text)."""
    markup = markup.strip()
    if not markup:
        return [], []
    if "<" not in markup:
        return [" ".join(p.split()) for p in markup.split("\n\n") if p.strip()], []
    try:
        root = lxml.html.fragment_fromstring(markup, create_parent="div")
    except (etree.ParserError, etree.XMLSyntaxError):
        return [], []
    captions = extract_captions(root)
    for figure in root.xpath(".//figcaption | .//figure"):
        figure.drop_tree()
    blocks = [b for b in root.iter() if isinstance(b.tag, str) and b.tag in BLOCK_TAGS]
    if blocks:
        texts = [" ".join(b.text_content().split()) for b in blocks if not any(a.tag in BLOCK_TAGS for a in b.iterancestors())]
    else:
        for br in root.iter("br"):
            br.tail = "\n" + (br.tail or "")
        texts = [" ".join(t.split()) for t in root.text_content().split("\n")]
    return [t for t in texts if t], captions


def _xml_entities(text: str) -> str:
    """HTML's named entities (``&nbsp;``, ``&eacute;``), common in hand-made feeds, as
    numeric references: XML knows only five names and would reject the whole feed."""
    def replace(match: re.Match[str]) -> str:
        name = match.group(1)
        if name in XML_ENTITIES or name not in name2codepoint:
            return match.group(0)
        return f"&#{name2codepoint[name]};"

    return NAMED_ENTITY.sub(replace, text) if "&" in text else text


def parse_feed(text: str, item: str) -> tuple[Any, list[Any]]:
    parser = etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=False)
    try:
        # The text is already decoded: its XML declaration's encoding no longer applies.
        root = etree.fromstring(_xml_entities(XML_DECLARATION.sub("", text, count=1)), parser)
    except etree.XMLSyntaxError as exc:
        raise InputError(item, f"malformed feed: {exc}") from exc
    if _local(root) not in {"rss", "feed", "RDF"}:
        raise InputError(item, f"not a feed: root element <{_local(root)}> (expected rss, feed or rdf:RDF)")
    entries = [e for e in root.iter() if _local(e) in ENTRY_TAGS]
    return root, entries


def _guid(entry: Any) -> str | None:
    """The entry's own identifier: RSS ``guid``, Atom ``id`` (RDF items have none)."""
    return _child_text(entry, "guid") or _child_text(entry, "id") or None


def feed_entries(text: str, item: str) -> Iterator[tuple[str | None, Article | InputError]]:
    """Each entry of a feed file with its key (its guid, else its link; ``None`` when it
    has neither), as an article or, when it holds no text at all, an error."""
    root, entries = parse_feed(text, item)
    channel = _child(root, "channel")
    outlet = _child_text(channel if channel is not None else root, "title")
    for number, entry in enumerate(entries, start=1):
        name = f"{item}#{number}"
        link = _link(entry)
        key = _guid(entry) or link
        headline = _child_text(entry, "title") or None
        content = next((c for c in (_child_text(entry, t) for t in CONTENT_TAGS) if c), "")
        paragraphs, captions = html_paragraphs(content)
        if not paragraphs and not headline:
            yield key, InputError(name, "feed entry has neither title nor text")
            continue
        date = next((d for d in (parse_date(_child_text(entry, t)) for t in DATE_TAGS) if d), None)
        article = Article(id="", headline=headline, captions=captions, paragraphs=paragraphs,
                          published=Published(date, "metadata") if date else Published())
        article.source.path = name
        article.source.url = link
        article.source.outlet = outlet
        yield key, article


def feed_articles(text: str, item: str) -> Iterator[Article | InputError]:
    """Articles of a feed file; an entry without any text is an error for that entry."""
    for _, article in feed_entries(text, item):
        yield article
