"""The ``wirecoder`` command line: thin wrappers that parse options, call the library and
print. Typed errors are translated here, at the edge, into JSON error lines on stderr
(per failed item) or a one-line message (for the whole command)."""

from __future__ import annotations

import functools
import json
import sys
from dataclasses import dataclass, field
from typing import Any, Callable, Iterable, NoReturn, TextIO

import click

from . import __version__
from .errors import EXIT_INTERNAL, EXIT_INTERRUPTED, EXIT_ITEMS_FAILED, EXIT_OK, EXIT_USAGE, WirecoderError
from .records import ErrorRecord, json_line
from .settings import Settings, load_settings


def settings_options(func: Callable[..., Any]) -> Callable[..., Any]:
    """``--config FILE`` and ``--set section.key=value``, resolved into ``settings``."""

    @click.option("--config", "config_file", type=click.Path(dir_okay=False), help="Settings file (TOML) overriding the packaged defaults.")
    @click.option("--set", "overrides", multiple=True, metavar="SECTION.KEY=VALUE", help="Override one setting; repeatable.")
    @functools.wraps(func)
    def wrapper(*args: Any, config_file: str | None, overrides: tuple[str, ...], **kwargs: Any) -> Any:
        return func(*args, settings=load_settings(config_file, overrides), **kwargs)

    return wrapper


def input_options(func: Callable[..., Any] | None = None, *, stdin_default: bool = False) -> Any:
    """``INPUT…`` plus ``--published`` and ``--source`` for what the inputs lack. With
    ``stdin_default``, no INPUT reads standard input when it is not a terminal (``cat
    story.txt | wirecoder code``); on a terminal it is a usage error, not a silent wait."""

    def decorate(func: Callable[..., Any]) -> Callable[..., Any]:
        @click.argument("inputs", nargs=-1, required=not stdin_default)
        @click.option("--published", metavar="YYYY-MM-DD", help="Publication date for articles that have none.")
        @click.option("--source", "outlet", metavar="NAME", help="Outlet name for articles that have none.")
        @functools.wraps(func)
        def wrapper(*args: Any, inputs: tuple[str, ...], **kwargs: Any) -> Any:
            if not inputs:
                if _stdin_is_terminal():
                    raise click.UsageError("give INPUT… (files, folders, - for standard input), "
                                           "or pipe text in: cat story.txt | wirecoder "
                                           f"{click.get_current_context().info_name}")
                inputs = ("-",)
            return func(*args, inputs=inputs, **kwargs)

        return wrapper

    return decorate(func) if func is not None else decorate


def _stdin_is_terminal() -> bool:
    try:
        return sys.stdin is None or sys.stdin.isatty()
    except (ValueError, OSError):  # closed
        return True


@dataclass
class Tally:
    """Counts what a command processed and prints failed items as JSON lines on stderr."""

    ok: int = 0
    failed: int = 0
    extra: dict[str, int] = field(default_factory=dict)
    err: TextIO = field(default_factory=lambda: sys.stderr)

    def error(self, record: ErrorRecord) -> None:
        self.failed += 1
        print_error(record, self.err)

    def finish(self, what: str) -> NoReturn:
        """Print the summary line and exit: 1 when some item failed, else 0."""
        summary = {what: self.ok, "errors": self.failed, **self.extra}
        print(json.dumps({"summary": summary}), file=self.err, flush=True)
        sys.exit(EXIT_ITEMS_FAILED if self.failed else EXIT_OK)


def print_error(record: ErrorRecord, err: TextIO | None = None) -> None:
    stream = err or sys.stderr
    stream.write(json_line(record.to_dict()))
    stream.flush()


def emit(record: dict[str, Any]) -> None:
    sys.stdout.write(json_line(record))


