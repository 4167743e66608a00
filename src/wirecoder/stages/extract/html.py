"""HTML article pages: the body from trafilatura, plus what trafilatura leaves out —
image captions with their credits, a title without its " | Site" suffix — and the date
from the page's metadata or, failing that, from a dateline opening the text.

Why these trafilatura options: on the scrapinghub benchmark (see ``evaluate/extraction``)
``include_comments=False`` removes reader comments that are never part of a story, and
``favor_precision`` (the setting ``extract.favor_precision``, on: its figures are in
defaults.toml) drops more boilerplate than it loses text: together they raise shingle F1
from 0.953 (defaults) to 0.964. Tables stay: some stories are tables. A balanced second
pass for bodies that come out very short, and the removal of closing boilerplate (agency
credits, newsletter invitations), bring it to 0.972.

Captions come from the story's own container only (:func:`story_container`): a page's
sidebars, related-stories boxes and promotions carry other stories' photos.
"""

from __future__ import annotations

import re
from typing import Any

from lxml import etree

from ...errors import InputError
from ...lang import language_pack
from ...records import Article, Caption, Published
from ...settings import ExtractSettings
from .publication_dates import find_dateline, parse_date
from .dump_lines import split_caption

TRAFILATURA_OPTIONS: dict[str, Any] = {
    "include_comments": False,
    "include_tables": True,
}

BALANCED_OPTIONS: dict[str, Any] = {"include_comments": False, "include_tables": True}
SHORT_BODY_CHARS = 1000

# The patterns are the language pack's (data/lang/en/extract.toml).
_EN = language_pack("en")
# Lines that close a story without being part of it: agency credits, newsletter and
# social-media invitations, copyright notices. Removed only from the end of the body
# (in the middle such a line may be a quote or a real paragraph).
CLOSING_BOILERPLATE = re.compile(r"^\W*(?:" + "|".join(_EN.sequence("extract", "closing_boilerplate")) + ")", re.I)
CLOSING_MAX_CHARS = 400


def strip_closing_boilerplate(paragraphs: list[str]) -> list[str]:
    end = len(paragraphs)
    while end > 1 and len(paragraphs[end - 1]) < CLOSING_MAX_CHARS and CLOSING_BOILERPLATE.match(paragraphs[end - 1]):
        end -= 1
    return paragraphs[:end]


# "Headline - Site Name" in <title> / og:title.
DASH_SUFFIX = re.compile(r"^(?P<title>.+)\s+[-–—]\s+(?P<site>[^-–—]{2,60})$")
BAR = re.compile(r"\s+(?:[|•·»]|::)\s+")
CAPTION_CLASS = re.compile(r"(?:^|[\s_-])(?:caption|figcaption|wp-caption-text|image-caption|photo-caption)(?:$|[\s_-])", re.I)
CREDIT_CLASS = re.compile(r"credit|copyright|byline|photographer|source|attribution", re.I)
CREDIT_ITEMPROP = re.compile(r"copyrightHolder|creator|author|creditText", re.I)
CREDIT_LABEL = re.compile(_EN.value("extract", "credit_label"), re.I)
GALLERY_COUNTER = re.compile(_EN.value("extract", "gallery_counter"), re.I)
TRAILING_CREDIT_LABEL = re.compile(_EN.value("extract", "trailing_credit_label"), re.I)
CAPTION_NOTICE = re.compile("|".join(_EN.sequence("extract", "caption_notice")), re.I)
# Parts of a page that hold other stories or none: a caption there describes another
# story's photo (related stories, sidebars, rails, promotions) or is an advertiser's.
OFF_STORY_TAGS = frozenset({"aside", "nav", "footer"})
OFF_STORY_CLASS = re.compile(
    r"sidebar|side-bar|related|recommend|promo|(?:^|[\s_-])rail(?:$|[\s_-])|teaser|more-(?:stories|news)|trending|"
    r"popular|most-(?:read|viewed|popular)|newsletter|affiliate|sponsor|advert|(?:^|[\s_-])ads?(?:$|[\s_-])|"
    r"outbrain|taboola|disclosure|disclaimer", re.I)
