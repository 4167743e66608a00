"""Finding place mentions in a parsed text.

Three sources, because none is enough alone (spaCy's small model calls "Daraa" an
organisation and "Daraa al-Balad" a person; the gazetteer alone would find a town in
every capitalized word):

1. **Gazetteer matching**: every run of up to six capitalized tokens (with connectors
   such as "al-", "of", "de" inside) is normalized and looked up; the longest hit wins.
   This also finds place names inside organisation names ("Kenya Airways" -> Kenya), which
   GeoWebNews and TR-News annotate as mentions of the place.
2. **Demonyms**: "Syrian", "Iraqis" -> the country (our ``demonyms.tsv``).
3. **spaCy entities**: GPE/LOC mentions that no gazetteer name covers are kept unresolved
   (ranking.py may still find them by fuzzy matching within the document's countries).

Each mention records how sure we are that it is a place at all (``strong``): names of
countries, divisions and continents, and names spaCy tags GPE/LOC/FAC, are strong; a
capitalized word that only the gazetteer knows (perhaps a surname, perhaps "Reading")
is weak, and the ranking keeps it only when the document's geography supports it.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from rapidfuzz import fuzz

from ...lang import language_pack
from .gazetteer import Gazetteer
from .names import (ADMIN1_WORDS, ADMIN2_WORDS, ARTICLES, CITY_WORDS, COMMON_WORDS, NAMING_WORDS, ROLE_NOUNS,
                    SPEECH_VERBS, TITLES, fold, normalize, strip_article)

MAX_TOKENS = 6
PLACE_LABELS = frozenset({"GPE", "LOC", "FAC"})
# The words are the language pack's (data/lang/en/geoparse.toml says what each list is for).
_EN = language_pack("en")
# Lower-case words allowed inside a multi-word name ("Bosnia and Herzegovina").
CONNECTORS = _EN.words("geoparse", "connectors")
# Abbreviations that begin names ("St.", "Ft.", "Mt."), as written.
NAME_ABBREVIATIONS = _EN.words("geoparse", "name_abbreviations")
# Articles that may open a name in lower case before a hyphen ("al-Sanamayn").
LOWERCASE_ARTICLE_STARTS = _EN.words("geoparse", "lowercase_article_starts")
LOWERCASE_NAME_ARTICLES = _EN.words("geoparse", "lowercase_name_articles")
# "the province of Daraa": a first-level division.
DIVISION_OF_PREFIXES = _EN.sequence("geoparse", "division_of_prefixes")
_NAME_KINDS = (0, 1, 5)  # country, admin1, region: a capitalized exact name is a place


@dataclass(slots=True)
class Toponym:
    """A stretch of text that names a place, with the gazetteer records it may be."""

    start: int
    end: int
    text: str
    candidates: tuple[int, ...]
    strong: bool
    hint: str | None = None  # "admin1" | "admin2" | "city": the word after the name says so
    label: str | None = None  # spaCy entity label over the mention, if any
    demonym: bool = False
    restrict: set[int] = field(default_factory=set)  # records named right after ", "
    fuzzy: float | None = None  # similarity (0-1) when candidates came from fuzzy matching


def _entity_labels(doc: Any) -> list[str]:
    return [token.ent_type_ for token in doc]


def _sentence_starts(doc: Any) -> set[int]:
    """Token indices that begin a sentence, computed once: ``Token.is_sent_start``
    re-checks the whole document's annotation on every call."""
    if doc.has_annotation("SENT_START") or doc.has_annotation("DEP"):
        return {sent.start for sent in doc.sents}
    return {0}


def _capitalized(text: str) -> bool:
    return bool(text) and (text[0].isupper() or (text[0].isdigit() and False))


