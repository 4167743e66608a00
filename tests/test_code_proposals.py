"""A deal or ceasefire that is only being negotiated, proposed or hoped for is not an
Agreement event: it is judged hypothetical, and the talks beside it stay their own event.
A deal that is signed or reached is still an Agreement. Sentences are our own."""

from __future__ import annotations

import pytest


def _agreements(events):
    return [e for e in events if e.sub_event_type == "Agreement" and e.modality in ("asserted", "claimed")
            and e.trigger.lower() in ("deal", "ceasefire", "truce", "agreement", "accord", "pact")]


@pytest.mark.parametrize(
    "text",
    [
        # work still to do on a deal
        "Much remains to be done on a deal, the envoy said.",
        # the deal is the topic of talks
        "Talks on a ceasefire deal resumed in Dorvan on Sunday.",
        # a proposal, rejected
        "The rebels rejected a proposed truce.",
        # efforts towards something not reached
        "Efforts toward an agreement continued on Monday.",
        # near, not reached
        "A deal is within reach, officials said.",
        # pressure for a ceasefire
        "Neighbouring states increased pressure for a ceasefire.",
    ],
)
def test_code_sought_agreement_is_not_asserted(code, text):
    assert _agreements(code(text)) == []


@pytest.mark.parametrize(
    "text",
    [
        # a deal signed is an agreement
        "The two sides signed a ceasefire deal on Monday.",
        # a truce agreed and in force
        "A truce between the army and the rebels took effect on Sunday.",
        # a deal reached, named by its noun
        "The agreement was reached in Dorvan after two days of talks.",
    ],
)
def test_code_agreement_reached_is_still_an_event(code, text):
    assert "Agreement" in [e.sub_event_type for e in code(text) if e.modality in ("asserted", "claimed")]
