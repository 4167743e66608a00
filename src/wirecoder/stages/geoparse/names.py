"""Name normalization shared by the gazetteer (when it is built) and the toponym finder
(when it reads text), so that both sides of a lookup agree on one spelling.

Transliterated names reach the news in many spellings: *Daraa / Deraa / Dar'a*,
*As Sanamayn / al-Sanamayn*, *Jāsim / Jasim*. :func:`normalize` folds the differences that
carry no meaning for matching:

1. diacritics and letter variants (``ā`` -> ``a``, ``ø`` -> ``o``, ``ß`` -> ``ss``);
2. apostrophes, ayn and hamza marks (``'``, ``’``, ``ʿ``, ``‘``) vanish;
3. hyphens, dots and commas become spaces (``al-Balad`` == ``al Balad``, ``St. Louis`` == ``St Louis``);
4. the Arabic article in all its assimilated forms (``al``, ``el``, ``as``, ``ash``, ``ad``,
   ``ar``…) becomes ``al`` when another word follows it;
5. doubled vowels are halved (``Daraa`` == ``Dara``, ``Sanameen`` -> ``sanamen``).

Example::

    >>> normalize("Aş Şanamayn") == normalize("al-Sanamayn")
    True

The word lists at the end say which capitalized words are no place on their own
(``COMMON_WORDS``, ``TITLES``) and which words around a name show it is a person's,
a ship's or a storm's (``TITLES``, ``NAMING_WORDS``, ``SPEECH_VERBS``).
"""

from __future__ import annotations

import functools
import re
import unicodedata

# Letters NFKD does not decompose into a base letter plus a combining mark.
_LETTERS = str.maketrans(
    {
        "ø": "o", "Ø": "o", "ł": "l", "Ł": "l", "ß": "ss", "æ": "ae", "Æ": "ae", "œ": "oe",
        "Œ": "oe", "đ": "d", "Đ": "d", "ð": "d", "þ": "th", "ı": "i", "ħ": "h", "ŧ": "t",
    }
)
# Marks that stand for an ayn, a hamza or an elision: they are often dropped in English.
_MARKS = re.compile(r"['’‘ʿʾ`´ʻʼ′\u02bb\u02bc\u02be\u02bf]")
_SEPARATORS = re.compile(r"[\s\-‐‑–—.,/()]+")
_DOUBLE_VOWEL = re.compile(r"([aeiou])\1+")

# Assimilated forms of the Arabic article (and the Spanish/French "el" that GeoNames
# writes the same way); all map to "al" when a word follows.
ARTICLES: frozenset[str] = frozenset(
    {"al", "el", "as", "ash", "ad", "adh", "ar", "at", "ath", "az", "an", "es", "ed", "er", "et", "ez", "en", "ul"}
)


def fold(text: str) -> str:
    """Lowercase ASCII-ish form: diacritics removed, special letters mapped."""
    decomposed = unicodedata.normalize("NFKD", text.translate(_LETTERS))
    return "".join(c for c in decomposed if not unicodedata.combining(c)).lower()


@functools.lru_cache(maxsize=200_000)
def normalize(name: str) -> str:
    """The matching key of a place name (see the module docstring)."""
    words = _SEPARATORS.split(_MARKS.sub("", fold(name)))
    words = [w for w in words if w]
    out: list[str] = []
    for i, word in enumerate(words):
        if word in ARTICLES and i + 1 < len(words):
            word = "al"
        out.append(_DOUBLE_VOWEL.sub(r"\1", word))
    return " ".join(out)


def strip_article(key: str) -> str | None:
    """``"al sanamayn"`` -> ``"sanamayn"``; None when the key has no leading article or
    what is left is too short to be a name on its own."""
    if key.startswith("al "):
        rest = key[3:]
        if len(rest) >= 4:
            return rest
    return None


def is_latin(text: str) -> bool:
    """True when every letter is Latin script after folding (we match English text)."""
    return all(c.isascii() for c in fold(text) if c.isalpha())


# Words that, after a name, say which level of division is meant.
ADMIN1_WORDS: frozenset[str] = frozenset(
    {"province", "governorate", "state", "region", "oblast", "prefecture", "department", "emirate", "canton"}
)
ADMIN2_WORDS: frozenset[str] = frozenset({"district", "county", "parish", "borough", "municipality"})
CITY_WORDS: frozenset[str] = frozenset({"city", "town", "village"})
_TYPE_SUFFIX = re.compile(
    r"\s+(?:governorate|province|state|region|oblast|prefecture|department|emirate|canton|district|county|"
    r"parish|borough|municipality|muhafazah|wilayah|vilayet)$"
)


def strip_type_word(key: str) -> str:
    """``"daraa governorate"`` -> ``"dara"`` (on normalized keys)."""
    return _TYPE_SUFFIX.sub("", key)


