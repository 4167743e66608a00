"""``wirecoder run``: extract -> analysis stages -> dedup -> store, idempotent and
crash-safe.

1. Articles are read from the inputs; those already in the store are skipped *before*
   the expensive stages, so re-running on the same inputs changes nothing and costs
   little, and a run killed half-way is completed by the next.
2. Near-copies (``duplicate_of`` set by extract) are not analysed: they are recorded as
   other sources of the article they copy, once that article is stored.
3. Every analysed article goes through dedup, which decides which of its events merge
   with stored events that report the same happening (:func:`wirecoder.stages.dedup.decide`,
   reading the store as its candidate source), and is then written with its places and
   events — both in one transaction (:func:`store_document`).
4. Each stored article keeps the fingerprint of the version and settings that analysed
   it (:func:`analysis_fingerprint`). A stored article analysed otherwise is counted and
   named in the summary; with ``reprocess`` it is analysed again and its events replaced
   (an event that comes out the same keeps its id: ids derive from the article and the
   sentence).

Progress goes to stderr as it happens (:mod:`wirecoder.progress`): reading, loading
models, then the articles processed out of those to analyse, with the stage each is in.
"""

from __future__ import annotations

import itertools
import os
import sqlite3
import sys
import time
from dataclasses import dataclass, field
from typing import Any, Callable, Iterable, Iterator, Sequence

from . import __version__
from .pipeline import PlannedStages, Stage, make_executor, plan_stages
from .progress import Progress, watch_stages
from .records import Article, Document, ErrorRecord
from .settings import DedupSettings, Settings
from .stages import dedup
from .store import Store, WriteResult


@dataclass
class RunSummary:
    """What one ``wirecoder run`` did."""

    inputs: list[str]
    db_path: str
    run_id: int | None = None
    articles: int = 0        # articles read from the inputs
    new: int = 0             # analysed and stored by this run
    already_stored: int = 0  # skipped: stored by an earlier run
    outdated: dict[str, int] = field(default_factory=dict)  # of those, analysed otherwise: why -> count
    reprocessed: int = 0     # analysed again (--reprocess), their events replaced
    duplicates: int = 0      # near-copies recorded as other sources of a stored article
    events_new: int = 0
    events_merged: int = 0
    errors: list[ErrorRecord] = field(default_factory=list)
    seconds: float = 0.0
    store_counts: dict[str, int] = field(default_factory=dict)
    on_error: Callable[[ErrorRecord], None] | None = field(default=None, repr=False, compare=False)

    def error(self, record: ErrorRecord) -> None:
        """Count a failed item, and report it at once if someone listens."""
        self.errors.append(record)
        if self.on_error is not None:
            self.on_error(record)

    def counts(self) -> dict[str, Any]:
        return {"articles": self.articles, "new": self.new, "already_stored": self.already_stored,
                "outdated": sum(self.outdated.values()), "reprocessed": self.reprocessed,
                "duplicates": self.duplicates, "events_new": self.events_new,
                "events_merged": self.events_merged, "errors": len(self.errors),
                "seconds": round(self.seconds, 3)}

    def describe(self) -> str:
        rate = self.articles / self.seconds if self.seconds else 0.0
        lines = [
            f"wirecoder run: {len(self.inputs)} input(s) -> {self.db_path}"
            + (f" (run {self.run_id})" if self.run_id is not None else ""),
            f"  articles    {self.articles} read: {self.new} new, {self.already_stored} already stored, "
            f"{self.duplicates} near-copies of stored articles",
            f"  events      {self.events_new} new, {self.events_merged} reports merged into existing events",
            *([f"  reprocessed {self.reprocessed} analysed again with this version and settings, events replaced"]
              if self.reprocessed else []),
            *([self.outdated_line()] if self.outdated else []),
            f"  errors      {len(self.errors)}",
            f"  time        {self.seconds:.1f} s ({rate:.1f} articles/s)",
        ]
        if self.store_counts:
            c = self.store_counts
            lines.append(f"  store now   {c.get('articles', 0)} articles (+{c.get('article_sources', 0)} near-copies), "
                         f"{c.get('events', 0)} events from {c.get('event_reports', 0)} reports")
        return "\n".join(lines)

    def outdated_line(self) -> str:
        """One line: how many stored articles were analysed by another version or with
        other settings, and how to analyse them again."""
        total = sum(self.outdated.values())
        why = ", ".join(f"{count} {reason}" for reason, count in sorted(self.outdated.items()))
        return (f"  outdated    {total} of the articles already stored were analysed otherwise ({why}); "
                f"rerun with --reprocess to analyse them again and replace their events")


