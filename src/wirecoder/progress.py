"""What a long command is doing, on stderr: which stage it is in and how many articles
it has *processed* (analysed and stored, or failed) out of how many, with an estimate of
the time left.

A run spends its first seconds loading models and its last minutes on articles; a
silent terminal through either looks like a hang. On a terminal the report is a tqdm bar
whose label is the current stage ("reading inputs", "loading models", "parsing",
"coding", "storing"…). Elsewhere (a log file, CI, ``make demo`` piped) a bar is noise, so
plain lines are printed: one when each phase starts, naming what it loads or reads, then
one after the first article and every ``run.progress_seconds`` seconds while articles
are processed, and one at the end. :class:`StageWatch` wraps an analysis stage so that the report names the stage an
article is in without the executor knowing about it.
"""

from __future__ import annotations

import sys
import threading
import time
from contextlib import contextmanager
from typing import Any, Callable, Iterator, TextIO

# What each built-in stage is doing while it runs, as the report says it.
STAGE_LABELS = {
    "nlp": "parsing",
    "geoparse": "geoparsing",
    "code": "coding",
    "resolve": "resolving",
    "consolidate": "consolidating",
}


class Progress:
    """The progress report of one run. ``mode`` is ``"bar"`` (a tqdm bar, for a
    terminal), ``"lines"`` (plain lines) or ``"off"``; :meth:`for_stream` chooses bar or
    lines by whether ``stream`` is a terminal."""

    def __init__(self, mode: str = "off", stream: TextIO | None = None, every_seconds: float = 10.0,
                 prefix: str = "wirecoder run") -> None:
        if mode not in {"bar", "lines", "off"}:
            raise ValueError(f"progress mode {mode!r}: choose bar, lines or off")
        self.mode = mode
        self.stream = stream if stream is not None else sys.stderr
        self.every_seconds = every_seconds
        self.prefix = prefix
        self.label = ""
        self.done = 0
        self.total: int | None = None
        self.started: float | None = None  # when processing began (the ETA's clock)
        self._last_line = 0.0
        self._bar: Any = None
        if mode == "bar":
            try:
                from tqdm import tqdm
            except ImportError:  # a nicety: plain lines rather than no report at all
                self.mode = "lines"
            else:
                self._bar = tqdm(total=None, unit=" articles", file=self.stream, dynamic_ncols=True, leave=False,
                                 desc="starting",
                                 bar_format="{desc}: {n_fmt}/{total_fmt} articles [{elapsed}<{remaining}{postfix}]")
                # tqdm redraws only on an update: without this, the clock would stand
                # still through the long first steps (loading models, the first batch).
                self._stop = threading.Event()
                threading.Thread(target=self._tick, name="wirecoder-progress", daemon=True).start()

    @classmethod
    def for_stream(cls, stream: TextIO | None = None, every_seconds: float = 10.0) -> Progress:
        stream = stream if stream is not None else sys.stderr
        interactive = bool(getattr(stream, "isatty", lambda: False)())
        return cls("bar" if interactive else "lines", stream, every_seconds)

    # -- phases --------------------------------------------------------------------

    def phase(self, label: str, detail: str = "") -> None:
        """A phase begins (reading, loading models): always reported, in both modes."""
        self.label = label
        if self._bar is not None:
            self._bar.set_description_str(label, refresh=True)
        elif self.mode == "lines":
            self._line(f"{label}{': ' + detail if detail else ''}")

    def stage(self, label: str) -> None:
        """The current article moved to another stage: shown on the bar; in plain lines it
        is only named in the periodic line (one line per stage and article would flood a log)."""
        if label == self.label:
            return
        self.label = label
        if self._bar is not None:
            self._bar.set_description_str(label, refresh=True)

    def reading(self, count: int) -> None:
        """``count`` articles read so far, before the processing starts (reading a large
        input ahead takes a while too): on the bar, and a line every ``every_seconds``."""
        if self.started is not None:
            return  # the rest of the inputs streams in while articles are processed
        if self._bar is not None:
            self._bar.set_postfix_str(f"{count} read", refresh=False)
        elif self.mode == "lines":
            now = time.monotonic()
            if not self._last_line:
                self._last_line = now
            elif now - self._last_line >= self.every_seconds:
                self._last_line = now
                self._line(f"reading inputs: {count} articles read so far")

    def start_processing(self, total: int | None, detail: str = "") -> None:
        """Articles are about to be processed; ``total`` is how many, None when unknown."""
        self.total = total
        self.started = time.monotonic()
        self._last_line = self.started
        if self._bar is not None:
            self._bar.reset(total=total)
        elif self.mode == "lines":
            self._line(f"{'?' if total is None else total} articles to analyse{'; ' + detail if detail else ''}")

    def add_to_total(self, count: int) -> None:
        if self.total is not None and count:
            self.total += count
            if self._bar is not None:
                self._bar.total = self.total
                self._bar.refresh()

    def advance(self, count: int = 1, **postfix: Any) -> None:
        """``count`` more articles processed (stored, or failed)."""
        self.done += count
        if self._bar is not None:
            if postfix:
                self._bar.set_postfix(postfix, refresh=False)
            self._bar.update(count)
        elif self.mode == "lines":
            now = time.monotonic()
            # the first article gives the first rate; then a line every every_seconds
            if self.done == count or now - self._last_line >= self.every_seconds:
                self._last_line = now
                self._line(self.describe(now))

    def describe(self, now: float | None = None) -> str:
        """``12/89 articles processed (13%), 2.1 articles/s, about 0:37 left; now coding``."""
        now = time.monotonic() if now is None else now
        elapsed = max(now - (self.started or now), 1e-9)
        rate = self.done / elapsed
        if self.total is None:
            text = f"{self.done}/? articles processed, {rate:.1f} articles/s"
        else:
            share = self.done / self.total if self.total else 1.0
            text = f"{self.done}/{self.total} articles processed ({share:.0%}), {rate:.1f} articles/s"
            if rate > 0 and self.done < self.total:
                text += f", about {_clock((self.total - self.done) / rate)} left"
        return text + (f"; now {self.label}" if self.label and self.done != self.total else "")

    def _tick(self) -> None:
        while not self._stop.wait(1.0):
            bar = self._bar
            if bar is not None:
                bar.refresh()

    def close(self) -> None:
        if self._bar is not None:
            self._stop.set()
            self._bar.close()
            self._bar = None
        elif self.mode == "lines" and self.started is not None:
            self._line(self.describe())
            self.started = None

    @contextmanager
    def logging_redirected(self) -> Iterator[None]:
        """While the bar is shown, warnings (a model being built, an id reused) are
        printed above it instead of through it."""
        if self._bar is None:
            yield
            return
        import logging

        from tqdm.contrib.logging import logging_redirect_tqdm

        with logging_redirect_tqdm(loggers=[logging.getLogger("wirecoder")]):
            yield

    def around(self, write: Callable[..., Any]) -> Callable[..., Any]:
        """``write`` (which prints to the bar's stream: an error line) made to clear the
        bar first and draw it again after, instead of printing through it."""
        if self._bar is None:
            return write

        def cleared(*args: Any, **kwargs: Any) -> Any:
            from tqdm import tqdm

            with tqdm.external_write_mode(file=self.stream):
                return write(*args, **kwargs)

        return cleared

    def _line(self, text: str) -> None:
        self.stream.write(f"{self.prefix}: {text}\n")
        self.stream.flush()


