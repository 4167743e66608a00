"""wirecoder.geo: the one distance and the one country name every stage uses."""

from __future__ import annotations

import pytest

from wirecoder import geo


@pytest.mark.parametrize(
    "a, b, km",
    [
        # Damascus to Daraa, about 101 km as the crow flies
        ((33.5138, 36.2765), (32.6189, 36.1021), 100.8),
        # one place: no distance
        ((33.5138, 36.2765), (33.5138, 36.2765), 0.0),
        # a quarter of the equator: a quarter of the mean circumference
        ((0.0, 0.0), (0.0, 90.0), 10007.5),
        # antipodes: rounding must not push asin past its domain
        ((0.0, 0.0), (0.0, 180.0), 20015.1),
    ],
)
def test_geo_haversine_km(a: tuple[float, float], b: tuple[float, float], km: float) -> None:
    assert geo.haversine_km(*a, *b) == pytest.approx(km, abs=0.1)


@pytest.mark.parametrize(
    "code, name, numeric",
    [
        ("SY", "Syria", 760),  # the name events carry, the number ACLED's iso column holds
        ("us", "United States", 840),  # codes are case-insensitive
        ("ZZ", None, None),  # unknown code
        (None, None, None),  # an event with no country
    ],
)
def test_geo_country_name_and_number(code: str | None, name: str | None, numeric: int | None) -> None:
    assert geo.country_name(code) == name
    assert geo.iso_numeric(code) == numeric


def test_geo_one_home_for_distances() -> None:
    # dedup, the gazetteer and geo evaluation measure with the same function
    from wirecoder.evaluate import geo as evaluate_geo
    from wirecoder.stages import dedup
    from wirecoder.stages.geoparse import gazetteer

    assert dedup.haversine_km is gazetteer.haversine_km is evaluate_geo.haversine_km is geo.haversine_km