def find_toponyms(doc: Any, gaz: Gazetteer, stop_words: frozenset[str] = frozenset()) -> list[Toponym]:
    """All place mentions in ``doc``, in text order, without overlaps."""
    text = doc.text
    labels = _entity_labels(doc)
    starts = _sentence_starts(doc)
    mentions: list[Toponym] = []
    n = len(doc)
    i = 0
    while i < n:
        found = _match_at(doc, text, i, gaz, labels, starts, stop_words) if _may_start(doc, i) else None
        if found is None:
            mentions.extend(_hyphen_parts(doc[i], gaz))
            i += 1
            continue
        mentions.append(found[0])
        i = found[1]
    people = _PersonNames(doc, starts)
    mentions = _drop_names_of_other_things(doc, mentions, gaz, people)
    covered = [False] * (len(text) + 1)
    for mention in mentions:
        for c in range(mention.start, mention.end):
            covered[c] = True
    mentions.extend(_unknown_place_entities(doc, text, covered, people, starts, stop_words))
    mentions.sort(key=lambda m: m.start)
    _attach_qualifiers(mentions, text, gaz)
    return mentions


def _unknown_place_entities(doc: Any, text: str, covered: list[bool], people: _PersonNames, starts: set[int],
                            stop_words: frozenset[str]) -> list[Toponym]:
    """Place entities the gazetteer does not know: kept, unresolved or fuzzy-matched later,
    unless they are plainly something else (a person's or a ship's name, "G7", "further
    West"). As in :func:`_drop_names_of_other_things`, a name shown once to be a person's
    is one everywhere in the text."""
    found: list[tuple[int, int, str]] = []
    for ent in doc.ents:
        if ent.label_ not in ("GPE", "LOC") or any(covered[c] for c in range(ent.start_char, ent.end_char)):
            continue
        if not _capitalized(ent.text) or ent.text.lower() in stop_words:
            continue
        # "further West" is a direction, "the West" a region.
        if ent.text.lower() in COMMON_WORDS and (ent.start == 0 or doc[ent.start - 1].lower_ != "the"):
            continue
        if any(c.isdigit() for c in ent.text):  # "G7", "F-16"
            continue
        first = ent.start + (doc[ent.start].lower_ == "the")
        if first >= ent.end or _is_acronym(doc, first, ent.end, starts):
            continue
        if people.names_person(doc, first, ent.end, kind="unknown", label=ent.label_) or \
                people.after_title(doc, first, roles=True):
            people.surnames.add(_name_key(doc[ent.end - 1].text))
            continue
        found.append((first, ent.end, ent.label_))
    mentions = []
    for first, end, label in found:
        if end - first == 1 and _name_key(doc[first].text) in people.surnames:
            continue
        start_char, end_char = doc[first].idx, doc[end - 1].idx + len(doc[end - 1].text)
        mentions.append(Toponym(start_char, end_char, text[start_char:end_char], (), strong=True, label=label))
    return mentions


def _hyphen_parts(token: Any, gaz: Gazetteer) -> list[Toponym]:
    """Countries inside one hyphenated token the tokenizer did not split ("U.S.-backed",
    "U.S.-Ukraine talks"): only names of countries, divisions and regions and demonyms,
    which are places wherever they stand."""
    if "-" not in token.text or not _capitalized(token.text):
        return []
    found: list[Toponym] = []
    offset = token.idx
    for part in token.text.split("-"):
        if _capitalized(part) and len(part.replace(".", "")) > 1:
            demonym = _demonym(part, gaz)
            if demonym is not None:
                found.append(Toponym(offset, offset + len(part), part, (demonym,), strong=True, demonym=True))
            else:
                key = normalize(part)
                preferred = gaz.preferred.get(key)
                named = tuple(c for c in gaz.lookup(key) if gaz.kinds[c] in _NAME_KINDS or c == preferred)
                if named:
                    found.append(Toponym(offset, offset + len(part), part, named, strong=True))
        offset += len(part) + 1
    return found


# Entities whose inner words are rarely places unless they name a country or a state:
# "Department of Energy", "Notre Dame Cathedral", "World Cup".
_NON_PLACE_LABELS = frozenset({"ORG", "PERSON", "FAC", "EVENT", "WORK_OF_ART", "LAW", "PRODUCT", "NORP"})


_PLACE_TYPE_WORDS = ADMIN1_WORDS | ADMIN2_WORDS | CITY_WORDS | COMMON_WORDS


def _name_key(word: str) -> str:
    """A person-name word as compared with a mention: normalized, without the Arabic
    article ("al-Abbasi" == "Abbasi")."""
    key = normalize(word)
    return strip_article(key) or key


