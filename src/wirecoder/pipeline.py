"""Runs the analysis stages over documents, after checking that each stage finds what it
``requires`` assigned by an earlier one (as spaCy's pipeline checks ``requires=``)."""

from __future__ import annotations

from typing import Iterable, Iterator, Protocol, Sequence

from .errors import ConfigError
from .records import Article, Document, ErrorRecord
from .settings import Settings


class Stage(Protocol):
    requires: tuple[str, ...]
    assigns: tuple[str, ...]

    def __call__(self, document: Document) -> Document: ...


def check_order(stages: Sequence[Stage]) -> None:
    available = {"article"}
    for stage in stages:
        missing = [name for name in stage.requires if name not in available]
        if missing:
            raise ConfigError(
                f"stage {type(stage).__name__} requires {', '.join(missing)}, which no earlier "
                f"stage assigns; stages so far provide: {', '.join(sorted(available))}"
            )
        available.update(stage.assigns)


def build_stages(settings: Settings, upto: str) -> list[Stage]:
    """The standard stages up to and including ``upto`` (``nlp``, ``geoparse``, ``code``,
    ``resolve``, ``consolidate``). Imports are local so that ``extract`` alone never loads spaCy."""
    from .stages.nlp import Parser

    order = ["nlp", "geoparse", "code", "resolve", "consolidate"]
    if upto not in order:
        raise ConfigError(f"unknown stage {upto!r}; choose one of {', '.join(order)}")
    stages: list[Stage] = [Parser(settings)]
    if order.index(upto) >= 1:
        from .stages.geoparse import Geoparser

        stages.append(Geoparser(settings))
    if order.index(upto) >= 2:
        from .stages.code import EventCoder

        stages.append(EventCoder(settings))
    if order.index(upto) >= 3:
        from .stages.resolve import ArgumentResolver

        stages.append(ArgumentResolver(settings))
    if order.index(upto) >= 4:
        from .stages.consolidate import Consolidator

        stages.append(Consolidator(settings))
    check_order(stages)
    return stages


def analyze(articles: Iterable[Article], stages: Sequence[Stage]) -> Iterator[Document | ErrorRecord]:
    """Run ``stages`` over articles. The first stage (the parser) runs in batches.

    A document that fails in a later stage becomes an :class:`ErrorRecord` naming the
    article and the stage, and the batch goes on: one strange text must not sink a run.
    """
    documents: Iterable[Document] = (Document(article=a) for a in articles)
    first, rest = stages[0], stages[1:]
    pipe = getattr(first, "pipe", None)
    documents = pipe(documents) if pipe else (first(d) for d in documents)
    for document in documents:
        try:
            for stage in rest:
                document = stage(document)
        except Exception as exc:  # noqa: BLE001 - reported per item, the batch goes on
            item = document.article.source.path or document.article.id
            yield ErrorRecord(
                item=f"{item} (article {document.article.id})",
                error=f"{type(stage).__name__} failed: {type(exc).__name__}: {exc}",
                kind="StageError",
            )
            continue
        yield document
