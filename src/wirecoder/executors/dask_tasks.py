"""What runs on the Dask workers (imported there, and here only when ``dask`` is the
executor, so that wirecoder imports without the ``dask`` extra): a worker plugin that
builds the stages once per worker, and the task that codes one batch with them."""

from __future__ import annotations

from typing import Any

from distributed import WorkerPlugin, get_worker

from ..records import Article
from .batches import Result, StageRecipe, analyze_batch, one_torch_thread


class StagesPlugin(WorkerPlugin):
    """Builds the stages of ``recipe`` when a worker starts (or joins, or is restarted
    after a crash), so the models load once per worker, not once per task."""

    def __init__(self, recipe: StageRecipe) -> None:
        self.recipe = recipe
        self.stages: list[Any] | None = None

    def setup(self, worker: Any) -> None:
        one_torch_thread()  # a worker has one thread (threads_per_worker=1): torch too
        self.stages = self.recipe.build()


def code_batch(articles: list[Article], plugin_name: str) -> list[Result]:
    """One batch on a worker, with the stages its plugin built; plain records back."""
    plugin = get_worker().plugins[plugin_name]
    if plugin.stages is None:  # set up failed or has not run: build here, once
        plugin.stages = plugin.recipe.build()
    return analyze_batch(plugin.stages, articles)
