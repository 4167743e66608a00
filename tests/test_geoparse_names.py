"""Name normalization: spellings that mean the same place meet on one key."""

from __future__ import annotations

import pytest

from wirecoder.stages.geoparse.names import normalize, strip_article, strip_type_word


@pytest.mark.parametrize(
    "a, b",
    [
        # Doubled vowels and apostrophes/ayn marks are spelling noise.
        ("Daraa", "Dar'a"),
        ("Daraa", "Dar‘ā"),
        # Diacritics and dotted letters of transliteration.
        ("Aş Şanamayn", "As Sanamayn"),
        # Assimilated articles (as-, ash-, ad-, ar-) all become al-; hyphen == space.
        ("al-Sanamayn", "As Sanamayn"),
        ("ash-Shaykh Maskin", "Al Shaykh Maskin"),
        ("Daraa al-Balad", "Daraa Al Balad"),
        # Abbreviation dots: "St. Louis" is "St Louis".
        ("St. Louis", "St Louis"),
        # Letters NFKD leaves alone.
        ("Tromsø", "Tromso"),
    ],
)
def test_spellings_share_a_key(a: str, b: str) -> None:
    assert normalize(a) == normalize(b)


@pytest.mark.parametrize(
    "a, b",
    [
        # A lone article-like word is not stripped: "As" is English here.
        ("As", "Al"),
        # Different places stay different.
        ("Nawa", "Nawabshah"),
    ],
)
def test_different_names_stay_apart(a: str, b: str) -> None:
    assert normalize(a) != normalize(b)


@pytest.mark.parametrize(
    "key, expected",
    [
        ("al sanamayn", "sanamayn"),  # the article goes
        ("al ain", None),  # too short to stand alone ("ain")
        ("damascus", None),  # no article
    ],
)
def test_strip_article(key: str, expected: str | None) -> None:
    assert strip_article(key) == expected


@pytest.mark.parametrize(
    "key, expected",
    [
        ("dara governorate", "dara"),  # "Daraa Governorate" is Daraa
        ("cook county", "cook"),  # counties
        ("new york", "new york"),  # no type word
    ],
)
def test_strip_type_word(key: str, expected: str) -> None:
    assert strip_type_word(key) == expected
