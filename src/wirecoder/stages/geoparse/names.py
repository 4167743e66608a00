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

The word lists at the end (the language pack's, ``data/lang/en/geoparse.toml``) say which capitalized words are no place on their own
(``COMMON_WORDS``, ``TITLES``) and which words around a name show it is a person's,
a ship's or a storm's (``TITLES``, ``NAMING_WORDS``, ``SPEECH_VERBS``).
"""

from __future__ import annotations

import functools
import re
import unicodedata

from ...lang import language_pack

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

# The words are the language pack's (data/lang/en/geoparse.toml says what each list is for).
_EN = language_pack("en")
# Assimilated forms of the Arabic article (and the Spanish/French "el" that GeoNames
# writes the same way); all map to "al" when a word follows.
ARTICLES: frozenset[str] = _EN.words("geoparse", "articles")


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
ADMIN1_WORDS: frozenset[str] = _EN.words("geoparse", "admin1_words")
ADMIN2_WORDS: frozenset[str] = _EN.words("geoparse", "admin2_words")
CITY_WORDS: frozenset[str] = _EN.words("geoparse", "city_words")
_TYPE_SUFFIX = re.compile(r"\s+(?:" + "|".join(_EN.sequence("geoparse", "type_suffix_words")) + r")$")


def strip_type_word(key: str) -> str:
    """``"daraa governorate"`` -> ``"dara"`` (on normalized keys)."""
    return _TYPE_SUFFIX.sub("", key)


# -- Words around names: which capitalized words are no place, and which say a person is
# named (read by toponyms.py).

# Capitalized words that are place names somewhere but almost never in English news
# prose ("Of" in Turkey, "Along" in India); spaCy's stop words are added at run time.
COMMON_WORDS = _EN.words("geoparse", "common_words")
# Titles and honorifics: no town themselves, and the capitalized word right after one is
# a person's name ("President Buhari").
TITLES = _EN.words("geoparse", "titles")
COMMON_WORDS = COMMON_WORDS | TITLES
# Roles written in lower case before a person's name ("spokesman Zabihullah Mujahid").
ROLE_NOUNS = _EN.words("geoparse", "role_nouns")
# Words for relatives, pets, vessels and storms: the name right after one is theirs.
NAMING_WORDS = _EN.words("geoparse", "naming_words")
# Verbs of saying: a one-word name the parse makes their subject is a person's, unless
# it names a country, a division or a capital ("Moscow said").
SPEECH_VERBS = _EN.words("geoparse", "speech_verbs")
