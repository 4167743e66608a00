"""The ``processes`` executor: the stages run in local worker processes
(``wirecoder run --workers N``, ``pipeline.workers``; 0 means one per core).

Each worker is a fresh Python (:mod:`wirecoder.executors.worker`) that sets OpenMP and
BLAS to one thread before anything loads them, and builds the stages once, from their names; the parent never
loads the models. Articles go out in batches sized by characters, results come back as
plain records and are yielded in input order, so the one writer — the parent — stores
them exactly as a serial run would.

Why not :mod:`concurrent.futures`: a pool whose worker dies is broken as a whole, and
which batch killed it is lost. Here a dead worker's batch is sent again to a fresh
process (``pipeline.worker_retries`` times), then its articles one by one, and an
article that alone keeps killing workers becomes an error record while the rest goes on.
Ctrl-C stops the workers at once (they ignore SIGINT and are terminated by the parent;
one whose parent died ends when its pipe closes).
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from collections import deque
from dataclasses import dataclass
from itertools import chain, islice
from multiprocessing.connection import Connection, wait
from typing import Iterable, Iterator, Sequence

from .. import errors, registry
from ..pipeline import PlannedStages, Stage, run_serially
from ..records import Article
from ..settings import Settings
from .batches import Result, StageRecipe, char_batches, check_batch_settings, killed_record, worker_count


@dataclass
class Task:
    """Articles of one batch sent to one worker: all of it, or one article after the
    whole batch killed its workers."""

    id: int
    batch: int                # index of the batch in the input
    positions: list[int]      # where its articles sit in that batch
    articles: list[Article]
    deaths: int = 0           # workers that died on it


class WorkerProcess:
    """One worker process and its two pipes."""

    def __init__(self, recipe: StageRecipe) -> None:
        to_child, from_parent = os.pipe()
        to_parent, from_child = os.pipe()
        try:
            self.process = subprocess.Popen(
                [sys.executable, "-m", "wirecoder.executors.worker", str(to_child), str(from_child)],
                pass_fds=(to_child, from_child),
                stdin=subprocess.DEVNULL, stdout=sys.__stderr__.fileno() if sys.__stderr__ else subprocess.DEVNULL)
        finally:
            os.close(to_child)
            os.close(from_child)
        self.outbox = Connection(from_parent, readable=False)
        self.inbox = Connection(to_parent, writable=False)
        self.ready = False
        self.task: Task | None = None
        self.outbox.send(("init", recipe))

    def give(self, task: Task) -> None:
        self.task = task
        try:
            self.outbox.send(("batch", task.id, task.articles))
        except OSError:  # it has just died: its end of file, next, sends the task on again
            pass

    def how_it_died(self) -> str:
        try:
            code = self.process.wait(timeout=5)
        except subprocess.TimeoutExpired:
            self.process.kill()
            code = self.process.wait()
        if code < 0:
            try:
                return f"killed by {signal.Signals(-code).name}"
            except ValueError:
                return f"killed by signal {-code}"
        return f"exit status {code}"

    def stop(self, kill: bool) -> None:
        for connection in (self.outbox, self.inbox):
            try:
                connection.close()
            except OSError:
                pass
        if kill and self.process.poll() is None:
            self.process.terminate()
        try:
            self.process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()


class WorkerPool:
    """Up to ``size`` worker processes running ``recipe``'s stages over batches."""

    def __init__(self, recipe: StageRecipe, size: int, retries: int) -> None:
        self.recipe, self.size, self.retries = recipe, size, retries
        self.workers: list[WorkerProcess] = []
        self.queue: deque[Task] = deque()      # waiting for a worker (retries in front)
        self.results: dict[int, list[Result | None]] = {}  # batch -> its results so far
        self.ever_ready = False
        self.deaths_starting = 0
        self._task_ids = 0

    def run(self, batches: Iterable[list[Article]]) -> Iterator[Result]:
        source = enumerate(batches)
        exhausted, next_batch = False, 0
        try:
            while True:
                # Read ahead at most two batches per worker: memory stays bounded, and the
                # writer's turn never leaves a worker idle.
                while not exhausted and len(self.results) < 2 * self.size:
                    item = next(source, None)
                    if item is None:
                        exhausted = True
                    else:
                        self._add_batch(*item)
                self._dispatch()
                while next_batch in self.results and None not in self.results[next_batch]:
                    yield from self.results.pop(next_batch)  # type: ignore[misc]
                    next_batch += 1
                if exhausted and not self.results:
                    break
                if not exhausted and len(self.results) < 2 * self.size:
                    continue  # the writer took batches: read the next ones before waiting
                if not self.workers:
                    raise RuntimeError("work is pending but no worker is running")  # a bug, never expected
                for inbox in wait([w.inbox for w in self.workers]):
                    self._receive(next(w for w in self.workers if w.inbox is inbox))
        except BaseException:
            self._stop(kill=True)
            raise
        self._stop(kill=False)

    def _add_batch(self, index: int, articles: list[Article]) -> None:
        self.results[index] = [None] * len(articles)
        self.queue.append(self._task(index, list(range(len(articles))), articles))

    def _task(self, batch: int, positions: list[int], articles: list[Article]) -> Task:
        self._task_ids += 1
        return Task(self._task_ids, batch, positions, articles)

    def _dispatch(self) -> None:
        """Queued tasks to idle workers; new workers while tasks outnumber those starting."""
        for worker in self.workers:
            if not self.queue:
                break
            if worker.ready and worker.task is None:
                worker.give(self.queue.popleft())
        starting = sum(not w.ready for w in self.workers)
        while len(self.queue) > starting and len(self.workers) < self.size:
            self.workers.append(WorkerProcess(self.recipe))
            starting += 1

    def _receive(self, worker: WorkerProcess) -> None:
        try:
            message = worker.inbox.recv()
        except (EOFError, OSError):
            self._died(worker)
            return
        if message[0] == "ready":
            worker.ready = self.ever_ready = True
        elif message[0] == "init_error":
            _, kind, text = message
            error = getattr(errors, kind, None)
            if not (isinstance(error, type) and issubclass(error, errors.WirecoderError)):
                error = errors.ResourceError
            raise error(f"a worker process could not build the stages: {text}")
        elif message[0] == "done":
            _, task_id, results = message
            task = worker.task
            assert task is not None and task.id == task_id, "a worker answered a task it was not given"
            slots = self.results[task.batch]
            for position, result in zip(task.positions, results):
                slots[position] = result
            worker.task = None

    def _died(self, worker: WorkerProcess) -> None:
        self.workers.remove(worker)
        how = worker.how_it_died()
        worker.stop(kill=True)
        task = worker.task
        if task is None:
            # Died while loading the models: no article to blame. Give up only when no
            # worker has ever started, or the machine would spin starting doomed ones.
            self.deaths_starting += 1
            if not self.ever_ready and self.deaths_starting > self.retries:
                raise errors.ResourceError(f"worker processes die while loading the stages ({how}); "
                                           f"try --workers 1 to see why")
            return
        task.deaths += 1
        print(f"wirecoder: a worker process died ({how}) on {len(task.articles)} article(s); "
              f"{'retrying them' if task.deaths <= self.retries or len(task.articles) > 1 else 'leaving the article out'}",
              file=sys.stderr, flush=True)
        if task.deaths <= self.retries:
            self.queue.appendleft(task)  # the same batch, to a fresh process
        elif len(task.articles) > 1:
            # The batch keeps killing workers: its articles one by one, to find the culprit.
            alone = [self._task(task.batch, [p], [a]) for p, a in zip(task.positions, task.articles)]
            self.queue.extendleft(reversed(alone))
        else:
            self.results[task.batch][task.positions[0]] = killed_record(task.articles[0], task.deaths, how)

    def _stop(self, kill: bool) -> None:
        workers, self.workers = self.workers, []
        for worker in workers:
            worker.stop(kill)


