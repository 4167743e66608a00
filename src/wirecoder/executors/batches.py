"""What the parallel executors share: articles cut into batches by characters, the
recipe from which each worker builds its stages once, one thread per worker, and the
plain records a worker sends back.

Workers never send spaCy objects back: a result is the :class:`Document` without its
parse (``doc=None``) — the article, its places and its events, plain dataclasses that
pickle in microseconds — or an :class:`ErrorRecord`. The one writer, the parent,
stores them in input order, so the store is the same as a serial run's.
"""

from __future__ import annotations

import dataclasses
import os
import sys
from dataclasses import dataclass
from typing import Iterable, Iterator, Sequence

from ..errors import ConfigError
from ..pipeline import PlannedStages, Stage, build_named, run_serially
from ..records import Article, Document, ErrorRecord
from ..settings import Settings

Result = Document | ErrorRecord


@dataclass(frozen=True)
class StageRecipe:
    """What a worker needs to build the stages itself: the settings and the stage names
    (never the built stages, which hold models that take seconds to load and megabytes
    to ship)."""

    settings: Settings
    names: tuple[str, ...]

    @classmethod
    def of(cls, stages: PlannedStages) -> StageRecipe:
        return cls(stages.settings, stages.names)

    def build(self) -> list[Stage]:
        stages = build_named(self.settings, self.names)
        one_torch_thread()
        return stages


def one_torch_thread() -> None:
    """torch's own pools to one thread, if a stage loaded torch (the environment
    variables cover OpenMP and BLAS, and torch reads them only at import)."""
    torch = sys.modules.get("torch")
    if torch is None:
        return
    torch.set_num_threads(1)
    try:
        torch.set_num_interop_threads(1)
    except RuntimeError:  # only allowed before torch's first parallel work; then it is moot
        pass


def worker_count(settings: Settings) -> int:
    """``pipeline.workers``, 0 meaning one per core this process may use."""
    workers = settings.pipeline.workers
    if workers < 0:
        raise ConfigError(f"pipeline.workers must be 0 (one per core) or more, not {workers}")
    if workers:
        return workers
    try:
        return len(os.sched_getaffinity(0)) or 1
    except AttributeError:  # not on Linux
        return os.cpu_count() or 1


def check_batch_settings(settings: Settings) -> None:
    if settings.pipeline.batch_chars < 1:
        raise ConfigError(f"pipeline.batch_chars must be at least 1, not {settings.pipeline.batch_chars}")
    if settings.pipeline.worker_retries < 0:
        raise ConfigError(f"pipeline.worker_retries must be 0 or more, not {settings.pipeline.worker_retries}")


def char_batches(articles: Iterable[Article], max_chars: int) -> Iterator[list[Article]]:
    """Consecutive articles in batches of at most ``max_chars`` characters of text; an
    article longer than that is a batch alone. Sized by characters, not articles, so
    that a batch of long features and one of briefs cost a worker about the same."""
    batch: list[Article] = []
    size = 0
    for article in articles:
        chars = article.text_chars
        if batch and size + chars > max_chars:
            yield batch
            batch, size = [], 0
        batch.append(article)
        size += chars
    if batch:
        yield batch


def plain(result: Result) -> Result:
    """A result as a worker sends it back: the document without its spaCy parse."""
    if isinstance(result, Document) and result.doc is not None:
        return dataclasses.replace(result, doc=None)
    return result


def analyze_batch(stages: Sequence[Stage], articles: Sequence[Article]) -> list[Result]:
    """One batch in a worker: the stages run serially (per-item errors become error
    records there), the results as plain records, in the batch's order.

    torch goes back to one thread after each batch: a stage may load its model lazily,
    at its first use, and set torch's threads then (the sentence encoder takes up to 4),
    so only a worker's first batch can run with more."""
    results = [plain(result) for result in run_serially(articles, stages)]
    one_torch_thread()
    return results


def killed_record(article: Article, attempts: int, how: str) -> ErrorRecord:
    """The error record of an article that killed every worker it was given to."""
    item = article.source.path or article.source.url or article.id
    return ErrorRecord(item=f"{item} (article {article.id})",
                       error=f"the worker process analysing it died {attempts} time(s) ({how}); "
                             f"it was left out and the rest went on", kind="WorkerError")