class WirecoderGroup(click.Group):
    """The edge where errors become exit statuses (``errors.EXIT_*``) and one-line
    messages: no traceback ever reaches the user. A bug's traceback goes to a file named
    in the message, for the report."""

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except WirecoderError as exc:
            error = click.ClickException(f"{type(exc).__name__}: {exc}")
            error.exit_code = EXIT_USAGE
            raise error from exc
        except (click.exceptions.Exit, click.ClickException, SystemExit):
            raise
        except KeyboardInterrupt:
            click.echo("wirecoder: interrupted; what was stored is whole, and a rerun completes it", err=True)
            sys.exit(EXIT_INTERRUPTED)
        except BrokenPipeError:  # the reader went away (``| head``): not an error of ours
            _silence_stdout()
            sys.exit(EXIT_OK)
        except Exception as exc:  # noqa: BLE001 - a bug: reported in one line, traceback to a file
            where = _save_traceback()
            click.echo(f"wirecoder: internal error (a bug; please report it): {type(exc).__name__}: {exc}"
                       + (f"; traceback in {where}" if where else ""), err=True)
            sys.exit(EXIT_INTERNAL)


def _save_traceback() -> str | None:
    import tempfile
    import traceback

    try:
        with tempfile.NamedTemporaryFile("w", prefix="wirecoder-crash-", suffix=".txt", delete=False,
                                         encoding="utf-8", errors="backslashreplace") as handle:
            traceback.print_exc(file=handle)
            return handle.name
    except OSError:
        return None


def _silence_stdout() -> None:
    """After a broken pipe, point stdout at /dev/null so Python's exit flush is quiet."""
    import os

    try:
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
    except (OSError, ValueError):
        pass


@click.group(cls=WirecoderGroup)
@click.version_option(__version__, prog_name="wirecoder")
def main() -> None:
    """wirecoder: raw news in, a trustworthy political-event dataset out."""


def _articles(inputs: Iterable[str], settings: Settings, published: str | None, outlet: str | None, tally: Tally):
    from .stages.extract import iter_articles

    for item in iter_articles(list(inputs), settings, published=published, outlet=outlet):
        if isinstance(item, ErrorRecord):
            tally.error(item)
        else:
            yield item


@main.command()
@input_options
@settings_options
def extract(inputs: tuple[str, ...], published: str | None, outlet: str | None, settings: Settings) -> None:
    """Read INPUT… (text dumps, HTML, feeds, JSONL, directories, .gz, - for stdin) and
    print Article records as JSON Lines.

    Example: wirecoder extract news/ --published 2021-07-27
    """
    tally = Tally()
    duplicates = 0
    for article in _articles(inputs, settings, published, outlet, tally):
        tally.ok += 1
        duplicates += article.duplicate_of is not None
        emit(article.to_dict())
    tally.extra["duplicates"] = duplicates
    tally.finish("articles")


@main.command()
@input_options(stdin_default=True)
@click.option("--spans", is_flag=True, help='Input lines are {"id","text","spans":[[s,e]…]}: resolve only those spans.')
@settings_options
def geoparse(inputs: tuple[str, ...], published: str | None, outlet: str | None, spans: bool, settings: Settings) -> None:
    """Find and resolve the places of each article to GeoNames; one line per article:
    {"id", "places": [Place…]}. Without INPUT, reads standard input.

    Example: wirecoder geoparse story.html
    """
    from .pipeline import analyze, build_stages

    tally = Tally()
    if spans:
        from .stages.geoparse import resolve_span_lines

        for item in resolve_span_lines(inputs, settings):
            if isinstance(item, ErrorRecord):
                tally.error(item)
            else:
                tally.ok += 1
                emit(item)
        tally.finish("documents")
        return
    stages = build_stages(settings, upto="geoparse")
    for document in analyze(_articles(inputs, settings, published, outlet, tally), stages, settings):
        if isinstance(document, ErrorRecord):
            tally.error(document)
            continue
        tally.ok += 1
        emit({"id": document.article.id, "places": [p.to_dict() for p in document.places]})
    tally.finish("articles")