class _PersonNames:
    """What the document shows about people's names, read once per document.

    The geoparser is the one place where a person's name is told from a place: later
    stages (resolve) trust ``Document.places`` to hold no surnames."""

    def __init__(self, doc: Any, starts: set[int]) -> None:
        self.starts = starts
        self.surnames: set[str] = set()
        self.given_names: set[str] = set()
        for ent in doc.ents:
            if ent.label_ != "PERSON" or len(ent) < 2:
                continue
            words = [t for t in ent if t.is_alpha and t.lower_ not in ARTICLES and _capitalized(t.text)]
            if len(words) < 2 or words[0].text == words[-1].text:
                continue
            # "Beledweyne District", "Kunduz Province": the small model's persons
            # sometimes are places with their type word.
            if words[-1].lower_ in _PLACE_TYPE_WORDS:
                continue
            # The surname of a full name; spaCy's small model tags lone unfamiliar town
            # names ("Douma") as persons, and "Riverdale Lukoil" too, but a place rarely
            # ends a two-word name that way.
            self.surnames.add(_name_key(words[-1].text))
            if words[0].lower_ not in TITLES:
                self.given_names.add(_name_key(words[0].text))

    def names_person(self, doc: Any, start: int, end: int, *, kind: str, label: str | None) -> bool:
        """Whether tokens ``start:end`` (a one-word name) are a person's name.

        ``kind`` is what the gazetteer knows the word as: "country", "division" (or
        region), "town" or "unknown"; ``label`` is spaCy's entity label over it. The
        evidence, from strongest:

        - a title right before it ("President Buhari") - enough for any name;
        - a word for a relative, a pet, a vessel or a storm right before it ("his brother
          Tyler", "his wife, Julia", "the ship Jairan") - for any name but a country's;
        - spaCy's PERSON and the subject of a verb of saying ("Nelson says") - for any
          name but a country's;
        - the surname of someone named in full ("John Kelly" ... "Kelly") - for towns
          and unknown words, not divisions ("Michael Jordan" ... "Jordan");
        - a given name of someone named in full ("Yulia Skripal" ... "Yulia") - only for
          words the gazetteer does not know (spaCy's persons include "Riverdale Lukoil");
        - the subject of a verb of saying ("Noma said") - unless spaCy tags a known
          name a place ("Moscow said")."""
        if end - start == 3 and doc[start].lower_ in ARTICLES and doc[start + 1].text == "-":
            pass  # "al-Abbasi": one name with its article
        elif end - start != 1:
            return False
        token = doc[end - 1]
        before = self._word_before(doc, start)
        if self.after_title(doc, start, roles=kind in ("town", "unknown")):
            return True
        if kind == "country":
            return False
        if before is not None and before.lower_ in NAMING_WORDS:
            return True
        speaks = token.dep_ in ("nsubj", "nsubjpass") and token.head.lemma_.lower() in SPEECH_VERBS
        if speaks and label == "PERSON":
            return True
        if kind == "division":
            return False
        key = _name_key(token.text)
        if key in self.surnames:
            return True
        if kind == "unknown" and key in self.given_names:
            return True
        return speaks and (kind == "unknown" or label not in PLACE_LABELS)

    def after_title(self, doc: Any, start: int, roles: bool) -> bool:
        """A title ("President", "Gen.") or, if ``roles``, a role in lower case
        ("adviser", "spokesman") right before the name, or before one given name in
        front of it ("presidential adviser Mesut Casin"), in the same sentence."""
        for k in (start - 1, start - 2):
            if k < 0 or k + 1 in self.starts or not doc[k].whitespace_:
                return False
            word = doc[k]
            if word.lower_.rstrip(".") in TITLES and _capitalized(word.text) or roles and word.lower_ in ROLE_NOUNS:
                return True
            # One given name may stand between, unless it is a place of its own ("Kenya
            # President William Ruto" is fine, "envoy Mesut Casin" one name spaCy calls GPE).
            if not (_capitalized(word.text) and word.pos_ == "PROPN"
                    and (word.ent_type_ not in PLACE_LABELS or doc[start].ent_iob_ == "I")):
                return False
        return False

    def _word_before(self, doc: Any, start: int) -> Any | None:
        """The word before a name in the same sentence, past one comma ("his wife,
        Julia"); None at a sentence start."""
        if start == 0 or start in self.starts:
            return None
        before = doc[start - 1]
        if before.text == "," and start > 1 and start - 1 not in self.starts:
            return doc[start - 2]
        return before if before.whitespace_ else None


