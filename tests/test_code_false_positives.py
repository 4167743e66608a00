"""Sentences that name an event word without reporting an event get no ACLED event:
a trigger noun that only qualifies another noun, "according to", "the upper hand"."""

from __future__ import annotations

import pytest


@pytest.mark.parametrize(
    "text",
    [
        # "protest" qualifies "leaders": people, not a protest
        "The minister thanked the protest leaders for their patience.",
        # a helicopter doing nothing violent is not an air strike
        "A police helicopter hovered over the stadium for an hour.",
        # "according to" is not an accord
        "The town has about forty thousand inhabitants, according to the census.",
        # "the upper hand over" is not a handover of territory
        "The army says it has the upper hand over the insurgents in the north.",
    ],
)
def test_code_event_words_that_report_no_event(code, text):
    assert [e.sub_event_type for e in code(text) if e.event_type] == []


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # the qualified noun makes the trigger an event: "a mortar round hit"
        ("A mortar round hit a school in the town on Monday.", True),
        # a compound inside a trigger phrase stays one event
        ("A drone strike killed a commander near the border on Monday.", True),
    ],
)
def test_code_compound_events_are_kept(code, text, expected):
    assert bool(code(text)) is expected
