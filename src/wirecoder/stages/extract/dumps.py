"""Plain text: one article, or a scraped dump holding many, split and cleaned by general
rules about how news sites print a story — never by the literal strings of one site.

Each line is classified on its own shape (dump_lines.py: caption, credit, date, byline,
widget, url, text, short, headline). Body text is a sentence or a long line; every run
of other lines between two body paragraphs is a *zone*, read whole before the body goes
on. A zone is where one story ends and the next begins only if it holds a headline
(the first headline-like line, skipping kickers, links and the site's widgets) and
something says that the headline opens a story:

1. a header block after it: a caption, a photo credit, a date line, an opening byline,
   a URL, the headline printed again, or a line the site printed under an earlier
   headline of this dump (its widgets, learned as the dump is read);
2. a clear gap before it: more blank lines than this dump puts between paragraphs
   (learned from the paragraphs read so far).

Otherwise the zone lies inside the story: its headline-like lines are sub-headings,
kept in the body, and its widgets are dropped. A sentence (a question, a headline with
a final stop) is a headline where a header block follows it or a clear gap precedes it.
Within one article a line printed again (the header block printed twice, a caption
repeated) is kept once; captions printed twice without a credit are still captions.

Lines are consumed one at a time with one line of lookahead; memory holds one article
and one zone (capped), whatever the size of the dump.
"""

from __future__ import annotations

import hashlib
import re
from collections import Counter
from dataclasses import dataclass, field
from typing import Iterable, Iterator

from ...errors import InputError
from ...records import Article, Caption, Published
from .dump_lines import (
    BULLET, LINKS_LABEL, OPENING_BYLINE, SECTION_NAMES, TITLE_LABEL, URL_LINE, caption_parts, classify, ends_sentence,
    gapped_lines, headline_shaped, logical_lines, split_caption,
)
from .publication_dates import find_dateline, parse_date_line

__all__ = ["DumpSegmenter", "classify", "ends_sentence", "logical_lines", "segment_dump", "split_caption"]

HEADLINE_MAX_WORDS = 25  # a sentence longer than this is body text wherever it stands
SENTENCE_HEADLINE_MAX_WORDS = 20  # a sentence over a photo is a headline up to this length
KICKER_MAX_WORDS = 4  # "Middle East" over a longer headline is the section, not the title
ZONE_MAX_LINES = 400  # a zone longer than this keeps its first and last 100 lines
# A share of the gaps between paragraphs that makes that gap one of the dump's habits.
PARAGRAPH_GAP_SHARE = 0.2
# Kinds of line that make a headline-like line before them the start of a story.
HEADER_KINDS = frozenset({"caption", "credit", "date", "url", "repeat"})
CANDIDATE_KINDS = frozenset({"headline", "short", "sentence"})
_DIGITS = re.compile(r"\d+")


def _key(line: str) -> bytes:
    """What a repeated line is known by: a digest of its case-folded text, so that the
    lines remembered for one article cost a few dozen bytes each however long they
    are (an article's own paragraphs would otherwise be held twice)."""
    return hashlib.blake2b(line.casefold().encode("utf-8", "surrogatepass"), digest_size=16).digest()


def _site_key(line: str) -> bytes:
    """What a site's widget is known by across stories: numbers vary ("3 min", "5 min")."""
    return _key(_DIGITS.sub("0", line))


