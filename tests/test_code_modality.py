"""Modality of event mentions: current reports against history, plans, possibilities
and denials. Sentences are our own; the model is spaCy's small English parser."""

from __future__ import annotations

import pytest

from wirecoder.stages.code.codebook import load_codebook
from wirecoder.stages.code.modality import ModalityCues, judge
from wirecoder.stages.nlp import load_spacy


@pytest.fixture(scope="session")
def nlp(settings):
    return load_spacy(settings.nlp.model)


@pytest.fixture(scope="session")
def cues():
    return ModalityCues(load_codebook().modality)


def _judge(nlp, cues, sentence: str, trigger: str, published_year: int | None = None):
    doc = nlp(sentence)
    token = next(t for t in doc if t.text == trigger)
    return judge(token, token.sent, cues, published_year)


@pytest.mark.parametrize("sentence, trigger, expected", [
    # a plain report of a clash is asserted
    ("Rebels attacked an army post near Karsa on Monday.", "attacked", "asserted"),
    # a reporting verb with a named subject makes it claimed
    ("The army said four soldiers were killed in an ambush near Mirovo.", "killed", "claimed"),
    # an explicit earlier year is history when the article's year is known
    ("Government forces recaptured the province in 2018.", "recaptured", "historical"),
    # "a decade ago" inside a relative clause of the trigger noun
    ("The town was the birthplace of protests that broke out a decade ago.", "protests", "historical"),
    # "ahead of" marks what has not happened yet
    ("Troops brought forward reinforcements ahead of a final thrust into the city.", "thrust", "future"),
    # ...with no other future word: "ahead of" alone
    ("Troops massed ahead of an assault on the city.", "assault", "future"),
    # "will" is future
    ("The army will launch an offensive on the town next week.", "offensive", "future"),
    # "possible" is hypothetical
    ("The army was on alert for a possible attack on the border.", "attack", "hypothetical"),
    # a plan meant to avert something: the thing averted did not happen
    ("The plan was meant to avert an all-out offensive against the city.", "offensive", "hypothetical"),
    # urging someone against an act: hypothetical
    ("He urged the prime minister against carrying out attacks against the factions.", "attacks", "hypothetical"),
    # a denial verb above the event
    ("The ministry denied that its jets bombed the village.", "bombed", "denied"),
    # negation on the event's own verb
    ("Police did not arrest anyone after the rally.", "arrest", "denied"),
    # an infinitive of purpose is not a report
    ("Foreign troops are needed in the country to maintain the fight against the insurgents.", "fight", "hypothetical"),
])
def test_modality(nlp, cues, sentence, trigger, expected):
    assert _judge(nlp, cues, sentence, trigger, published_year=2021).modality == expected


def test_attribution_names_the_source(nlp, cues):
    # the subject of the reporting verb is who says so
    verdict = _judge(nlp, cues, "The Syrian army said at least four soldiers were killed in ambushes.", "killed")
    assert verdict.modality == "claimed"
    assert verdict.attribution == "The Syrian army"


def test_according_to_gives_attribution(nlp, cues):
    # "according to X" names the source when no reporting verb does
    verdict = _judge(nlp, cues, "Militants stormed the town on Tuesday, according to residents.", "stormed")
    assert verdict.attribution == "residents"
