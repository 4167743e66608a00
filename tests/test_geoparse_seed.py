"""The seed's places resolve as ../shared/seeds/EXPECTED.md lists (table *Places*)."""

from __future__ import annotations

import functools
from pathlib import Path

import pytest

from wirecoder.records import Article, Document, Place
from wirecoder.settings import Settings
from wirecoder.stages.geoparse import Geoparser
from wirecoder.stages.nlp import Parser


@functools.cache
def _seed_places(path: Path, settings: Settings) -> tuple[list[Place], list[Place]]:
    from wirecoder.stages.extract import iter_articles

    articles = [a for a in iter_articles([str(path)], settings) if isinstance(a, Article)]
    assert len(articles) == 2, "extraction must find the seed's two articles"
    parser, geoparser = Parser(settings), Geoparser(settings)
    out = []
    for article in articles:
        document = geoparser(parser(Document(article=article)))
        out.append(document.places)
    return out[0], out[1]


@pytest.fixture(scope="module")
def seed_places(seed_path: Path, settings: Settings) -> tuple[list[Place], list[Place]]:
    return _seed_places(seed_path, settings)


@pytest.mark.parametrize(
    "article, mention, geonameid",
    [
        # Two spellings of one city, and the city named in the headline.
        (0, "Daraa", 170905),  # Daraa
        (0, "Deraa", 170905),  # Daraa
        (0, "Daraa City", 170905),  # Daraa
        # The old-city quarter is in our supplement, carrying its city's id.
        (0, "Daraa al-Balad", 170905),  # Daraa (quarter Daraa al-Balad)
        # "province" selects the governorate, not the city.
        (0, "Daraa province", 170903),  # Daraa Governorate
        # Also an Italian village: the document's country decides.
        (0, "Dael", 170959),  # Dā‘il
        (0, "Jasem", 165997),  # Jāsim
        # A transliteration the gazetteer lacks: fuzzy match within Syria.
        (0, "Sanameen", 172469),  # Aş Şanamayn
        # Also an Indian town.
        (0, "Nawa", 166365),  # Nawá
        (0, "Jordan", 248816),  # Jordan
        (0, "Israel", 294640),  # Israel
        (1, "Iraq", 99237),  # Iraq
        (1, "Iran", 130758),  # Iran
        (1, "Baghdad", 98182),  # Baghdad
    ],
)
def test_seed_place_resolves(seed_places, article: int, mention: str, geonameid: int) -> None:
    places = [p for p in seed_places[article] if p.text == mention]
    assert places, f"{mention!r} not found; found: {sorted({p.text for p in seed_places[article]})}"
    assert {p.geonameid for p in places} == {geonameid}


def test_seed_quarter_is_a_quarter_in_daraa(seed_places) -> None:
    # The quarter keeps its own name and kind while carrying the city's id.
    quarter = next(p for p in seed_places[0] if p.text == "Daraa al-Balad")
    assert (quarter.kind, quarter.admin1, quarter.country_code) == ("quarter", "Daraa", "SY")


def test_seed_admin1_names_the_governorate(seed_places) -> None:
    # Place.admin1 is the NAME of the division: "Daraa" for Dael.
    dael = next(p for p in seed_places[0] if p.text == "Dael")
    assert dael.admin1 == "Daraa" and dael.latitude is not None and dael.longitude is not None


def test_seed_idlib_is_in_syria(seed_places) -> None:
    # City 169389 or its governorate: either is right.
    idlib = [p for p in seed_places[0] if p.text.startswith("Idlib")]
    assert idlib and all(p.country_code == "SY" and p.geonameid in {169389, 169387} for p in idlib)


@pytest.mark.parametrize(
    "article, demonym, geonameid",
    [
        (0, "Syrian", 163843),  # Syria: demonym
        (0, "Iranian", 130758),  # Iran: inside "pro-Iranian"
        (0, "Russian", 2017370),  # Russia: "a Russian peace plan"
        (1, "Iraqi", 99237),  # Iraq
    ],
)
def test_seed_demonyms_name_countries(seed_places, article: int, demonym: str, geonameid: int) -> None:
    places = [p for p in seed_places[article] if p.text in (demonym, demonym + "s")]
    assert places and all(p.geonameid == geonameid for p in places)
