"""Background, generic and habitual statements are not current events: a month or a
"then-" title that looks back, acts named in a charge, trends ("ramped up attacks"), long
conflicts ("has been fighting an insurgency"), habits, questions. Sentences are our own."""

from __future__ import annotations

import pytest

from wirecoder.stages.code.modality import judge

from test_code_modality import cues, nlp  # noqa: F401 (fixtures)


def _judge(nlp, cues, sentence: str, trigger: str, year: int = 2024, month: int = 5):
    doc = nlp(sentence)
    token = next(t for t in doc if t.text == trigger)
    return judge(token, token.sent, cues, year, None, month)


@pytest.mark.parametrize("sentence, trigger, expected", [
    # a later month told in the past tense is last year's (article of May)
    ("In October, police dismantled a smuggling cell in the port of Karsa.", "dismantled", "historical"),
    # an earlier month of the year, in the past tense, is not this week's news
    ("In February, jets carried out a series of airstrikes on the hills above Mirovo.", "airstrikes", "historical"),
    # "last <month>" looks back whatever the month
    ("The truce, which grew out of the border deal, began last April in Ardan.", "deal", "historical"),
    # a month on a present-tense clause dates something else: no verdict from it
    ("The arrest is linked to speeches he gave in March and April.", "arrest", "asserted"),
    # the article's own month is current
    ("In May, rebels attacked a convoy near Kalemi.", "attacked", "asserted"),
    # a "then-" title: the sentence tells old history
    ("The colonel was accused of arming rebels fighting the then-governor of the province.", "fighting", "historical"),
    # acts named in a charge happened before it
    ("The man was charged with kidnapping and robbing travellers on the coast road.", "kidnapping", "historical"),
    # a trend over plural events is a pattern, not one event
    ("Since January the group has stepped up attacks on police stations.", "attacks", "historical"),
    # waging a long conflict is a standing state
    ("The movement has been fighting a bloody insurgency in the hills for a decade.", "fighting", "historical"),
    # a clause describing a war: its toll is background
    ("The accord ended a war that lasted four years and killed thousands of people.", "killed", "historical"),
    # a habit in the simple present, inside a relative clause
    ("The gang has dozens of members who attack buses on the highway.", "attack", "historical"),
    # a habitual adverb
    ("Herders regularly clash with farmers over grazing land in the valley.", "clash", "historical"),
    # a present passive state: held now, not arrested now
    ("Several opposition leaders are detained in the old fortress.", "detained", "historical"),
    # "since <event>" names a starting point in the past
    ("Prices have risen sharply since the withdrawal of the peacekeepers.", "withdrawal", "historical"),
    # a question asserts nothing
    ("Who ordered the attack on the radio station?", "attack", "hypothetical"),
    # being exposed to a danger is not suffering it
    ("Villagers are vulnerable to attacks by armed groups, the report said.", "attacks", "hypothetical"),
    # "in the past two days" is recent, unlike "in the past"
    ("Gunmen have killed at least nine people in the past two days.", "killed", "asserted"),
    # "in the past two years" is background
    ("In the past two years, reporters have been detained while covering rallies.", "detained", "historical"),
    # a plain report stays asserted
    ("Troops stepped up patrols after militants attacked a checkpoint near Bazra on Monday.", "attacked", "asserted"),
    # a main verb in the present (a headline or caption) is still news
    ("Demonstrators clash with police in the capital.", "clash", "asserted"),
])
def test_code_background_modality(nlp, cues, sentence, trigger, expected):
    assert _judge(nlp, cues, sentence, trigger).modality == expected
