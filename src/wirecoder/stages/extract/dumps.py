"""Plain text: one article, or a scraped dump holding many, split and cleaned by general
rules about how news sites print a story — never by the literal strings of one site.

Each logical line is classified on its own shape:

1. *caption* — a line ending with a photo credit: ``(AFP)``, ``(Reuters file)``,
   ``(AP Photo/Jane Doe)``, ``(Getty Images)``, ``Photo: Jane Doe/Reuters``. Captions are
   kept, with their credit, apart from the body; their dates are the photo's and are
   never read as the article's.
2. *date line* — a short line holding only a date (``Published: 14 March 2025``): the
   publication date when it sits in an article's header.
3. *widget* — a short non-sentence line: at most three words and no final full stop
   (``TT``, ``20``, ``Share``, ``A+``, ``Comments (4)``), or no letters at all. Dropped.
4. *text* — a sentence: it ends with sentence punctuation, or it is long. Body paragraph.
5. *headline* — anything else short: a line without a final full stop. It opens an
   article.

Then a small state machine groups lines into articles: a headline after body text opens
a new article; within one article a line printed again (the site's header block printed
twice, a caption repeated) is kept once. Where the site prints a header block of its own
(widgets, the headline twice), a headline-like line followed straight by text is a
crosshead of the current story. Blank lines carry no meaning, so dumps with
single newlines, several blank lines or CRLF are read the same way. Lines are consumed
one at a time: memory holds one article, whatever the size of the dump.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass, field
from typing import Iterable, Iterator

from ...errors import InputError
from ...lang import language_pack
from ...records import Article, Caption, Published
from .publication_dates import find_dateline, parse_date_line

# The words are the language pack's (data/lang/en/extract.toml says what each is for).
_EN = language_pack("en")
# Words that make a trailing parenthesis a photo credit rather than an aside.
CREDIT_WORDS = "|".join(_EN.sequence("extract", "credit_words"))
_CREDIT_WORD = re.compile(rf"\b(?:{CREDIT_WORDS})\b", re.I)
# "… on October 2, 2018. (AFP)" / "(AP Photo/Jane Doe)" at the end of the line.
PAREN_CREDIT = re.compile(r"\s*\((?P<credit>[^()]{1,80})\)\s*$")
# "… near Goma. Photo: Jane Doe/Reuters" / "… | Credit: UNICEF".
LABEL_CREDIT = re.compile(
    r"(?:^|(?<=[.!?”\"’])\s+|\s+[|—–-]\s+|\s+)(?P<credit>(?:" + "|".join(_EN.sequence("extract", "credit_labels"))
    + r")s?\s*(?::|" + _EN.value("extract", "credit_by") + r"\b|/)\s*[^!?:]{1,80})$",
    re.I,
)
_LABEL_WORD = re.compile("|".join(_EN.sequence("extract", "credit_label_stems")), re.I)
# Sentence end: full stop, question or exclamation mark, ellipsis, colon or semicolon,
# possibly followed by closing quotes or brackets.
CLOSERS = "\"'”’)]»"


def ends_sentence(line: str) -> bool:
    return line.rstrip(CLOSERS)[-1:] in (".", "!", "?", "…", ":", ";")


def ends_question(line: str) -> bool:
    return line.rstrip(CLOSERS)[-1:] in ("!", "?")

# Lines that close or sign a story rather than open one.
BYLINE = re.compile(r"^\(?(?:" + "|".join(_EN.sequence("extract", "byline_openers")) + r")\b", re.I)
# Labelled metadata lines of scraped corpora: "URL: https://…", "Title: …".
URL_LINE = re.compile(r"^(?:(?:" + "|".join(_EN.sequence("extract", "url_labels"))
                      + r")\s*:\s*)?(?P<url>https?://\S+)$", re.I)
URL_LINE_STARTS = _EN.sequence("extract", "url_line_starts")
TITLE_LABEL = re.compile(r"^(?:" + "|".join(_EN.sequence("extract", "title_labels")) + r")\s*:\s*(?=\S)", re.I)
LETTERS = re.compile(r"[^\W\d_]")
HEADLINE_MAX_CHARS = 200
TEXT_MIN_WORDS = 30


def _is_slashed_credit(credit: str) -> bool:
    """"NASA/JPL-Caltech", "Jane Doe/Lakes Courier": names joined by a slash, the way
    photo credits are written, without sentence punctuation."""
    return "/" in credit and len(credit.split()) <= 6 and not any(ch in credit for ch in ".,;:!?")


def _find_credit(line: str) -> tuple[int, str | None, str] | None:
    """Where a photo credit ending ``line`` begins: ``(end of the text before it, the
    characters to strip from that text, the credit)``, or None."""
    # Cheap tests first: most lines are body text and end with neither form.
    match = PAREN_CREDIT.search(line) if line.endswith(")") else None
    if match and (_CREDIT_WORD.search(match["credit"]) or _is_slashed_credit(match["credit"])):
        return match.start(), None, match["credit"].strip()
    # The label sits in the last ~100 characters (its credit is at most 80).
    tail = max(0, len(line) - 100)
    match = LABEL_CREDIT.search(line, tail) if _LABEL_WORD.search(line, tail) else None
    if not match or len(match["credit"].split()) > 10:
        return None
    return match.start(), " |—–-", match["credit"].strip()


def split_caption(line: str) -> tuple[str, str] | None:
    """``(text, credit)`` if the line ends with a photo credit, else None."""
    found = _find_credit(line)
    if found is None:
        return None
    end, strip, credit = found
    text = line[:end].strip(strip)
    if len(text.split()) < 3:
        return None
    return text, credit


def is_widget(line: str, words: list[str]) -> bool:
    if not LETTERS.search(line):
        return True  # "20", "|", "•••", "12:45"
    return len(words) <= 3 and len(line) <= 30 and not line.endswith(".")


def is_sentence(line: str, words: list[str]) -> bool:
    if len(words) > TEXT_MIN_WORDS:
        return True
    if not ends_sentence(line):
        return False
    if ends_question(line) and len(words) <= 15:
        # "Is the Truce Over?" is a headline; "What happens now, he asked?" is text:
        # mostly capitalized words make the difference.
        capitalized = sum(1 for w in words if w[:1].isupper())
        return capitalized / len(words) < 0.6
    return True


# Kinds of line that follow a headline in a site's header block.
HEADER_KINDS = frozenset({"caption", "widget", "date", "repeat"})


def is_short_exclamation(line: str) -> bool:
    return ends_question(line) and len(line.split()) <= 15


def classify(line: str) -> str:
    """One of ``caption``, ``date``, ``url``, ``widget``, ``text``, ``byline``, ``headline``."""
    if line.startswith(URL_LINE_STARTS) and URL_LINE.match(line):
        return "url"
    if TITLE_LABEL.match(line):
        return "headline"
    if split_caption(line):
        return "caption"
    if len(line) <= 60 and parse_date_line(line):
        return "date"
    words = line.split()
    if BYLINE.match(line) and not ends_sentence(line):
        return "byline"  # before widgets: "By Jane Doe" is the story's, not the site's
    if is_widget(line, words):
        return "widget"
    if is_sentence(line, words):
        return "text"
    return "headline" if len(line) <= HEADLINE_MAX_CHARS else "text"


# How much of the end of a growing paragraph its join tests read: the photo-credit
# test reads the last 100 characters (a credit is at most 80), the sentence test the
# last character before closing quotes.
JOIN_TAIL_CHARS = 300


class _Paragraph:
    """A hard-wrapped paragraph being re-joined, held as its lines and tested on its
    tail: a string that grew line by line would be copied at each line, and tested
    whole at each line, which is quadratic in the length of the paragraph."""

    __slots__ = ("lines", "tail", "words", "whole")

    def __init__(self, line: str) -> None:
        self.lines = [line]
        self.tail = line  # the fewest last lines, joined, that hold JOIN_TAIL_CHARS
        self.whole = True  # whether the tail is the whole paragraph
        self.words = line.count(" ") + 1  # lines are normalized: single spaces

    def add(self, line: str) -> None:
        self.lines.append(line)
        self.words += line.count(" ") + 1
        if len(self.tail) < JOIN_TAIL_CHARS:
            self.tail = f"{self.tail} {line}"  # still whole, and short
            return
        first, size = len(self.lines) - 1, len(line)
        while first > 0 and size < JOIN_TAIL_CHARS:
            first -= 1
            size += len(self.lines[first]) + 1
        self.tail, self.whole = " ".join(self.lines[first:]), first == 0

    def text(self) -> str:
        return self.lines[0] if len(self.lines) == 1 else " ".join(self.lines)

    def ends_with_credit(self) -> bool:
        """``split_caption(self.text()) is not None``, read from the tail."""
        if self.whole:
            return split_caption(self.tail) is not None
        found = _find_credit(self.tail)  # the credit lies inside the tail
        if found is None:
            return False
        if self.lines[0][0] in "|—–-":
            return split_caption(self.text()) is not None  # the whole text's start is stripped
        # The text before the credit: the lines before the tail, then the tail's own.
        end, strip, _credit = found
        before_tail = self.words - (self.tail.count(" ") + 1)
        return before_tail + len(self.tail[:end].rstrip(strip).split()) >= 3

    def continued_by(self, line: str) -> bool:
        """Whether ``line`` continues the paragraph: it starts in lower case, and the
        paragraph so far has no final punctuation and ends with no photo credit. (The
        tail holds the last line, which starts in lower case unless it is the first: so
        closing quotes never fill the tail and ``ends_sentence`` reads it rightly.)"""
        return line[0].islower() and not ends_sentence(self.tail) and not self.ends_with_credit()


def logical_lines(lines: Iterable[str]) -> Iterator[tuple[int, str]]:
    """``(line number, line)`` of the non-blank lines, stripped, with hard-wrapped
    paragraphs re-joined: a line continues the one just above it (no blank between)
    when that one has no final punctuation and this one starts in lower case. Linear
    in the length of a paragraph, however many lines it was wrapped into."""
    pending: _Paragraph | None = None
    pending_no = 0
    for number, raw in enumerate(lines, start=1):
        line = " ".join(raw.split())
        if not line:
            if pending is not None:
                yield pending_no, pending.text()
                pending = None
            continue
        if pending is not None and pending.continued_by(line):
            pending.add(line)
            continue
        if pending is not None:
            yield pending_no, pending.text()
        pending, pending_no = _Paragraph(line), number
    if pending is not None:
        yield pending_no, pending.text()


def _key(line: str) -> bytes:
    """What a repeated line is known by: a digest of its case-folded text, so that the
    lines remembered for one article cost a few dozen bytes each however long they
    are (an article's own paragraphs would otherwise be held twice)."""
    return hashlib.blake2b(line.casefold().encode("utf-8", "surrogatepass"), digest_size=16).digest()


@dataclass(slots=True)
class _Draft:
    headline: str | None = None
    captions: list[Caption] = field(default_factory=list)
    paragraphs: list[str] = field(default_factory=list)
    published: str | None = None
    published_how: str | None = None
    url: str | None = None
    seen: set[bytes] = field(default_factory=set)
    header_lines: int = 0  # non-repeated lines seen before the body
    # The site prints a header block of its own (widgets, the headline twice): then
    # every story of the dump has one, and a headline-like line followed straight by
    # text is a crosshead inside this story, not the start of the next.
    site_header: bool = False
    body_chars: int = 0  # of the paragraphs joined by blank lines, as Article.body
    # Past the size limit: the article will be refused, its paragraphs are only counted.
    too_long: bool = False

    def text_chars(self) -> int:
        """The length of the article's ``text`` (headline, blank line, body)."""
        return (len(self.headline) + 2 if self.headline else 0) + self.body_chars

    def to_article(self) -> Article:
        published = Published(self.published, self.published_how) if self.published else Published()  # type: ignore[arg-type]
        article = Article(id="", headline=self.headline, captions=self.captions,
                          paragraphs=self.paragraphs, published=published)
        article.source.url = self.url
        return article


class DumpSegmenter:
    """Feeds on logical lines, yields articles as soon as each one is complete."""

    def __init__(self, name: str, max_chars: int | None = None) -> None:
        self.name = name
        self.max_chars = max_chars
        self.draft: _Draft | None = None
        self.pending_date: str | None = None
        self.pending_url: str | None = None

    def _start(self, headline: str | None = None) -> _Draft:
        draft = _Draft(headline=headline)
        if headline:
            draft.seen.add(_key(headline))
        if self.pending_date:
            draft.published, draft.published_how = self.pending_date, "dateline"
            self.pending_date = None
        draft.url, self.pending_url = self.pending_url, None
        self.draft = draft
        return draft

    def _finish(self) -> Iterator[Article | InputError]:
        draft, self.draft = self.draft, None
        # A headline with no body (a closing line of the previous story, a list of
        # links) is not an article.
        if draft is not None and draft.too_long:
            title = f"{draft.headline[:80]!r} " if draft.headline else ""
            yield InputError(self.name, f"article {title}has {draft.text_chars():,} characters, more than the "
                             f"{self.max_chars:,} allowed (nlp.max_article_chars); not a news report?")
        elif draft is not None and draft.paragraphs:
            yield draft.to_article()

    def _add_paragraph(self, draft: _Draft, line: str) -> None:
        """Keep a body paragraph; past ``max_chars`` only count it: the article will be
        refused, and memory holds no more of it than its first paragraph."""
        draft.body_chars += len(line) + (2 if draft.paragraphs else 0)
        if not draft.too_long:
            draft.paragraphs.append(line)
        if self.max_chars is not None and not draft.too_long and draft.text_chars() > self.max_chars:
            draft.too_long = True
            del draft.paragraphs[1:]  # one kept: the segmenter's rules ask whether there is a body

    def feed(self, line: str, kind: str | None = None, next_kind: str | None = None) -> Iterator[Article | InputError]:
        kind = kind or classify(line)
        if kind == "text" and next_kind in HEADER_KINDS and is_short_exclamation(line):
            # "Is the truce over?" opening a header block (captions, widgets, the
            # headline printed again) is a headline in sentence case, not body text.
            kind = "headline"
        draft = self.draft
        key = _key(line)
        if draft is not None and key in draft.seen and not (kind == "headline" and draft.paragraphs):
            # Printed twice: the repeated header block, a repeated caption. (A headline
            # after the body opens the next story, even one with the same title.)
            if not draft.paragraphs and kind == "headline":
                draft.site_header = True
            return
        if kind == "headline" and draft is not None and draft.paragraphs and draft.site_header and next_kind == "text":
            kind = "text"  # a crosshead: this site would have printed a header block
        if kind == "headline":
            line = TITLE_LABEL.sub("", line)
            key = _key(line)
            if draft is None:
                self._start(line)
            elif draft.paragraphs:
                yield from self._finish()
                self._start(line)
            elif draft.headline is None or draft.header_lines == 0:
                # Two headline-like lines in a row: the first was a kicker, a site
                # name or the last line of the previous story; the second is the title.
                draft.headline = line
                draft.seen.add(key)
            # else: a subtitle inside the header block, dropped
        elif kind == "caption":
            draft = draft or self._start()
            text, credit = split_caption(line)  # type: ignore[misc]
            draft.seen.add(key)
            draft.header_lines += not draft.paragraphs
            if _key(text) not in draft.seen:
                draft.seen.add(_key(text))
                draft.captions.append(Caption(text=text, credit=credit))
        elif kind == "url":
            # Metadata comes before the story it describes: after a body, the next one's.
            url = URL_LINE.match(line)["url"]  # type: ignore[index]
            if draft is not None and not draft.paragraphs and draft.url is None:
                draft.url = url
            else:
                self.pending_url = url
        elif kind == "date":
            date = parse_date_line(line)
            if draft is None:
                self.pending_date = date
            elif not draft.paragraphs and draft.published is None:
                draft.published, draft.published_how = date, "dateline"
        elif kind == "text":
            draft = draft or self._start()
            if not draft.paragraphs and draft.published is None:
                date = find_dateline(line)
                if date:
                    draft.published, draft.published_how = date, "dateline"
            if not draft.too_long:
                draft.seen.add(key)
            self._add_paragraph(draft, line)
        elif draft is not None and not draft.paragraphs:
            draft.header_lines += 1  # widgets and bylines belong to the header block
            draft.site_header = draft.site_header or kind == "widget"

    def close(self) -> Iterator[Article | InputError]:
        yield from self._finish()


def segment_dump(lines: Iterable[str], name: str, max_chars: int | None = None) -> Iterator[Article | InputError]:
    """The articles of a plain-text item, in order, as they complete. Each line is
    classified once and seen with the kind of the line after it (one line of
    lookahead is all the rules need).

    An article whose text passes ``max_chars`` characters is an :class:`InputError`
    naming it instead, and only its first paragraph is ever held: memory stays bounded
    on a dump that is one 200 MB "article"."""
    segmenter = DumpSegmenter(name, max_chars)
    previous: tuple[str, str] | None = None
    for _number, line in logical_lines(lines):
        kind = classify(line)
        if previous is not None:
            # A line repeated right after itself is the header printed twice.
            next_kind = "repeat" if line.casefold() == previous[0].casefold() else kind
            yield from segmenter.feed(previous[0], previous[1], next_kind)
        previous = (line, kind)
    if previous is not None:
        yield from segmenter.feed(previous[0], previous[1], None)
    yield from segmenter.close()