def _kind(mention: Toponym, gaz: Gazetteer) -> str:
    """What the gazetteer knows a mention's name as, at its grandest ("country" for
    national capitals too)."""
    kinds = {gaz.kinds[c] for c in mention.candidates}
    # A capital speaks for its country ("Mogadishu argues", "Moscow said").
    if 0 in kinds or any(c in gaz.capitals for c in mention.candidates):
        return "country"
    if kinds & set(_NAME_KINDS):
        return "division"
    return "town" if kinds else "unknown"


def _drop_names_of_other_things(doc: Any, mentions: list[Toponym], gaz: Gazetteer,
                                people: _PersonNames) -> list[Toponym]:
    """Remove town-only matches that the document shows to be something else:

    - a person's name (see :meth:`_PersonNames.names_person`: "John Kelly" ... "Kelly
      said", "President Buhari");
    - a word inside, not at the head of, a longer organisation, facility or event name
      that spaCy tagged ("Department of Energy").

    Names of countries, divisions and regions stay ("Kenya Airways" names Kenya), as do
    demonyms; mentions spaCy itself tags as places stay unless a title or a surname
    says otherwise."""
    spans: list[tuple[int, int]] = []
    for ent in doc.ents:
        if ent.label_ in _NON_PLACE_LABELS and len(ent) > 1:
            spans.append((ent.start_char, ent.end_char))
    # First every one-word name on its own evidence; then, as with surnames, a town's
    # name shown once to be someone's ("President Buhari", "the cargo ship Jairan") is
    # theirs everywhere in the text ("Buhari said", "the Jairan docked").
    persons: set[int] = set()
    for k, mention in enumerate(mentions):
        if mention.demonym or " " in mention.text:
            continue
        span = doc.char_span(mention.start, mention.end, alignment_mode="expand")
        kind = _kind(mention, gaz)
        if span is not None and people.names_person(doc, span.start, span.end, kind=kind, label=mention.label):
            persons.add(k)
    for k in persons:
        if _kind(mentions[k], gaz) in ("town", "unknown"):
            people.surnames.add(_name_key(mentions[k].text))
    kept = []
    for k, mention in enumerate(mentions):
        if mention.demonym:
            kept.append(mention)
            continue
        named = any(gaz.kinds[c] in _NAME_KINDS for c in mention.candidates)
        if k in persons or (not named and " " not in mention.text and _name_key(mention.text) in people.surnames):
            continue
        if named or mention.label in PLACE_LABELS:
            kept.append(mention)
            continue
        # A place leads the names it gives ("Toronto Star", "Seattle Times"); a word
        # further in is part of the name ("Department of Energy").
        if any(s < mention.start and mention.end <= e for s, e in spans):
            continue
        kept.append(mention)
    return kept


def _is_acronym(doc: Any, start: int, end: int, starts: set[int]) -> bool:
    """An all-capital word of four letters or more in mixed-case prose is an acronym
    ("NISA", "HAAA"), not a town; a dateline ("KYIV, Ukraine -") or an all-capital
    headline is not prose."""
    if end - start != 1:
        return False
    token = doc[start]
    if not (token.is_alpha and token.is_upper and len(token.text) >= 4):
        return False
    nxt = doc[start + 1] if start + 1 < len(doc) else None
    if (start in starts or start == 0 or doc[start - 1].is_space) and (nxt is None or nxt.text in {",", "-", "–", "—", "("}):
        return False
    near = [t for t in doc[max(0, start - 3):start + 4] if t.is_alpha and t.i != start]
    return not any(t.is_upper and len(t.text) > 1 for t in near)


def _is_dotted_acronym(text: str) -> bool:
    """"U.S.", "U.K." and the abbreviations that begin names ("St.", "Ft.", "Mt.")."""
    if "." not in text or not text.replace(".", "").isalpha():
        return False
    return text.isupper() or text in NAME_ABBREVIATIONS


