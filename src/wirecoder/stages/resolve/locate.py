"""Where did an event happen? The place(s) of its own sentence, else the article's focus.

1. Candidates: the places inside the event's sentence, minus those that are not where
   anything happens — possessives ("Russia's pledge"), countries acting as subjects
   ("Iraq reiterates"), places after "from", "to", "bordering", "with", and names used
   as modifiers ("the Damascus government").
2. Specific beats general: a town drops the province or country that contains it
   ("in Dael … across Daraa province"), a quarter the city it lies in, and a country is
   kept only when nothing finer is left.
3. Coordinated places ("in the towns of Sanameen and Nawa", "Dael, Jasem and other
   towns") are one group: the event is split into one event per place. Of several
   groups, the one nearest the trigger, after a locative preposition, wins.
4. A dateline ("KABUL, Afghanistan (Jan. 25, 2013) --", "San Salvador, 9 Jan 90 (Efe)
   --") says where the report was filed, not where anything happened: its places are
   never an event's place, nor the article's focus unless the text names nothing else.
5. No candidate: the article's focus place (its most mentioned town, else province,
   else country) at precision 2 (a town: the event is near it) or 3 (a province or
   country).

``geo_precision``: 1 the place itself (a town or quarter named in the sentence), 2 near it
or its district (an admin2 unit, or an inherited town), 3 its province or country.
"""

from __future__ import annotations

import re
import unicodedata
from collections import Counter
from dataclasses import dataclass
from typing import Any, Sequence

from ...geo import haversine_km
from ...lang import language_pack
from ...records import Place

_SPECIFICITY = {"quarter": 5, "city": 4, "admin2": 3, "admin1": 2, "region": 1, "country": 0}
_PRECISION = {"quarter": 1, "city": 1, "admin2": 2, "admin1": 3, "region": 3, "country": 3}

# The English words live in data/lang/en/resolve_locate.toml (what each list is for is
# written there); the rules that read them stay here.
_EN = language_pack("en")
_TABLE = "resolve_locate"
LOCATIVE = _EN.words(_TABLE, "locative")
NON_LOCATIVE = _EN.words(_TABLE, "non_locative")
PLACE_NOUNS = _EN.words(_TABLE, "place_nouns")
_AWAY_LEMMAS = _EN.words(_TABLE, "away_lemmas")
_ADDRESS_GAP = re.compile(
    r"\s*(?:" + "|".join(map(re.escape, _EN.sequence(_TABLE, "address_nouns"))) + r")?\s*,\s*", re.I)


# A dateline: a place name at the head of a paragraph (in capitals it may follow a short
# header), a comma, then a country or a date, and an opening bracket or a dash.
_DATELINE = re.compile(
    r"(?m)^(?:[^\n]{0,64}?\s(?=[A-Z]{2,}[A-Z .'\-]*,)|)"
    r"(?P<place>[A-Z][\w.'’\-]*(?:\s+[A-Z][\w.'’\-]*){0,3}),\s*"
    r"(?:[A-Z][\w.'’\-]*(?:\s+[A-Z][\w.'’\-]*){0,3}\s*|[^\n(]{0,40}?\d[^\n(]{0,20}?)(?:\([^)\n]{0,40}\)\s*(?:--|—|–|-(?=\s))?|\(|--|—|–|-(?=\s))")


def dateline_spans(text: str) -> list[tuple[int, int]]:
    """Character spans of the datelines in ``text``."""
    return [(m.start("place"), m.end()) for m in _DATELINE.finditer(text)]


def without_datelines(spans: Sequence[tuple[int, int]], places: Sequence[Place]) -> list[Place]:
    """``places`` minus those inside the dateline ``spans`` (see :func:`dateline_spans`)."""
    return [p for p in places if not any(s <= p.start and p.end <= e for s, e in spans)]