# A paragraph of the story has at least this many words; the story's container is the
# deepest element holding this share of the page's paragraph text.
MIN_PARAGRAPH_WORDS = 8
STORY_SHARE = 0.6
MIN_CAPTION_WORDS = 3
MAX_CAPTIONS = 30
XML_DECLARATION = re.compile(r"^\ufeff?\s*<\?xml[^>]*\?>")
# Markup, in the order a scan must try it: scripts, styles and comments whole, then
# any tag; what is left between is the page's text.
# (An unclosed one runs to the end of the page, as in a browser: the scan stays linear.)
_MARKUP = r"<script\b.*?(?:</script\s*>|\Z)|<style\b.*?(?:</style\s*>|\Z)|<!--.*?(?:-->|\Z)|<[^>]*(?:>|\Z)"
_TEXT_RUN = re.compile(rf"(?:{_MARKUP})|(?P<text>[^<]+)", re.S | re.I)
_TEXT_RUN_BYTES = re.compile(rf"(?:{_MARKUP})|(?P<text>[^<]+)".encode(), re.S | re.I)


def _text(element: Any) -> str:
    return " ".join(element.text_content().split())


def strip_site_suffix(title: str, site_names: list[str]) -> str:
    """``"Shelling hits Kharkiv | Daily Wire Service"`` -> ``"Shelling hits Kharkiv"``.

    Around a bar (``|``, ``•``, ``»``, ``::``) stand a site's or a section's name and the
    headline: the headline is the longest part ("Opinion | The Headline | Site"). A dash
    is common inside headlines, so a dash suffix goes only when it names the site."""
    title = " ".join(title.split())
    parts = [p.strip() for p in BAR.split(title) if p.strip()]
    if len(parts) > 1:
        title = max(parts, key=len)
    match = DASH_SUFFIX.match(title)
    if match:
        site = match["site"].strip().casefold()
        if any(name and (name.casefold() in site or site in name.casefold()) for name in site_names):
            return match["title"].strip()
    return title


def _meta(tree: Any, *names: str) -> str | None:
    for name in names:
        for value in tree.xpath(f'//meta[@property="{name}" or @name="{name}"]/@content'):
            if value and value.strip():
                return " ".join(value.split())
    return None


def _first_text(tree: Any, xpath: str) -> str | None:
    found = tree.xpath(xpath)
    return (_text(found[0]) or None) if found else None


def _off_story(element: Any, stop: Any = None, story_path: frozenset[Any] = frozenset()) -> bool:
    """Whether ``element`` or an ancestor below ``stop`` is a sidebar, a related-stories
    box, a navigation or footer, an advertisement, or another story (an ``<article>``
    nested in the story's container). The elements on ``story_path`` (those holding the
    story's paragraphs) are never such a zone, whatever their class says: a layout class
    such as "l-sidebar-fixed" or "Page-ad-margins" marks the whole story there."""
    for node in (element, *element.iterancestors()):
        if node is stop or node.tag in {"body", "html"}:
            return False
        if node in story_path:
            continue
        if node.tag in OFF_STORY_TAGS or (stop is not None and node.tag == "article" and node is not element):
            return True
        marks = f"{node.get('class', '')} {node.get('id', '')}"
        if marks.strip() and OFF_STORY_CLASS.search(marks):
            return True
    return False


