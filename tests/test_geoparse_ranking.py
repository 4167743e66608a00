"""Ranking rules between homonyms of different kinds, in hand-written sentences: one
case per rule, each naming the expected GeoNames id beside its mention."""

from __future__ import annotations

import pytest

from wirecoder.settings import Settings
from wirecoder.stages.geoparse.ranking import link_addresses
from wirecoder.stages.geoparse.toponyms import Toponym

from test_geoparse_context import geoparse, ids


@pytest.mark.parametrize(
    "text, mention, geonameid",
    [
        # A metropolis beats the state that shares its name.
        ("She opened a restaurant in New York last spring.", "New York", 5128581),  # New York City
        # ...unless a word says "state".
        ("Farmers in New York state asked for help.", "New York state", 5128638),  # New York (state)
        # A small Jamaican parish does not outrank a city of 650,000 with its name.
        ("The team lost at home against Portland on Tuesday.", "Portland", 5746545),  # Portland, Oregon
        # A tiny US town is no rival for a nation of the United Kingdom.
        ("Police numbers in England and Wales have fallen.", "Wales", 2634895),  # Wales
        # A country's name beats an American town of the same name.
        ("The prime minister of Lebanon resigned in Riyadh.", "Lebanon", 272103),  # Lebanon
        # After "<place>, " a name says where the place lies: the English county.
        ("The race moves to Snetterton, Norfolk, in July.", "Norfolk", 2641455),  # Norfolk (county)
        # ...and the place itself is looked for inside it.
        ("A shooting in Parkland, Florida left 17 dead.", "Parkland", 4167829),  # Parkland FL
        # An English county, as populous as its towns together, beats a US town of its name.
        ("Flooding closed roads across Kent in southern England.", "Kent", 3333158),  # Kent (county)
        # A name is not its own evidence: among US states, Georgia is the state...
        ("Storms hit Alabama, Georgia and Florida on Monday.", "Georgia", 4197000),  # Georgia (US)
        # ...and beside Russia, the country.
        ("Russian troops remain in Georgia, officials said.", "Georgia", 614540),  # Georgia
        # A list is no address: New York stays the city.
        ("After stops in Washington, New York and Boston, he flew home.", "New York", 5128581),  # NYC
    ],
)
def test_ranking(settings: Settings, text: str, mention: str, geonameid: int) -> None:
    assert ids(geoparse(settings, text), mention) == {geonameid}


def _mention(text: str, name: str) -> Toponym:
    start = text.index(name)
    return Toponym(start, start + len(name), name, (1,), strong=True)


@pytest.mark.parametrize(
    "text, names, address",
    [
        # "Town, State" followed by more words: an address.
        ("Parkland, Florida, mourned.", ("Parkland", "Florida"), True),
        # A third name after another comma: a list.
        ("Paris, London, Berlin.", ("Paris", "London"), False),
        # "and" after the second name: a list.
        ("Paris, London and Berlin.", ("Paris", "London"), False),
        # No comma between the names: nothing to link.
        ("Paris and London.", ("Paris", "London"), False),
    ],
)
def test_link_addresses(text: str, names: tuple[str, str], address: bool) -> None:
    first, second = (_mention(text, n) for n in names)
    third = [_mention(text, "Berlin")] if "Berlin" in text else []
    link_addresses([first, second, *third], text)
    assert (second.hint == "container") is address
    assert bool(first.restrict) is address