@dataclass(slots=True)
class _Line:
    gap: int  # blank lines before it
    text: str
    kind: str
    printed_twice: bool = False  # the next line was the same: it was dropped


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
        if _key(text) not in self.seen:
            self.seen.add(_key(text))
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
        self.zone: list[_Line] = []
        self._body_gap = 0  # the blank lines before the body line that ends the zone
        self.gaps: Counter[int] = Counter()  # blank lines between consecutive paragraphs
        self.site_lines: set[bytes] = set()  # lines printed in the header of an earlier story
        self.has_headlines = False  # whether this dump's first story had a headline
        self.header_captions = False  # whether a header block of this dump held a caption
        self.header_gap = 0  # the widest gap inside the first story's header and under it

    # -- what the dump has taught so far ---------------------------------------------

    def paragraph_gap(self) -> int | None:
        """The most blank lines this dump habitually puts between paragraphs."""
        total = sum(self.gaps.values())
        habitual = [gap for gap, count in self.gaps.items() if count >= PARAGRAPH_GAP_SHARE * total]
        return max(habitual) if habitual else None

    def clear_gap(self, gap: int) -> bool:
        """Whether ``gap`` blank lines are more than this dump puts inside a story: more
        than between its paragraphs, or, before two paragraphs have been read, more than
        inside the first story's header block and between it and the body."""
        usual = self.paragraph_gap()
        return gap > (usual if usual is not None else self.header_gap)

    # -- lines in ----------------------------------------------------------------------

    def feed(self, line: _Line, after: _Line | None, then: _Line | None = None) -> Iterator[Article | InputError]:
        """Take ``line``, seen with the two lines ``after`` it and ``then`` (None at the end)."""
        draft = self.draft
        if line.kind == "text" and draft is not None and self.zone and draft.paragraphs \
                and len(line.text.split()) <= HEADLINE_MAX_WORDS and _key(line.text) == _key(draft.paragraphs[-1]) \
                and all(z.kind in ("short", "widget", "byline", "date") for z in self.zone) \
                and len({_key(z.text) for z in self.zone}) == len(self.zone):
            # A sentence printed again after a header block (a byline, widgets): it was
            # the next story's headline, printed twice, not the last paragraph.
            last = draft.paragraphs.pop()
            draft.body_chars -= len(last) + (2 if draft.paragraphs else 0)
            self.zone.insert(0, _Line(draft.last_gap, last, "sentence"))
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

    def _text_role(self, line: _Line, after: _Line | None, then: _Line | None) -> str:
        """``body``, ``sentence`` (a headline in sentence form) or ``caption_text``."""
        next_kind = _next_kind(line, after)
        if next_kind == "text" and after is not None and (after.printed_twice or _next_kind(after, then) == "credit"):
            next_kind = "caption"  # the next line is a caption: printed twice, or credited under it
        if next_kind == "credit":
            return "caption_text"  # its credit is on the next line
        if len(line.text.split()) > HEADLINE_MAX_WORDS:
            return "caption_text" if next_kind == "repeat" else "body"
        if self._continues_links(line):
            return "sentence"  # a link under "Related", or the next story's headline
        header_next = next_kind in HEADER_KINDS or next_kind in ("widget", "byline_open", "short")
        if self._headline_awaited(line, next_kind, header_next):
            return "sentence"
        if next_kind == "repeat":
            return "caption_text"  # printed twice where no headline is awaited: a caption
        if self.draft is None or not self.draft.paragraphs:
            return "body"
        # Lines that open a header block wherever they stand: a date, a byline, a URL, a
        # widget this site printed under an earlier headline.
        strong_next = next_kind in ("date", "url", "byline_open") or (after is not None and self._site_line(after))
        if strong_next or (next_kind in HEADER_KINDS and headline_shaped(line.text)):
            return "sentence"
        if next_kind == "caption" and self.header_captions and len(line.text.split()) <= SENTENCE_HEADLINE_MAX_WORDS:
            return "sentence"  # this site prints photos under its headlines
        if self.zone and self._kicker(self.zone[-1]) and (strong_next or next_kind in HEADER_KINDS):
            return "sentence"  # under a kicker, over a header block
        return "body"

    def _headline_awaited(self, line: _Line, next_kind: str | None, header_next: bool) -> bool:
        """Whether ``line`` stands where a headline is due and none has come (kickers
        aside): at the start of the dump over a header block, or after the last story
        ended — a clear gap, a sign-off. A line printed twice under a short line is a
        caption under a short headline, not a headline under a kicker."""
        candidates = self._candidates(self.zone, complete=False)
        if next_kind == "repeat" and candidates and candidates[-1] == len(self.zone) - 1 \
                and self.zone[-1].text.casefold() not in SECTION_NAMES:
            return False
        if self.draft is None or (not self.draft.paragraphs and self.draft.headline is None):
            if not self._no_headline_yet(self.zone):
                return False
            return header_next or next_kind == "repeat" or (
                self.draft is None and not self.zone and next_kind == "text" and headline_shaped(line.text))
        if not self.draft.paragraphs:
            return False
        # Under a kicker only a line that looks like a headline or has a header block
        # under it is one; else the short line was the headline.
        under_kicker_ok = header_next or headline_shaped(line.text)
        if self.has_headlines and self.paragraph_gap() is not None:
            gaps = [i for i, z in enumerate(self.zone) if self.clear_gap(z.gap)]
            if self.clear_gap(line.gap) and not self._candidates(self.zone, complete=False):
                return True  # (a kicker stands right over its headline, not a gap away)
            if gaps and self._no_headline_yet(self.zone[gaps[-1]:], under_kicker_ok):
                return True
        # A sign-off or a list of links ends a story.
        enders = [i for i, z in enumerate(self.zone) if self._closer(z) or self._links_label(z)]
        return bool(enders) and self._no_headline_yet(self.zone[enders[-1]:], under_kicker_ok)

    def _no_headline_yet(self, zone: list[_Line], kicker_allowed: bool = True) -> bool:
        """No headline-like line in ``zone`` but (if allowed) a kicker right at its end."""
        candidates = self._candidates(zone, complete=False)
        return not candidates or (candidates == [len(zone) - 1] and self._kicker(zone[-1]) and not zone[-1].printed_twice
                                  and (kicker_allowed or zone[-1].text.casefold() in SECTION_NAMES))

    def _continues_links(self, line: _Line) -> bool:
        """Whether ``line`` continues a list of links under a label in the zone."""
        labels = [i for i, z in enumerate(self.zone) if self._links_label(z)]
        if not labels:
            return False
        items = self.zone[labels[-1] + 1:]
        first = items[0] if items else line
        bulleted = first.text[0] in BULLET
        return all(z.gap <= first.gap and (z.text[0] in BULLET if bulleted else z.kind in CANDIDATE_KINDS)
                   for z in [*items, line])

    @staticmethod
    def _closer(line: _Line) -> bool:
        """A line that signs a story off: "(Reporting by …; Editing by …)"."""
        return line.kind == "byline" and not OPENING_BYLINE.match(line.text) and not LINKS_LABEL.match(line.text)

    @staticmethod
    def _kicker(line: _Line) -> bool:
        return line.kind in CANDIDATE_KINDS and (len(line.text.split()) <= KICKER_MAX_WORDS
                                                 or line.text.casefold() in SECTION_NAMES)

    def _site_line(self, line: _Line) -> bool:
        return line.kind in ("widget", "short", "headline") and _site_key(line.text) in self.site_lines

    def _body(self, line: _Line) -> Iterator[Article | InputError]:
        self._body_gap = line.gap
        if self.zone or self.draft is None:
            yield from self._resolve_zone()
        elif self.draft.paragraphs:
            self.gaps[line.gap] += 1
        draft = self.draft
        assert draft is not None
        key = _key(line.text)
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

    # -- zones ---------------------------------------------------------------------------

    def _junk(self, line: _Line) -> bool:
        return _site_key(line.text) in self.site_lines or line.text[0] in BULLET

    def _candidates(self, zone: list[_Line], complete: bool = True) -> list[int]:
        """The positions of the zone's headline-like lines that could be a headline: not a
        site widget, not a bulleted item, not a link under a "Related" label, not a
        caption whose credit is on the next line. A zone not ``complete`` may end inside
        a list of links."""
        out = []
        i = 0
        while i < len(zone):
            line = zone[i]
            if self._links_label(line):
                i = self._links_end(zone, i, complete)
                continue
            if line.kind in CANDIDATE_KINDS and not self._junk(line) \
                    and not (i + 1 < len(zone) and zone[i + 1].kind == "credit"):
                out.append(i)
            i += 1
        return out

    @staticmethod
    def _links_label(line: _Line) -> bool:
        return line.kind != "sentence" and len(line.text) <= 40 and bool(LINKS_LABEL.match(line.text))

    @staticmethod
    def _links_end(zone: list[_Line], label: int, complete: bool = True) -> int:
        """Where the list of links under the label at ``label`` ends: after its bulleted
        lines, or after its run of headline-like lines — but the last of a run that
        reaches the next story's header block (or the body) is that story's headline, and
        a wider gap ends the run too."""
        end = label + 1
        if end < len(zone) and zone[end].text[0] in BULLET:
            while end < len(zone) and zone[end].text[0] in BULLET:
                end += 1
            return end
        first_gap = zone[end].gap if end < len(zone) else 0
        while end < len(zone) and zone[end].kind in CANDIDATE_KINDS and zone[end].gap <= first_gap:
            end += 1
        if end > label + 1 and ((end == len(zone) and complete) or (end < len(zone) and zone[end].gap <= first_gap)):
            end -= 1
        return end

    def _choose_headline(self, zone: list[_Line], candidates: list[int]) -> int | None:
        """The headline among the candidates: a labelled title; else, after the last clear
        gap and skipping kickers, the first one printed again further on (the header
        block printed twice), or else the first."""
        if not candidates:
            return None
        labelled = [i for i in candidates if TITLE_LABEL.match(zone[i].text)]
        if labelled:
            return labelled[0]
        if self.draft is not None:
            # After a clear gap, a sign-off or a list of links, what came before closed the
            # last story.
            ends = [j for j in range(1, candidates[-1] + 1)
                    if self.clear_gap(zone[j].gap) or self._closer(zone[j]) or self._links_label(zone[j])]
            if ends:
                candidates = [i for i in candidates if i >= ends[-1]]
        # A kicker over the headline is not it: a section's name, or a line of a few words
        # over a longer headline-like line.
        words = [len(zone[i].text.split()) for i in candidates]
        kept = [i for n, i in enumerate(candidates)
                if not (n + 1 < len(candidates) and candidates[n + 1] == i + 1
                        and (words[n] <= KICKER_MAX_WORDS < words[n + 1]
                             or zone[i].text.casefold() in SECTION_NAMES))]
        kept = kept or candidates
        # A sentence taken for a headline gives way to a later line with more of a header
        # block under it (it was the last story's last paragraph over a share row).
        score = {i: self._header_follows(zone, i) for i in kept}
        kept = [i for i in kept if zone[i].kind != "sentence" or not any(j > i and score[j] > score[i] for j in kept)]
        keys = Counter(_key(line.text) for line in zone)
        repeated = [i for i in kept if keys[_key(zone[i].text)] > 1]
        return repeated[0] if repeated else kept[0]

    def _headless_header(self, zone: list[_Line]) -> bool:
        """Whether ``zone`` is a header block of this site: a date line or an opening
        byline, or the widgets it prints under its headlines (two of them, or one under
        a caption: a lone "Share" may sit between paragraphs), and nothing that closes a
        story (a sign-off, links)."""
        if any(self._closer(z) or self._links_label(z) for z in zone):
            return False
        if any(z.kind == "date" or (z.kind == "byline" and OPENING_BYLINE.match(z.text)) for z in zone):
            return True
        site = {_key(z.text) for z in zone if self._site_line(z)}
        return len(site) >= 2 or (len(site) == 1 and any(z.kind in ("caption", "caption_text") for z in zone))

    def _header_follows(self, zone: list[_Line], at: int) -> int:
        """How surely a header block follows the line at ``at``: 2 for a caption, credit,
        date, URL, opening byline or the line printed again; 1 for a widget or a short
        line; else 0."""
        if any(_key(line.text) == _key(zone[at].text) for line in zone[at + 1:]):
            return 2
        after = zone[at + 1] if at + 1 < len(zone) else None
        if after is None:
            return 0
        if after.kind in HEADER_KINDS or after.kind == "caption_text" or (
                after.kind == "byline" and OPENING_BYLINE.match(after.text)):
            return 2
        return 1 if after.kind in ("widget", "short") else 0

    def _opens_story(self, zone: list[_Line], at: int) -> bool:
        headline = zone[at]
        if TITLE_LABEL.match(headline.text) or any(z.kind == "url" for z in zone[:at]):
            return True
        # A clear gap before the headline, or right under it, or the headline printed twice.
        gap_under = zone[at + 1].gap if at + 1 < len(zone) else self._body_gap
        if any(self.clear_gap(z.gap) for z in zone[: at + 1]) or self.clear_gap(gap_under) or headline.printed_twice:
            return True
        if any(self._links_label(z) or self._closer(z) for z in zone[:at]):
            return True  # links to other stories, or a sign-off, close the last one
        key = _key(headline.text)
        for line in zone[at + 1:]:
            if line.kind in HEADER_KINDS or line.kind == "caption_text" or _key(line.text) == key:
                return True
            if line.kind == "byline" and OPENING_BYLINE.match(line.text):
                return True
            if self._site_line(line):
                return True
        return False

    def _resolve_zone(self) -> Iterator[Article | InputError]:
        zone, self.zone = self.zone, []
        candidates = self._candidates(zone)
        draft = self.draft
        if not candidates and draft is not None and draft.paragraphs and self._headless_header(zone) \
                and len(draft.paragraphs[-1].split()) <= SENTENCE_HEADLINE_MAX_WORDS:
            # A header block with no headline over it: the sentence above was its headline.
            last = draft.paragraphs.pop()
            draft.body_chars -= len(last) + (2 if draft.paragraphs else 0)
            draft.seen.discard(_key(last))
            zone.insert(0, _Line(draft.last_gap, last, "sentence"))
            candidates = [0]
        at = self._choose_headline(zone, candidates)
        if draft is None:
            self.has_headlines = at is not None
            self.header_gap = max([z.gap for z in zone[1:]] + [self._body_gap])
            self._open(zone, at)
            return
        if at is not None and zone[at].kind != "sentence" and _key(zone[at].text) in draft.seen \
                and len(draft.paragraphs) <= 3 and not any(self.clear_gap(z.gap) for z in zone):
            # The header block printed again after what looked like body text: that text
            # was its captions, printed without a credit.
            for paragraph in draft.paragraphs:
                draft.add_caption(paragraph, None)
            draft.paragraphs, draft.body_chars = [], 0
            self._header(draft, zone, at)
            return
        if at is not None and self._opens_story(zone, at):
            # What came before the headline closed the last story: its captions stay
            # with it, the rest (links, share rows, sign-offs) is dropped.
            self._close_story(draft, zone[:at])
            yield from self._finish()
            self._open(zone, at)
            return
        # Inside the story: sub-headings are body text, widgets and repeats are dropped.
        for line in self._take_captions(draft, zone):
            if line.kind in CANDIDATE_KINDS and not self._junk(line) and _key(line.text) not in draft.seen:
                draft.seen.add(_key(line.text))
                self._add_paragraph(draft, line.text)

    @staticmethod
    def _take_captions(draft: _Draft, zone: list[_Line]) -> list[_Line]:
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

    def _open(self, zone: list[_Line], at: int | None) -> None:
        """Start the story whose header block is ``zone``, headline at ``at``."""
        draft = _Draft()
        for line in zone[: at or 0]:
            if line.kind == "url" and draft.url is None:
                draft.url = URL_LINE.match(line.text)["url"]  # type: ignore[index]
            elif line.kind == "date" and draft.published is None:
                draft.published, draft.published_how = parse_date_line(line.text), "dateline"
        if at is not None:
            draft.headline = TITLE_LABEL.sub("", zone[at].text)
            draft.seen.add(_key(zone[at].text))
            draft.seen.add(_key(draft.headline))
        self.draft = draft
        self._header(draft, zone, at)

    def _header(self, draft: _Draft, zone: list[_Line], at: int | None) -> None:
        """Take the captions, date and URL of a header block; learn the site's widgets."""
        captions = len(draft.captions)
        rest = self._take_captions(draft, zone[0 if at is None else at + 1:])
        self.header_captions = self.header_captions or len(draft.captions) > captions
        for line in rest:
            if line.kind == "url" and draft.url is None:
                draft.url = URL_LINE.match(line.text)["url"]  # type: ignore[index]
            elif line.kind == "date" and draft.published is None:
                draft.published, draft.published_how = parse_date_line(line.text), "dateline"
            elif line.kind in ("widget", "short", "headline") and _key(line.text) not in draft.seen:
                self.site_lines.add(_site_key(line.text))
            draft.seen.add(_key(line.text))

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

    def _close_story(self, draft: _Draft, tail: list[_Line]) -> None:
        """The lines after the last body paragraph of a story: its captions, and sentences
        taken for a headline that the next story's headline proved were its last
        paragraphs, stay with it; links, share rows and sign-offs are dropped."""
        labels = [i for i, line in enumerate(tail) if self._links_label(line) or self._closer(line)]
        rest = self._take_captions(draft, tail[: labels[0]] if labels else tail)
        sentences = [i for i, line in enumerate(rest) if line.kind == "sentence"]
        # Sub-headings over those sentences stay too; headline-like lines after them go.
        for line in rest[: sentences[-1] + 1] if sentences else []:
            if line.kind in CANDIDATE_KINDS and not self._junk(line) and _key(line.text) not in draft.seen:
                draft.seen.add(_key(line.text))
                self._add_paragraph(draft, line.text)


