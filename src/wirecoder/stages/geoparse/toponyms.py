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
   (the resolver may still find them by fuzzy matching within the document's countries).

Each mention records how sure we are that it is a place at all (``strong``): names of
countries, divisions and continents, and names spaCy tags GPE/LOC/FAC, are strong; a
capitalized word that only the gazetteer knows (perhaps a surname, perhaps "Reading")
is weak, and the resolver keeps it only when the document's geography supports it.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from .gazetteer import Gazetteer
from .names import ADMIN1_WORDS, ADMIN2_WORDS, CITY_WORDS, normalize

MAX_TOKENS = 6
PLACE_LABELS = frozenset({"GPE", "LOC", "FAC"})
# Lower-case words allowed inside a multi-word name ("Bosnia and Herzegovina",
# "Daraa al-Balad", "Rio de Janeiro").
CONNECTORS = frozenset(
    {"of", "and", "de", "del", "da", "do", "dos", "das", "di", "du", "des", "la", "le", "les", "los", "las",
     "al", "el", "as", "ash", "ad", "ar", "an", "at", "az", "ul", "bin", "ibn", "upon", "on", "the", "-", "'", "’", "."}
)
# Capitalized words that are place names somewhere but almost never in English news
# prose ("Of" in Turkey, "Along" in India) - their sentence-initial or title-case uses
# would otherwise become towns. Stop words of spaCy are added at run time.
COMMON_WORDS = frozenset(
    {"central", "north", "south", "east", "west", "western", "eastern", "northern", "southern", "new", "old",
     "mobile", "police", "army", "president", "minister", "white", "house", "street", "university", "said",
     "city", "state", "national", "international", "university", "media", "news", "center", "centre", "union",
     "council", "republic", "kingdom", "court", "party", "government", "march", "may", "june", "july", "august",
     "monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday", "god", "christ", "bank",
     "supreme", "federal", "royal", "victoria", "prime", "general", "chief", "senate", "congress", "islam",
     "christian", "muslim", "gulf", "sea", "ocean", "river", "lake", "mount", "island", "islands", "airport",
     "forces", "force", "guard", "us", "it", "is", "in", "at", "on", "to", "by", "an", "as", "or", "no", "so",
     "aid", "hope", "unity", "liberty", "independence", "freedom", "reform", "progress", "justice", "peace",
     # prefixes written with a hyphen before a name: "Pro-Iranian", "Anti-Assad"
     "pro", "anti", "non", "ex", "post", "pre", "mid", "neo", "trans", "inter"}
)
_NAME_KINDS = (0, 1, 5)  # country, admin1, region: a capitalized exact name is a place


@dataclass(slots=True)
class Mention:
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


def find_mentions(doc: Any, gaz: Gazetteer, stop_words: frozenset[str] = frozenset()) -> list[Mention]:
    """All place mentions in ``doc``, in text order, without overlaps."""
    text = doc.text
    labels = _entity_labels(doc)
    starts = _sentence_starts(doc)
    mentions: list[Mention] = []
    n = len(doc)
    i = 0
    while i < n:
        token = doc[i]
        found = _match_at(doc, text, i, gaz, labels, starts, stop_words) if _may_start(doc, i) else None
        if found is None:
            i += 1
            continue
        mentions.append(found[0])
        i = found[1]
    mentions = _drop_names_of_other_things(doc, mentions, gaz)
    covered = [False] * (len(text) + 1)
    for mention in mentions:
        for c in range(mention.start, mention.end):
            covered[c] = True
    # Place entities the gazetteer does not know: kept, unresolved or fuzzy-matched later.
    for ent in doc.ents:
        if ent.label_ not in ("GPE", "LOC") or any(covered[c] for c in range(ent.start_char, ent.end_char)):
            continue
        if not _capitalized(ent.text) or ent.text.lower() in stop_words:
            continue
        start, end = ent.start_char, ent.end_char
        if doc[ent.start].lower_ == "the":
            start = doc[ent.start].idx + 4
        mentions.append(Mention(start, end, text[start:end], (), strong=True, label=ent.label_))
    mentions.sort(key=lambda m: m.start)
    _attach_qualifiers(mentions, text, gaz)
    return mentions


# Entities whose inner words are rarely places unless they name a country or a state:
# "Department of Energy", "Notre Dame Cathedral", "World Cup".
_NON_PLACE_LABELS = frozenset({"ORG", "PERSON", "FAC", "EVENT", "WORK_OF_ART", "LAW", "PRODUCT", "NORP"})


def _drop_names_of_other_things(doc: Any, mentions: list[Mention], gaz: Gazetteer) -> list[Mention]:
    """Remove town-only matches that the document shows to be something else:

    - the last word of a person's name anywhere in the text ("John Kelly" ... "Kelly said");
    - a word inside, not at the head of, a longer organisation, facility or event name
      that spaCy tagged ("Department of Energy").

    Names of countries, divisions and regions stay ("Kenya Airways" names Kenya), as do
    mentions spaCy itself tags as places."""
    person_words: set[str] = set()
    spans: list[tuple[int, int]] = []
    for ent in doc.ents:
        if ent.label_ == "PERSON" and len(ent) > 1 and ent[0].text != ent[-1].text:
            # The surname of a full name; spaCy's small model tags lone unfamiliar town
            # names ("Douma") as persons, and "Riverdale Lukoil" too, but a place rarely
            # ends a two-word name that way.
            person_words.add(ent[-1].text)
        if ent.label_ in _NON_PLACE_LABELS and len(ent) > 1:
            spans.append((ent.start_char, ent.end_char))
    kept = []
    for mention in mentions:
        if mention.label in PLACE_LABELS or mention.demonym or any(gaz.kinds[c] in _NAME_KINDS for c in mention.candidates):
            kept.append(mention)
            continue
        if " " not in mention.text and mention.text in person_words:
            continue
        # A place leads the names it gives ("Toronto Star", "Seattle Times"); a word
        # further in is part of the name ("Department of Energy").
        if any(s < mention.start and mention.end <= e for s, e in spans):
            continue
        kept.append(mention)
    return kept


def _is_dotted_acronym(text: str) -> bool:
    """"U.S.", "U.K." and the abbreviations that begin names ("St.", "Ft.", "Mt.")."""
    if "." not in text or not text.replace(".", "").isalpha():
        return False
    return text.isupper() or text in {"St.", "Ste.", "Ft.", "Mt.", "Pt."}


def _may_start(doc: Any, i: int) -> bool:
    token = doc[i]
    if _capitalized(token.text) and (token.is_alpha or _is_dotted_acronym(token.text)):
        return True
    # "al-Sanamayn" written with a lower-case article.
    return token.lower_ in {"al", "el", "as", "ash", "ad", "ar", "an", "az"} and i + 2 < len(doc) and \
        doc[i + 1].text == "-" and _capitalized(doc[i + 2].text)


def _match_at(doc: Any, text: str, i: int, gaz: Gazetteer, labels: list[str], starts: set[int],
              stop_words: frozenset[str]) -> tuple[Mention, int] | None:
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
        if token.is_alpha and (j == i or _capitalized(token.text) or token.lower_ in {"al", "el"}):
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
        candidates = gaz.lookup(normalize(surface))
        if candidates:
            mention = _accept(doc, i, end, surface, candidates, gaz, labels, starts, stop_words)
            if mention is not None:
                return mention, end
        demonym = _demonym(surface, gaz)
        if demonym is not None:
            return Mention(start_char, end_char, surface, (demonym,), strong=True, label=labels[i] or None,
                           demonym=True), end
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
            labels: list[str], starts: set[int], stop_words: frozenset[str]) -> Mention | None:
    """Decide whether a gazetteer hit is a place mention, and how sure we are."""
    lower = surface.lower()
    single = end - i == 1
    if single and (lower in stop_words or lower in COMMON_WORDS) and not surface.isupper():
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
        # Part of a person's name ("Michael Jordan", "Paris Hilton"): not a place.
        ent_start, ent_end = _entity_bounds(doc, i, "PERSON")
        if ent_start < i or ent_end > end:
            return None
    strong = is_name_kind or bool(entity & PLACE_LABELS)
    if not strong and single and doc[i].pos_ not in ("PROPN",) and not labels[i]:
        # A capitalized common word ("Reading", "Along") outside any entity.
        if i in starts or doc[i].pos_ != "NOUN":
            return None
    return Mention(start_char, end_char, surface, candidates, strong=strong, label=label)


def _entity_bounds(doc: Any, i: int, label: str) -> tuple[int, int]:
    start = i
    while start > 0 and doc[start].ent_iob_ == "I" and doc[start - 1].ent_type_ == label:
        start -= 1
    end = i + 1
    while end < len(doc) and doc[end].ent_iob_ == "I":
        end += 1
    return start, end


def _attach_qualifiers(mentions: list[Mention], text: str, gaz: Gazetteer) -> None:
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
        if before.endswith(("province of ", "governorate of ", "state of ", "region of ")):
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
