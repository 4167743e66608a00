"""The ``dask`` executor: article batches mapped onto the workers of a Dask cluster
(``wirecoder run --executor dask [--scheduler ADDRESS]``; the ``dask`` extra).

- With ``dask.scheduler`` (``--scheduler tcp://host:8786``) it uses that cluster, whose
  workers must have wirecoder installed; without, it starts a :class:`LocalCluster` of
  ``pipeline.workers`` processes (0: one per core) with one thread each, whose OpenMP
  and BLAS pools are set to one thread too (Dask's nanny does it before they start).
- The stages are built once per worker by a worker plugin
  (:class:`~wirecoder.executors.dask_tasks.StagesPlugin`, ``client.register_plugin``),
  also on a worker that joins or restarts later.
- Each batch (sized by characters) is one task with a key of its own, ``pure=False``;
  a few batches per worker are in flight at once, and the results are taken in input
  order, so the one writer, this process, stores them as a serial run would.
- A worker that dies takes its task with it; the scheduler gives the task to another
  worker, up to ``pipeline.worker_retries`` times (its ``allowed-failures``, set so for
  a LocalCluster; a remote scheduler keeps its own). Then the batch's articles are sent
  one by one, and one that still kills its workers becomes an error record. A result is
  taken once per batch, so nothing is stored twice — and the store would skip it anyway.
"""

from __future__ import annotations

import hashlib
import json
import logging
import sys
import uuid
from collections import deque
from itertools import chain, islice
from typing import Any, Iterable, Iterator, Sequence

from .. import registry
from ..errors import ConfigError
from ..pipeline import PlannedStages, Stage, run_serially
from ..records import Article
from ..settings import Settings
from .batches import Result, StageRecipe, char_batches, check_batch_settings, killed_record, worker_count

EXTRA_HINT = "pip install 'wirecoder[dask]'"


def require_distributed() -> Any:
    """``distributed``, or a :class:`ConfigError` saying which extra to install."""
    try:
        import distributed
    except ImportError as exc:
        raise ConfigError(f"pipeline.executor = \"dask\" needs dask.distributed, which is not installed "
                          f"({exc}); install the extra: {EXTRA_HINT}") from None
    return distributed


def recipe_digest(recipe: StageRecipe) -> str:
    """A short stable name for a recipe: its settings and stage names, as sorted JSON."""
    text = json.dumps([recipe.settings.to_dict(), recipe.names], sort_keys=True, default=str)
    return hashlib.sha1(text.encode("utf-8")).hexdigest()[:12]


class DaskExecutor:
    """Runs planned stages on a Dask cluster (see the module). Stages already built in
    this process run here, serially: their models are loaded here already."""

    runs_here = False

    def __init__(self, settings: Settings) -> None:
        require_distributed()
        check_batch_settings(settings)
        self.scheduler = settings.dask.scheduler.strip()
        self.workers = worker_count(settings)
        self.batch_chars = settings.pipeline.batch_chars
        self.retries = settings.pipeline.worker_retries

    def __call__(self, articles: Iterable[Article], stages: Sequence[Stage]) -> Iterator[Result]:
        if not isinstance(stages, PlannedStages) or stages.is_built:
            return run_serially(articles, stages)
        return self._on_cluster(articles, stages)

    def _on_cluster(self, articles: Iterable[Article], stages: PlannedStages) -> Iterator[Result]:
        from .dask_tasks import StagesPlugin, code_batch

        recipe = StageRecipe.of(stages)
        client, cluster = self._connect()
        try:
            # One plugin per recipe: a long-lived cluster may serve runs with other settings.
            plugin_name = "wirecoder-stages-" + recipe_digest(recipe)
            client.register_plugin(StagesPlugin(recipe), name=plugin_name)
            run = uuid.uuid4().hex[:12]
            window = 2 * max(1, len(client.scheduler_info().get("workers", {})) or self.workers)

            def submit(key: str, batch: list[Article]) -> Any:
                return client.submit(code_batch, batch, plugin_name, key=f"wirecoder-{run}-{key}", pure=False)

            batches = enumerate(char_batches(articles, self.batch_chars))
            flying: deque[tuple[int, list[Article], Any]] = deque(
                (i, batch, submit(str(i), batch)) for i, batch in islice(batches, window))
            for i, batch in chain(batches, [(None, None)]):  # type: ignore[list-item]
                if i is not None:
                    flying.append((i, batch, submit(str(i), batch)))
                while flying and (i is None or len(flying) > window):
                    index, done, future = flying.popleft()
                    yield from self._result(future, done, lambda n, a: submit(f"{index}.{n}", [a]))
        finally:
            client.close()
            if cluster is not None:
                cluster.close()

    def _result(self, future: Any, batch: list[Article], resubmit: Any) -> Iterator[Result]:
        from distributed.scheduler import KilledWorker

        try:
            yield from future.result()
            return
        except KilledWorker:
            if len(batch) == 1:
                yield killed_record(batch[0], self.retries + 1, "Dask reported the worker killed")
                return
        # The batch kept killing its workers: each article on its own, to find the culprit.
        print(f"wirecoder: Dask workers died on a batch of {len(batch)} articles; sending them one by one",
              file=sys.stderr, flush=True)
        alone = [(article, resubmit(n, article)) for n, article in enumerate(batch)]
        for article, future_alone in alone:
            try:
                yield from future_alone.result()
            except KilledWorker:
                yield killed_record(article, self.retries + 1, "Dask reported the worker killed")

    def _connect(self) -> tuple[Any, Any]:
        import dask
        from distributed import Client, LocalCluster

        if self.scheduler:
            try:
                return Client(self.scheduler, timeout="30s"), None
            except (OSError, TimeoutError) as exc:
                raise ConfigError(f"dask.scheduler {self.scheduler!r}: cannot connect: {exc}") from None
        # The scheduler runs in this process: a task whose workers died retries+1 times fails.
        with dask.config.set({"distributed.scheduler.allowed-failures": self.retries}):
            cluster = LocalCluster(n_workers=self.workers, threads_per_worker=1, processes=True,
                                   dashboard_address=None, silence_logs=logging.CRITICAL)
        return Client(cluster), cluster


@registry.executors.register("dask")
def dask_executor(settings: Settings) -> DaskExecutor:
    """Batches on a Dask cluster or LocalCluster; see the module."""
    return DaskExecutor(settings)
