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
