"""Builds the analysis stages named by the ``[pipeline]`` settings and runs them over
documents, after checking that each stage finds what it ``requires`` assigned by an
earlier one (as spaCy's pipeline checks ``requires=``).

Stages and executors are named parts (:mod:`wirecoder.registry`): ``pipeline.stages``
names the stages in order, ``pipeline.executor`` how they are run. Every command builds
through :func:`build_stages` and runs through :func:`analyze`, so a stage or an executor
added by a package is used by ``run``, ``code``, ``geoparse`` and ``eval`` alike.
"""

from __future__ import annotations

import dataclasses
from typing import Iterable, Iterator, Protocol, Sequence, overload

from . import registry
from .errors import ConfigError, InputError
from .records import Article, Document, ErrorRecord
from .settings import Settings

# What a stage may require and assign: the fields of the record that flows through.
DOCUMENT_FIELDS = tuple(f.name for f in dataclasses.fields(Document))


class Stage(Protocol):
    """Built by ``factory(settings)`` from :data:`wirecoder.registry.stages`. ``requires``
    and ``assigns`` name fields of :class:`Document`."""

    requires: tuple[str, ...]
    assigns: tuple[str, ...]

    def __call__(self, document: Document) -> Document: ...


class Executor(Protocol):
    """Runs stages over articles, built by ``factory(settings)`` from
    :data:`wirecoder.registry.executors`. Yields one result per article, in input order:
    the document, or an :class:`ErrorRecord` naming the article and the stage that failed.

    ``stages`` is either a list of built stages or :class:`PlannedStages`, whose names an
    executor running the stages elsewhere (other processes, a cluster) sends there, to be
    built once per worker, instead of loading the models in this process. An executor
    that does so says it with ``runs_here = False`` (the run then leaves the plan unbuilt;
    without the attribute, the stages are built and watched in this process)."""

    def __call__(self, articles: Iterable[Article], stages: Sequence[Stage]) -> Iterator[Document | ErrorRecord]: ...


def check_order(stages: Sequence[Stage], names: Sequence[str] | None = None) -> None:
    """Raise :class:`ConfigError` when a stage requires or assigns a name that is not a
    :class:`Document` field, or requires a field no earlier stage assigns."""
    names = list(names) if names is not None else [type(stage).__name__ for stage in stages]
    available = {"article"}
    for name, stage in zip(names, stages):
        requires, assigns = _declared(name, stage, "requires"), _declared(name, stage, "assigns")
        missing = [field for field in requires if field not in available]
        if missing:
            raise ConfigError(
                f"stage {name} requires {', '.join(missing)}, which no earlier "
                f"stage assigns; stages so far provide: {', '.join(sorted(available))}"
            )
        available.update(assigns)


def _declared(name: str, stage: Stage, what: str) -> tuple[str, ...]:
    fields = getattr(stage, what, ())
    if isinstance(fields, str) or not all(isinstance(f, str) for f in fields):
        raise ConfigError(f"stage {name}: {what} must be a tuple of Document field names, not {fields!r}")
    unknown = [f for f in fields if f not in DOCUMENT_FIELDS]
    if unknown:
        raise ConfigError(f"stage {name} {what} {', '.join(map(repr, unknown))}, which "
                          f"{'is not a field' if len(unknown) == 1 else 'are not fields'} of Document; "
                          f"Document fields: {', '.join(DOCUMENT_FIELDS)}")
    return tuple(fields)


def build_stages(settings: Settings, upto: str | None = None) -> list[Stage]:
    """The stages named by ``pipeline.stages``, built through the registry; with ``upto``,
    only those up to and including the stage of that name (``wirecoder geoparse`` needs
    the places, not the events)."""
    return build_named(settings, _stage_names(settings, upto))


def _stage_names(settings: Settings, upto: str | None) -> list[str]:
    names = list(settings.pipeline.stages)
    if upto is not None:
        if upto not in names:
            raise ConfigError(f"this command needs the stage {upto!r}, which pipeline.stages "
                              f"({', '.join(names) or 'empty'}) does not name")
        names = names[: names.index(upto) + 1]
    return names


class PlannedStages(Sequence[Stage]):
    """The stages ``names`` (registry names) under ``settings``, built on first use.

    The names are looked up at once, so a typo fails before anything runs. An executor
    that runs the stages in this process simply indexes the plan (which builds it); one
    that runs them in worker processes ships ``settings`` and ``names`` to each worker,
    so the models are never loaded in the parent."""

    def __init__(self, settings: Settings, names: Sequence[str]) -> None:
        self.settings, self.names = settings, tuple(names)
        if not self.names:
            raise ConfigError(f"pipeline.stages is empty; name at least one of: {', '.join(registry.stages.names())}")
        for name in self.names:
            try:
                registry.stages.get(name)
            except ConfigError as exc:
                raise ConfigError(f"pipeline.stages: {exc}") from None
        self._built: list[Stage] | None = None

    def build(self) -> list[Stage]:
        if self._built is None:
            self._built = build_named(self.settings, self.names)
        return self._built

    @property
    def is_built(self) -> bool:
        return self._built is not None

    @overload
    def __getitem__(self, index: int) -> Stage: ...
    @overload
    def __getitem__(self, index: slice) -> Sequence[Stage]: ...

    def __getitem__(self, index: int | slice) -> Stage | Sequence[Stage]:
        return self.build()[index]

    def __len__(self) -> int:
        return len(self.names)


def plan_stages(settings: Settings, upto: str | None = None) -> PlannedStages:
    """Like :func:`build_stages`, but built only when first used (see :class:`PlannedStages`)."""
    return PlannedStages(settings, _stage_names(settings, upto))


def build_named(settings: Settings, names: Sequence[str]) -> list[Stage]:
    """The stages of these registry names, in this order, checked by :func:`check_order`.
    Every name is looked up before any stage is built: a typo fails at once, before
    minutes of model loading."""
    if not names:
        raise ConfigError(f"pipeline.stages is empty; name at least one of: {', '.join(registry.stages.names())}")
    try:
        factories = [registry.stages.get(name) for name in names]
    except ConfigError as exc:
        raise ConfigError(f"pipeline.stages: {exc}") from None
    stages: list[Stage] = [factory(settings) for factory in factories]
    check_order(stages, names)
    return stages


def analyze(articles: Iterable[Article], stages: Sequence[Stage],
            settings: Settings | None = None) -> Iterator[Document | ErrorRecord]:
    """Run ``stages`` over articles with the executor named by ``pipeline.executor``
    (serially in this process without ``settings``)."""
    if settings is None:
        return run_serially(articles, stages)
    return make_executor(settings)(articles, stages)


def make_executor(settings: Settings) -> Executor:
    """The executor ``pipeline.executor`` names, built (and so checked: a missing extra
    or a bad setting fails here, before any work)."""
    try:
        factory = registry.executors.get(settings.pipeline.executor)
    except ConfigError as exc:
        raise ConfigError(f"pipeline.executor: {exc}") from None
    executor: Executor = factory(settings)
    return executor


@registry.executors.register("serial")
def serial_executor(settings: Settings) -> Executor:
    """Runs the stages in this process, the first stage a batch at a time."""
    return run_serially


def run_serially(articles: Iterable[Article], stages: Sequence[Stage]) -> Iterator[Document | ErrorRecord]:
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
        # a wrapper (the progress report's StageWatch) names the stage it wraps
        error=f"{type(getattr(stage, '__wrapped__', stage)).__name__} failed: {type(exc).__name__}: {exc}",
        kind="StageError",
    )
