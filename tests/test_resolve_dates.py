"""``resolve_event_date``: temporal phrases against a publication date (2021-07-27 is a
Tuesday), and never an invented date without one."""

from __future__ import annotations

import pytest

from wirecoder.stages.resolve.dates import find_date_phrases, parse_published, resolve_event_date

PUB = "2021-07-27"  # a Tuesday

CASES = [
    # the day of publication itself is the latest Tuesday not after it
    ("Rebels attacked the town on Tuesday.", PUB, ("2021-07-27", "on Tuesday", 1)),
    # the latest Monday before a Tuesday is the day before
    ("Rebels attacked the town on Monday.", PUB, ("2021-07-26", "on Monday", 1)),
    # a weekday later in the week than publication lies in the week before
    ("Rebels attacked the town on Friday.", PUB, ("2021-07-23", "on Friday", 1)),
    # "last Tuesday" is never the publication day itself
    ("Rebels attacked the town last Tuesday.", PUB, ("2021-07-20", "last Tuesday", 1)),
    # a weekday with a time of day keeps the whole phrase
    ("Shelling resumed Sunday night.", PUB, ("2021-07-25", "Sunday night", 1)),
    # yesterday names one day
    ("Gunmen struck yesterday.", PUB, ("2021-07-26", "yesterday", 1)),
    # the past 24 hours straddle two days: week precision
    ("Attacks over the past 24 hours killed five.", PUB, ("2021-07-26", "over the past 24 hours", 2)),
    # earlier this week starts on the week's Monday
    ("Fighting escalated earlier this week.", PUB, ("2021-07-26", "earlier this week", 2)),
    # last week starts on the Monday before
    ("Troops withdrew last week.", PUB, ("2021-07-19", "last week", 2)),
    # month precision for "earlier this month"
    ("Talks collapsed earlier this month.", PUB, ("2021-07-01", "earlier this month", 3)),
    # last month
    ("Talks collapsed last month.", PUB, ("2021-06-01", "last month", 3)),
    # day and month: the year of publication
    ("Troops entered the city on July 20.", PUB, ("2021-07-20", "July 20", 1)),
    # day and month after publication would be the future: last year's
    ("Troops entered the city on December 30.", "2022-01-02", ("2021-12-30", "December 30", 1)),
    # a full date needs no publication date
    ("Troops entered the city on 27 July 2021.", None, ("2021-07-27", "27 July 2021", 1)),
    # American order with a comma
    ("Troops entered the city on July 27, 2021.", None, ("2021-07-27", "July 27, 2021", 1)),
    # ISO dates
    ("Report of 2021-07-27.", None, ("2021-07-27", "2021-07-27", 1)),
    # a month and year: month precision
    ("The siege began in March 2020.", None, ("2020-03-01", "in March 2020", 3)),
    # a year alone cannot be a day, week or month: no date, the phrase kept
    ("The province was recaptured in 2018.", PUB, (None, "in 2018", None)),
    # without publication date a weekday stays unresolved
    ("Rebels attacked the town on Tuesday.", None, (None, "on Tuesday", None)),
    # without publication date "yesterday" stays unresolved
    ("Gunmen struck yesterday.", None, (None, "yesterday", None)),
    # no temporal phrase at all
    ("Rebels attacked the town.", PUB, (None, None, None)),
    # "may" the verb is not May the month
    ("Talks may 3 times fail.", PUB, (None, None, None)),
]


@pytest.mark.parametrize("sentence,published,expected", CASES, ids=[c[0][:40] for c in CASES])
def test_resolve_event_date(sentence: str, published: str | None, expected: tuple) -> None:
    assert resolve_event_date(sentence, published) == expected


def test_tuesday_and_monday_against_publication_on_a_tuesday() -> None:
    assert resolve_event_date("stepped up an offensive on Tuesday", "2021-07-27")[0] == "2021-07-27"
    assert resolve_event_date("brought forward reinforcements on Monday", "2021-07-27")[0] == "2021-07-26"


def test_nearest_phrase_to_the_trigger_wins() -> None:
    sentence = "Troops that have encircled the town since last month brought forward reinforcements on Monday."
    anchor = sentence.index("brought")
    assert resolve_event_date(sentence, PUB, anchor)[1] == "on Monday"


def test_phrases_do_not_overlap() -> None:
    phrases = find_date_phrases("on July 27, 2021 and on Monday")
    assert [p.text for p in phrases] == ["July 27, 2021", "on Monday"]


@pytest.mark.parametrize("value,expected", [
    ("2021-07-27", "2021-07-27"),  # plain ISO
    ("2021-07-27T10:00:00Z", "2021-07-27"),  # a timestamp keeps its day
    ("not a date", None),  # unreadable: None, never guessed
    (None, None),  # absent
])
def test_parse_published(value: str | None, expected: str | None) -> None:
    parsed = parse_published(value)
    assert (parsed.isoformat() if parsed else None) == expected


@pytest.mark.parametrize("sentence", [
    "The siege has lasted since last month.",  # "since": when a state began, not an event's day
    "The ceasefire holds until Friday.",  # "until": a deadline
])
def test_durations_do_not_date_events(sentence: str) -> None:
    assert resolve_event_date(sentence, PUB) == (None, None, None)