# -- Words around names: which capitalized words are no place, and which say a person is
# named (read by toponyms.py).

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
     "christian", "muslim", "sea", "ocean", "river", "lake", "mount", "island", "islands", "airport",
     "forces", "force", "guard", "us", "it", "is", "in", "at", "on", "to", "by", "an", "as", "or", "no", "so",
     "aid", "hope", "unity", "liberty", "independence", "freedom", "reform", "progress", "justice", "peace",
     # prefixes written with a hyphen before a name: "Pro-Iranian", "Anti-Assad"
     "pro", "anti", "non", "ex", "post", "pre", "mid", "neo", "trans", "inter",
     # months and their abbreviations, holidays, storms
     "january", "february", "april", "september", "october", "november", "december", "jan", "feb", "mar", "apr",
     "jun", "jul", "aug", "sep", "sept", "oct", "nov", "dec", "christmas", "easter", "passover", "ramadan", "eid",
     "thanksgiving", "hurricane", "storm", "cyclone", "typhoon", "tropical", "spring", "summer", "autumn", "winter",
     # the nouns that follow a name ("Boni Forest", "Qahira Hotel"): alone they are no place
     "forest", "desert", "valley", "port", "harbor", "harbour", "bay", "coast", "beach", "hill", "hills", "mountain",
     "mountains", "park", "square", "road", "avenue", "highway", "bridge", "dam", "canal", "village", "town", "camp",
     "district", "province", "region", "county", "embassy", "hospital", "school", "church", "mosque", "temple",
     "palace", "castle", "tower", "hotel", "station", "market", "museum", "stadium", "prison", "base", "border",
     "capital", "line", "act", "law", "day", "week", "year", "world", "industry", "commerce", "enterprise",
     "discovery", "advance", "leader", "winner", "good", "red", "green", "blue", "orange", "black", "gas", "salt",
     "lab", "star", "sky", "one", "two", "three", "seven"}
)
# Titles and honorifics: the title itself is no town ("U.S. Secretary of State" is not
# Secretary, Idaho), and the capitalized word right after one is a person's name
# ("President Buhari", "Commissioner Macharia").
TITLES = frozenset(
    {"president", "vice", "minister", "secretary", "senator", "sen", "rep", "representative", "congressman",
     "congresswoman", "governor", "gov", "mayor", "ambassador", "envoy", "commissioner", "chairman", "chairwoman",
     "director", "spokesman", "spokeswoman", "spokesperson", "commander", "gen", "lt", "lieutenant", "colonel",
     "col", "maj", "captain", "capt", "sergeant", "sgt", "cpl", "corporal", "admiral", "adm", "marshal",
     "brigadier", "judge", "justice", "attorney", "prosecutor", "king", "queen", "prince", "princess", "emir",
     "sheikh", "sultan", "pope", "cardinal", "bishop", "archbishop", "rabbi", "imam", "ayatollah", "mullah",
     "mawlawi", "mr", "mrs", "ms", "dr", "prof", "professor", "sir", "dame", "lord", "chancellor", "premier",
     "speaker", "deputy", "councillor", "councilman", "councilwoman", "inspector", "detective", "sheriff",
     "superintendent", "coach", "officer", "chief"}
)
COMMON_WORDS = COMMON_WORDS | TITLES
# Roles written in lower case before a person's name ("presidential adviser Mesut Casin",
# "spokesman Zabihullah Mujahid"); a place does not follow them directly.
ROLE_NOUNS = frozenset(
    {"adviser", "advisor", "spokesman", "spokeswoman", "spokesperson", "minister", "commander", "leader",
     "analyst", "expert", "researcher", "journalist", "reporter", "lawyer", "activist", "director", "envoy",
     "chairman", "chairwoman", "secretary", "ambassador", "lawmaker", "senator", "governor", "mayor", "colonel",
     "captain", "sergeant", "lieutenant", "photographer", "correspondent", "economist", "professor", "scholar",
     "politician", "candidate", "rapporteur", "coordinator", "cleric"}
)
# Words for relatives, pets, vessels and storms: the name right after one is theirs,
# not a place's ("his brother Tyler", "his wife, Julia", "the cargo ship Jairan",
# "Hurricane Irma").
NAMING_WORDS = frozenset(
    {"brother", "sister", "son", "daughter", "wife", "husband", "mother", "father", "uncle", "aunt", "cousin",
     "nephew", "niece", "grandson", "granddaughter", "grandmother", "grandfather", "boyfriend", "girlfriend",
     "fiance", "fiancee", "widow", "widower", "dog", "cat", "horse", "stepson", "stepdaughter", "twin", "ship",
     "vessel", "tanker", "freighter", "frigate", "destroyer", "submarine", "yacht", "ferry", "hurricane", "storm",
     "cyclone", "typhoon"}
)
# Verbs of saying: a one-word name the parse makes their subject ("Noma said", "said
# Nelson") is a person's, unless it names a country, a division or a capital ("Moscow said").
SPEECH_VERBS = frozenset(
    {"say", "tell", "add", "explain", "note", "write", "tweet", "insist", "argue", "admit", "concede", "recall",
     "think", "believe", "ask", "reply", "answer", "claim", "describe", "comment", "remark", "acknowledge",
     "complain", "testify", "recount", "laugh", "smile", "joke", "feel", "want", "hope", "wonder", "worry"}
)
