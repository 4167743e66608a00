"""Publication dates: parsing the forms found in metadata (ISO 8601, RFC 822 feed dates)
and in text (``March 3, 2025``, ``3 March 2025``), and finding a dateline at the start of
an article's first paragraph (``KHARTOUM, March 3, 2025 —``).

Only whole dates (year, month, day) count: a publication date is never guessed."""

from __future__ import annotations

import datetime as dt
import email.utils
import re

from ...errors import ConfigError
from ...lang import language_pack

# The words and patterns are the language pack's (data/lang/en/calendar.toml and
# extract.toml say what each is for).
_EN = language_pack("en")
MONTHS = {
    name: number
    for number, names in enumerate(_EN.sequence("calendar", "months"), start=1)
    for name in names
}
_MONTH = r"(?P<month>" + "|".join(sorted(MONTHS, key=len, reverse=True)) + r")\.?"
_WEEKDAY = r"(?:(?:" + "|".join(_EN.sequence("calendar", "weekday_prefixes")) + r")[a-z]*\.?,?\s+)?"
_ORDINAL = r"(?:" + "|".join(_EN.sequence("calendar", "ordinal_suffixes")) + r")?"
ISO_DATE = re.compile(r"^\s*(?P<year>\d{4})-(?P<month>\d{1,2})-(?P<day>\d{1,2})(?:$|[T\s])")
MONTH_FIRST = re.compile(_WEEKDAY + _MONTH + r"\s+(?P<day>\d{1,2})" + _ORDINAL + r",?\s+(?P<year>\d{4})", re.I)
DAY_FIRST = re.compile(_WEEKDAY + r"(?P<day>\d{1,2})" + _ORDINAL + r"\s+" + _MONTH + r",?\s+(?P<year>\d{4})", re.I)

YEAR = re.compile(r"\d{4}")
# A date-only line in a dump's header: "Published: 14 March 2025 10:32 GMT".
DATE_LINE = re.compile(_EN.value("extract", "date_line"), re.I)

# A dateline: "KHARKIV, Ukraine, March 3, 2025 —", "GOMA (Reuters) 4 November 2024 -",
# "March 3, 2025:" — an optional place in capitalized words, a whole date, then a dash
# or colon. The place and the end are checked around a date found first (one regex
# for all three parts backtracks badly on ordinary sentences).
DATELINE_PLACE = re.compile(_EN.value("extract", "dateline_place"))
DATELINE_END = re.compile(r"\s*(?:\([^)]{1,30}\))?\s*[—–\-:]")


def make_date(year: int, month: int, day: int) -> str | None:
    try:
        return dt.date(year, month, day).isoformat()
    except ValueError:
        return None


def parse_date(text: str | None) -> str | None:
    """``YYYY-MM-DD`` from ISO, RFC 822 or written-out dates; None if not a whole date."""
    if not text:
        return None
    text = text.strip()
    match = ISO_DATE.match(text)
    if match:
        return make_date(int(match["year"]), int(match["month"]), int(match["day"]))
    for pattern in (MONTH_FIRST, DAY_FIRST):
        match = pattern.search(text)
        if match:
            return make_date(int(match["year"]), MONTHS[match["month"].lower()], int(match["day"]))
    try:
        parsed = email.utils.parsedate_to_datetime(text)
    except (TypeError, ValueError, IndexError):
        return None
    return parsed.date().isoformat() if parsed else None


def parse_date_line(line: str) -> str | None:
    """The date of a line that holds nothing but a date (optionally "Published:" and a
    time), else None. Used for header lines of dumps, never for captions."""
    if len(line) > 60 or not YEAR.search(line):
        return None
    match = DATE_LINE.match(line.strip())
    if not match:
        return None
    candidate = match["date"].strip(" ,-|")
    for pattern in (MONTH_FIRST, DAY_FIRST):
        whole = pattern.fullmatch(candidate)
        if whole:
            return make_date(int(whole["year"]), MONTHS[whole["month"].lower()], int(whole["day"]))
    whole_iso = ISO_DATE.match(candidate)
    if whole_iso and len(candidate) <= 10:
        return make_date(int(whole_iso["year"]), int(whole_iso["month"]), int(whole_iso["day"]))
    return None


def find_dateline(paragraph: str) -> str | None:
    """The date of a dateline opening ``paragraph``, if it has one with a year."""
    head = paragraph[:120]
    if not YEAR.search(head):
        return None
    for pattern in (MONTH_FIRST, DAY_FIRST):
        match = pattern.search(head)
        if (match and match.start() <= 60 and DATELINE_PLACE.fullmatch(head, 0, match.start())
                and DATELINE_END.match(head, match.end())):
            return make_date(int(match["year"]), MONTHS[match["month"].lower()], int(match["day"]))
    return None


def validate_cli_date(value: str | None) -> str | None:
    """``--published`` must be a real ``YYYY-MM-DD`` date."""
    if value is None:
        return None
    if not re.fullmatch(r"\d{4}-\d{2}-\d{2}", value.strip()) or parse_date(value) is None:
        raise ConfigError(f"--published {value!r} is not a date; expected YYYY-MM-DD, e.g. 2021-07-27")
    return value.strip()
