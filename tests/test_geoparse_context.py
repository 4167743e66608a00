"""Finding and resolving places in hand-written sentences: the rules, one case each."""

from __future__ import annotations

import functools

import pytest

from wirecoder.records import Article, Document, Place
from wirecoder.settings import Settings
from wirecoder.stages.geoparse import Geoparser
from wirecoder.stages.nlp import Parser


@functools.cache
def geo_stages(settings: Settings) -> tuple[Parser, Geoparser]:
    """One parser and one geoparser for the session, shared by the geoparse tests."""
    return Parser(settings), Geoparser(settings)


def geoparse(settings: Settings, text: str, headline: str | None = None) -> list[Place]:
    parser, geoparser = geo_stages(settings)
    document = Document(article=Article(id="t", headline=headline, paragraphs=[text] if text else []))
    return geoparser(parser(document)).places


def ids(places: list[Place], mention: str) -> set[int | None]:
    return {p.geonameid for p in places if p.text == mention}


@pytest.mark.parametrize(
    "text, mention, geonameid",
    [
        # Dael is also an Italian village: a Syrian context decides.
        ("Syrian troops clashed with rebels in Dael, north of Daraa.", "Dael", 170959),  # Dā‘il
        # Nawa is also an Indian town.
        ("Syria's army said four soldiers died near Nawa.", "Nawa", 166365),  # Nawá
        # "governorate" selects the division.
        ("Shelling hit villages across Idlib governorate on Monday.", "Idlib governorate", 169387),  # Idlib
        # Demonyms name their country.
        ("Iraqi officials met Jordanian envoys.", "Iraqi", 99237),  # Iraq
        # "U.S." is the United States, not a town called Us.
        ("The U.S. embassy issued a warning.", "U.S.", 6252001),  # United States
        # An address narrows the choice: the Californian Long Beach, not another.
        ("Police in Long Beach, California, said the road was closed.", "Long Beach", 5367929),  # Long Beach CA
        # A capital is what its bare name means.
        ("Talks resumed in Washington on Friday.", "Washington", 4140963),  # Washington DC
        # A country's own name beats the city that lists it as an alternate name.
        ("Mexico's president said the talks had failed.", "Mexico", 3996063),  # Mexico
        # "Parkland, Florida" once: later bare mentions keep that reading (Parkland, WA is larger).
        ("Students in Parkland spoke. A shooting in Parkland, Florida, shook the town.",
         "Parkland", 4167829),  # Parkland FL
    ],
)
def test_context_resolves(settings: Settings, text: str, mention: str, geonameid: int) -> None:
    assert ids(geoparse(settings, text), mention) == {geonameid}


@pytest.mark.parametrize(
    "text, word",
    [
        # "Along" is a town in India, "Of" one in Turkey: common words are not places.
        ("Along the road, people waited for aid.", "Along"),
        ("Of the ten wounded, three died.", "Of"),
        # A surname inside a person's name is not a place.
        ("Michael Jordan visited the school.", "Jordan"),
        # A prefix before a demonym is not a town.
        ("Pro-Iranian militias advanced.", "Pro"),
        # The surname of a person named in full elsewhere, not one of the towns called Kelly.
        ("Chief of staff John Kelly spoke on Monday. Kelly said the plan would hold.", "Kelly"),
    ],
)
def test_not_a_place(settings: Settings, text: str, word: str) -> None:
    assert not [p for p in geoparse(settings, text) if p.text == word]


@pytest.mark.parametrize(
    "text",
    [
        "",  # empty text
        "The committee met and agreed on nothing in particular.",  # no places
        "Zzyzxqua and Blorvistan were mentioned.",  # unknown names: no crash, no invented ids
    ],
)
def test_texts_without_known_places(settings: Settings, text: str) -> None:
    places = geoparse(settings, text)
    assert all(p.geonameid is None or p.confidence >= settings.geo.min_confidence for p in places)


def test_places_are_complete_and_offsets_right(settings: Settings) -> None:
    # Every resolved place has coordinates, a kind, a country and a confidence in [0, 1].
    text = "Fighting spread from Aleppo to Homs, Syrian state media said."
    headline = "Clashes in Syria"
    places = geoparse(settings, text, headline=headline)
    full = headline + "\n\n" + text
    assert places
    for place in places:
        assert full[place.start:place.end] == place.text
        assert 0.0 <= place.confidence <= 1.0
        if place.geonameid is not None:
            assert place.latitude is not None and place.longitude is not None
            assert place.kind in {"country", "admin1", "admin2", "city", "quarter", "region"}


@pytest.mark.slow
def test_five_megabyte_text(settings: Settings) -> None:
    # A 5 MB text: tokenized only (the parse is the nlp stage's business), then geoparsed.
    parser, geoparser = geo_stages(settings)
    sentence = "Rebels attacked a checkpoint near Homs, in Syria, on Tuesday. "
    text = sentence * (5_000_000 // len(sentence))
    document = Document(article=Article(id="big", paragraphs=[text]))
    document.doc = parser.nlp.tokenizer(text)
    places = geoparser(document).places
    assert len(places) > 1000
