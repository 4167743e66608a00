"""Runs the analysis stages over documents, after checking that each stage finds what it
``requires`` assigned by an earlier one (as spaCy's pipeline checks ``requires=``)."""

from __future__ import annotations

from typing import Iterable, Iterator, Protocol, Sequence

from .errors import ConfigError, InputError
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

    A document that fails in any stage becomes an :class:`ErrorRecord` naming the article
    and the stage, and the batch goes on: one strange text must not sink a run. When a
    batch fails in the first stage, its documents are retried one at a time so that only
    the culprit is lost.
    """
    first, rest = stages[0], stages[1:]
    for document in _first_stage(first, (Document(article=a) for a in articles)):
        if isinstance(document, ErrorRecord):
            yield document
            continue
        stage: Stage = first
        try:
            for stage in rest:
                document = stage(document)
        except Exception as exc:  # noqa: BLE001 - reported per item, the batch goes on
            yield _failure(document, stage, exc)
            continue
        yield document


def _first_stage(stage: Stage, documents: Iterable[Document]) -> Iterator[Document | ErrorRecord]:
    pipe = getattr(stage, "pipe", None)
    size = getattr(getattr(stage, "settings", None), "batch_size", 1) if pipe else 1
    for batch in _batches(documents, max(1, size)):
        if pipe is not None:
            try:
                done = list(pipe(batch))
            except Exception:  # noqa: BLE001 - retried one by one below to name the culprit
                pass
            else:
                yield from done
                continue
        for document in batch:
            try:
                yield stage(document)
            except Exception as exc:  # noqa: BLE001 - reported per item, the batch goes on
                yield _failure(document, stage, exc)


def _batches(documents: Iterable[Document], size: int) -> Iterator[list[Document]]:
    batch: list[Document] = []
    for document in documents:
        batch.append(document)
        if len(batch) >= size:
            yield batch
            batch = []
    if batch:
        yield batch


def _failure(document: Document, stage: Stage, exc: Exception) -> ErrorRecord:
    article = document.article
    item = article.source.path or article.source.url or article.id
    if isinstance(exc, InputError):
        return ErrorRecord(item=f"{item} (article {article.id})", error=exc.reason, kind="InputError")
    return ErrorRecord(
        item=f"{item} (article {article.id})",
        error=f"{type(stage).__name__} failed: {type(exc).__name__}: {exc}",
        kind="StageError",
    )
