"""The codebook data files load, agree with each other and match triggers as documented."""

from __future__ import annotations

import pytest

from wirecoder.errors import ResourceError
from wirecoder.stages.code.codebook import load_codebook, parse_triggers

ACLED_EVENT_TYPES = {"Battles", "Explosions/Remote violence", "Violence against civilians",
                     "Protests", "Riots", "Strategic developments"}
PLOVER_TYPES = {"AGREE", "CONSULT", "SUPPORT", "CONCEDE", "COOPERATE", "AID", "RETREAT", "REQUEST",
                "ACCUSE", "REJECT", "THREATEN", "PROTEST", "SANCTION", "MOBILIZE", "COERCE", "ASSAULT"}


def test_taxonomies_are_complete():
    codebook = load_codebook()
    assert len(codebook.subtypes) == 25
    assert {s.event_type for s in codebook.subtypes.values()} == ACLED_EVENT_TYPES
    assert set(codebook.plover_types) == PLOVER_TYPES
    # every PLOVER type a sub-type implies exists
    assert {s.plover for s in codebook.subtypes.values() if s.plover} <= PLOVER_TYPES


@pytest.mark.parametrize("forms, expected", [
    # lemma match: "air strikes" -> "air strike"
    ([("air", "air", "NOUN"), ("strike", "strikes", "NOUN")], ["air strike"]),
    # lowercase form matches when the lemma differs
    ([("shell", "shelling", "VERB")], ["shelling"]),
    # a POS-restricted word does not match another POS ("aided by")
    ([("aid", "aided", "VERB")], []),
])
def test_trigger_matching(forms, expected):
    lexicon = parse_triggers("air strike\tair_strike\nshelling\tshelling\naid/NOUN\tAID\n")
    assert [h.phrase for h in lexicon.match(forms)] == expected


def test_bad_trigger_line_names_the_line():
    # a user's broken edit must say where it is
    with pytest.raises(ResourceError, match="mine.tsv:2"):
        parse_triggers("ok\tattack\nno-label-here\n", origin="mine.tsv")