@main.command()
@input_options(stdin_default=True)
@settings_options
def code(inputs: tuple[str, ...], published: str | None, outlet: str | None, settings: Settings) -> None:
    """Code the events of each article or snippet; one line per input:
    {"id", "events": [Event…]}. JSON Lines of {"id","text","published"?} code bare snippets.
    Without INPUT, reads standard input.

    Example: wirecoder code snippets.jsonl --published 2021-07-27
    """
    from .pipeline import analyze, build_stages

    tally = Tally()
    stages = build_stages(settings)
    events = 0
    for document in analyze(_articles(inputs, settings, published, outlet, tally), stages, settings):
        if isinstance(document, ErrorRecord):
            tally.error(document)
            continue
        tally.ok += 1
        events += len(document.events)
        emit({"id": document.article.id, "events": [e.to_dict() for e in document.events]})
    tally.extra["events"] = events
    tally.finish("articles")


def executor_options(settings: Settings, workers: int | None, executor: str | None, scheduler: str | None) -> Settings:
    """``--workers``, ``--executor`` and ``--scheduler`` over the settings they stand for
    (``pipeline.workers``, ``pipeline.executor``, ``dask.scheduler``)."""
    if executor is not None:
        settings = settings.replace("pipeline", executor=executor)
    if workers is not None:
        if workers < 0:
            raise click.BadParameter("must be 1 or more (0: one per core)", param_hint="--workers")
        settings = settings.replace("pipeline", workers=workers)
    if scheduler is not None:
        if settings.pipeline.executor != "dask":
            raise click.BadParameter("a scheduler is for --executor dask", param_hint="--scheduler")
        settings = settings.replace("dask", scheduler=scheduler)
    return settings


@main.command()
@input_options
@click.option("--db", "db_path", type=click.Path(dir_okay=False), help="SQLite store (default ./wirecoder.db).")
@click.option("--reprocess", is_flag=True,
              help="Analyse again the stored articles that another version or other settings analysed, replacing their events.")
@click.option("--workers", type=int, metavar="N",
              help="Worker processes (default: pipeline.workers, 0 = one per core); 1 runs in this process.")
@click.option("--executor", metavar="NAME", help="serial, processes (the default) or dask (the dask extra).")
@click.option("--scheduler", metavar="ADDRESS",
              help="With --executor dask: a Dask scheduler (tcp://host:8786); without, a LocalCluster of --workers.")
@click.option("--output-parquet", "parquet_dir", type=click.Path(file_okay=False), metavar="DIR",
              help="Also write the records as partitioned Parquet in DIR (articles, reports, places).")
@settings_options
def run(inputs: tuple[str, ...], published: str | None, outlet: str | None, db_path: str | None, reprocess: bool,
        workers: int | None, executor: str | None, scheduler: str | None, parquet_dir: str | None,
        settings: Settings) -> None:
    """Run the whole pipeline on INPUT… into the SQLite store; idempotent and crash-safe.
    Progress goes to stderr: a bar on a terminal, plain lines elsewhere.

    Example: wirecoder run news/ --db conflict.db --workers 2
    """
    from .runner import RunSummary, run_pipeline

    settings = executor_options(settings, workers, executor, scheduler)
    # Errors are printed as they happen, and the summary even when a bug stops the run.
    summary = RunSummary(inputs=list(inputs), db_path=db_path or settings.store.path)
    try:
        run_pipeline(list(inputs), settings, db_path=summary.db_path, published=published, outlet=outlet,
                     progress=True, reprocess=reprocess, summary=summary, on_error=print_error,
                     parquet_dir=parquet_dir)
    finally:
        if summary.run_id is not None:
            print(summary.describe(), file=sys.stderr, flush=True)
    sys.exit(EXIT_ITEMS_FAILED if summary.errors else EXIT_OK)


