"""People's names are not places: the geoparser is the one stage that tells them apart
(resolve trusts ``Document.places``), so each rule is pinned here with a sentence of our
own. Each not-a-place case uses a name the gazetteer does know as a town somewhere
(Rubio, Venezuela; Al 'Abbasi, Iraq; Tyler, Texas), so only the rule keeps it out."""

from __future__ import annotations

import pytest

from wirecoder.settings import Settings

from test_geoparse_context import geoparse


@pytest.mark.parametrize(
    "text, word",
    [
        # The surname of someone named in full earlier ("Marco Rubio" ... "Rubio said").
        ("Secretary of State Marco Rubio arrived on Monday. Rubio said the talks would go on.", "Rubio"),
        # The same with the Arabic article on the full name (moved here from the resolve
        # stage, which no longer filters surnames itself).
        ("Defense Minister Thabet al-Abbasi spoke in Baghdad on Sunday. Abbasi added that troops attacked militants.",
         "Abbasi"),
        # A title is no town (Secretary, Idaho; an alternate name of McIntyre, Georgia).
        ("The U.S. Secretary of State flew to Riyadh.", "Secretary"),
        ("County Commissioner Bill Macharia said roads were closed.", "Commissioner"),
        # A one-word name right after a title is a person's (spaCy calls it a place), and so
        # everywhere else in the text.
        ("President Buhari flew to Abuja. Buhari said the troops in Maiduguri had done well.", "Buhari"),
        # A given name of someone named in full, unknown to the gazetteer.
        ("Doctors in Moscow said Yulia was recovering after Yulia Skripal left hospital.", "Yulia"),
        # spaCy's PERSON as the subject of a verb of saying is a person, even when the
        # name is also a division's (Nelson, New Zealand).
        ("Nelson says heating costs in Ottawa fell by a third.", "Nelson"),
        # A role in lower case before a full name, even one spaCy calls a place (Caşin, Romania).
        ("Turkish presidential adviser Mesut Casin, while condemning the raid, said Ankara would respond.", "Casin"),
        ("Turkish presidential adviser Mesut Casin, while condemning the raid, said Ankara would respond.",
         "Mesut Casin"),
        # A name after a word for a relative is the relative's (Tyler, Texas).
        ("The court sentenced his brother Tyler to ten years.", "Tyler"),
        # A name shown once to be someone's is theirs in the rest of the text too.
        ("Police questioned his brother Tyler on Monday. Tyler denied the charges.", "Tyler"),
    ],
)
def test_a_persons_name_is_not_a_place(settings: Settings, text: str, word: str) -> None:
    places = geoparse(settings, text)
    assert not [p for p in places if p.text in (word, f"al-{word}")], places


@pytest.mark.parametrize(
    "text, word",
    [
        # A ship named after the word "ship", and again later without it.
        ("The cargo ship Jairan left port on Monday. The Jairan reached Bandar Abbas a week later.", "Jairan"),
        # A storm's name is not a town (Irma, Alberta).
        ("Hurricane Irma weakened over land. Irma still brought floods.", "Irma"),
        # "G7" is a group of countries, however spaCy tags it.
        ("The G7 countries met in Canada on Friday.", "G7"),
    ],
)
def test_names_of_ships_storms_and_groups_are_not_places(settings: Settings, text: str, word: str) -> None:
    places = geoparse(settings, text)
    assert not [p for p in places if p.text == word], places


@pytest.mark.parametrize(
    "text, mention, geonameid",
    [
        # The moved resolve case: with the surname gone, Baghdad is the place left.
        ("Defense Minister Thabet al-Abbasi spoke in Baghdad on Sunday. Abbasi added that troops attacked militants.",
         "Baghdad", 98182),  # Baghdad
        # spaCy's small model calls "Beledweyne District" a person: that must not make
        # the town a person's name.
        ("Beledweyne District Commissioner Omar Alasow said the siege at a hotel in Beledweyne, in central "
         "Somalia, ended.", "Beledweyne", 64460),  # Beledweyne
        # A capital speaks for its government: the subject of "said" stays a place, even
        # where spaCy calls it a person, and so do its other mentions.
        ("Moscow said the talks had failed.", "Moscow", 524901),  # Moscow
        ("Mogadishu argues that its sea border with Kenya should run southeast. In December, Mogadishu announced "
         "it was cutting ties with Nairobi.", "Mogadishu", 53654),  # Mogadishu
        # A title at the end of one sentence does not make the next sentence's first word a person.
        ("The list was published by the Ministry of Justice. Azerbaijan has rejected it.",
         "Azerbaijan", 587116),  # Azerbaijan
        # A title before a comma is not a title before the next name.
        ("Speaking for the group was its Executive Director, Jamaica Cancer Society founder Ann Brown.",
         "Jamaica", 3489940),  # Jamaica
        # A country stays a country when a person shares its name (only titles can say otherwise).
        ("Michael Jordan visited Amman. Jordan has reopened the border crossing.", "Jordan", 248816),  # Jordan
    ],
)
def test_places_that_look_like_names_stay(settings: Settings, text: str, mention: str, geonameid: int) -> None:
    places = geoparse(settings, text)
    assert geonameid in {p.geonameid for p in places if p.text == mention}, places
