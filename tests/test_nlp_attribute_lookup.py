"""The attribute lookup that replaces spaCy's attribute ruler in the nlp stage: the same
annotations, token for token, as the ruler it replaces."""

from __future__ import annotations

import importlib

import pytest
import spacy

from wirecoder.stages.attribute_lookup import AttributeLookup, replace_attribute_ruler


def _annotations(doc) -> list[tuple]:
    return [(t.text, t.tag_, t.pos_, str(t.morph), t.lemma_, t.dep_, t.head.i, t.ent_iob_, t.ent_type_)
            for t in doc]


@pytest.fixture(scope="module")
def pipelines(settings):
    plain = importlib.import_module(settings.nlp.model).load()
    looked_up = importlib.import_module(settings.nlp.model).load()
    assert replace_attribute_ruler(looked_up)
    return plain, looked_up


@pytest.mark.parametrize("text", [
    # the two-token rules: "ai n't" (lemma be), "gon na", "got ta", "let 's", "c'm on", "y' all"
    "I ain't gonna do it, y'all. Let's go, c'mon! You gotta see it.",
    # index 1 of a two-token rule: "there" (expl) makes the next "is" a VERB
    "There is nothin' left, and there were no others.",
    # pronoun case by dependency: I/you/it as subject and as object
    "I saw it and it saw me; you told him and he told you.",
    # negation, auxiliaries, subordinators by lower form and tag
    "She said that he's not here because they haven't come, though we are.",
    # determiners as pronouns, whitespace tokens between paragraphs
    "That is what those wanted.  \n\n  These were the days, which ended.",
    # a rule with two patterns (gets / got)
    "He gets what he got.",
])
def test_lookup_annotates_like_the_ruler(pipelines, text: str) -> None:
    plain, looked_up = pipelines
    assert _annotations(looked_up(text)) == _annotations(plain(text))


def test_later_rules_win_as_in_the_ruler() -> None:
    # two rules hit one token: the ruler applies them in order, the second one wins
    patterns = [{"patterns": [[{"LOWER": "rebels"}]], "attrs": {"LEMMA": "first"}},
                {"patterns": [[{"LOWER": {"IN": ["rebels", "troops"]}}]], "attrs": {"LEMMA": "second"}},
                {"patterns": [[{"LOWER": "the"}, {"LOWER": {"REGEX": "^reb"}}]], "attrs": {"LEMMA": "third"}, "index": -1}]
    plain, looked_up = spacy.blank("en"), spacy.blank("en")
    for nlp in (plain, looked_up):
        nlp.add_pipe("attribute_ruler").add_patterns(patterns)
    assert replace_attribute_ruler(looked_up)
    assert isinstance(looked_up.get_pipe("attribute_ruler"), AttributeLookup)
    text = "the rebels and troops met rebels"
    assert [t.lemma_ for t in looked_up(text)] == [t.lemma_ for t in plain(text)] == \
        ["", "third", "", "second", "", "second"]


def test_a_rule_it_cannot_look_up_keeps_the_ruler() -> None:
    # the lookup only knows TAG, LOWER, DEP and IS_SPACE tests; a POS test stays with spaCy
    nlp = spacy.blank("en")
    nlp.add_pipe("attribute_ruler").add_patterns([{"patterns": [[{"POS": "NOUN"}]], "attrs": {"LEMMA": "x"}}])
    assert not replace_attribute_ruler(nlp)
    assert not isinstance(nlp.get_pipe("attribute_ruler"), AttributeLookup)
