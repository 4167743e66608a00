"""Tolls read through the parse: each death word's victims are counted from their own
noun phrase, never from a date, a count of places or things, or a rival source."""

from __future__ import annotations

import pytest

from wirecoder.stages.resolve.fatalities import count_casualties


@pytest.fixture(scope="module")
def nlp(settings):
    from wirecoder.stages.nlp import load_spacy

    return load_spacy(settings.nlp.model)


@pytest.mark.parametrize("sentence, deaths", [
    # a plain number before the victims
    ("Security forces killed 33 fighters in the operation.", 33),
    # the day of the month of a date is no toll
    ("Police said the bombing of May 14 killed a policeman.", 1),
    # villages are counted places; the victims are listed and added
    ("The soldiers raided three villages, leaving 12 rebels and 3 soldiers dead.", 15),
    # "a militant" is one person
    ("Troops killed a militant near the border.", 1),
    # coordinated victims each count
    ("Gunmen killed a teacher, a soldier and a passer-by.", 3),
    # an unnamed subject of "died"
    ("A youth died when police opened fire on the crowd.", 1),
    # a bare number as the subject of a passive
    ("Three were killed in police firing.", 3),
    # a vague quantity takes its smallest reading
    ("The attack killed dozens of civilians.", 12),
    # a year is not a head count
    ("The bomb killed 4 people in 2019.", 4),
    # "left five dead"
    ("The blast left five dead.", 5),
    # rival sources: the most conservative figure
    ("Police said five people died in the blast, but hospital sources said eight were killed.", 5),
    # "shot dead" counts its object, not the shooters
    ("Gunmen shot dead a journalist and his driver on Monday.", 2),
    # a phrasal killing verb
    ("Gunmen gunned down a judge outside his home.", 1),
    # part of a toll told elsewhere is not added to it
    ("Two policemen were among those killed.", 0),
    # a party's claim of its enemy's losses counts 0
    ("The army said it killed 30 militants.", 0),
])
def test_resolve_toll_from_parse(nlp, sentence, deaths):
    span = next(iter(nlp(sentence).sents))
    assert count_casualties(sentence, span).deaths == deaths
