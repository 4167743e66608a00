"""Reading a *zone* of a dump — the lines between two body paragraphs — and what the
dump has taught so far (dumps.py walks the dump and builds the articles).

A zone holds the end of one story and the header block of the next, or only furniture
and sub-headings inside one story. Here: which of its lines could be a headline (not a
site widget, a bulleted or listed link, a caption over its credit), which one is (after
the last clear gap, sign-off or list of links; not a kicker; the one printed twice; a
sentence only where a header block follows it), and whether it opens a story (a header
block under it, a clear gap around it, links or a sign-off before it).

What the dump teaches as it is read (:class:`DumpHabits`): the blank lines it puts
between paragraphs, and the lines it prints under its headlines (its widgets), by which
the same lines are known in later zones.
"""

from __future__ import annotations

import hashlib
import re
from collections import Counter
from dataclasses import dataclass, field

from .dump_lines import BULLET, LINKS_LABEL, OPENING_BYLINE, SECTION_NAMES, TITLE_LABEL

KICKER_MAX_WORDS = 4  # "Middle East" over a longer headline is the section, not the title
# A share of the gaps between paragraphs that makes that gap one of the dump's habits.
PARAGRAPH_GAP_SHARE = 0.2
# Kinds of line that make a headline-like line before them the start of a story.
HEADER_KINDS = frozenset({"caption", "credit", "date", "url", "repeat"})
CANDIDATE_KINDS = frozenset({"headline", "short", "sentence"})
_DIGITS = re.compile(r"\d+")


def line_key(line: str) -> bytes:
    """What a repeated line is known by: a digest of its case-folded text, so that the
    lines remembered for one article cost a few dozen bytes each however long they
    are (an article's own paragraphs would otherwise be held twice)."""
    return hashlib.blake2b(line.casefold().encode("utf-8", "surrogatepass"), digest_size=16).digest()


def site_key(line: str) -> bytes:
    """What a site's widget is known by across stories: numbers vary ("3 min", "5 min")."""
    return line_key(_DIGITS.sub("0", line))


@dataclass(slots=True)
class Line:
    gap: int  # blank lines before it
    text: str
    kind: str  # dump_lines.classify's, or "sentence" / "caption_text" for text read so
    printed_twice: bool = False  # the next line was the same: it was dropped


@dataclass
class DumpHabits:
    """What the dump has shown so far of how its site prints a story."""

    gaps: Counter[int] = field(default_factory=Counter)  # blank lines between consecutive paragraphs
    site_lines: set[bytes] = field(default_factory=set)  # lines printed under an earlier headline
    has_headlines: bool = False  # whether the first story had a headline
    header_captions: bool = False  # whether a header block held a caption
    header_gap: int = 0  # the widest gap inside the first story's header and under it

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

    def site_line(self, line: Line) -> bool:
        return line.kind in ("widget", "short", "headline") and site_key(line.text) in self.site_lines

    def junk(self, line: Line) -> bool:
        """A site's widget, or a bulleted item: never a headline nor a sub-heading."""
        return site_key(line.text) in self.site_lines or line.text[0] in BULLET


def next_kind(line: Line, following: Line | None) -> str | None:
    """The kind of the line after ``line`` as the rules read it: ``repeat`` when it was
    printed twice, ``byline_open`` for a byline that opens a story."""
    if line.printed_twice:
        return "repeat"
    if following is None:
        return None
    if following.kind == "byline" and OPENING_BYLINE.match(following.text):
        return "byline_open"
    return following.kind


def is_closer(line: Line) -> bool:
    """A line that signs a story off: "(Reporting by …; Editing by …)"."""
    return line.kind == "byline" and not OPENING_BYLINE.match(line.text) and not LINKS_LABEL.match(line.text)


def is_kicker(line: Line) -> bool:
    """A line that may be a kicker over a headline: a few words, or a section's name."""
    return line.kind in CANDIDATE_KINDS and (len(line.text.split()) <= KICKER_MAX_WORDS
                                             or line.text.casefold() in SECTION_NAMES)


def is_links_label(line: Line) -> bool:
    return line.kind != "sentence" and len(line.text) <= 40 and bool(LINKS_LABEL.match(line.text))


def links_end(zone: list[Line], label: int, complete: bool = True) -> int:
    """Where the list of links under the label at ``label`` ends: after its bulleted
    lines, or after its run of headline-like lines — but the last of a run that reaches
    the next story's header block (or, in a ``complete`` zone, the body) is that story's
    headline, and a wider gap ends the run too."""
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


def continues_links(zone: list[Line], line: Line) -> bool:
    """Whether ``line`` continues a list of links under a label in the zone."""
    labels = [i for i, z in enumerate(zone) if is_links_label(z)]
    if not labels:
        return False
    items = zone[labels[-1] + 1:]
    first = items[0] if items else line
    bulleted = first.text[0] in BULLET
    return all(z.gap <= first.gap and (z.text[0] in BULLET if bulleted else z.kind in CANDIDATE_KINDS)
               for z in [*items, line])