def named_countries_only(places: Sequence[Place]) -> list[Place]:
    """``places`` minus towns in a country the article never names (by name, demonym or
    one of its provinces), when it does name provinces: in a story set in Logar and
    Helmand provinces, "Pul" read as Poole, England, or "Saraj" as the Macedonian town,
    is a namesake, not a place of the story. (A story that names no province may well
    name a town alone: "clashes continued in Daraa".)"""
    named = {p.country_code for p in places if p.kind in ("country", "admin1") and p.country_code}
    if not any(p.kind == "admin1" for p in places):
        return list(places)
    return [p for p in places if p.kind in ("country", "admin1", "region") or not p.country_code
            or p.country_code in named]


def address_conflicts(text: str, places: Sequence[Place]) -> set[int]:
    """Indices of places written as "X district, Y province" whose resolution does not lie
    in the province the text names right after them: the province is the text's own
    word, the town's resolution a guess among namesakes."""
    dropped: set[int] = set()
    for i, place in enumerate(places):
        for other in places:
            if other.kind != "admin1" or other.start < place.end or other.start - place.end > 24:
                continue
            if _ADDRESS_GAP.fullmatch(text[place.end:other.start]) \
                    and place.kind in ("city", "admin2", "quarter") and not _contains(other, place):
                dropped.add(i)
    return dropped


@dataclass(slots=True)
class Location:
    """Where an event is put: a place (or only a country) and the honest precision."""

    place: Place | None
    precision: int
    country_code: str | None = None


def _fold(text: str | None) -> str:
    text = unicodedata.normalize("NFKD", text or "")
    return "".join(c for c in text.lower() if c.isalpha())


def _km(a: Place, b: Place) -> float | None:
    if None in (a.latitude, a.longitude, b.latitude, b.longitude):
        return None
    return haversine_km(a.latitude, a.longitude, b.latitude, b.longitude)  # type: ignore[arg-type]


def _contains(container: Place, inner: Place) -> bool:
    """True when ``container`` (a province or country) holds ``inner``."""
    if container.kind == "country":
        return bool(inner.country_code) and inner.country_code == container.country_code and inner.kind != "country"
    if container.kind in ("admin1", "region") and inner.kind in ("admin2", "city", "quarter"):
        if container.country_code and inner.country_code and container.country_code != inner.country_code:
            return False
        names = {_fold(container.name), _fold(container.admin1), _fold(container.text)} - {""}
        inner_admin = _fold(inner.admin1)
        if inner_admin and any(n[:5] == inner_admin[:5] for n in names):
            return True
        distance = _km(container, inner)
        return distance is not None and distance < 60
    if container.kind == "city" and inner.kind == "quarter":
        distance = _km(container, inner)
        return distance is None or distance < 15
    return False


def _token(doc: Any, place: Place) -> Any | None:
    span = doc.char_span(place.start, place.end, alignment_mode="expand") if doc is not None else None
    return span.root if span is not None and len(span) else None


def _first_conjunct(token: Any) -> Any:
    while token.dep_ == "conj" and token.head.i != token.i:
        token = token.head
    return token


def _role(token: Any | None) -> str:
    """``locative``, ``excluded`` or ``neutral`` for a place's token in the parse."""
    if token is None:
        return "neutral"
    if token.dep_ == "poss":
        return "excluded"
    first = _first_conjunct(token)
    if first.dep_ in ("compound", "amod") and first.head.lemma_.lower() not in PLACE_NOUNS:
        return "excluded"
    head = first.head
    # "the towns of Sanameen": look past the place noun to its own preposition.
    if first.dep_ == "pobj" and head.lower_ == "of" and head.head.lemma_.lower() in PLACE_NOUNS:
        noun = _first_conjunct(head.head)
        if noun.dep_ == "pobj":
            head = noun.head
    if first.dep_ == "pobj" and head.lower_ in NON_LOCATIVE:
        return "excluded"
    if first.dep_ in ("dobj", "pobj") and head.lemma_.lower() in _AWAY_LEMMAS:
        return "excluded"
    if first.dep_ == "pobj" and head.lower_ in LOCATIVE:
        return "locative"
    if first.dep_ in ("nsubj", "nsubjpass", "dobj"):
        return "subject"
    return "neutral"


