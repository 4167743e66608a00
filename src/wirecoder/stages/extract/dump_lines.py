"""The lines of a plain-text dump: re-joined when hard-wrapped, each with the blank lines
before it, and each classified on its own shape (dumps.py groups them into articles).

Kinds of line, tried in this order:

1. *url* — ``URL: https://…``, or a bare URL: metadata of the story after it.
2. *headline* (labelled) — ``Title: …``.
3. *caption* — a line ending with a photo credit: ``(AFP)``, ``(Reuters file)``,
   ``(AP Photo/Jane Doe)``, ``Photo: Jane Doe/Reuters``, a short parenthesis of
   capitalised names after a full stop (``… on May 2. (Jane Doe)``), or a line opening
   with the ``FILE -`` label of file photos. Kept, with the credit, apart from the body;
   its dates are the photo's and are never read as the article's.
4. *credit* — a photo credit on a line of its own (``(EPA)``, ``Getty Images``,
   ``Photo: Jane Doe``): the credit of the caption above it.
5. *date* — a short line holding only a date (``Published: 14 March 2025``).
6. *byline* — ``By Jane Doe`` (opens a story) or ``Reporting by …``, ``Read more: …``
   (close one).
7. *widget* — a line with no letters, a token of one or two letters (``TT``, ``A+``), or
   words of page furniture only (``Listen to this article``, ``3 min``, ``Font size``,
   ``Comments (4)``, ``See all columns``): the words are the language pack's.
8. *text* — a sentence: it ends with sentence punctuation, or it is long.
9. *short* — at most three words and no final stop: a short headline (a name), a
   kicker, a sub-heading, or a site's widget; where it stands decides.
10. *headline* — anything else: short, without a final full stop.
"""

from __future__ import annotations

import re
from typing import Iterable, Iterator

from ...lang import language_pack
from .publication_dates import parse_date_line

# The words are the language pack's (data/lang/en/extract.toml says what each is for).
_EN = language_pack("en")
# Words that make a trailing parenthesis a photo credit rather than an aside.
CREDIT_WORDS = "|".join(_EN.sequence("extract", "credit_words"))
_CREDIT_WORD = re.compile(rf"\b(?:{CREDIT_WORDS})\b", re.I)
# Those that are ordinary words too ("photo", "pool"), case-folded.
GENERIC_CREDIT_WORDS = _EN.words("extract", "generic_credit_words")
CREDIT_LINE_OPENER = re.compile(r"^(?:" + "|".join(_EN.sequence("extract", "credit_line_openers")) + r")\b", re.I)
# "… on October 2, 2018. (AFP)" / "(AP Photo/Jane Doe)" at the end of the line.
PAREN_CREDIT = re.compile(r"\s*\((?P<credit>[^()]{1,80})\)\s*$")
# "… near Goma. Photo: Jane Doe/Reuters" / "… | Credit: UNICEF".
_LABELS = "|".join(_EN.sequence("extract", "credit_labels"))
LABEL_CREDIT = re.compile(
    r"(?:^|(?<=[.!?”\"’])\s+|\s+[|—–-]\s+|\s+)(?P<credit>(?:" + _LABELS
    + r")s?\s*(?::|" + _EN.value("extract", "credit_by") + r"\b|/)\s*[^!?:]{1,80})$",
    re.I,
)
_LABEL_WORD = re.compile("|".join(_EN.sequence("extract", "credit_label_stems")), re.I)
# "FILE - Smoke rises over …": the label of a file photo opening its caption (case kept).
FILE_CAPTION = re.compile(_EN.value("extract", "file_caption_label"))
# A credit of names alone: "Jane Doe", "EPA-EFE/Jane Doe", "NASA/JPL-Caltech".
_NAMES_CREDIT = re.compile(r"^(?:[A-Z0-9][\w.'’&-]*(?:[ /]+|$)){1,6}$")
# Sentence end: full stop, question or exclamation mark, ellipsis, colon or semicolon,
# possibly followed by closing quotes or brackets.
CLOSERS = "\"'”’)]»"
# Lines that close or sign a story rather than open one.
BYLINE = re.compile(r"^\(?(?:" + "|".join(_EN.sequence("extract", "byline_openers")) + r")\b", re.I)
# Bylines that open a story (the others close one or point elsewhere).
OPENING_BYLINE = re.compile(r"^(?:" + "|".join(_EN.sequence("extract", "opening_bylines")) + r")\b", re.I)
# Labels over a list of links to other stories ("Related", "Read more").
LINKS_LABEL = re.compile(r"^(?:" + "|".join(_EN.sequence("extract", "links_labels")) + r")\b", re.I)
# Labelled metadata lines of scraped corpora: "URL: https://…", "Title: …".
URL_LINE = re.compile(r"^(?:(?:" + "|".join(_EN.sequence("extract", "url_labels"))
                      + r")\s*:\s*)?(?P<url>https?://\S+)$", re.I)
