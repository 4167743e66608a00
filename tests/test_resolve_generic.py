"""Violence named as a kind ("people are subject to attacks") is no happening; a noun
that acts, is counted, or is governed by a past-tense verb is."""

from __future__ import annotations

import pytest

from wirecoder.stages.resolve.resolver import _generic_noun


@pytest.fixture(scope="module")
def nlp(settings):
    from wirecoder.stages.nlp import load_spacy

    return load_spacy(settings.nlp.model)


@pytest.mark.parametrize("sentence, word, generic", [
    # a bare mass noun after a present-tense verb
    ("Others encounter discrimination or sexual violence in their workplaces.", "violence", True),
    # the object of "subject to"
    ("He says people are subject to attacks, abductions, abuse and exploitation.", "attacks", True),
    # acts named in a charge
    ("The government accuses the rebel group of killing, raping and looting in the villages.", "looting", True),
    # governed by a past-tense verb: a happening
    ("Passengers said they heard a blast and gunfire after the train entered a tunnel.", "gunfire", False),
    # the noun acts
    ("Airstrikes kill 50 militants in the north.", "Airstrikes", False),
    ("Heavy fighting continues around the city.", "fighting", False),
    # an article or a number makes it one happening
    ("Officials condemn the attack on the market.", "attack", False),
])
def test_resolve_generic_violence(nlp, sentence, word, generic):
    token = next(t for t in nlp(sentence) if t.text == word)
    assert _generic_noun(token) is generic