def segment_dump(lines: Iterable[str], name: str, max_chars: int | None = None) -> Iterator[Article | InputError]:
    """The articles of a plain-text item, in order, as they complete. Each line is
    classified once and seen with the kind of the line after it (one line of
    lookahead is all the line rules need; a zone is resolved when the body resumes).

    An article whose text passes ``max_chars`` characters is an :class:`InputError`
    naming it instead, and only its first paragraph is ever held: memory stays bounded
    on a dump that is one 200 MB "article"."""
    segmenter = DumpSegmenter(name, max_chars)
    # Two lines of lookahead: a sentence over a caption whose credit is on the line
    # under it is a headline over its header block.
    ahead: list[_Line] = []
    for _number, gap, text in gapped_lines(lines):
        if ahead and text.casefold() == ahead[-1].text.casefold():
            ahead[-1].printed_twice = True  # a caption or header printed twice: kept once
            continue
        ahead.append(_Line(gap, text, classify(text)))
        if len(ahead) == 3:
            yield from segmenter.feed(ahead[0], ahead[1], ahead[2])
            del ahead[0]
    while ahead:
        yield from segmenter.feed(ahead[0], *(ahead[1:] + [None, None])[:2])
        del ahead[0]
    yield from segmenter.close()


def _next_kind(line: _Line, following: _Line | None) -> str | None:
    """The kind of the line after ``line`` as its rules read it: ``repeat`` when it was
    printed twice, ``byline_open`` for a byline that opens a story."""
    if line.printed_twice:
        return "repeat"
    if following is None:
        return None
    if following.kind == "byline" and OPENING_BYLINE.match(following.text):
        return "byline_open"
    return following.kind