URL_LINE_STARTS = _EN.sequence("extract", "url_line_starts")
TITLE_LABEL = re.compile(r"^(?:" + "|".join(_EN.sequence("extract", "title_labels")) + r")\s*:\s*(?=\S)", re.I)
# Section names printed as kickers over headlines.
SECTION_NAMES = _EN.words("extract", "section_names")
# The words of page furniture; a line made only of them (and numbers) is a widget.
WIDGET_WORDS = _EN.words("extract", "widget_words")
_TOKEN_EDGES = "()[]{}:|•·,.!?\"'“”‘’«»<>/"
_NUMBER = re.compile(r"^[+\-−]?\d[\d.,:/]*[kKmM]?$")
LETTERS = re.compile(r"[^\W\d_]")
BULLET = "•·*▪►–—-"
HEADLINE_MAX_CHARS = 200
TEXT_MIN_WORDS = 30
WIDGET_MAX_WORDS = 6
SHORT_MAX_WORDS = 3


def ends_sentence(line: str) -> bool:
    return line.rstrip(CLOSERS)[-1:] in (".", "!", "?", "…", ":", ";")


def ends_question(line: str) -> bool:
    return line.rstrip(CLOSERS)[-1:] in ("!", "?")


def _is_slashed_credit(credit: str) -> bool:
    """"NASA/JPL-Caltech", "Jane Doe/Lakes Courier": names joined by a slash, the way
    photo credits are written, without sentence punctuation."""
    return "/" in credit and len(credit.split()) <= 6 and not any(ch in credit for ch in ".,;:!?")


def _is_credit(credit: str, after_sentence: bool) -> bool:
    """Whether the inside of a trailing parenthesis is a photo credit: it names an agency
    or a credit word, or names joined by a slash, or — after a finished sentence —
    capitalised names alone ("… on May 2. (Jane Doe)")."""
    return bool(_CREDIT_WORD.search(credit) or _is_slashed_credit(credit)
                or (after_sentence and len(credit.split()) <= 5 and _NAMES_CREDIT.match(credit)))


def _find_credit(line: str) -> tuple[int, str | None, str] | None:
    """Where a photo credit ending ``line`` begins: ``(end of the text before it, the
    characters to strip from that text, the credit)``, or None."""
    # Cheap tests first: most lines are body text and end with neither form.
    match = PAREN_CREDIT.search(line) if line.endswith(")") else None
    if match and _is_credit(match["credit"], line[:match.start()].rstrip()[-1:] in ".!?”\"’"):
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


def caption_parts(line: str) -> tuple[str, str | None]:
    """The text and credit of a line classified ``caption``."""
    split = split_caption(line)
    if split is not None:
        return split
    label = FILE_CAPTION.match(line)
    return line[label.end():] if label else line, label.group().strip(" -–—:") if label else None


def is_credit_line(line: str) -> bool:
    """A photo credit alone: ``(EPA)``, ``(AFP file photo)``, ``Getty Images``,
    ``Photo: Jane Doe/Reuters``, ``Jane Doe/AFP via Getty Images``."""
    if len(line) > 90 or ends_sentence(line.rstrip(")")):
        return False
    if line.startswith("(") and line.endswith(")"):
        inner = line[1:-1].strip()
        return 0 < len(inner.split()) <= 8 and _is_credit(inner, after_sentence=True)
    if LABEL_CREDIT.match(line):
        return True
    # Bare, it must name an agency or a photographer's slash, and hold no other words in
    # lower case: "Getty Images", "AFP file photo", "Reuters/Jane Doe" — not "The image
    # problem" nor "Pool Reporters Barred".
    words = line.split()
    if len(words) > 6 or not line[0].isupper() or ":" in line:
        return False
    if len(words) <= 3 and all(w.casefold() in GENERIC_CREDIT_WORDS for w in words):
        return True  # "File photo", "Handout"
    if CREDIT_LINE_OPENER.match(line):
        return True  # "Courtesy of the family"
    named = any(_CREDIT_WORD.fullmatch(w) and w.casefold() not in GENERIC_CREDIT_WORDS for w in words) or "/" in line
    return named and bool(_CREDIT_WORD.search(line)) and all(
        w[0].isupper() or not w[0].isalpha() or w.casefold() in GENERIC_CREDIT_WORDS or w == "via" for w in words)