def story_container(tree: Any) -> tuple[Any, Any] | None:
    """The element that holds the story and the one that holds its paragraphs, or
    ``None`` when the page has no paragraphs.

    The paragraphs' element is the deepest holding most (:data:`STORY_SHARE`) of the
    text of the page's paragraphs outside navigation, asides and footers; the story's is
    that widened to the ``<article>`` or ``<main>`` around it, if any (a lead photo often
    stands beside the body, inside the article), else to its parent (where a lead photo
    stands on pages without those elements)."""
    held: dict[Any, int] = {}
    total = 0
    for paragraph in tree.iter("p"):
        text = _text(paragraph)
        if len(text.split()) < MIN_PARAGRAPH_WORDS or any(a.tag in OFF_STORY_TAGS for a in paragraph.iterancestors()):
            continue
        total += len(text)
        for ancestor in paragraph.iterancestors():
            held[ancestor] = held.get(ancestor, 0) + len(text)
    if not total:
        return None
    # Elements holding more than half of the text are nested in one another: the
    # deepest is the one with the most ancestors.
    body = max((e for e, chars in held.items() if chars >= STORY_SHARE * total),
               key=lambda e: sum(1 for _ in e.iterancestors()))
    for node in (body, *body.iterancestors()):
        if node.tag in {"article", "main"}:
            return node, body
    parent = body.getparent()
    return (parent if parent is not None and parent.tag not in {"body", "html"} else body), body


def extract_captions(tree: Any) -> list[Caption]:
    """``<figcaption>`` and elements whose class says caption, each once, with the
    credit from a credit-like child element or from a credit at the end of the text.

    Only captions of the story's own photos count: those inside its container
    (:func:`story_container`) and outside sidebars, related stories and advertisements;
    a notice in a caption box (an affiliate disclosure) is no caption."""
    captions: list[Caption] = []
    seen: set[str] = set()
    found = story_container(tree)
    container, story_path = (found[0], frozenset([found[1], *found[1].iterancestors()])) if found else (None, frozenset())
    nodes = (container if container is not None else tree).xpath(
        ".//figcaption | .//*[contains(translate(@class, 'CAPTION', 'caption'), 'caption')]"
        "[not(ancestor::figcaption)][not(.//figcaption)]"
    )
    for node in nodes:
        if _off_story(node, container, story_path):
            continue
        if node.tag != "figcaption" and not CAPTION_CLASS.search(node.get("class", "")):
            continue
        if node.tag != "figcaption" and any(CAPTION_CLASS.search(a.get("class", "")) for a in node.iterancestors() if a.get("class")):
            continue  # the outer caption element is taken whole
        credit: str | None = None
        credit_nodes = [c for c in node.iterdescendants() if isinstance(c.tag, str) and (
            CREDIT_CLASS.search(c.get("class", "")) or CREDIT_ITEMPROP.search(c.get("itemprop", "")))]
        text = _text(node)
        if credit_nodes:
            printed = _text(credit_nodes[0])
            text = " ".join(text.replace(printed, " ").split()) if printed else text
            credit = CREDIT_LABEL.sub("", printed.strip("() ")).strip() or None
        elif (split := split_caption(text)) is not None:
            text, credit = split
        text = TRAILING_CREDIT_LABEL.sub("", GALLERY_COUNTER.sub("", text)).strip()
        if len(text.split()) < MIN_CAPTION_WORDS or text.casefold() in seen or CAPTION_NOTICE.search(text):
            continue  # a bare name, a counter, a widget or a notice in a caption-like box
        seen.add(text.casefold())
        captions.append(Caption(text=text, credit=credit))
        if len(captions) >= MAX_CAPTIONS:
            break
    return captions


def page_text_chars(html: str | bytes) -> int:
    """About how many characters of text the page holds (outside tags, scripts, styles
    and comments; counted in bytes for undecoded pages), found by one scan of the
    markup without building a tree."""
    pattern = _TEXT_RUN if isinstance(html, str) else _TEXT_RUN_BYTES
    return sum(len(match["text"].strip()) for match in pattern.finditer(html) if match["text"])


def parse_tree(html: str | bytes, item: str) -> Any:
    """The page's tree, parsed by trafilatura's loader (it decodes bytes by their
    declared or detected charset, where lxml alone would assume Latin-1, and copes
    with broken markup)."""
    if isinstance(html, str):
        html = XML_DECLARATION.sub("", html, count=1)  # lxml refuses decoded text that declares an encoding
    from trafilatura.utils import load_html  # here: trafilatura's import costs every command, pages or not

    try:
        tree = load_html(html)
    except (etree.ParserError, etree.XMLSyntaxError, ValueError) as exc:
        raise InputError(item, f"malformed HTML: {exc}") from exc
    if tree is None or not len(tree):
        raise InputError(item, "malformed HTML: no document structure")
    return tree


