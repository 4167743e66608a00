"""Who is who: the actor dictionary (``data/actors.jsonl`` plus a user's file) and the
resolution of a mention as written ("the Syrian military's Fourth Division") to a
canonical actor in ACLED's style ("Military Forces of Syria", unit "Fourth Division").

Each line of the dictionary is one JSON object:

* ``name`` the canonical name; ``{country}`` in a *generic* entry's name is filled with
  the country of the mention ("Jordanian police") or else of the article;
* ``kind`` (``state_forces``, ``police``, ``government``, ``rebels``, ``opposition``, ``people``
  (made from the demonyms: "Syrians"),
  ``political_militia``, ``identity_militia``, ``unidentified``, ``protesters``,
  ``rioters``, ``civilians``, ``external``, or ``country`` for the country records that
  carry names and demonyms), ``inter`` the ACLED inter code (1 state forces … 8
  external/other), ``country`` ISO 3166 alpha-2 or null;
* ``aliases`` matched as whole words, case-insensitively — except single all-capital
  acronyms of up to four letters ("IS", "UN", "US"), matched case-sensitively so that the
  verb "is" or the pronoun "us" never become actors; ``units`` sub-units (an alias that
  also names the unit); ``demonyms`` on country records.

Resolution picks the longest alias found in the mention; among equals a specific entry
beats a generic one and the rightmost (nearest the head noun) wins. A mention that is a
country alone ("Syria") means its government, or its military forces in a violent event.
A mention that matches nothing is kept as written: an unknown armed group is never dropped.
"""

from __future__ import annotations

import functools
import json
import re
from collections import Counter
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from typing import Any, Iterable

from ...errors import ResourceError
from ...geo import country_name as geonames_country_name
from ...lang import language_pack
from ...settings import Settings

# Kinds of generic entries that take the article's own country when the mention has none.
_ARTICLE_COUNTRY_KINDS = {"state_forces", "police", "government", "opposition", "unidentified",
                          "protesters", "rioters", "civilians"}

# The English words live in data/lang/en/resolve_actors.toml (what each is for is
# written there); the rules that read them stay here.
_EN = language_pack("en")
_TABLE = "resolve_actors"
# Head words of an unknown group's name, and the inter code they suggest.
_UNKNOWN_HEADS: dict[str, int] = _EN.mapping(_TABLE, "unknown_heads")
_DEMONYM_NO_PLURAL = _EN.sequence(_TABLE, "demonym_no_plural_endings")

ARMED_GROUP_KINDS = frozenset({"rebels", "political_militia", "identity_militia"})
_LEADING = re.compile(r"^(?:" + "|".join(map(re.escape, _EN.sequence(_TABLE, "leading_words"))) + r")\s+", re.I)


def tokenize(text: str) -> list[str]:
    """Words of a mention as the index sees them: "U.S." -> "US", "Assad's" -> "Assad",
    "'s"; hyphens split ("pro-Iranian" -> "pro", "Iranian")."""
    text = text.replace("’", "'").replace("‘", "'")
    text = re.sub(r"(?<=\b[A-Za-z])\.", "", text)  # U.S. -> US, U.N. -> UN
    text = re.sub(r"(?<=\w)'s\b", " 's", text)  # Assad's -> Assad 's
    return re.findall(r"'s\b|[^\W_]+(?:'[^\W_]+)?", text)


def _is_acronym(alias: str) -> bool:
    words = tokenize(alias)
    return len(words) == 1 and words[0].isupper() and len(words[0]) <= 4


@dataclass(frozen=True, slots=True)
class ActorEntry:
    name: str
    kind: str
    inter: int | None = None
    country: str | None = None
    generic: bool = False
    units: frozenset[str] = frozenset()


@dataclass(slots=True)
class ResolvedActor:
    """A mention resolved: ``name`` canonical (or as written when unknown)."""

    name: str
    inter: int | None
    country: str | None = None
    kind: str | None = None
    unit: str | None = None
    text: str = ""
    known: bool = True


@dataclass(slots=True)
class ArticleContext:
    """What the article says about itself: its main country (from its places) and the
    named armed groups it mentions anywhere (see :meth:`ActorDictionary.named_groups`)."""

    focus_country: str | None = None
    countries: list[str] = field(default_factory=list)
    armed_groups: list[ResolvedActor] = field(default_factory=list)

    @classmethod
    def from_places(cls, places: Iterable[Any]) -> ArticleContext:
        counts: Counter[str] = Counter()
        first: dict[str, int] = {}
        for place in places:
            code = getattr(place, "country_code", None)
            if not code:
                continue
            # Towns weigh more than a passing mention of a neighbouring country.
            counts[code] += 1 if getattr(place, "kind", None) == "country" else 2
            first.setdefault(code, getattr(place, "start", 0))
        ranked = sorted(counts, key=lambda c: (-counts[c], first[c]))
        return cls(focus_country=ranked[0] if ranked else None, countries=ranked)


@dataclass(slots=True)
class _Match:
    entry: ActorEntry
    start: int
    length: int
    alias: str