def analysis_fingerprint(settings: Settings) -> str:
    """The hash stored with each article: this software version and the settings that
    change the analysis (:meth:`Settings.analysis_fingerprint`)."""
    import hashlib

    return hashlib.sha256(f"{__version__}|{settings.analysis_fingerprint()}".encode()).hexdigest()[:16]


def run_pipeline(
    inputs: list[str],
    settings: Settings,
    *,
    db_path: str,
    published: str | None = None,
    outlet: str | None = None,
    progress: bool | Progress = False,
    reprocess: bool = False,
    stages: Sequence[Stage] | None = None,
    articles: Iterable[Article | ErrorRecord] | None = None,
    summary: RunSummary | None = None,
    on_error: Callable[[ErrorRecord], None] | None = None,
    parquet_dir: str | None = None,
) -> RunSummary:
    """Run the whole pipeline on ``inputs`` into the store at ``db_path``.

    ``stages`` replaces the analysis stages (default: those ``pipeline.stages`` names, built
    only if some article needs analysing, run by ``pipeline.executor``) and ``articles`` replaces
    reading the inputs with extract — both for tests and embedding. ``summary`` is filled
    as the run goes (the caller keeps it even if the run stops on a bug), and ``on_error``
    hears of each failed item as it fails. ``progress`` is a :class:`Progress` report, or
    True for one on stderr (a bar on a terminal, plain lines elsewhere). ``reprocess``
    analyses again the stored articles that another version or other settings analysed.
    With ``parquet_dir``, the stored articles and their reports are also written there as
    partitioned Parquet (:mod:`wirecoder.parquet_output`).
    """
    started = time.perf_counter()
    summary = summary if summary is not None else RunSummary(inputs=list(inputs), db_path=db_path)
    summary.on_error = on_error or summary.on_error
    if articles is None:
        from .stages.extract import iter_articles

        articles = iter_articles(list(inputs), settings, published=published, outlet=outlet)
    executor = make_executor(settings)  # a bad executor setting or a missing extra fails before any work
    report = progress if isinstance(progress, Progress) else (
        Progress.for_stream(sys.stderr, settings.run.progress_seconds) if progress else Progress("off"))
    if summary.on_error is not None:
        summary.on_error = report.around(summary.on_error)  # error lines above the bar, not through it
    fingerprint = analysis_fingerprint(settings)
    with Store.open(db_path) as store, report.logging_redirected():
        # Absolute paths: the provenance must say which files, wherever it is read from.
        where = [i if i == "-" or "://" in i else os.path.abspath(i) for i in inputs]
        summary.run_id = store.start_run(settings, where, __version__)
        status = "failed"
        built: Sequence[Stage] | None = stages

        def ready_stages() -> Sequence[Stage]:
            nonlocal built
            if built is None:  # planned only when some article needs analysing
                built = plan_stages(settings)
            if isinstance(built, PlannedStages) and not built.is_built and not getattr(executor, "runs_here", True):
                # Worker processes build the stages (or this process, for an input of one
                # batch); the run itself never loads the models.
                report.phase("loading models", f"stages {', '.join(built.names)} (spaCy model {settings.nlp.model}) "
                                               f"in the executor's workers")
                return built
            if isinstance(built, PlannedStages) and not built.is_built:
                report.phase("loading models", f"stages {', '.join(built.names)} (spaCy model {settings.nlp.model})")
            names = list(settings.pipeline.stages) if stages is None else None
            return watch_stages(list(built), names, report)

        parquet = None
        if parquet_dir is not None:
            from .parquet_output import ParquetOutput

            parquet = ParquetOutput(parquet_dir, settings.store.parquet_articles_per_file)
            parquet.catch_up(store)
        try:
            pending: list[Article] = []
            replace: set[str] = set()
            report.phase("reading inputs", ", ".join(inputs[:3]) + (f" and {len(inputs) - 3} more" if len(inputs) > 3 else ""))
            fresh = _fresh_articles(_counted(articles, report), store, summary, pending,
                                    _Reanalysis(fingerprint, __version__, reprocess, replace))
            # Read ahead (extract is cheap beside the analysis) so that the report has a
            # total and a time left; past read_ahead the rest streams and the total is "?".
            ahead = list(itertools.islice(fresh, settings.run.read_ahead))
            complete = len(ahead) < settings.run.read_ahead
            if ahead:
                analysing = ready_stages()
                report.start_processing(len(ahead) if complete else None, _reading_note(summary))
                _store_documents(executor(itertools.chain(ahead, fresh), analysing), store, settings,
                                 summary, report, fingerprint, replace, parquet)
            # Near-copies seen before their original was stored: record them now, or, if
            # the original could not be stored, analyse them as articles of their own.
            orphans = [a for a in pending if store.add_copy(a, summary.run_id) is None]
            summary.duplicates += len(pending) - len(orphans)
            if orphans:
                analysing = ready_stages()
                if report.started is None:
                    report.start_processing(len(orphans))
                else:
                    report.add_to_total(len(orphans))
                _store_documents(executor(orphans, analysing), store, settings, summary, report,
                                 fingerprint, replace, parquet)
            status = "finished"
        except KeyboardInterrupt:
            status = "interrupted"
            raise
        finally:
            if parquet is not None:
                parquet.flush(store)  # what the store holds, even when interrupted
            report.close()
            summary.seconds = time.perf_counter() - started
            summary.store_counts = store.counts()
            store.finish_run(summary.run_id, summary.counts(), status)
    return summary


