"""The columns of the ACLED-style CSV that are not Event fields: worked out from the event,
its country and its sources, the same way on every export.

- ``event_id_cnty`` — ACLED's shape, the country's ISO alpha-3 letters and a number
  (``SYR418093372164``): the number is read from a hash of the event id, so it is the
  same in every export of the store, and in any store holding the same event. ``XXX``
  (ISO 3166's code for "unknown") stands in for an event without a country.
- ``iso`` — the ISO 3166 numeric code, as ACLED writes it.
- ``region`` — ACLED's region names by country (``data/regions.toml``: the UN M49
  sub-regions under those names; written by the project, not taken from ACLED).
- ``source`` — the outlets that reported the event (its articles and their near-copies),
  each once, joined by "; ".
- ``source_scale`` — how wide each of those outlets reports, from what the store holds
  (:func:`outlet_scale`): "National" when every event it reported lies in one country,
  "Regional" when they span several countries of one region, "International" beyond;
  the event's scale joins its outlets' distinct scales in that order with "-"
  ("National-International"), as ACLED joins its scales. An outlet's reach is only what
  the store shows: one article makes it National.
"""

from __future__ import annotations

import functools
import hashlib
import tomllib
from importlib import resources
from typing import Iterable

from .geo import iso_alpha3, iso_numeric

SCALES = ("National", "Regional", "International")


@functools.lru_cache(maxsize=1)
def _region_table() -> tuple[dict[str, str], dict[str, str]]:
    text = resources.files("wirecoder").joinpath("data/regions.toml").read_text(encoding="utf-8")
    data = tomllib.loads(text)
    by_country = {code: region for region, codes in data["regions"].items() for code in codes}
    return by_country, dict(data["continents"])


def acled_region(code: str | None) -> str | None:
    """ACLED's region name of the country with this ISO alpha-2 code: ``"SY"`` ->
    ``"Middle East"``; None for no code or an unknown one."""
    if not code:
        return None
    by_country, by_continent = _region_table()
    code = code.upper()
    if code in by_country:
        return by_country[code]
    from .geo import continent_code

    return by_continent.get(continent_code(code) or "")


def event_id_cnty(event_id: str, iso: str | None) -> str:
    """``SYR`` + a number of at most 13 digits derived from ``event_id``: stable, and
    unlikely to repeat within a country (about one chance in 2,000 that two of a
    country's 100,000 events share one)."""
    number = int(hashlib.sha1(event_id.encode("utf-8")).hexdigest()[:12], 16) % 10**13
    return f"{iso_alpha3(iso) or 'XXX'}{number}"


def iso_column(iso: str | None) -> int | str | None:
    """ACLED's ``iso`` column: the ISO 3166 numeric code (the alpha code when unknown)."""
    if iso and iso.isalpha():
        return iso_numeric(iso) or iso
    return iso


def outlet_scale(countries: Iterable[str]) -> str:
    """How wide an outlet reports, by the countries of the events it reported."""
    countries = {c.upper() for c in countries if c}
    if len(countries) <= 1:
        return "National"
    regions = {acled_region(c) for c in countries}
    return "Regional" if len(regions) == 1 and None not in regions else "International"


def event_scale(scales: Iterable[str]) -> str | None:
    """The event's ``source_scale``: its outlets' distinct scales, narrowest first."""
    found = set(scales)
    return "-".join(s for s in SCALES if s in found) or None