class ActorDictionary:
    """The aliases of every actor, indexed by word n-grams."""

    def __init__(self, records: Iterable[dict[str, Any]]) -> None:
        self.index: dict[tuple[str, ...], list[tuple[ActorEntry, str]]] = {}
        self.exact: dict[tuple[str, ...], list[tuple[ActorEntry, str]]] = {}
        self.country_names: dict[str, str] = {}
        self.max_words = 1
        # the first word of every alias, lower-cased and as written: most words of a text
        # start none, and are passed over without building their n-grams
        self._first_lower: set[str] = set()
        self._first_exact: set[str] = set()
        for record in records:
            self.add(record)

    def add(self, record: dict[str, Any], override: bool = False) -> None:
        """Index one actor record. With ``override`` (the user's ``resolve.actors_file``),
        its aliases stop meaning any other actor: a user who says "the regime" is the
        Government of Syria is obeyed, not outvoted by the packaged entry."""
        if "name" not in record or "kind" not in record:
            return  # the file's "_about" line and other comments
        entry = ActorEntry(
            name=str(record["name"]),
            kind=str(record["kind"]),
            inter=record.get("inter"),
            country=record.get("country"),
            generic=bool(record.get("generic", False)),
            units=frozenset(record.get("units") or ()),
        )
        if entry.kind == "country" and entry.country:
            self.country_names[entry.country] = entry.name
            # "three Americans", "Syrians": the people of a country, civilians unless the
            # resolver's caller knows better (see ArgumentResolver).
            people = [d + "s" for d in record.get("demonyms") or [] if d[-1:] not in _DEMONYM_NO_PLURAL]
            if people:
                self.add({"name": f"Civilians ({entry.name})", "kind": "people", "inter": 7,
                          "country": entry.country, "aliases": people}, override)
        aliases = list(record.get("aliases") or []) + list(record.get("demonyms") or [])
        aliases += list(record.get("units") or [])
        if not entry.generic:
            aliases.append(entry.name)
        for alias in aliases:
            words = tokenize(_LEADING.sub("", alias.strip()))  # mentions lose "the" too
            if not words:
                continue
            if override:
                for table, key in ((self.index, tuple(w.lower() for w in words)), (self.exact, tuple(words))):
                    if key in table:
                        table[key] = [(e, a) for e, a in table[key] if e.name == entry.name]
            if _is_acronym(alias):
                self.exact.setdefault(tuple(words), []).append((entry, alias))
                self._first_exact.add(words[0])
            else:
                self.index.setdefault(tuple(w.lower() for w in words), []).append((entry, alias))
                self._first_lower.add(words[0].lower())
            self.max_words = max(self.max_words, len(words))

    def names(self) -> set[str]:
        """Every actor's canonical name (generic ones with their ``{country}`` slot)."""
        return {entry.name for table in (self.index, self.exact) for found in table.values() for entry, _ in found}

    def matches(self, text: str) -> list[_Match]:
        words = tokenize(text)
        lowered = [w.lower() for w in words]
        found: list[_Match] = []
        starts = [i for i in range(len(words)) if lowered[i] in self._first_lower or words[i] in self._first_exact]
        for length in range(min(self.max_words, len(words)), 0, -1):
            for start in starts:
                if start + length > len(words):
                    break
                for table, key in ((self.index, tuple(lowered[start:start + length])),
                                   (self.exact, tuple(words[start:start + length]))):
                    for entry, alias in table.get(key, ()):
                        found.append(_Match(entry, start, length, alias))
        return found

    def named_groups(self, text: str) -> list[ResolvedActor]:
        """The named non-state armed groups a whole text mentions, in order of first
        mention ("the Taliban", "FMLN"); generic classes ("rebels") are not named groups."""
        found: dict[str, tuple[int, ResolvedActor]] = {}
        matches = self.matches(text)
        # a name inside a longer one is not a mention of its own ("Real IRA" is no "IRA")
        spans = [(m.start, m.start + m.length) for m in matches]
        for match in matches:
            if any(s <= match.start and match.start + match.length <= e and e - s > match.length for s, e in spans):
                continue
            entry = match.entry
            if entry.generic or entry.kind not in ARMED_GROUP_KINDS:
                continue
            if entry.name not in found or match.start < found[entry.name][0]:
                found[entry.name] = (match.start, ResolvedActor(entry.name, entry.inter, entry.country, entry.kind,
                                                                None, match.alias))
        return [actor for _, actor in sorted(found.values(), key=lambda item: item[0])]

    def country_of(self, text: str) -> str | None:
        """The country a mention names by name or demonym ("Jordanian army" -> "JO")."""
        countries = [m for m in self.matches(text) if m.entry.kind == "country"]
        if not countries:
            return None
        return max(countries, key=lambda m: (m.length, m.start)).entry.country

    def country_name(self, code: str | None) -> str | None:
        if not code:
            return None
        if code in self.country_names:
            return self.country_names[code]
        return geonames_country_name(code)  # GeoNames' name where the dictionary has none

    def resolve(self, text: str, context: ArticleContext | None = None, violent: bool = False) -> ResolvedActor | None:
        """The canonical actor a mention stands for; None for an empty mention."""
        text = _LEADING.sub("", text.strip(" ,.;:")).strip()
        if not text:
            return None
        context = context or ArticleContext()
        found = self.matches(text)
        if not any(m.entry.kind != "country" for m in found):
            found = self.matches(_other_number(text)) or found
        actors = [m for m in found if m.entry.kind != "country"]
        mention_country = self.country_of(text)
        if actors:
            best = max(actors, key=lambda m: (m.length, not m.entry.generic, m.start))
            entry = best.entry
            unit = best.alias if best.alias in entry.units else None
            if not entry.generic:
                return ResolvedActor(entry.name, entry.inter, entry.country, entry.kind, unit, text)
            code = mention_country or (context.focus_country if entry.kind in _ARTICLE_COUNTRY_KINDS else None)
            country = self.country_name(code)
            if country is None:
                # A generic class without any country: "Civilians", or as written.
                name = re.sub(r"\s*\(\{country\}\)", "", entry.name)
                if "{country}" in name:
                    return ResolvedActor(_as_written(text), entry.inter, None, entry.kind, None, text)
                return ResolvedActor(name, entry.inter, None, entry.kind, None, text)
            # A specific entry may exist under the filled-in name (Military Forces of Syria).
            return ResolvedActor(entry.name.replace("{country}", country), entry.inter, code, entry.kind, unit, text)
        if mention_country and _only_country(text, found):
            country = self.country_name(mention_country)
            name = f"Military Forces of {country}" if violent else f"Government of {country}"
            return ResolvedActor(name, 1, mention_country, "state_forces" if violent else "government", None, text)
        head = tokenize(text)[-1].lower() if tokenize(text) else ""
        return ResolvedActor(_as_written(text), _UNKNOWN_HEADS.get(head), mention_country, None, None, text, known=False)