@main.command()
@click.argument("feeds", metavar="FEED...", nargs=-1, required=True)
@click.option("--every", metavar="INTERVAL", help="Time between polls: 30s, 15m, 2h, 1d (default: the setting watch.every).")
@click.option("--once", is_flag=True, help="Poll once and exit (for cron, and for tests).")
@click.option("--db", "db_path", type=click.Path(dir_okay=False), help="SQLite store (default ./wirecoder.db).")
@settings_options
def watch(feeds: tuple[str, ...], every: str | None, once: bool, db_path: str | None, settings: Settings) -> None:
    """Poll FEED… (URLs of RSS or Atom feeds) and store only their new entries, one line
    per poll; what was taken is remembered in the store, so a restart resumes. Ctrl-C
    stops it (exit 130) with nothing half-written.

    Example: wirecoder watch https://example.org/world/rss.xml --every 15m --db conflict.db
    """
    from .watch import parse_interval, watch as watch_feeds

    interval = parse_interval(every or settings.watch.every)
    report = watch_feeds(list(feeds), settings, db_path=db_path or settings.store.path, every=interval, once=once,
                         echo=lambda line: click.echo(line), on_error=print_error)
    sys.exit(EXIT_ITEMS_FAILED if report.errors else EXIT_OK)


class _ExportFormatChoice(click.Choice):
    """The export formats of the registry (built-ins and plug-ins), read when the
    command runs rather than when the CLI is imported."""

    def __init__(self) -> None:
        super().__init__(())

    @property  # type: ignore[override]
    def choices(self) -> tuple[str, ...]:
        from .export import format_names

        return tuple(format_names())

    @choices.setter
    def choices(self, _: Any) -> None:
        pass


@main.command()
@click.option("--db", "db_path", type=click.Path(), help="SQLite store (default ./wirecoder.db), or a folder "
              "that `run --output-parquet` wrote.")
@click.option("--format", "fmt", type=_ExportFormatChoice(),
              help="An export format: the built-ins and any a plug-in registers (wirecoder.export_formats).")
@click.option("--audit", is_flag=True, help="Write the audit log of analysts' changes (JSON Lines) instead of events.")
@click.option("--output", type=click.Path(dir_okay=False), help="Output file (default: stdout; required for parquet).")
@click.option("--country", multiple=True, help="Country name or ISO 3166 code (SY, SYR or 760); repeatable.")
@click.option("--admin1", multiple=True, help="First-level division; repeatable.")
@click.option("--since", metavar="YYYY-MM-DD")
@click.option("--until", metavar="YYYY-MM-DD")
@click.option("--type", "types", multiple=True, help="Event type, sub-event type or PLOVER type; repeatable.")
@click.option("--actor", multiple=True, help="Part of an actor's name (% and _ literal); repeatable.")
@click.option("--bbox", metavar="W,S,E,N", help="Bounding box in degrees.")
@click.option("--include-noncurrent", is_flag=True,
              help="Also export denied, historical, future, hypothetical and rejected events.")
@click.option("--modality", multiple=True, type=click.Choice(["asserted", "claimed", "denied", "historical", "future",
                                                               "hypothetical"]), help="Only this modality; repeatable.")
@click.option("--reviewed/--unreviewed", default=None, help="Only events an analyst confirmed or edited / only the others.")
@click.option("--include-plover-only", is_flag=True,
              help="acled-csv/geojson: also export PLOVER-only events (no ACLED type; ACLED type columns empty). "
                   "jsonl and parquet always hold them, marked plover_only.")
