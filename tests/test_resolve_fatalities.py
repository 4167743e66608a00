"""Fatalities and injuries by ACLED's rules: number words, vague quantities, the most
conservative figure, injuries apart, enemy-loss claims, even splits."""

from __future__ import annotations

from typing import Any

import pytest

from wirecoder.stages.resolve.fatalities import count_casualties, parse_number, split_evenly


@pytest.fixture(scope="module")
def nlp(settings: Any) -> Any:
    from wirecoder.stages.nlp import load_spacy

    return load_spacy(settings.nlp.model)


CASES = [
    # a bound keeps its number
    ("At least four soldiers were killed in ambushes.", 4, None),
    # digits after the killing verb
    ("The bomb killed 12 people.", 12, None),
    # "dozens" is 12
    ("Dozens of civilians were killed.", 12, None),
    # "a dozen" is 12 too
    ("A dozen fighters died in the battle.", 12, None),
    # "tens" is 10
    ("Tens of people were killed.", 10, None),
    # "hundreds" is 100
    ("Hundreds were killed in the massacre.", 100, None),
    # "scores" is 20
    ("Scores of people were killed.", 20, None),
    # "several" is the smallest plural reading, 3
    ("Several soldiers were killed.", 3, None),
    # compound number words
    ("The death toll rose to twenty-one.", 21, None),
    # thousands separators
    ("More than 1,200 people have died in the fighting.", 1200, None),
    # rival figures for the same dead: the smallest
    ("Police said five people died, but local sources said eight were killed.", 5, None),
    # different victims listed together: added
    ("Three soldiers and two civilians were killed.", 5, None),
    # deaths and injuries kept apart
    ("A car bomb killed 12 people and wounded 30 others.", 12, 30),
    # "left N dead and M injured"
    ("The blast left 7 dead and 15 injured.", 7, 15),
    # injuries only
    ("Hundreds of protesters were injured.", None, 100),
    # "casualties" counts as neither
    ("Opposition shelling caused several casualties.", None, None),
    # nobody hurt: zero injuries
    ("No one was hurt in the attack.", None, 0),
    # a year is not a death count
    ("In 2018, 300 people were killed.", 300, None),
    # "shot dead" before the number
    ("Gunmen shot dead two farmers.", 2, None),
    # the bomber's own death is a reported death
    ("A suicide bomber killed himself and at least 25 worshippers.", 26, None),
    # no figure at all
    ("Rebels attacked a checkpoint.", None, None),
]


@pytest.mark.parametrize("sentence,deaths,injuries", CASES, ids=[c[0][:40] for c in CASES])
def test_count_casualties(sentence: str, deaths: int | None, injuries: int | None) -> None:
    result = count_casualties(sentence)
    assert (result.deaths, result.injuries) == (deaths, injuries)


CLAIMS = [
    # the army reports killing its enemies: 0
    ("The army said it killed 30 militants in the operation.", True),
    # the group claims to have killed soldiers: 0
    ("Rebels claimed to have killed dozens of soldiers.", True),
    # "its fighters" are the claimant's own
    ("The Taliban said its fighters killed 20 soldiers.", True),
    # a party reporting its own losses is no enemy claim
    ("The Syrian army said at least four soldiers were killed in ambushes.", False),
    # a neutral report
    ("Witnesses said gunmen killed five villagers.", False),
]


@pytest.mark.parametrize("sentence,is_claim", CLAIMS, ids=[c[0][:40] for c in CLAIMS])
def test_enemy_loss_claims_count_zero(sentence: str, is_claim: bool, nlp: Any) -> None:
    result = count_casualties(sentence, nlp(sentence)[:])
    assert result.enemy_claim is is_claim
    assert (result.deaths == 0) is is_claim


@pytest.mark.parametrize("total,parts,expected", [
    (4, 2, [2, 2]),  # the seed: four soldiers over Sanameen and Nawa
    (5, 2, [3, 2]),  # remainder to the first
    (5, 3, [2, 2, 1]),  # three places
    (1, 3, [1, 0, 0]),  # fewer deaths than places
    (0, 2, [0, 0]),  # nothing to split
])
def test_split_evenly(total: int, parts: int, expected: list[int]) -> None:
    assert split_evenly(total, parts) == expected
    assert sum(split_evenly(total, parts)) == total


@pytest.mark.parametrize("text,value", [
    ("four", 4), ("twenty-one", 21), ("1,200", 1200), ("dozens of", 12), ("a hundred", 100),
    ("two hundred", 200), ("banana", None),
])
def test_parse_number(text: str, value: int | None) -> None:
    assert parse_number(text) == value


def test_numbers_across_a_verb_are_not_one_list() -> None:
    # the freed passengers are not injured: only the 37 are
    result = count_casualties("354 passengers were freed, 37 of whom were injured.")
    assert (result.deaths, result.injuries) == (None, 37)