def _other_number(text: str) -> str:
    """The mention with its head noun in the other number: "the security force" ->
    "the security forces", "insurgents" -> "insurgent" (aliases list one of them)."""
    words = text.split()
    if not words or not words[-1].isalpha() or len(words[-1]) < 4:
        return text
    last = words[-1]
    last = last[:-1] if last.endswith("s") and not last.endswith("ss") else last + "s"
    return " ".join(words[:-1] + [last])


def _only_country(text: str, found: list[_Match]) -> bool:
    """True when the mention is a country's name or demonym and little else
    ("Syria", "the Syrians", "NATO-member Norway")."""
    words = tokenize(text)
    covered = max((m.length for m in found if m.entry.kind == "country"), default=0)
    return len(words) - covered <= 2 and not any(w.lower() in _UNKNOWN_HEADS for w in words)


def _as_written(text: str) -> str:
    text = re.sub(r"\s+", " ", text).strip(" ,.;:'\"")
    return text[:1].upper() + text[1:]


def _read_jsonl(lines: Iterable[str], origin: str) -> list[dict[str, Any]]:
    records = []
    for number, line in enumerate(lines, 1):
        line = line.strip()
        if not line or line.startswith("#"):
            continue
        try:
            record = json.loads(line)
        except json.JSONDecodeError as exc:
            raise ResourceError(f"{origin}:{number}: not a JSON object ({exc.msg})") from exc
        if not isinstance(record, dict):
            raise ResourceError(f"{origin}:{number}: expected a JSON object, got {type(record).__name__}")
        if "_about" not in record and ("name" not in record or "kind" not in record):
            raise ResourceError(f"{origin}:{number}: an actor needs \"name\" and \"kind\"")
        records.append(record)
    return records


@functools.lru_cache(maxsize=4)
def _load(extra_file: str) -> ActorDictionary:
    packaged = resources.files("wirecoder").joinpath("data/actors.jsonl")
    records = _read_jsonl(packaged.read_text(encoding="utf-8").splitlines(), "wirecoder/data/actors.jsonl")
    if extra_file:
        path = Path(extra_file).expanduser()
        try:
            text = path.read_text(encoding="utf-8")
        except OSError as exc:
            raise ResourceError(
                f"resolve.actors_file {path}: cannot read it ({exc.strerror}); "
                "fix the path or set resolve.actors_file = \"\""
            ) from exc
        dictionary = ActorDictionary(records)
        for record in _read_jsonl(text.splitlines(), str(path)):
            dictionary.add(record, override=True)  # the user's aliases win over the packaged ones
        return dictionary
    return ActorDictionary(records)


def load_actor_dictionary(settings: Settings) -> ActorDictionary:
    """The packaged dictionary plus ``settings.resolve.actors_file`` (loaded once)."""
    return _load(settings.resolve.actors_file)


def interaction_code(inter1: int | None, inter2: int | None) -> int | None:
    """ACLED's interaction: the two inter codes, lower first (state vs rebels -> 12);
    one actor alone -> its code times ten (protesters alone -> 60)."""
    codes = sorted(c for c in (inter1, inter2) if c)
    if not codes:
        return None
    if len(codes) == 1:
        return codes[0] * 10
    return codes[0] * 10 + codes[1]


def civilian_targeting(inter2: int | None) -> str | None:
    """ACLED's flag: civilians are the target (the second actor)."""
    return "Civilian targeting" if inter2 == 7 else None