def clause_of(trigger: Any) -> set[int]:
    """Token indices of the trigger's own clause: the subtree of its verb, without the
    other clauses coordinated with or reported by it ("… four soldiers were killed in
    Sanameen and Nawa, and that opposition shelling had caused casualties")."""
    verb = trigger
    while verb.pos_ not in ("VERB", "AUX") and verb.head.i != verb.i:
        verb = verb.head
    tokens = {t.i for t in verb.subtree}
    for child in verb.children:
        if child.dep_ in ("conj", "ccomp", "advcl", "parataxis") and child.pos_ in ("VERB", "AUX") \
                and trigger.i not in {t.i for t in child.subtree}:
            tokens -= {t.i for t in child.subtree}
    return tokens


def places_in(span_start: int, span_end: int, places: Sequence[Place]) -> list[Place]:
    return [p for p in places if p.start >= span_start and p.end <= span_end and (p.geonameid or p.name)]


def focus_location(places: Sequence[Place], focus_country: str | None = None) -> Location | None:
    """The article's focus: its most mentioned town (precision 2), else province or
    country (precision 3). Ties go to the first mentioned."""
    usable = [p for p in places if p.geonameid is not None]
    if not usable:
        return Location(None, 3, focus_country) if focus_country else None
    for kinds, precision in ((("quarter", "city", "admin2"), 2), (("admin1", "region"), 3), (("country",), 3)):
        pool = [p for p in usable if p.kind in kinds and (focus_country is None or p.country_code == focus_country)]
        if not pool:
            continue
        counts = Counter(p.geonameid for p in pool)
        first = {}
        for p in pool:
            first.setdefault(p.geonameid, p)
        best = max(counts, key=lambda g: (counts[g], -first[g].start))
        place = first[best]
        return Location(place, precision, place.country_code)
    return Location(None, 3, focus_country) if focus_country else None


def locate_event(
    doc: Any,
    span_start: int,
    span_end: int,
    places: Sequence[Place],
    trigger: Any | None = None,
    focus: Location | None = None,
) -> list[Location]:
    """The location(s) of the event whose sentence covers ``[span_start, span_end)``:
    several when the sentence names a coordinated list of places."""
    candidates: list[tuple[Place, Any, str]] = []
    for place in places_in(span_start, span_end, places):
        token = _token(doc, place)
        role = _role(token)
        if role == "excluded":
            continue
        if role == "subject" and place.kind == "country":
            continue  # "Iraq reiterated…": the state speaking, not a location
        candidates.append((place, token, role))
    if trigger is not None and candidates:
        clause = clause_of(trigger)
        own = [c for c in candidates if c[1] is None or c[1].i in clause]
        if not own:
            # Every place belongs to another clause of the sentence: not this event's.
            return [focus] if focus is not None else []
        candidates = own
    # Specific beats general.
    candidates = [
        c for c in candidates
        if not any(o is not c and _contains(c[0], o[0]) for o in candidates)
    ]
    # One mention per place.
    seen: set[Any] = set()
    unique = []
    for c in candidates:
        key = c[0].geonameid or _fold(c[0].name)
        if key in seen:
            continue
        seen.add(key)
        unique.append(c)
    if not unique:
        return [focus] if focus is not None else []
    groups: dict[int, list[tuple[Place, Any, str]]] = {}
    for c in unique:
        key = _first_conjunct(c[1]).i if c[1] is not None else -1 - len(groups)
        groups.setdefault(key, []).append(c)

    def score(group: list[tuple[Place, Any, str]]) -> float:
        best = 0.0
        for place, token, role in group:
            value = _SPECIFICITY.get(place.kind or "city", 3) + (2.0 if role == "locative" else 0.0)
            if trigger is not None and token is not None:
                value -= 0.05 * abs(token.i - trigger.i)
            best = max(best, value)
        return best

    chosen = max(groups.values(), key=score)
    return [Location(place, _PRECISION.get(place.kind or "city", 1), place.country_code) for place, _, _ in chosen]