def extract_html(html: str | bytes, item: str, url: str | None = None, max_chars: int | None = None,
                 settings: ExtractSettings | None = None) -> Article:
    """One article from an HTML page, or :class:`InputError` if it holds no article.
    ``settings`` (default: the packaged ones) says whether to favour precision.

    A page holding more than ``max_chars`` characters of text is refused before it is
    parsed: trafilatura needs about 18 times the page's size (a flat 50 MB page took
    1.2 GB and a minute), for an article that would be refused anyway."""
    if max_chars is not None and len(html) > max_chars and (chars := page_text_chars(html)) > max_chars:
        raise InputError(item, f"the page holds about {chars:,} characters of text, more than the {max_chars:,} "
                               f"allowed for an article (nlp.max_article_chars); not a news page?")
    import htmldate
    import trafilatura

    tree = parse_tree(html, item)
    # Captions, metadata and date first: trafilatura prunes the tree it is given.
    captions = extract_captions(tree)
    site_name = _meta(tree, "og:site_name", "application-name")
    og_url = _meta(tree, "og:url")
    raw_title = _meta(tree, "og:title", "twitter:title") or _first_text(tree, "//title") or _first_text(tree, "//h1")
    # trafilatura's own metadata (authors, categories, tags…) costs a quarter of the
    # time and we need only the date: htmldate straight, on the page's metadata only —
    # an extensive search may take a date from an image caption or a related-stories
    # box, which is never the article's date.
    try:
        date = htmldate.find_date(tree, extensive_search=False, original_date=True)
    except Exception:  # noqa: BLE001 - a date is optional; a page with odd markup still counts
        date = None
    try:
        favor_precision = (settings or ExtractSettings()).favor_precision
        options = {**TRAFILATURA_OPTIONS, "favor_precision": favor_precision}
        document = trafilatura.bare_extraction(tree, url=url, with_metadata=False, **options)
    except Exception as exc:  # noqa: BLE001 - trafilatura raises many kinds on broken pages
        raise InputError(item, f"HTML extraction failed: {type(exc).__name__}: {exc}") from exc
    body = (getattr(document, "text", None) or "") if document is not None else ""
    if favor_precision and len(body) < SHORT_BODY_CHARS:
        # favor_precision sometimes prunes a whole story down to a notice or a teaser:
        # then trafilatura's balanced setting gets a second chance.
        try:
            balanced = trafilatura.bare_extraction(html, url=url, with_metadata=False, **BALANCED_OPTIONS)
        except Exception:  # noqa: BLE001 - the first result stands
            balanced = None
        balanced_body = (getattr(balanced, "text", None) or "") if balanced is not None else ""
        if len(balanced_body) > 2 * len(body):
            body = balanced_body
    caption_texts = {c.text.casefold() for c in captions}
    caption_texts |= {f"{c.text} ({c.credit})".casefold() for c in captions if c.credit}
    paragraphs = [p for p in (" ".join(line.split()) for line in body.split("\n"))
                  if p and p.casefold() not in caption_texts]
    paragraphs = strip_closing_boilerplate(paragraphs)
    if not paragraphs:
        raise InputError(item, "no article text found in the HTML page")

    site_names = [site_name] if site_name else []
    headline = strip_site_suffix(raw_title, site_names) if raw_title else None
    # trafilatura often keeps the page's <h1>: the headline is not part of the body.
    if headline and len(paragraphs) > 1 and paragraphs[0].casefold() == headline.casefold():
        paragraphs = paragraphs[1:]

    published = Published()
    date = parse_date(date)
    if date:
        published = Published(date, "metadata")
    elif (date := find_dateline(paragraphs[0])) is not None:
        published = Published(date, "dateline")
    article = Article(id="", headline=headline or None, captions=captions, paragraphs=paragraphs, published=published)
    article.source.url = url or og_url
    article.source.outlet = site_names[0] if site_names else None
    return article