class ProcessExecutor:
    """Runs planned stages in worker processes; built stages (already loaded here), one
    worker, or an input that fits in one batch run in this process, where starting
    workers would only add their start-up."""

    def __init__(self, settings: Settings) -> None:
        check_batch_settings(settings)
        self.workers = worker_count(settings)
        self.runs_here = self.workers <= 1  # one worker: the stages run in this process
        self.batch_chars = settings.pipeline.batch_chars
        self.retries = settings.pipeline.worker_retries

    def __call__(self, articles: Iterable[Article], stages: Sequence[Stage]) -> Iterator[Result]:
        if self.workers <= 1 or not isinstance(stages, PlannedStages) or stages.is_built:
            return run_serially(articles, stages)
        return self._in_workers(articles, stages)

    def _in_workers(self, articles: Iterable[Article], stages: PlannedStages) -> Iterator[Result]:
        batches = char_batches(articles, self.batch_chars)
        head = list(islice(batches, 2))
        if len(head) < 2:
            yield from run_serially(head[0] if head else [], stages)
            return
        pool = WorkerPool(StageRecipe.of(stages), self.workers, self.retries)
        yield from pool.run(chain(head, batches))


@registry.executors.register("processes")
def process_executor(settings: Settings) -> ProcessExecutor:
    """``pipeline.workers`` local worker processes (0: one per core); see the module."""
    return ProcessExecutor(settings)
