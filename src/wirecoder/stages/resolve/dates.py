"""When did an event happen? Temporal phrases in its sentence, resolved against the
article's publication date.

ACLED's time precision: 1 the day is known, 2 the week, 3 the month. Our rules:

* a weekday ("on Tuesday", "Tuesday night") is the latest such day not after
  publication, precision 1; "last Tuesday" the latest one strictly before it;
* "today", "tonight", "overnight", "yesterday", "last night" are single days, precision 1
  ("yesterday" names one day exactly, so we do not blur it to a week);
* "over the past 24/48 hours", "in recent days", "this week", "earlier this week",
  "last week" -> precision 2, dated at the earliest day of the range not after publication
  (the start of the range, like ACLED's week coding);
* "this month", "earlier this month", "last month" -> precision 3, the 1st of the month;
* explicit dates "July 27", "27 July 2021", "July 27, 2021", "2021-07-27" -> precision 1;
  "in July 2021" -> precision 3;
* durations ("since last month", "until Friday") do not date an event;
* a year alone ("in 2018") cannot be said at any of the three precisions: the date stays
  null and ``date_text`` keeps the phrase, never a made-up January 1st;
* without a publication date, nothing relative is resolved: the date stays null and the
  phrase is kept. Explicit dates with a year still resolve.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from ...lang import language_pack

# The English words and patterns live in data/lang/en/resolve_dates.toml (what each is
# for is written there); the rules that resolve a phrase stay here.
_EN = language_pack("en")
_TABLE = "resolve_dates"

WEEKDAYS: tuple[str, ...] = _EN.sequence(_TABLE, "weekdays")
MONTHS: tuple[str, ...] = _EN.sequence(_TABLE, "months")
_MONTH_ABBR = {m[:3]: i + 1 for i, m in enumerate(MONTHS)} | _EN.mapping(_TABLE, "extra_month_abbreviations")
_MONTH_RE: str = _EN.value(_TABLE, "month_pattern")
_WEEKDAY_RE = "(?:" + "|".join(WEEKDAYS) + ")"
_LOWERCASE_NOT_MONTHS = _EN.sequence(_TABLE, "lowercase_not_months")
_DURATION_OPENERS = _EN.sequence(_TABLE, "duration_openers")
_PAST_HOURS: dict[str, int] = _EN.mapping(_TABLE, "past_hours")


@dataclass(frozen=True, slots=True)
class DateMatch:
    """One temporal phrase found in a sentence (offsets relative to that sentence)."""

    text: str
    start: int
    end: int
    kind: str


# Ordered most specific first: when two patterns overlap, the earlier one wins.
_PATTERNS: list[tuple[str, re.Pattern[str]]] = [
    (entry["kind"], re.compile(entry["pattern"].replace("{month}", _MONTH_RE).replace("{weekday}", _WEEKDAY_RE),
                               re.I if entry.get("ignore_case", True) else 0))
    for entry in _EN.sequence(_TABLE, "patterns")
]


_DURATION = re.compile(r"\b(?:" + "|".join(map(re.escape, _EN.sequence(_TABLE, "duration_words"))) + r")\s+$", re.I)


def find_date_phrases(sentence: str) -> list[DateMatch]:
    """Every temporal phrase in ``sentence``, left to right, overlaps removed."""
    found: list[DateMatch] = []
    taken: list[tuple[int, int]] = []
    for kind, pattern in _PATTERNS:
        for match in pattern.finditer(sentence):
            start, end = match.span()
            text = match.group(0).strip()
            start += len(match.group(0)) - len(match.group(0).lstrip())
            if any(start < e and s < end for s, e in taken):
                continue
            # "since last month", "for the last two months", "until Friday": a span of
            # time around the event, not the day it happened.
            if _DURATION.search(sentence[max(0, start - 8):start]) or text.lower().startswith(_DURATION_OPENERS):
                taken.append((start, end))
                continue
            if kind == "month_day" and match.group(1).lower().startswith(_LOWERCASE_NOT_MONTHS) and not match.group(1)[0].isupper():
                continue  # "may 3 more" is the verb, not the month
            taken.append((start, end))
            found.append(DateMatch(text=text, start=start, end=end, kind=kind))
    return sorted(found, key=lambda m: m.start)


def _month(name: str) -> int:
    return _MONTH_ABBR[name.lower().rstrip(".")[:3]]


def _safe_date(year: int, month: int, day: int) -> dt.date | None:
    try:
        return dt.date(year, month, day)
    except ValueError:
        return None


def _latest_weekday(weekday: int, published: dt.date, strictly_before: bool = False) -> dt.date:
    back = (published.weekday() - weekday) % 7
    if strictly_before and back == 0:
        back = 7
    return published - dt.timedelta(days=back)


def _without_year(month: int, day: int, published: dt.date) -> dt.date | None:
    """A day-and-month date is the latest such day not after publication (news reports
    the past): "December 30" in a story of January 2 is last year's."""
    candidate = _safe_date(published.year, month, day)
    if candidate is None:
        return None
    if candidate > published + dt.timedelta(days=1):
        candidate = _safe_date(published.year - 1, month, day)
    return candidate


