"""The ``geoparse`` pipeline stage: :class:`Geoparser` finds every place an article
names (toponyms.py) and ranks each mention's candidates (ranking.py) into
``Document.places``; :meth:`Geoparser.resolve_spans` does the same for given spans only.
"""

from __future__ import annotations

import re
from typing import Any

from ... import registry
from ...lang import language_pack
from ...records import Document, Place
from ...settings import Settings
from .gazetteer import load_gazetteer
from .names import ADMIN1_WORDS, ADMIN2_WORDS, normalize, strip_type_word
from .ranking import CandidateRanker, link_addresses
from .toponyms import COMMON_WORDS, Toponym, find_toponyms

__all__ = ["Geoparser"]

_WORDS = re.compile(r"[\w’'.&-]+")
# The words are the language pack's (data/lang/en/geoparse.toml says what each is for).
_EN = language_pack("en")
LEADING_ARTICLES = _EN.sequence("geoparse", "leading_articles")
POSSESSIVE_SUFFIXES = _EN.sequence("geoparse", "possessive_suffixes")
# Without a headline, mentions in the first characters (the dateline) weigh as a headline's.
_HEADLINE_CHARS = 200


@registry.stages.register("geoparse")
class Geoparser:
    """Adds ``Document.places``: each mention with its best GeoNames candidate and a
    confidence, or ``geonameid=None`` when nothing fits well enough."""

    requires: tuple[str, ...] = ("doc",)
    assigns: tuple[str, ...] = ("places",)

    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        self.gazetteer = load_gazetteer(settings)
        self.ranker = CandidateRanker(self.gazetteer, settings.geo)
        from spacy.util import get_lang_class

        # spaCy's stop words of the pack's language are no one-word place names
        self.stop_words = frozenset(w.lower() for w in get_lang_class(_EN.code).Defaults.stop_words)

    def mentions(self, doc: Any) -> list[Toponym]:
        return find_toponyms(doc, self.gazetteer, self.stop_words)

    def __call__(self, document: Document) -> Document:
        doc = document.doc
        if doc is None or not document.text.strip():
            document.places = []
            return document
        mentions = self.mentions(doc)
        link_addresses(mentions, doc.text)
        headline_end = document.article.body_start or _HEADLINE_CHARS
        document.places = self.ranker.resolve(mentions, headline_end)
        return document

    def resolve_spans(self, doc: Any, spans: list[tuple[int, int]]) -> list[Place]:
        """Resolve only the given character spans of ``doc.text``; the other places the
        text names serve as context (countries, nearby places) but are not returned."""
        text = doc.text
        given = [self._span_mention(text, s, e) for s, e in spans]
        context = [m for m in self.mentions(doc) if not any(m.start < e and s < m.end for s, e in spans)]
        mentions = sorted(given + context, key=lambda m: m.start)
        link_addresses(mentions, text)
        places = self.ranker.resolve_each(mentions, _HEADLINE_CHARS)
        found = {id(m): p for m, p in zip(mentions, places)}
        return [found[id(m)] or Place(text=m.text, start=m.start, end=m.end) for m in given]

    def _span_mention(self, text: str, start: int, end: int) -> Toponym:
        gaz = self.gazetteer
        surface = text[start:end]
        core = surface
        for prefix in LEADING_ARTICLES:
            if core.startswith(prefix):
                core = core[len(prefix):]
        for suffix in POSSESSIVE_SUFFIXES:
            if core.endswith(suffix):
                core = core[: -len(suffix)]
        key = normalize(core)
        hint = None
        last = key.rsplit(" ", 1)[-1]
        if last in ADMIN1_WORDS:
            hint = "admin1"
        elif last in ADMIN2_WORDS:
            hint = "admin2"
        # A demonym first: "Canadian" is the country even though a town bears the name.
        lower = core.lower()
        record = gaz.demonyms.get(lower)
        if record is None and lower.endswith("s"):
            record = gaz.demonyms.get(lower[:-1])
        if record is not None:
            return Toponym(start, end, surface, (record,), strong=True, demonym=True)
        candidates = gaz.lookup(key) or gaz.lookup(strip_type_word(key))
        if core.replace(".", "").isupper() and len(core.replace(".", "")) <= 3:
            # Acronyms are countries or the abbreviations our alias table lists ("US",
            # "UK", "N.J."), not the towns that share the letters.
            # A given span is a place, so a two-letter state or province code ("SC", "WA")
            # is one too; the document's countries decide between ("WA": Washington or
            # Western Australia).
            preferred = gaz.preferred.get(key)
            code = core.replace(".", "")
            states = tuple(sorted(r for (_, c), r in gaz.state_codes.items() if c == code)) if len(code) == 2 else ()
            kept = tuple(c for c in candidates if gaz.kinds[c] in (0, 5) or c == preferred)
            candidates = kept + tuple(r for r in states if r not in kept) or candidates
        if not candidates:
            inner = self._inner_name(core)
            if inner is not None:
                return Toponym(start, end, surface, inner[0], strong=True, demonym=inner[1])
        return Toponym(start, end, surface, candidates, strong=True, hint=hint)

    def _inner_name(self, surface: str) -> tuple[tuple[int, ...], bool] | None:
        """The place named inside a longer name the gazetteer does not know, as GeoWebNews
        and TR-News annotate them: "Bank of Japan" -> Japan, "Dubai World Cup" -> Dubai,
        "Mexican Senate" -> Mexico. The longest inner name wins, the earliest on a tie;
        (candidates, is_demonym), or None."""
        gaz = self.gazetteer
        words = _WORDS.findall(surface)
        for size in range(min(len(words) - 1, 5), 0, -1):
            hits: list[tuple[tuple[int, ...], bool]] = []
            for i in range(len(words) - size + 1):
                part = words[i:i + size]
                if not part[0][:1].isupper() or not part[-1][:1].isupper():
                    continue
                # "US" is an English stop word only in lower case.
                if size == 1 and not part[0].isupper() and (
                        part[0].lower() in self.stop_words or part[0].lower() in COMMON_WORDS):
                    continue
                phrase = " ".join(part)
                record = gaz.demonyms.get(phrase.lower())
                if record is not None:
                    hits.append(((record,), True))
                    continue
                found = gaz.lookup(normalize(phrase))
                if found:
                    hits.append((found, False))
            # Of equally long inner names, a country or division's ("Nazi Germany",
            # "US Federal Reserve") is what such names are about; else the earliest.
            for hit in hits:
                if hit[1] or any(gaz.kinds[c] in (0, 5) for c in hit[0]):
                    return hit
            if hits:
                return hits[0]
        return None