@settings_options
def export(db_path: str | None, fmt: str | None, audit: bool, output: str | None, settings: Settings,
           **filters: Any) -> None:
    """Export the dataset from the store, with provenance written beside it.

    acled-csv and geojson hold only events with an ACLED event type unless
    --include-plover-only; jsonl and parquet hold every event, with a plover_only field.
    Every format carries the analysts' values and a reviewed flag (acled-csv: in tags).
    --audit writes the audit log instead: one JSON line per change.

    --db DIR reads a folder that `wirecoder run --output-parquet DIR` wrote: each event
    merged from its reports there, as the store merges them.

    Example: wirecoder export --format acled-csv --country Syria --since 2021-07-01 --output syria.csv
    """
    from .export import ExportFilters, export_audit, export_events

    if audit:
        if fmt is not None:
            raise click.UsageError("--audit writes the audit log (JSON Lines): leave out --format")
        count = export_audit(db_path or settings.store.path, output)
        print(json.dumps({"summary": {"audit_rows": count, "output": output or "-"}}), file=sys.stderr)
        return
    if fmt is None:
        raise click.UsageError("give --format (or --audit for the audit log)")
    count = export_events(db_path or settings.store.path, fmt, output, ExportFilters.from_cli(**filters), settings)
    print(json.dumps({"summary": {"events": count, "format": fmt, "output": output or "-"}}), file=sys.stderr)


@main.command()
@click.argument("event_id")
@click.option("--db", "db_path", type=click.Path(dir_okay=False), help="SQLite store (default ./wirecoder.db).")
@settings_options
def explain(event_id: str, db_path: str | None, settings: Settings) -> None:
    """Show an event's reports, their sentences and why they were merged.

    Example: wirecoder explain 3f2a9c0d1e
    """
    from .explain import explain_event
    from .store import Store

    with Store.open(db_path or settings.store.path, readonly=True) as store:
        click.echo(explain_event(store, event_id))


@main.command()
@click.option("--db", "db_path", type=click.Path(dir_okay=False), help="SQLite store (default ./wirecoder.db).")
@click.option("--host", help="Address to listen on (default: the setting serve.host, 127.0.0.1: this machine only).")
@click.option("--port", type=int, help="Port (default: the setting serve.port, 8000).")
@click.option("--review-token", help="Token that allows edits (default: the setting serve.review_token). "
                                     "Without one the store is opened read-only and edits are refused.")
@settings_options
def serve(db_path: str | None, host: str | None, port: int | None, review_token: str | None,
          settings: Settings) -> None:
    """Serve the analyst's workbench: the JSON API (OpenAPI at /openapi.json, docs at
    /docs), the map, the timeline and the review queue, from the package (no network).

    Example: wirecoder serve --db conflict.db --review-token "$(openssl rand -hex 16)"
    """
    from .serve import serve_store

    serve_store(db_path or settings.store.path, settings, host=host, port=port, token=review_token)


@main.group(name="eval")
def eval_group() -> None:
    """Score wirecoder on the evaluation sets in ../shared/data/eval (prints JSON)."""


def _eval_command(name: str, doc: str) -> None:
    @eval_group.command(name=name, help=doc)
    @click.option("--data", "data_dir", type=click.Path(file_okay=False), help="The shared data folder (default: the setting eval.data_dir, else ../shared/data).")
    @settings_options
    def command(data_dir: str | None, settings: Settings) -> None:
        import importlib

        from .evaluate import find_data_dir

        module = importlib.import_module(f".evaluate.{name}", __package__)
        click.echo(json.dumps(module.evaluate(find_data_dir(data_dir or settings.eval.data_dir), settings), indent=2))


_eval_command("extraction", "Body-text 4-gram shingle precision/recall/F1 on scrapinghub.\n\nExample: wirecoder eval extraction")
_eval_command("geo", "Toponym recognition and resolution on GeoWebNews (raw text and gold spans).\n\nExample: wirecoder eval geo")
_eval_command("events", "Event typing on CASE 2021 and PLOVER (type accuracy, actors).\n\nExample: wirecoder eval events")
_eval_command("articles", "Events on whole reports: ISAF press releases (7 fields) and MUC-4 (found, perpetrator, toll).\n\n"
              "Example: wirecoder eval articles")


if __name__ == "__main__":  # pragma: no cover
    main()