def resolve_match(match: DateMatch, published: dt.date | None) -> tuple[dt.date | None, int | None]:
    """The date and precision a phrase stands for, or ``(None, None)`` when it cannot be
    placed honestly (a year alone, or a relative phrase without a publication date)."""
    kind, text = match.kind, match.text
    lowered = text.lower()
    if kind == "iso":
        y, m, d = (int(x) for x in re.findall(r"\d+", text)[:3])
        return _safe_date(y, m, d), 1
    if kind in ("month_day_year", "day_month_year"):
        parts = re.match(_PATTERNS[1][1].pattern if kind == "month_day_year" else _PATTERNS[2][1].pattern, text, re.I)
        if parts is None:
            return None, None
        if kind == "month_day_year":
            month, day, year = _month(parts.group(1)), int(parts.group(2)), int(parts.group(3))
        else:
            day, month, year = int(parts.group(1)), _month(parts.group(2)), int(parts.group(3))
        return _safe_date(year, month, day), 1
    if kind == "month_year":
        parts = re.search(rf"({_MONTH_RE})\s+(\d{{4}})", text, re.I)
        if parts is None:
            return None, None
        return _safe_date(int(parts.group(2)), _month(parts.group(1)), 1), 3
    if kind == "year" or published is None:
        return None, None
    if kind in ("month_day", "day_month"):
        numbers = re.search(r"\d{1,2}", text)
        name = re.search(_MONTH_RE, text, re.I)
        if numbers is None or name is None:
            return None, None
        return _without_year(_month(name.group(0)), int(numbers.group(0)), published), 1
    if kind in ("weekday", "last_weekday"):
        day_name = next(d for d in WEEKDAYS if d in lowered)
        return _latest_weekday(WEEKDAYS.index(day_name), published, kind == "last_weekday"), 1
    if kind == "yesterday":
        return published - dt.timedelta(days=1), 1
    if kind == "today":
        return published, 1
    if kind == "past_hours":
        hours = next((h for word, h in _PAST_HOURS.items() if word in lowered), 72)
        return published - dt.timedelta(days=hours // 24), 2
    if kind == "recent_days":
        return published - dt.timedelta(days=3), 2
    if kind == "this_week":
        return published - dt.timedelta(days=published.weekday()), 2
    if kind == "last_week":
        return published - dt.timedelta(days=published.weekday() + 7), 2
    if kind == "this_month":
        return published.replace(day=1), 3
    if kind == "last_month":
        first = published.replace(day=1) - dt.timedelta(days=1)
        return first.replace(day=1), 3
    return None, None


def parse_published(value: str | None) -> dt.date | None:
    """``"2021-07-27"`` -> a date; anything unreadable -> None (never guessed)."""
    if not value:
        return None
    try:
        return dt.date.fromisoformat(value[:10])
    except ValueError:
        return None


def resolve_event_date(
    sentence: str, published: dt.date | str | None, anchor: int | None = None
) -> tuple[str | None, str | None, int | None]:
    """The date of the event a sentence reports: ``(YYYY-MM-DD | None, phrase | None,
    precision | None)``.

    ``anchor`` is the offset (in ``sentence``) of the event's trigger word: when a
    sentence holds several phrases ("troops that have encircled the town for the last two
    months brought forward reinforcements on Monday"), the one nearest the trigger wins.

    >>> resolve_event_date("Rebels attacked the town on Tuesday.", "2021-07-27")
    ('2021-07-27', 'on Tuesday', 1)
    >>> resolve_event_date("Rebels attacked the town on Tuesday.", None)
    (None, 'on Tuesday', None)
    """
    if isinstance(published, str):
        published = parse_published(published)
    phrases = find_date_phrases(sentence)
    if not phrases:
        return None, None, None
    if anchor is not None:
        phrases.sort(key=lambda m: min(abs(m.start - anchor), abs(m.end - anchor)))
    chosen = phrases[0]
    date, precision = resolve_match(chosen, published)
    if date is not None and published is not None and date > published + dt.timedelta(days=1):
        # A resolved date after publication is a future plan, not the event's day.
        return None, chosen.text, None
    return (date.isoformat() if date else None), chosen.text, (precision if date else None)


_SINCE = re.compile(_EN.value(_TABLE, "since_pattern"), re.I)
_SINCE_YEAR = re.compile(_EN.value(_TABLE, "since_year_pattern"), re.I)


def since_date(sentence: str, published: dt.date | None) -> dt.date | None:
    """The latest day a "since <date>" phrase can mean ("since February 2022" -> the end
    of that month), or None. Such a phrase never dates the event itself, but it tells
    how old the state of affairs a sentence describes is."""
    if published is None:
        return None
    latest: dt.date | None = None
    for match in _SINCE.finditer(sentence):
        year = _SINCE_YEAR.match(sentence, match.start())
        if year:
            candidate: dt.date | None = dt.date(int(year.group(1)), 12, 31)
        else:
            phrases = find_date_phrases(sentence[match.end():match.end() + 40])
            if not phrases or phrases[0].start != 0:
                continue
            day, precision = resolve_match(phrases[0], published)
            candidate = day + dt.timedelta(days=30) if day and precision == 3 else day
        if candidate is not None and (latest is None or candidate > latest):
            latest = candidate
    return latest
