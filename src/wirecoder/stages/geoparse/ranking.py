"""Choosing among a mention's candidates.

"Dael" is a Syrian town and an Italian village; "Nawa" a Syrian town and an Indian one;
"Georgia" a country and a US state. The text decides. Each candidate gets a score made
of evidence the document gives, in this order of weight:

1. what the words around the name say ("Daraa *province*", "Long Beach*, CA*");
2. the countries the document is about: every country name, demonym and division
   mentioned votes for its country (headline mentions count more: they carry the
   dateline and the story's subject);
3. closeness to the places already resolved with confidence (news stories keep to one
   area);
4. the kind of place (countries and divisions are what a bare name most often means)
   and its population;
5. whether the name is the place's main name or only one of its alternate spellings.

The same name means the same place throughout a document, unless a qualifier says
otherwise. A mention with no exact candidate is matched fuzzily (rapidfuzz) against the
names of places in the document's countries, which catches transliterations such as
"Sanameen" for Aş Şanamayn. Confidence is the winner's share of a softmax over scores.
"""

from __future__ import annotations

import math
from collections import defaultdict
from typing import Iterable

from rapidfuzz import fuzz, process

from ...lang import language_pack
from ...records import Place
from ...settings import GeoSettings
from .gazetteer import Gazetteer
from .names import normalize, strip_type_word
from .toponyms import Toponym

KIND_PRIOR = {0: 4.0, 1: 0.5, 2: -1.5, 3: 0.0, 4: 0.5, 5: 3.0}
MAIN_NAME_BONUS = {0: 3.0, 1: 2.0, 5: 2.0}
# Scores are sharpened by this factor before the softmax that gives the confidence.
SHARPNESS = 2.0
HEADLINE_WEIGHT = 2.0
# Per power of ten a town's population lies below the largest homonym's (up to 3).
POPULATION_GAP_WEIGHT = 1.5
# A candidate known by the name only as an alternate while another bears it as its own.
ALTERNATE_NAME_PENALTY = 2.0
# A town inside a state or province the document names.
DIVISION_BONUS = 2.0
# A name after "<place>, " is where that place lies: a country, state or county.
CONTAINER_BONUS = 2.0
# A town this large makes a division's name ambiguous evidence of the country.
NOTABLE_TOWN = 5_000
# Below this, a town is far less likely than a division elsewhere in its country that
# bears its name ("Wales", a Yorkshire village, against Wales).
LARGE_TOWN = 100_000
# A metropolis over the state or province that shares its name ("New York").
METROPOLIS = 1_000_000
METROPOLIS_BONUS = 2.5


def document_countries(mentions: Iterable[Toponym], gaz: Gazetteer, headline_end: int) -> dict[str, float]:
    """How strongly the document is about each country (country code -> weight)."""
    weights: dict[str, float] = defaultdict(float)
    for mention in mentions:
        for code, weight in country_votes(mention, gaz, headline_end).items():
            weights[code] += weight
    return dict(weights)


