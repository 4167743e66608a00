"""Plain text: one article, or a scraped dump holding many, split and cleaned by general
rules about how news sites print a story — never by the literal strings of one site.

Each line is classified on its own shape (dump_lines.py: caption, credit, date, byline,
widget, url, text, short, headline). Body text is a sentence or a long line; every run
of other lines between two body paragraphs is a *zone*, read whole when the body
resumes (dump_zones.py). A zone is where one story ends and the next begins only if it
holds a headline (the first headline-like line after the last clear gap, sign-off or
list of links, skipping kickers and the site's widgets) and something says that the
headline opens a story:

1. a header block under it: a caption, a photo credit, a date line, an opening byline,
   a URL, the headline printed again, or a line the site printed under an earlier
   headline of this dump (its widgets, learned as the dump is read);
2. a clear gap before or under it: more blank lines than this dump puts between
   paragraphs (learned from the paragraphs read so far);
3. a sign-off ("Reporting by …") or a list of links ("Related") before it.

Otherwise the zone lies inside the story: its headline-like lines are sub-headings,
kept in the body, and its widgets are dropped. A sentence (a question, a headline with
a final stop) is a headline where one is awaited — after a clear gap, a sign-off or
links, at the start — over a header block, or where a header block with no headline of
its own follows it. Within one article a line printed again (the header block printed
twice, a caption repeated) is kept once; a caption printed twice needs no credit.

Lines are consumed one at a time with two lines of lookahead; memory holds one article
and one zone (capped), whatever the size of the dump.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Iterable, Iterator

from ...errors import InputError
from ...records import Article, Caption, Published
from .dump_lines import (
    SECTION_NAMES, TITLE_LABEL, URL_LINE, caption_parts, classify, ends_sentence, gapped_lines,
    headline_shaped, logical_lines, split_caption,
)
from .dump_zones import (
    CANDIDATE_KINDS, HEADER_KINDS, DumpHabits, Line, candidates, choose_headline, continues_links, headless_header,
    is_closer, is_kicker, is_links_label, line_key, next_kind, no_headline_yet, opens_story, site_key,
)
from .publication_dates import find_dateline, parse_date_line

__all__ = ["DumpSegmenter", "classify", "ends_sentence", "logical_lines", "segment_dump", "split_caption"]

HEADLINE_MAX_WORDS = 25  # a sentence longer than this is body text wherever it stands
SENTENCE_HEADLINE_MAX_WORDS = 20  # a sentence over a photo is a headline up to this length
ZONE_MAX_LINES = 400  # a zone longer than this keeps its first and last 100 lines


@dataclass(slots=True)
class _Draft:
    headline: str | None = None
    captions: list[Caption] = field(default_factory=list)
    paragraphs: list[str] = field(default_factory=list)
    published: str | None = None
    published_how: str | None = None
    url: str | None = None
    seen: set[bytes] = field(default_factory=set)
    body_chars: int = 0  # of the paragraphs joined by blank lines, as Article.body
    last_gap: int = 0  # the blank lines before the last paragraph
    # Past the size limit: the article will be refused, its paragraphs are only counted.
    too_long: bool = False

    def text_chars(self) -> int:
        """The length of the article's ``text`` (headline, blank line, body)."""
        return (len(self.headline) + 2 if self.headline else 0) + self.body_chars

    def add_caption(self, text: str, credit: str | None) -> None:
        if line_key(text) not in self.seen:
            self.seen.add(line_key(text))
            self.captions.append(Caption(text=text, credit=credit))

    def to_article(self) -> Article:
        published = Published(self.published, self.published_how) if self.published else Published()  # type: ignore[arg-type]
        article = Article(id="", headline=self.headline, captions=self.captions,
                          paragraphs=self.paragraphs, published=published)
        article.source.url = self.url
        return article