def _counted(items: Iterable[Article | ErrorRecord], report: Progress) -> Iterator[Article | ErrorRecord]:
    for count, item in enumerate(items, 1):
        report.reading(count)
        yield item


def _reading_note(summary: RunSummary) -> str:
    skipped = summary.already_stored + summary.duplicates
    return f"{summary.articles} read, {skipped} already stored or near-copies" if skipped else ""


@dataclass
class _Reanalysis:
    """How :func:`_fresh_articles` treats a stored article that another version or other
    settings analysed: counted by why, and, when ``reprocess``, sent on with its id in
    ``replace``."""

    fingerprint: str
    version: str
    reprocess: bool
    replace: set[str]

    def outdated(self, store: Store, article_id: str) -> str | None:
        """Why the stored article is outdated ("by version X", "with other settings"),
        None when this version and these settings analysed it (or it is a near-copy)."""
        stored = store.analysed_with(article_id)
        if stored is None or stored[0] == self.fingerprint:
            return None
        fingerprint, version = stored
        if fingerprint is None:
            return "by a wirecoder that kept no fingerprint"
        if version != self.version:
            return f"by version {version}"
        return "with other settings"


def _fresh_articles(items: Iterable[Article | ErrorRecord], store: Store, summary: RunSummary,
                    pending: list[Article], reanalysis: _Reanalysis | None = None) -> Iterator[Article]:
    """The articles that need analysing; counts and sets aside the rest.

    An id names one story. A *different* story under an id already stored, or already
    sent on in this run (two feeds that both number their items from 1, a CMS that
    reuses ids), is stored under ``<id>~<its content id>`` with a warning. Dropping it as
    "already stored" lost it silently; refusing it would lose it loudly and stop every
    rerun until the input is edited. The derived id depends on the story only, so a
    rerun derives the same id, finds it stored, and changes nothing.
    """
    import logging

    from .stages.extract.identity import content_id

    warn = logging.getLogger("wirecoder").warning
    seen: dict[str, str] = {}  # id sent on in this run -> content id of its story
    # id as extract gave it -> the ids its stories got here: extract's duplicate_of names
    # an original by the id extract gave it, which may since have been derived.
    final: dict[str, set[str]] = {}
    for item in items:
        if isinstance(item, ErrorRecord):
            summary.error(item)
            continue
        summary.articles += 1
        given, content = item.id, content_id(item)
        if seen.get(item.id, content) != content or store.same_story(item) is False:
            item.id = f"{given}~{content}"
            warn("warning: %s: id %r already names a different story; this one is stored as %r",
                 item.source.path or item.source.url or "-", given, item.id)
            if seen.get(item.id, content) != content or store.same_story(item) is False:
                summary.error(ErrorRecord(
                    item=f"{item.source.path or item.source.url or '-'} (article {given})",
                    error=f"id {given!r} and {item.id!r} both name other stories; give this one an id of its own",
                    kind="InputError"))
                continue
        final.setdefault(given, set()).add(item.id)
        if item.duplicate_of is not None:
            originals = final.get(item.duplicate_of, set())
            # Several stories came under the original's id: which one this copies is
            # unknown, so it is analysed as an article of its own (nothing is lost).
            item.duplicate_of = next(iter(originals)) if len(originals) == 1 else None
        if item.id in seen:  # the very same text twice in the inputs
            summary.duplicates += 1
        elif store.has_article(item.id):
            why = reanalysis.outdated(store, item.id) if reanalysis is not None else None
            if why is not None and reanalysis is not None and reanalysis.reprocess:
                seen[item.id] = content
                reanalysis.replace.add(item.id)
                yield item
                continue
            if why is not None:
                summary.outdated[why] = summary.outdated.get(why, 0) + 1
            summary.already_stored += 1
        elif item.duplicate_of is not None:
            recorded = store.add_copy(item, summary.run_id)
            if recorded is None:  # its original is not stored yet (maybe still in the pipe)
                seen[item.id] = content
                pending.append(item)
            else:
                summary.duplicates += 1
        else:
            seen[item.id] = content
            yield item