def _may_start(doc: Any, i: int) -> bool:
    token = doc[i]
    if _capitalized(token.text) and (token.is_alpha or _is_dotted_acronym(token.text)):
        return True
    # "al-Sanamayn" written with a lower-case article.
    return token.lower_ in LOWERCASE_ARTICLE_STARTS and i + 2 < len(doc) and \
        doc[i + 1].text == "-" and _capitalized(doc[i + 2].text)


def _match_at(doc: Any, text: str, i: int, gaz: Gazetteer, labels: list[str], starts: set[int],
              stop_words: frozenset[str]) -> tuple[Toponym, int] | None:
    """The longest gazetteer name or demonym starting at token ``i`` (``text`` is
    ``doc.text``, passed in because spaCy rebuilds that string on every access)."""
    n = len(doc)
    last = min(n, i + MAX_TOKENS)
    # Extend only through name-like tokens, and never across a sentence start.
    ends: list[int] = []
    j = i
    while j < last:
        token = doc[j]
        if j > i and (j in starts or token.whitespace_ == "" and token.text in ",;:"):
            break
        if j > i and not (_capitalized(token.text) or token.lower_ in CONNECTORS):
            break
        if token.is_alpha and (j == i or _capitalized(token.text) or token.lower_ in LOWERCASE_NAME_ARTICLES):
            ends.append(j + 1)
        elif _is_dotted_acronym(token.text):  # "U.S."
            ends.append(j + 1)
        if doc[j].whitespace_ and j + 1 < n and doc[j + 1].text in {"-"}:
            break
        j += 1
    for end in reversed(ends):
        start_char = doc[i].idx
        end_char = doc[end - 1].idx + len(doc[end - 1].text)
        surface = text[start_char:end_char]
        # A demonym before a town of the same spelling: "Canadian officials" are
        # Canada's, not Canadian, Texas ("Somali", "Spanish" likewise); a language
        # ("speak English") is neither.
        demonym = _demonym(surface, gaz) if labels[i] != "LANGUAGE" else None
        if demonym is not None:
            return Toponym(start_char, end_char, surface, (demonym,), strong=True, label=labels[i] or None,
                           demonym=True), end
        candidates = gaz.lookup(normalize(surface))
        if candidates:
            mention = _accept(doc, i, end, surface, candidates, gaz, labels, starts, stop_words)
            if mention is not None:
                return mention, end
    return None


def _demonym(surface: str, gaz: Gazetteer) -> int | None:
    if not _capitalized(surface):
        return None
    lower = surface.lower()
    record = gaz.demonyms.get(lower)
    if record is None and lower.endswith("s"):  # "Syrians", "Iraqis"
        record = gaz.demonyms.get(lower[:-1])
    return record


def _accept(doc: Any, i: int, end: int, surface: str, candidates: tuple[int, ...], gaz: Gazetteer,
            labels: list[str], starts: set[int], stop_words: frozenset[str]) -> Toponym | None:
    """Decide whether a gazetteer hit is a place mention, and how sure we are."""
    lower = surface.lower()
    single = end - i == 1
    if single and (lower in stop_words or lower in COMMON_WORDS) and not surface.isupper():
        return None
    # An article or connector alone ("al" of "al-Shabab", "La" of "La Nina") names nothing.
    if single and (lower in ARTICLES or lower in CONNECTORS):
        return None
    # Short all-capital words (acronyms) only as the aliases they are ("US", "UK", "UAE").
    if surface.isupper() and len(surface.replace(".", "")) <= 3:
        preferred = gaz.preferred.get(normalize(surface))
        candidates = tuple(c for c in candidates if gaz.kinds[c] == 0 or c == preferred)
        if not candidates:
            return None
    entity = {labels[k] for k in range(i, end) if labels[k]}
    label = next(iter(entity)) if len(entity) == 1 else (sorted(entity)[0] if entity else None)
    start_char = doc[i].idx
    end_char = doc[end - 1].idx + len(doc[end - 1].text)
    is_name_kind = any(gaz.kinds[c] in _NAME_KINDS for c in candidates)
    if "PERSON" in entity:
        # Part of a person's name ("Michael Jordan", "Paris Hilton"): not a place. A
        # "person" the small model begins with "the" ("named the Sahel the epicenter") is none.
        ent_start, ent_end = _entity_bounds(doc, i, "PERSON")
        if (ent_start < i or ent_end > end) and not (ent_start == i - 1 and doc[ent_start].lower_ == "the"
                                                     and ent_end == end):
            return None
    if single and not is_name_kind:
        # A language ("speak English"); a people or party used as an adjective ("an Arab
        # republic") or that only folds to a town's name ("Baath" -> Bath) - spaCy's NORP
        # also covers unfamiliar towns such as "Dadaab", spelled exactly as the
        # gazetteer has them; or an acronym ("NISA").
        if "LANGUAGE" in entity or "NORP" in entity and (
                doc[i].pos_ == "ADJ" or not any(fold(gaz.names[c]) == lower for c in candidates)):
            return None
        if "ORG" in entity and _is_acronym(doc, i, end, starts) and gaz.preferred.get(normalize(surface)) is None:
            return None
    strong = is_name_kind or bool(entity & PLACE_LABELS)
    if not strong and single and doc[i].pos_ not in ("PROPN",) and not labels[i]:
        # A capitalized common word ("Reading", "Along") outside any entity.
        if i in starts or doc[i].pos_ != "NOUN":
            return None
    if not strong and single and not any(_spelled_alike(gaz.names[c], surface) for c in candidates):
        # A word spaCy does not call a place that reaches a town only through an
        # unrelated alias ("Fox" -> Victor, "Commissioner" -> McIntyre, "Levi" -> Rand).
        return None
    return Toponym(start_char, end_char, surface, candidates, strong=strong, label=label)