def _clock(seconds: float) -> str:
    seconds = int(round(seconds))
    hours, rest = divmod(seconds, 3600)
    return f"{hours}:{rest // 60:02d}:{rest % 60:02d}" if hours else f"{rest // 60}:{rest % 60:02d}"


class StageWatch:
    """An analysis stage that tells ``progress`` when it starts on an article (or a
    batch), and is otherwise the stage itself: ``requires``, ``assigns``, ``settings``
    and ``pipe`` are the wrapped stage's, and ``__wrapped__`` names it in error records."""

    def __init__(self, stage: Any, label: str, progress: Progress) -> None:
        self.__wrapped__ = stage
        self.requires = stage.requires
        self.assigns = stage.assigns
        self._label = label
        self._progress = progress

    def __call__(self, document: Any) -> Any:
        self._progress.stage(self._label)
        return self.__wrapped__(document)

    def __getattr__(self, name: str) -> Any:
        value = getattr(self.__wrapped__, name)
        if name != "pipe":
            return value

        def pipe(batch: Any) -> Any:
            self._progress.stage(self._label)
            return value(batch)

        return pipe


def watch_stages(stages: list[Any], names: list[str] | None, progress: Progress) -> list[Any]:
    """``stages`` wrapped in :class:`StageWatch` (unchanged when the report is off)."""
    if progress.mode == "off":
        return stages
    names = names if names is not None and len(names) == len(stages) else [type(s).__name__.lower() for s in stages]
    return [StageWatch(stage, STAGE_LABELS.get(name, name), progress) for name, stage in zip(names, stages)]