def candidates(zone: list[Line], habits: DumpHabits, complete: bool = True) -> list[int]:
    """The positions of the zone's headline-like lines that could be a headline: not a
    site widget, not a bulleted item, not a link under a "Related" label, not a caption
    whose credit is on the next line. A zone not ``complete`` may end inside a list of
    links."""
    out = []
    i = 0
    while i < len(zone):
        line = zone[i]
        if is_links_label(line):
            i = links_end(zone, i, complete)
            continue
        if line.kind in CANDIDATE_KINDS and not habits.junk(line) \
                and not (i + 1 < len(zone) and zone[i + 1].kind == "credit"):
            out.append(i)
        i += 1
    return out


def no_headline_yet(zone: list[Line], habits: DumpHabits, kicker_allowed: bool = True) -> bool:
    """No headline-like line in ``zone`` but (if allowed, or a section's name) a kicker
    right at its end."""
    found = candidates(zone, habits, complete=False)
    return not found or (found == [len(zone) - 1] and is_kicker(zone[-1]) and not zone[-1].printed_twice
                         and (kicker_allowed or zone[-1].text.casefold() in SECTION_NAMES))


def header_follows(zone: list[Line], at: int) -> int:
    """How surely a header block follows the line at ``at``: 2 for a caption, credit,
    date, URL, opening byline or the line printed again; 1 for a widget or a short line;
    else 0."""
    if any(line_key(line.text) == line_key(zone[at].text) for line in zone[at + 1:]):
        return 2
    after = zone[at + 1] if at + 1 < len(zone) else None
    if after is None:
        return 0
    if after.kind in HEADER_KINDS or after.kind == "caption_text" or (
            after.kind == "byline" and OPENING_BYLINE.match(after.text)):
        return 2
    return 1 if after.kind in ("widget", "short") else 0


def choose_headline(zone: list[Line], found: list[int], habits: DumpHabits, after_story: bool) -> int | None:
    """The headline among the candidates ``found``: a labelled title; else, after the last
    clear gap, sign-off or list of links (``after_story``: a story came before), skipping
    kickers and sentences with less of a header block under them than a later line, the
    first one printed again further on (the header block printed twice), or the first."""
    if not found:
        return None
    labelled = [i for i in found if TITLE_LABEL.match(zone[i].text)]
    if labelled:
        return labelled[0]
    if after_story:
        # What came before closed the last story.
        ends = [j for j in range(1, found[-1] + 1)
                if habits.clear_gap(zone[j].gap) or is_closer(zone[j]) or is_links_label(zone[j])]
        if ends:
            found = [i for i in found if i >= ends[-1]]
    # A kicker over the headline is not it: a section's name, or a line of a few words
    # over a longer headline-like line.
    words = [len(zone[i].text.split()) for i in found]
    kept = [i for n, i in enumerate(found)
            if not (n + 1 < len(found) and found[n + 1] == i + 1
                    and (words[n] <= KICKER_MAX_WORDS < words[n + 1] or zone[i].text.casefold() in SECTION_NAMES))]
    kept = kept or found
    # A sentence taken for a headline gives way to a later line with more of a header
    # block under it (it was the last story's last paragraph over a share row).
    score = {i: header_follows(zone, i) for i in kept}
    kept = [i for i in kept if zone[i].kind != "sentence" or not any(j > i and score[j] > score[i] for j in kept)]
    keys = Counter(line_key(line.text) for line in zone)
    repeated = [i for i in kept if keys[line_key(zone[i].text)] > 1]
    return repeated[0] if repeated else kept[0]


def opens_story(zone: list[Line], at: int, habits: DumpHabits, body_gap: int) -> bool:
    """Whether the headline at ``at`` opens a story (``body_gap``: the blank lines before
    the body line after the zone)."""
    headline = zone[at]
    if TITLE_LABEL.match(headline.text) or any(z.kind == "url" for z in zone[:at]):
        return True
    # A clear gap before the headline, or right under it, or the headline printed twice.
    gap_under = zone[at + 1].gap if at + 1 < len(zone) else body_gap
    if any(habits.clear_gap(z.gap) for z in zone[: at + 1]) or habits.clear_gap(gap_under) or headline.printed_twice:
        return True
    if any(is_links_label(z) or is_closer(z) for z in zone[:at]):
        return True  # links to other stories, or a sign-off, close the last one
    key = line_key(headline.text)
    for line in zone[at + 1:]:
        if line.kind in HEADER_KINDS or line.kind == "caption_text" or line_key(line.text) == key:
            return True
        if line.kind == "byline" and OPENING_BYLINE.match(line.text):
            return True
        if habits.site_line(line):
            return True
    return False


def headless_header(zone: list[Line], habits: DumpHabits) -> bool:
    """Whether ``zone`` is a header block of this site: a date line or an opening byline,
    or the widgets it prints under its headlines (two of them, or one under a caption: a
    lone "Share" may sit between paragraphs), and nothing that closes a story (a
    sign-off, links)."""
    if any(is_closer(z) or is_links_label(z) for z in zone):
        return False
    if any(z.kind == "date" or (z.kind == "byline" and OPENING_BYLINE.match(z.text)) for z in zone):
        return True
    site = {line_key(z.text) for z in zone if habits.site_line(z)}
    return len(site) >= 2 or (len(site) == 1 and any(z.kind in ("caption", "caption_text") for z in zone))