def _spelled_alike(name: str, surface: str) -> bool:
    """Whether ``surface`` is a spelling of the record's own ``name`` ("Deraa" of Daraa,
    "Maui" of Maui County) rather than an unrelated alias."""
    own, written = normalize(name), normalize(surface)
    own = strip_article(own) or own
    return written in own.split() or fuzz.ratio(own, written) >= 65


def _entity_bounds(doc: Any, i: int, label: str) -> tuple[int, int]:
    start = i
    while start > 0 and doc[start].ent_iob_ == "I" and doc[start - 1].ent_type_ == label:
        start -= 1
    end = i + 1
    while end < len(doc) and doc[end].ent_iob_ == "I":
        end += 1
    return start, end


def _attach_qualifiers(mentions: list[Toponym], text: str, gaz: Gazetteer) -> None:
    """Read the words around each mention that say what it is:

    - "Daraa province", "Idlib governorate", "the province of Daraa" -> the division;
    - "Cook County" style names are already whole gazetteer names; "Nawa district" ->
      a second-level division, else the town;
    - "Daraa City" -> the city;
    - "Long Beach, California" / "Long Beach, CA" -> candidates inside what follows the
      comma (the following mention is then part of this one's address).
    """
    for k, mention in enumerate(mentions):
        after = text[mention.end:mention.end + 16]
        word = after.split(maxsplit=1)[0].lower().strip(".,;:)") if after[:1] == " " and after.strip() else ""
        if word in ADMIN1_WORDS:
            mention.hint = "admin1"
        elif word in ADMIN2_WORDS:
            mention.hint = "admin2"
        elif word in CITY_WORDS and after[1:2].isupper():
            mention.hint = "city"
        if mention.hint and mention.hint != "city" and any(gaz.kinds[c] == 1 for c in mention.candidates):
            mention.end += 1 + len(word)
            mention.text = text[mention.start:mention.end]
        elif mention.hint == "city":
            mention.end += 1 + len(word)
            mention.text = text[mention.start:mention.end]
        before = text[max(0, mention.start - 16):mention.start].lower()
        if before.endswith(DIVISION_OF_PREFIXES):
            mention.hint = "admin1"
        # Address: "Long Beach, CA" / "Paris, Texas".
        if k + 1 < len(mentions):
            nxt = mentions[k + 1]
            if text[mention.end:nxt.start] == ", " and nxt.candidates and not mention.demonym:
                mention.restrict = set(nxt.candidates)
        if mention.restrict == set() and text[mention.end:mention.end + 2] == ", ":
            code = text[mention.end + 2:mention.end + 4]
            if len(code) == 2 and code.isupper() and not text[mention.end + 4:mention.end + 5].isalpha():
                records = {r for (cc, c), r in gaz.state_codes.items() if c == code}
                mention.restrict = records