def store_document(store: Store, document: Document, settings: DedupSettings, *, run_id: int | None = None,
                   replace: bool = False, fingerprint: str | None = None) -> WriteResult:
    """Dedup, then store, one analysed article — all in one transaction.

    ``BEGIN IMMEDIATE`` takes the write lock before dedup reads its candidates, so no
    other writer (a second ``wirecoder run`` on the store) can store a report of the same
    happening between the read and the write. An article already stored is left as it
    is (``stored=False``) unless ``replace``, which first takes its reports out of the
    events they joined (its near-copies stay its sources). A failure rolls everything
    back: whole articles or none. ``fingerprint`` is stored with the article
    (:func:`analysis_fingerprint`)."""
    with store.transaction():
        article_id = document.article.id
        if store.holds_article(article_id):
            if not replace:
                return WriteResult(stored=False)
            store.rewrite_events(dedup.recombine(store.remove_article(article_id, keep_copies=True), store))
        outcomes = dedup.decide(store.new_reports(document), store, settings)
        return store.write_outcomes(document, outcomes, run_id, fingerprint)


def _store_documents(documents: Iterable[Document | ErrorRecord], store: Store, settings: Settings,
                     summary: RunSummary, report: Progress, fingerprint: str | None = None,
                     replace: set[str] | frozenset[str] = frozenset(), parquet: Any = None) -> None:
    for document in documents:
        if isinstance(document, ErrorRecord):
            summary.error(document)
            report.advance(1)
            continue
        article = document.article
        report.stage("storing")
        try:
            result = store_document(store, document, settings.dedup, run_id=summary.run_id,
                                    replace=article.id in replace, fingerprint=fingerprint)
        except (sqlite3.Error, ValueError, TypeError, KeyError) as exc:
            # One article's bad record must not sink the run; the transaction rolled back.
            summary.error(ErrorRecord(
                item=f"{article.source.path or article.source.url or '-'} (article {article.id})",
                error=f"cannot store: {type(exc).__name__}: {exc}", kind="StoreError"))
            report.advance(1)
            continue
        if not result.stored:
            summary.already_stored += 1
            report.advance(1)
            continue
        if parquet is not None:
            parquet.add(store, article.id)
        if article.id in replace:
            summary.reprocessed += 1
        else:
            summary.new += 1
        summary.events_new += result.new_events
        summary.events_merged += result.merged_events
        report.advance(1, events=summary.events_new, merged=summary.events_merged)