def country_votes(mention: Toponym, gaz: Gazetteer, headline_end: int) -> dict[str, float]:
    """What one mention says of the countries the document is about."""
    if not mention.candidates:
        return {}
    factor = HEADLINE_WEIGHT if mention.start < headline_end else 1.0
    kinds = [gaz.kinds[c] for c in mention.candidates]
    if 0 in kinds:  # a country name or demonym
        return {gaz.countries[c]: 1.0 * factor for c in mention.candidates if gaz.kinds[c] == 0}
    if 1 in kinds and mention.strong:
        # A state's or province's name votes for its country only when no town
        # elsewhere bears it that is notable beside the division: "Nelson" (a New
        # Zealand region of 100,000, and towns in Canada and England) says nothing
        # about where the story is; "Florida" (a town in Uruguay) still does.
        divisions = [c for c in mention.candidates if gaz.kinds[c] == 1]
        countries = {gaz.countries[c] for c in divisions}
        notable = max(NOTABLE_TOWN, max(gaz.population[c] for c in divisions) // 10)
        towns = {gaz.countries[c] for c in mention.candidates
                 if gaz.kinds[c] in (3, 4) and gaz.population[c] >= notable}
        if towns <= countries:
            # Sorted: a set's order changes with the process's hash salt, and ties
            # between the document's countries are broken by insertion order below.
            return {code: 0.5 * factor / len(countries) for code in sorted(countries)}
        return {}
    if mention.strong:
        countries = {gaz.countries[c] for c in mention.candidates if gaz.countries[c]}
        if len(countries) == 1:  # an unambiguous town also says where we are
            return {next(iter(countries)): 0.5 * factor}
    return {}


def document_divisions(mentions: Iterable[Toponym], gaz: Gazetteer,
                       countries: dict[str, float]) -> set[tuple[str, str]]:
    """The first-level divisions the document names ("New Jersey", "Fla."), as
    (country, admin1 code): a town in one of them is the likelier homonym. Of a name shared
    by divisions of several countries, the one in the document's leading country counts."""
    found: set[tuple[str, str]] = set()
    for mention in mentions:
        if not mention.strong or mention.demonym:
            continue
        divisions = [c for c in mention.candidates if gaz.kinds[c] == 1]
        if not divisions or any(gaz.kinds[c] == 0 for c in mention.candidates):
            continue
        best = max(divisions, key=lambda c: (countries.get(gaz.countries[c], 0.0), gaz.population[c]))
        found.add((gaz.countries[best], gaz.admin1[best]))
    return found


# What joins the names of a list (data/lang/en/geoparse.toml): a list is no address.
_LIST_JOINS = language_pack("en").words("geoparse", "list_joins")


def link_addresses(mentions: list[Toponym], text: str) -> None:
    """Mark the second half of an address: in "Snetterton, Norfolk" or "Parkland,
    Florida" the name after the comma says where the first place lies, so it is more
    likely a county, state or country than a town, and the first place is looked for
    inside it. A list ("Washington, New York and Boston") is no address: a name followed
    by a third one after another comma, "and" or "or" is left alone. ``mentions`` are in
    text order."""
    for k, (first, second) in enumerate(zip(mentions, mentions[1:])):
        if text[first.end:second.start] != ", " or not second.candidates or first.demonym or second.demonym:
            continue
        if k + 2 < len(mentions) and text[second.end:mentions[k + 2].start] in _LIST_JOINS:
            continue
        if not first.restrict:
            first.restrict = set(second.candidates)
        if second.hint is None:
            second.hint = "container"


class CandidateRanker:
    """Scores candidates for every mention of one document and builds :class:`Place` s."""

    def __init__(self, gaz: Gazetteer, settings: GeoSettings) -> None:
        self.gaz = gaz
        self.settings = settings
        self._divisions: set[tuple[str, str]] = set()
        self._inner_keys: dict[str, str] = {}

    def resolve(self, mentions: list[Toponym], headline_end: int = 0) -> list[Place]:
        """The places of a document, one per mention that is a place."""
        return [p for p in self.resolve_each(mentions, headline_end) if p is not None]

    def resolve_each(self, mentions: list[Toponym], headline_end: int = 0) -> list[Place | None]:
        """One entry per mention: its :class:`Place`, or None when a weak mention turned
        out not to be a place."""
        gaz = self.gaz
        countries = document_countries(mentions, gaz, headline_end)
        # What each name says of the countries, so that a name is not its own evidence:
        # "Georgia" among "Alabama" and "Florida" is read by the states around it, not by
        # the vote it casts for the country Georgia.
        own: dict[str, dict[str, float]] = defaultdict(lambda: defaultdict(float))
        for mention in mentions:
            for code, weight in country_votes(mention, gaz, headline_end).items():
                own[normalize(mention.text)][code] += weight
        self._fuzzy(mentions, countries)
        self._divisions = document_divisions(mentions, gaz, countries)
        anchors: list[int] = []
        choices: dict[int, tuple[int | None, float]] = {}
        # Two passes: the first finds confident anchors, the second uses their positions.
        for _ in range(2):
            groups: dict[tuple[str, str | None, frozenset[int]], list[int]] = defaultdict(list)
            for k, mention in enumerate(mentions):
                groups[(normalize(mention.text), mention.hint, frozenset(mention.restrict))].append(k)
            new_anchors: list[int] = []
            for members in groups.values():
                mention = mentions[members[0]]
                others = {code: weight - own[normalize(mention.text)].get(code, 0.0)
                          for code, weight in countries.items()}
                top = max(others.values(), default=0.0)
                best, confidence = self._choose(mention, others, top, anchors)
                if best is not None and not mention.strong and not self._supported(best, countries, anchors):
                    best, confidence = None, -1.0  # a capitalized word, not a place
                for k in members:
                    choices[k] = (best, confidence)
                if best is not None and confidence >= 0.6 and gaz.kinds[best] in (3, 4):
                    new_anchors.append(best)
            anchors = new_anchors
        # "Parkland, Florida" once, then "Parkland": the qualified reading holds for the
        # bare mentions of the same name.
        qualified: dict[str, tuple[int | None, float]] = {}
        for k, mention in enumerate(mentions):
            best, confidence = choices.get(k, (None, 0.0))
            if mention.restrict and best is not None and confidence >= 0.5:
                qualified.setdefault(normalize(mention.text), (best, confidence))
        for k, mention in enumerate(mentions):
            if not mention.restrict and not mention.hint:
                held = qualified.get(normalize(mention.text))
                if held is not None and held[0] in mention.candidates:
                    choices[k] = held
        places: list[Place | None] = []
        for k, mention in enumerate(mentions):
            best, confidence = choices.get(k, (None, 0.0))
            places.append(None if confidence < 0 else self.place(mention, best, confidence))
        return places

    # -- scoring -------------------------------------------------------------------------
    def _choose(self, mention: Toponym, countries: dict[str, float], top: float,
                anchors: list[int]) -> tuple[int | None, float]:
        if not mention.candidates:
            return None, 0.0
        scores = [self._score(c, mention, countries, top, anchors) for c in mention.candidates]
        peak = max(scores)
        total = sum(math.exp(SHARPNESS * (s - peak)) for s in scores)
        best = mention.candidates[scores.index(peak)]
        return best, 1.0 / total

    def _score(self, c: int, mention: Toponym, countries: dict[str, float], top: float,
               anchors: list[int]) -> float:
        gaz = self.gaz
        kind = gaz.kinds[c]
        score = KIND_PRIOR[kind]
        if kind in (3, 4):
            score += math.log10(gaz.population[c] + 1) / 2
            # Far smaller than the largest place of the same name: a homonym that needs
            # the context's support ("London", Ontario, against London; "Wales",
            # Wisconsin, against Wales; "Lebanon", Pennsylvania, against Lebanon).
            score -= self._population_gap(c, mention, (3, 4), abroad=(0, 1, 2))
            # A capital or a metropolis is what its bare name means in the news
            # ("Washington", "London", "New York"), wherever else the name is used.
            if c in gaz.capitals:
                score += 1.0
            if gaz.population[c] >= METROPOLIS:
                score += 1.0
                # "New York" is the city, not the state around it, unless a word says
                # "state" (the hint below).
                if any(gaz.kinds[o] == 1 and gaz.countries[o] == gaz.countries[c] and gaz.admin1[o] == gaz.admin1[c]
                       for o in mention.candidates):
                    score += METROPOLIS_BONUS
        elif kind in (1, 2):
            score += math.log10(gaz.population[c] + 1) / 3
            # A small parish or region against a large city of its name ("Portland").
            score -= self._population_gap(c, mention, (1, 3, 4))
        if top > 0 and gaz.countries[c]:
            score += 4.0 * countries.get(gaz.countries[c], 0.0) / top
        if kind in (2, 3, 4):
            # Inside a state or province the document names, or the division of another
            # confidently placed town ("Riverdale" in a story about New Jersey).
            division = (gaz.countries[c], gaz.admin1[c])
            if division in self._divisions or any(
                    a != c and gaz.admin1[a] == division[1] and gaz.countries[a] == division[0] for a in anchors):
                score += DIVISION_BONUS
        if anchors and kind in (3, 4, 2):
            nearest = min(gaz.distance_km(c, a) for a in anchors if a != c) if any(a != c for a in anchors) else 1e9
            if nearest < 50:
                score += 2.0
            elif nearest < 200:
                score += 1.0
        key = self._name_key(mention)
        main = normalize(gaz.names[c])
        if main == key or main == strip_type_word(key):
            # A country's or a state's own name means that country or state ("Mexico",
            # "Italy", "California"), not a city that lists it among its alternate names.
            score += MAIN_NAME_BONUS.get(kind, 1.0)
        elif any(normalize(gaz.names[o]) == key for o in mention.candidates):
            # Another candidate bears the name as its own ("Mexico", "Oklahoma",
            # "Charleston"); this one only lists it among its alternate names, which in
            # GeoNames include old, foreign and sometimes mistaken forms.
            score -= ALTERNATE_NAME_PENALTY
        if gaz.preferred.get(key) == c:
            score += 3.0
        if mention.hint == "admin1":
            score += 6.0 if kind == 1 else -2.0
        elif mention.hint == "admin2":
            score += 6.0 if kind == 2 else 0.0
        elif mention.hint == "city":
            score += 3.0 if kind in (3, 4) else -2.0
        elif mention.hint == "container":
            score += CONTAINER_BONUS if kind in (0, 1, 2) else 0.0
        if mention.restrict:
            score += 6.0 if self._inside(c, mention.restrict) else -1.0
        return score

    def _name_key(self, mention: Toponym) -> str:
        """The normalized name the mention's candidates were found under: the whole text,
        or the place named inside a longer name ("Mexico" in "Bank of Mexico"), so that
        a place's own name is still told from its alternate names."""
        key = normalize(mention.text)
        if self.gaz.lookup(key) or not mention.candidates:
            return key
        cached = self._inner_keys.get(key)
        if cached is None:
            words = key.split()
            wanted = set(mention.candidates)
            cached = next((" ".join(words[i:i + n]) for n in range(len(words) - 1, 0, -1)
                           for i in range(len(words) - n + 1)
                           if wanted & set(self.gaz.lookup(" ".join(words[i:i + n])))), key)
            self._inner_keys[key] = cached
        return cached

    def _population_gap(self, c: int, mention: Toponym, kinds: tuple[int, ...],
                        abroad: tuple[int, ...] = ()) -> float:
        """The penalty for lying far below the most populous candidate of the given kinds,
        or of the kinds in ``abroad`` elsewhere: per power of ten, up to three. A division
        is no rival of the city inside it that bears its name ("New York"), nor, in the
        same country, of a large city ("Washington", the capital, against the state)."""
        gaz = self.gaz

        def rival(o: int) -> bool:
            if gaz.kinds[o] in kinds:
                return True
            if gaz.kinds[o] not in abroad:
                return False
            if gaz.countries[o] != gaz.countries[c]:
                return True
            return gaz.admin1[o] != gaz.admin1[c] and gaz.population[c] < LARGE_TOWN

        largest = max((gaz.population[o] for o in mention.candidates if rival(o)), default=0)
        return POPULATION_GAP_WEIGHT * min(3.0, math.log10((largest + 1) / (gaz.population[c] + 1)))

    def _inside(self, c: int, containers: set[int]) -> bool:
        gaz = self.gaz
        for r in containers:
            if gaz.kinds[r] == 0 and gaz.countries[r] == gaz.countries[c]:
                return True
            if gaz.kinds[r] == 1 and gaz.countries[r] == gaz.countries[c] and gaz.admin1[r] == gaz.admin1[c]:
                return True
        return False

    def _supported(self, c: int, countries: dict[str, float], anchors: list[int]) -> bool:
        """Is a weak mention's best candidate backed by the document's geography?"""
        gaz = self.gaz
        if countries.get(gaz.countries[c], 0.0) > 0:
            return True
        if any(gaz.distance_km(c, a) < 300 for a in anchors if a != c):
            return True
        return gaz.population[c] >= 100_000

    # -- fuzzy fallback ------------------------------------------------------------------
    def _fuzzy(self, mentions: list[Toponym], countries: dict[str, float]) -> None:
        """Give candidates to mentions that have none, from names in the document's
        countries that are spelled almost alike ("Sanameen" ~ "Sanamein")."""
        pending = [m for m in mentions if not m.candidates]
        if not pending or not countries:
            return
        # Ties broken by code, never by the order the votes came in.
        ranked = sorted(countries, key=lambda code: (-countries[code], code))[:3]
        pool: list[tuple[str, int]] = []
        for code in ranked:
            pool.extend(self.gaz.names_in_country(code))
        if not pool:
            return
        keys = [k for k, _ in pool]
        for mention in pending:
            key = normalize(mention.text)
            if len(key) < 5:
                continue
            hits = process.extract(key, keys, scorer=fuzz.ratio, score_cutoff=self.settings.fuzzy_min_score, limit=None)
            if not hits:
                continue
            # Of equally close names, the first in alphabetical order: the pool's order
            # comes from the gazetteer's build, which is no reason to prefer a name.
            negated, matched = min((-score, name) for name, score, _ in hits)
            mention.candidates = tuple(sorted(r for k, r in pool if k == matched))
            mention.fuzzy = -negated / 100.0

    # -- output --------------------------------------------------------------------------
    def place(self, mention: Toponym, record: int | None, confidence: float) -> Place:
        place = Place(text=mention.text, start=mention.start, end=mention.end)
        if mention.fuzzy is not None:
            confidence *= mention.fuzzy
        if record is None or confidence < self.settings.min_confidence:
            place.confidence = round(max(confidence, 0.0), 3)
            return place
        entry = self.gaz.entry(record)
        place.geonameid = entry.geonameid
        place.name = entry.name
        place.kind = entry.kind  # type: ignore[assignment]
        place.country_code = entry.country_code or None
        if entry.kind not in ("country", "region") and entry.country_code:
            place.admin1 = self.gaz.admin1_name(entry.country_code, entry.admin1_code)
        place.latitude = round(entry.latitude, 5)
        place.longitude = round(entry.longitude, 5)
        place.confidence = round(confidence, 3)
        return place
