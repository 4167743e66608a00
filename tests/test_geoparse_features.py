"""The gazetteer's features table: seas, regions, rivers and seats of power resolve to
their own GeoNames ids (or coordinates), without taking names from the places they share
them with."""

from __future__ import annotations

import math

import pytest

from wirecoder.records import Place
from wirecoder.settings import Settings
from wirecoder.stages.geoparse import load_gazetteer
from wirecoder.stages.geoparse.gazetteer import _data_file, _tsv_rows
from wirecoder.stages.geoparse.names import normalize
from wirecoder.stages.nlp import load_spacy

from test_geoparse_context import geo_stages, geoparse


def given_span(settings: Settings, text: str, surface: str) -> Place:
    """Resolve one given span, as ``wirecoder geoparse --spans`` does."""
    _, geoparser = geo_stages(settings)
    doc = load_spacy(settings.nlp.model)(text)
    start = text.index(surface)
    [place] = geoparser.resolve_spans(doc, [(start, start + len(surface))])
    return place


@pytest.mark.parametrize(
    "text, surface, geonameid",
    [
        # An ocean by its short name, and not Atlantic, Iowa.
        ("Hurricane Lee strengthened over the Atlantic on Friday.", "Atlantic", 3373405),  # Atlantic Ocean
        # A sea named with its article.
        ("Rescuers pulled 300 migrants from the Mediterranean near Lampedusa.", "Mediterranean", 363196),
        # "the Gulf" in a story about Iran is the Persian Gulf, not Gulf province of Papua New Guinea.
        ("Iran seized a tanker in the Gulf, Tehran's navy said.", "Gulf", 235616),  # Persian Gulf
        # A UN sub-region by the form news uses.
        ("Drought is spreading across East Africa, the UN warned.", "East Africa", 7729889),  # Eastern Africa
        # A common geopolitical region GeoNames holds.
        ("Militias have multiplied across the Levant since 2011.", "Levant", 305104),
        # "Central Africa" is the region, not the Central African Republic.
        ("Floods displaced thousands across Central Africa.", "Central Africa", 7729886),
        # A mountain range.
        ("Glaciers in the Himalayas are melting faster.", "Himalayas", 1252558),
        # A seat of power by its GeoNames building id, not a town called White House.
        ("The White House said the talks would resume.", "White House", 4140704),
        # A sea verified in the GeoNames dump, not North Sea, South Carolina.
        ("Gas fields in the North Sea are running dry.", "North Sea", 2960848),
        # An airport verified through OpenTravelData's GeoNames ids.
        ("Flights were cancelled at Heathrow on Monday.", "Heathrow", 2647216),
        # An airport of a capital at war by its news alias, with the id of its OpenTravelData row.
        ("Crowds gathered outside Kabul airport on Monday.", "Kabul airport", 1454002),
        # A second Moscow airport: its own id, not Moscow's.
        ("Drones were shot down near Vnukovo airport, the mayor said.", "Vnukovo airport", 6301018),
    ],
)
def test_feature_resolves_to_its_own_id(settings: Settings, text: str, surface: str, geonameid: int) -> None:
    assert given_span(settings, text, surface).geonameid == geonameid


@pytest.mark.parametrize(
    "text, surface, kind, latitude, longitude",
    [
        # "Mississippi River" is the river ...
        ("Barges stalled on the Mississippi River near Memphis.", "Mississippi River", "region", 35.0, -90.1),
        # ... and "Downing Street" the seat of government in London, not any other street.
        ("Downing Street said the talks would resume.", "Downing Street", "quarter", 51.5034, -0.1276),
        # The Kremlin stands for Moscow's government.
        ("The Kremlin rejected the proposal on Tuesday.", "Kremlin", "quarter", 55.752, 37.6175),
        # A river without a verified id still resolves to where it is.
        ("Turkey's dams have cut the flow of the Euphrates.", "Euphrates", "region", 34.5, 41.0),
    ],
)
def test_feature_without_id_resolves_to_its_place(settings: Settings, text: str, surface: str, kind: str,
                                                 latitude: float, longitude: float) -> None:
    place = given_span(settings, text, surface)
    assert place.kind == kind
    assert place.latitude is not None and place.longitude is not None
    assert math.isclose(place.latitude, latitude, abs_tol=0.01) and math.isclose(place.longitude, longitude, abs_tol=0.01)


@pytest.mark.parametrize(
    "text, surface, geonameid",
    [
        # Bare "Mississippi" stays the state: the river is only "Mississippi River".
        ("Flooding hit Mississippi and Louisiana overnight.", "Mississippi", 4436296),
        # "Atlantic City" keeps its own name, whatever the ocean's alias.
        ("Casinos in Atlantic City reopened on Monday.", "Atlantic City", 4500546),
        # A place that is not in the features table is unaffected: Paris, France.
        ("Protesters marched through Paris on Saturday.", "Paris", 2988507),
    ],
)
def test_homonyms_keep_their_meaning(settings: Settings, text: str, surface: str, geonameid: int) -> None:
    assert given_span(settings, text, surface).geonameid == geonameid


def test_running_text_finds_features(settings: Settings) -> None:
    # Raw text: the features are found as mentions of their own, with their ids.
    text = "Iran threatened to close the Strait of Hormuz as tankers crossed the Arabian Sea."
    places = {p.text: p for p in geoparse(settings, text)}
    assert places["Arabian Sea"].geonameid == 1158455
    assert places["Strait of Hormuz"].kind == "region" and places["Strait of Hormuz"].latitude is not None


def test_table_is_well_formed(settings: Settings) -> None:
    # Every row has a known kind, coordinates on the globe and, when it has an id, a source
    # saying where the id was checked; no two rows share a name or an id.
    rows = list(_tsv_rows(_data_file("gazetteer_features.tsv")))
    assert len(rows) >= 300
    names: set[str] = set()
    ids: set[str] = set()
    for row in rows:
        assert row["kind"] in {"region", "quarter"}, row["name"]
        assert -90 <= float(row["latitude"]) <= 90 and -180 <= float(row["longitude"]) <= 180, row["name"]
        if row["geonameid"]:
            assert row["geonameid"].isdigit() and row["geonameid"] in row["source"], row["name"]
            assert row["geonameid"] not in ids, row["name"]
            ids.add(row["geonameid"])
        assert normalize(row["name"]) not in names, row["name"]
        names.add(normalize(row["name"]))
    gaz = load_gazetteer(settings)
    assert gaz.entry(gaz.preferred[normalize("Red Sea")]).geonameid == 350155
