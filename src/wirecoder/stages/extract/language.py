"""An article's language (``Article.language``, ISO 639-1), so that each is analysed by
its own language pack and a language without one is refused by name instead of coded
as if it were English.

The evidence is cheap and packaged (``data/lang/detect.toml``): the writing system, and
for Latin letters the share of each language's commonest function words. English is the
answer unless another language is clearly ahead: a short snippet, a list of names or a
story quoting a French slogan stays English.
"""

from __future__ import annotations

import functools
import re
import tomllib
from importlib import resources
from typing import Any

_WORD = re.compile(r"[^\W\d_]+")
# Words looked at: enough for a verdict, and bounded however long the article.
_SAMPLE_WORDS = 400
# Another language must have at least this many function-word hits, this share of the
# words, and twice English's hits.
_MIN_HITS, _MIN_SHARE, _LEAD = 8, 0.12, 2.0
# Share of letters in one writing system that names its language.
_SCRIPT_SHARE = 0.3


@functools.lru_cache(maxsize=1)
def _profiles() -> dict[str, Any]:
    text = resources.files("wirecoder").joinpath("data", "lang", "detect.toml").read_text(encoding="utf-8")
    data = tomllib.loads(text)
    words = {code: frozenset(ws) for code, ws in data["function_words"].items()}
    scripts = {code: re.compile("[" + "".join(f"{chr(lo)}-{chr(hi)}" for lo, hi in ranges) + "]")
               for code, ranges in data["scripts"].items()}
    return {"scripts": scripts, "words": words}


def detect_language(text: str, default: str = "en") -> str:
    """The language ``text`` is written in, as an ISO 639-1 code (``default`` when the
    evidence is thin)."""
    profiles = _profiles()
    sample = text[:5_000]  # bounded however long the article
    letters = sum(ch.isalpha() for ch in sample)
    if not letters:
        return default
    for code, script in profiles["scripts"].items():
        if len(script.findall(sample)) >= _SCRIPT_SHARE * letters:
            return code
    words = [w.lower() for w in _WORD.findall(sample)[:_SAMPLE_WORDS]]
    if not words:
        return default
    hits = {code: sum(w in vocabulary for w in words) for code, vocabulary in profiles["words"].items()}
    english = hits.get("en", 0)
    best = max((c for c in hits if c != "en"), key=lambda c: (hits[c], c))
    if hits[best] >= _MIN_HITS and hits[best] >= _MIN_SHARE * len(words) and hits[best] >= _LEAD * max(english, 1):
        return best
    return default
