"""Trigger words used in another sense make no ACLED event: a word inside an
organisation's name, a participle that only describes a person, a noun that only
classifies its subject, "deal" as a verb. Sentences are our own."""

from __future__ import annotations

import pytest


@pytest.mark.parametrize(
    "text",
    [
        # "Liberation" names a group, it is no liberation of territory
        "Two of the passengers spoke to reporters about the Northern Liberation Army.",
        # the month of March is no march
        "The ship stayed in the harbour of Oruma through February and into March.",
        # a freed man describing events is not a new release or recapture
        "\"We hid under the benches,\" said Omar Tahir, another freed passenger.",
        # killed as an adjective inside a question
        "Where is the list of killed reporters?",
        # a base that is merely described
        "This is an air base that matters for the whole region.",
        # "deal with" is coping, not a deal
        "Many young people say music helps them deal with stress.",
        # "dealt a blow" is a figure of speech
        "The ruling dealt a heavy blow to the opposition party.",
    ],
)
def test_code_trigger_in_another_sense_makes_no_acled_event(code, text):
    assert [e.sub_event_type for e in code(text) if e.event_type and e.modality in ("asserted", "claimed")] == []


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # the noun "deal" still makes an agreement
        ("The two factions signed a deal on Monday to end the fighting in Karsa.", "Agreement"),
        # a participle that is the sentence's verb still reports the event
        ("Gunmen killed four villagers near Mirovo on Tuesday.", "Attack"),
    ],
)
def test_code_real_events_are_kept(code, text, expected):
    assert expected in [e.sub_event_type for e in code(text)]
