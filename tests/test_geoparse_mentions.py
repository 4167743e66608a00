"""Which stretches of text are place mentions at all, and where they begin and end: the
mention-finding rules (toponyms.py), one hand-written sentence each."""

from __future__ import annotations

import pytest

from wirecoder.settings import Settings

from test_geoparse_context import geoparse


@pytest.mark.parametrize(
    "text, mention, geonameid",
    [
        # A demonym wins over the town spelled the same (Canadian, Texas).
        ("Canadian officials met their counterparts on Friday.", "Canadian", 6251999),  # Canada
        # ... and over a division spelled the same (the Somali Region of Ethiopia).
        ("Somali troops retook the town after a day of fighting.", "Somali", 51537),  # Somalia
        # ... and over a Canadian village called Spanish.
        ("Spanish police arrested three men.", "Spanish", 2510769),  # Spain
        # French connectors inside a hyphenated name: one mention, not "Port" and "Prince".
        ("Gangs control most of Port-au-Prince, the capital.", "Port-au-Prince", 3718426),  # Port-au-Prince
        # A country inside a hyphenated token the tokenizer keeps whole.
        ("Rebels attacked a U.S.-backed force on Monday.", "U.S.", 6252001),  # United States
        # spaCy's NORP over an unfamiliar town spelled as the gazetteer has it is still the town.
        ("She lives in Hagadera, part of the Dadaab refugee complex in northeastern Kenya.", "Dadaab",
         199209),  # Dadaab
        # An all-capital dateline is a place, not an acronym.
        ("KYIV, Ukraine - Drones struck the city overnight.", "KYIV", 703448),  # Kyiv
    ],
)
def test_is_a_place(settings: Settings, text: str, mention: str, geonameid: int) -> None:
    places = geoparse(settings, text)
    assert geonameid in {p.geonameid for p in places if p.text == mention}, places


@pytest.mark.parametrize(
    "text, word",
    [
        # The Arabic article alone is no place (it matched Aalborg's alternate name "Al").
        ("Al-Shabab fighters attacked a base near Mogadishu.", "Al"),
        ("Troops pushed al-Shabab out of the town.", "al"),
        # A parenthesized acronym in prose is an organisation (Nice is also "Nisa").
        ("The National Intelligence and Security Agency (NISA) said five militants died.", "NISA"),
        # A language is not a demonym here, nor the town of English, Indiana.
        ("She did not speak English when she arrived.", "English"),
        # A party spaCy tags NORP is not the town its name only folds to (Bath).
        ("Supporters of the Baath government rallied.", "Baath"),
        # A direction is not a region.
        ("The group could expand much further West.", "West"),
        # Common nouns after a name are not places alone (Forest, a Guernsey parish).
        ("Soldiers searched the Forest for hours.", "Forest"),
        # A storm's title is not Hurricane, Utah.
        ("Hurricane Irma weakened over Florida.", "Hurricane"),
        # A word spaCy does not call a place, reaching a town only through an unrelated
        # alias (Victor, New York, lists "Fox"), is not a place.
        ("Ingraham told her Fox News viewers in Texas on Friday that she would take a break.", "Fox"),
        # A people's name used as an adjective is not the town of Arab, Alabama, even in Alabama.
        ("Officials in Alabama and Texas met an Arab delegation.", "Arab"),
        # A month is not a place.
        ("The talks were held in January.", "January"),
    ],
)
def test_not_a_place(settings: Settings, text: str, word: str) -> None:
    places = geoparse(settings, text)
    assert not [p for p in places if p.text == word], places


@pytest.mark.parametrize(
    "text, mention",
    [
        # The small model's "person" that begins with "the" is no person's name.
        ("In March, the Global Terrorism Index named the Sahel the epicenter of terrorism.", "Sahel"),
        # Two countries in one token the tokenizer does not split.
        ("Officials prepared for U.S.-Ukraine talks in Jeddah.", "Ukraine"),
    ],
)
def test_found(settings: Settings, text: str, mention: str) -> None:
    # Found and placed (the Sahel, a region of our features table, has coordinates but no id).
    places = geoparse(settings, text)
    assert [p for p in places if p.text == mention and p.latitude is not None], places