class DumpSegmenter:
    """Feeds on classified lines, yields articles as soon as each one is complete."""

    def __init__(self, name: str, max_chars: int | None = None) -> None:
        self.name = name
        self.max_chars = max_chars
        self.draft: _Draft | None = None
        self.zone: list[Line] = []
        self.body_gap = 0  # the blank lines before the body line that ends the zone
        self.habits = DumpHabits()

    # -- lines in ----------------------------------------------------------------------

    def feed(self, line: Line, after: Line | None, then: Line | None = None) -> Iterator[Article | InputError]:
        """Take ``line``, seen with the two lines ``after`` it and ``then`` (None at the end)."""
        draft = self.draft
        if line.kind == "text" and draft is not None and self.zone and draft.paragraphs \
                and len(line.text.split()) <= HEADLINE_MAX_WORDS and line_key(line.text) == line_key(draft.paragraphs[-1]) \
                and all(z.kind in ("short", "widget", "byline", "date") for z in self.zone) \
                and len({line_key(z.text) for z in self.zone}) == len(self.zone):
            # A sentence printed again after a header block (a byline, widgets): it was
            # the next story's headline, printed twice, not the last paragraph.
            last = draft.paragraphs.pop()
            draft.body_chars -= len(last) + (2 if draft.paragraphs else 0)
            self.zone.insert(0, Line(draft.last_gap, last, "sentence"))
            line.kind = "sentence"
        if line.kind == "text":
            role = self._text_role(line, after, then)
            if role == "body":
                yield from self._body(line)
                return
            line.kind = role
        self.zone.append(line)
        if len(self.zone) > ZONE_MAX_LINES:
            del self.zone[100:-100]

    def _text_role(self, line: Line, after: Line | None, then: Line | None) -> str:
        """``body``, ``sentence`` (a headline in sentence form) or ``caption_text``."""
        coming = next_kind(line, after)
        if coming == "text" and after is not None and (after.printed_twice or next_kind(after, then) == "credit"):
            coming = "caption"  # the next line is a caption: printed twice, or credited under it
        if coming == "credit":
            return "caption_text"  # its credit is on the next line
        if len(line.text.split()) > HEADLINE_MAX_WORDS:
            return "caption_text" if coming == "repeat" else "body"
        if continues_links(self.zone, line):
            return "sentence"  # a link under "Related", or the next story's headline
        header_next = coming in HEADER_KINDS or coming in ("widget", "byline_open", "short")
        if self._headline_awaited(line, coming, header_next):
            return "sentence"
        if coming == "repeat":
            return "caption_text"  # printed twice where no headline is awaited: a caption
        if self.draft is None or not self.draft.paragraphs:
            return "body"
        # Lines that open a header block wherever they stand: a date, a byline, a URL, a
        # widget this site printed under an earlier headline.
        strong_next = coming in ("date", "url", "byline_open") or (after is not None and self.habits.site_line(after))
        if strong_next or (coming in HEADER_KINDS and headline_shaped(line.text)):
            return "sentence"
        if coming == "caption" and self.habits.header_captions and len(line.text.split()) <= SENTENCE_HEADLINE_MAX_WORDS:
            return "sentence"  # this site prints photos under its headlines
        if self.zone and is_kicker(self.zone[-1]) and (strong_next or coming in HEADER_KINDS):
            return "sentence"  # under a kicker, over a header block
        return "body"

    def _headline_awaited(self, line: Line, coming: str | None, header_next: bool) -> bool:
        """Whether ``line`` stands where a headline is due and none has come (kickers
        aside): at the start of the dump over a header block, or after the last story
        ended — a clear gap, a sign-off. A line printed twice under a short line is a
        caption under a short headline, not a headline under a kicker."""
        found = candidates(self.zone, self.habits, complete=False)
        if coming == "repeat" and found and found[-1] == len(self.zone) - 1 \
                and self.zone[-1].text.casefold() not in SECTION_NAMES:
            return False
        if self.draft is None or (not self.draft.paragraphs and self.draft.headline is None):
            if not no_headline_yet(self.zone, self.habits):
                return False
            return header_next or coming == "repeat" or (
                self.draft is None and not self.zone and coming == "text" and headline_shaped(line.text))
        if not self.draft.paragraphs:
            return False
        # Under a kicker only a line that looks like a headline or has a header block
        # under it is one; else the short line was the headline.
        under_kicker_ok = header_next or headline_shaped(line.text)
        if self.habits.has_headlines and self.habits.paragraph_gap() is not None:
            gaps = [i for i, z in enumerate(self.zone) if self.habits.clear_gap(z.gap)]
            if self.habits.clear_gap(line.gap) and not candidates(self.zone, self.habits, complete=False):
                return True  # (a kicker stands right over its headline, not a gap away)
            if gaps and no_headline_yet(self.zone[gaps[-1]:], self.habits, under_kicker_ok):
                return True
        # A sign-off or a list of links ends a story.
        enders = [i for i, z in enumerate(self.zone) if is_closer(z) or is_links_label(z)]
        return bool(enders) and no_headline_yet(self.zone[enders[-1]:], self.habits, under_kicker_ok)

    def _body(self, line: Line) -> Iterator[Article | InputError]:
        self.body_gap = line.gap
        if self.zone or self.draft is None:
            yield from self._resolve_zone()
        elif self.draft.paragraphs:
            self.habits.gaps[line.gap] += 1
        draft = self.draft
        assert draft is not None
        key = line_key(line.text)
        if key in draft.seen:
            return  # printed twice: the repeated header block, a repeated paragraph
        if not draft.paragraphs and draft.published is None:
            date = find_dateline(line.text)
            if date:
                draft.published, draft.published_how = date, "dateline"
        if not draft.too_long:
            draft.seen.add(key)
        draft.last_gap = line.gap
        self._add_paragraph(draft, line.text)

    def _resolve_zone(self) -> Iterator[Article | InputError]:
        zone, self.zone = self.zone, []
        found = candidates(zone, self.habits)
        draft = self.draft
        if not found and draft is not None and draft.paragraphs and headless_header(zone, self.habits) \
                and len(draft.paragraphs[-1].split()) <= SENTENCE_HEADLINE_MAX_WORDS:
            # A header block with no headline over it: the sentence above was its headline.
            last = draft.paragraphs.pop()
            draft.body_chars -= len(last) + (2 if draft.paragraphs else 0)
            draft.seen.discard(line_key(last))
            zone.insert(0, Line(draft.last_gap, last, "sentence"))
            found = [0]
        at = choose_headline(zone, found, self.habits, after_story=draft is not None)
        if draft is None:
            self.habits.has_headlines = at is not None
            self.habits.header_gap = max([z.gap for z in zone[1:]] + [self.body_gap])
            self._open(zone, at)
            return
        if at is not None and zone[at].kind != "sentence" and line_key(zone[at].text) in draft.seen \
                and len(draft.paragraphs) <= 3 and not any(self.habits.clear_gap(z.gap) for z in zone):
            # The header block printed again after what looked like body text: that text
            # was its captions, printed without a credit.
            for paragraph in draft.paragraphs:
                draft.add_caption(paragraph, None)
            draft.paragraphs, draft.body_chars = [], 0
            self._header(draft, zone, at)
            return
        if at is not None and opens_story(zone, at, self.habits, self.body_gap):
            # What came before the headline closed the last story: its captions stay
            # with it, the rest (links, share rows, sign-offs) is dropped.
            self._close_story(draft, zone[:at])
            yield from self._finish()
            self._open(zone, at)
            return
        # Inside the story: sub-headings are body text, widgets and repeats are dropped.
        for line in self._take_captions(draft, zone):
            if line.kind in CANDIDATE_KINDS and not self.habits.junk(line) and line_key(line.text) not in draft.seen:
                draft.seen.add(line_key(line.text))
                self._add_paragraph(draft, line.text)

    @staticmethod
    def _take_captions(draft: _Draft, zone: list[Line]) -> list[Line]:
        """Give ``draft`` the captions among ``zone``'s lines (a caption line, or a line
        whose credit is on the next line); the other lines, in order."""
        rest = []
        for i, line in enumerate(zone):
            after = zone[i + 1] if i + 1 < len(zone) else None
            if line.kind == "caption":
                draft.add_caption(*caption_parts(line.text))
            elif line.kind in ("caption_text", *CANDIDATE_KINDS) and after is not None and after.kind == "credit":
                draft.add_caption(line.text, after.text.strip("()").strip())
            elif line.kind == "caption_text":
                draft.add_caption(line.text, None)
            else:
                rest.append(line)
        return rest

    def _open(self, zone: list[Line], at: int | None) -> None:
        """Start the story whose header block is ``zone``, headline at ``at``."""
        draft = _Draft()
        for line in zone[: at or 0]:
            if line.kind == "url" and draft.url is None:
                draft.url = URL_LINE.match(line.text)["url"]  # type: ignore[index]
            elif line.kind == "date" and draft.published is None:
                draft.published, draft.published_how = parse_date_line(line.text), "dateline"
        if at is not None:
            draft.headline = TITLE_LABEL.sub("", zone[at].text)
            draft.seen.add(line_key(zone[at].text))
            draft.seen.add(line_key(draft.headline))
        self.draft = draft
        self._header(draft, zone, at)

    def _header(self, draft: _Draft, zone: list[Line], at: int | None) -> None:
        """Take the captions, date and URL of a header block; learn the site's widgets."""
        captions = len(draft.captions)
        rest = self._take_captions(draft, zone[0 if at is None else at + 1:])
        self.habits.header_captions = self.habits.header_captions or len(draft.captions) > captions
        for line in rest:
            if line.kind == "url" and draft.url is None:
                draft.url = URL_LINE.match(line.text)["url"]  # type: ignore[index]
            elif line.kind == "date" and draft.published is None:
                draft.published, draft.published_how = parse_date_line(line.text), "dateline"
            elif line.kind in ("widget", "short", "headline") and line_key(line.text) not in draft.seen:
                self.habits.site_lines.add(site_key(line.text))
            draft.seen.add(line_key(line.text))

    # -- articles out ------------------------------------------------------------------

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

    def close(self) -> Iterator[Article | InputError]:
        zone, self.zone = self.zone, []
        if self.draft is not None:
            # Lines after the last body: its last sentences stay; links and widgets go.
            self._close_story(self.draft, zone)
        yield from self._finish()

    def _close_story(self, draft: _Draft, tail: list[Line]) -> None:
        """The lines after the last body paragraph of a story: its captions, and sentences
        taken for a headline that the next story's headline proved were its last
        paragraphs, stay with it; links, share rows and sign-offs are dropped."""
        labels = [i for i, line in enumerate(tail) if is_links_label(line) or is_closer(line)]
        rest = self._take_captions(draft, tail[: labels[0]] if labels else tail)
        sentences = [i for i, line in enumerate(rest) if line.kind == "sentence"]
        # Sub-headings over those sentences stay too; headline-like lines after them go.
        for line in rest[: sentences[-1] + 1] if sentences else []:
            if line.kind in CANDIDATE_KINDS and not self.habits.junk(line) and line_key(line.text) not in draft.seen:
                draft.seen.add(line_key(line.text))
                self._add_paragraph(draft, line.text)


def segment_dump(lines: Iterable[str], name: str, max_chars: int | None = None) -> Iterator[Article | InputError]:
    """The articles of a plain-text item, in order, as they complete. Each line is
    classified once and seen with the two lines after it (a line printed twice in a row
    is kept once, marked so); a zone is resolved when the body resumes.

    An article whose text passes ``max_chars`` characters is an :class:`InputError`
    naming it instead, and only its first paragraph is ever held: memory stays bounded
    on a dump that is one 200 MB "article"."""
    segmenter = DumpSegmenter(name, max_chars)
    # Two lines of lookahead: a sentence over a caption whose credit is on the line
    # under it is a headline over its header block.
    ahead: list[Line] = []
    for _number, gap, text in gapped_lines(lines):
        if ahead and text.casefold() == ahead[-1].text.casefold():
            ahead[-1].printed_twice = True  # a caption or header printed twice: kept once
            continue
        ahead.append(Line(gap, text, classify(text)))
        if len(ahead) == 3:
            yield from segmenter.feed(ahead[0], ahead[1], ahead[2])
            del ahead[0]
    while ahead:
        yield from segmenter.feed(ahead[0], *(ahead[1:] + [None, None])[:2])
        del ahead[0]
    yield from segmenter.close()