def is_widget(line: str, words: list[str]) -> bool:
    """Page furniture: no letters (``20``, ``|``, ``12:45``), a token of one or two
    letters (``TT``, ``A+``), or a few words of the widget vocabulary and numbers
    (``Listen to this article``, ``3 min``, ``Comments (4)``)."""
    if not LETTERS.search(line):
        return True
    if len(words) > WIDGET_MAX_WORDS or line.endswith("."):
        return False
    tokens = [w.strip(_TOKEN_EDGES).casefold() for w in words]
    if len(tokens) == 1 and len(tokens[0].strip("+-−")) <= 2:
        return True
    return all(not t or t in WIDGET_WORDS or _NUMBER.match(t) for t in tokens)


def is_sentence(line: str, words: list[str]) -> bool:
    if len(words) > TEXT_MIN_WORDS:
        return True
    if not ends_sentence(line):
        return False
    if ends_question(line) and len(words) <= 15:
        # "Is the Truce Over?" is a headline; "What happens now, he asked?" is text:
        # mostly capitalized words make the difference.
        return not title_cased(words)
    return True


def title_cased(words: list[str]) -> bool:
    return sum(1 for w in words if w[:1].isupper()) / max(1, len(words)) >= 0.6


def headline_shaped(line: str) -> bool:
    """A sentence that could be a headline by its shape alone: short, and a question or
    an exclamation somewhere ("What is the winter solstice? Here's what to know."), or
    mostly capitalised words."""
    words = line.split()
    return len(words) <= 20 and ("?" in line or "!" in line or (len(words) >= 3 and title_cased(words)))


def classify(line: str) -> str:
    """One of ``url``, ``headline``, ``caption``, ``credit``, ``date``, ``byline``,
    ``widget``, ``text``, ``short``."""
    if line.startswith(URL_LINE_STARTS) and URL_LINE.match(line):
        return "url"
    if TITLE_LABEL.match(line):
        return "headline"
    if FILE_CAPTION.match(line) or split_caption(line):
        return "caption"
    words = line.split()
    if BYLINE.match(line) and not ends_sentence(line):
        return "byline"  # before widgets: "By Jane Doe" is the story's, not the site's
    # "(AP)" is a credit, "Photo 1 of 3" a widget, "Getty Images" a credit.
    if line.startswith("(") and is_credit_line(line):
        return "credit"
    if len(line) <= 60 and parse_date_line(line):
        return "date"
    if is_widget(line, words):
        return "widget"
    if is_credit_line(line):
        return "credit"
    if is_sentence(line, words):
        return "text"
    if len(words) <= SHORT_MAX_WORDS and len(line) <= 30:
        return "short"
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


def gapped_lines(lines: Iterable[str]) -> Iterator[tuple[int, int, str]]:
    """``(line number, blank lines before it, line)`` of the non-blank lines, stripped,
    with hard-wrapped paragraphs re-joined: a line continues the one just above it (no
    blank between) when that one has no final punctuation and this one starts in lower
    case. Linear in the length of a paragraph, however many lines it was wrapped into."""
    pending: _Paragraph | None = None
    pending_no = pending_gap = blanks = 0
    for number, raw in enumerate(lines, start=1):
        line = " ".join(raw.split())
        if not line:
            if pending is not None:
                yield pending_no, pending_gap, pending.text()
                pending = None
            blanks += 1
            continue
        if pending is not None and pending.continued_by(line):
            pending.add(line)
            continue
        if pending is not None:
            yield pending_no, pending_gap, pending.text()
        pending, pending_no, pending_gap, blanks = _Paragraph(line), number, blanks, 0
    if pending is not None:
        yield pending_no, pending_gap, pending.text()


def logical_lines(lines: Iterable[str]) -> Iterator[tuple[int, str]]:
    """``(line number, line)`` of :func:`gapped_lines`, without the gaps."""
    for number, _gap, line in gapped_lines(lines):
        yield number, line
