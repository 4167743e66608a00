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


def input_options(func: Callable[..., Any]) -> Callable[..., Any]:
    """``INPUT…`` plus ``--published`` and ``--source`` for what the inputs lack."""

    @click.argument("inputs", nargs=-1, required=True)
    @click.option("--published", metavar="YYYY-MM-DD", help="Publication date for articles that have none.")
    @click.option("--source", "outlet", metavar="NAME", help="Outlet name for articles that have none.")
    @functools.wraps(func)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        return func(*args, **kwargs)

    return wrapper


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
@input_options
@click.option("--spans", is_flag=True, help='Input lines are {"id","text","spans":[[s,e]…]}: resolve only those spans.')
@settings_options
def geoparse(inputs: tuple[str, ...], published: str | None, outlet: str | None, spans: bool, settings: Settings) -> None:
    """Find and resolve the places of each article to GeoNames; one line per article:
    {"id", "places": [Place…]}.

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
@input_options
@settings_options
def code(inputs: tuple[str, ...], published: str | None, outlet: str | None, settings: Settings) -> None:
    """Code the events of each article or snippet; one line per input:
    {"id", "events": [Event…]}. JSON Lines of {"id","text","published"?} code bare snippets.

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
@click.option("--workers", type=int, metavar="N",
              help="Worker processes (default: pipeline.workers, 0 = one per core); 1 runs in this process.")
@click.option("--executor", metavar="NAME", help="serial, processes (the default) or dask (the dask extra).")
@click.option("--scheduler", metavar="ADDRESS",
              help="With --executor dask: a Dask scheduler (tcp://host:8786); without, a LocalCluster of --workers.")
@click.option("--output-parquet", "parquet_dir", type=click.Path(file_okay=False), metavar="DIR",
              help="Also write the records as partitioned Parquet in DIR (articles, reports, places).")
@settings_options
def run(inputs: tuple[str, ...], published: str | None, outlet: str | None, db_path: str | None,
        workers: int | None, executor: str | None, scheduler: str | None, parquet_dir: str | None,
        settings: Settings) -> None:
    """Run the whole pipeline on INPUT… into the SQLite store; idempotent and crash-safe.

    Example: wirecoder run news/ --db conflict.db --workers 2
    """
    from .runner import RunSummary, run_pipeline

    settings = executor_options(settings, workers, executor, scheduler)
    # Errors are printed as they happen, and the summary even when a bug stops the run.
    summary = RunSummary(inputs=list(inputs), db_path=db_path or settings.store.path)
    try:
        run_pipeline(list(inputs), settings, db_path=summary.db_path, published=published, outlet=outlet,
                     progress=sys.stderr.isatty(), summary=summary, on_error=print_error,
                     parquet_dir=parquet_dir)
    finally:
        if summary.run_id is not None:
            print(summary.describe(), file=sys.stderr, flush=True)
    sys.exit(EXIT_ITEMS_FAILED if summary.errors else EXIT_OK)


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
@click.option("--format", "fmt", type=_ExportFormatChoice(), required=True,
              help="An export format: the built-ins and any a plug-in registers (wirecoder.export_formats).")
@click.option("--output", type=click.Path(dir_okay=False), help="Output file (default: stdout; required for parquet).")
@click.option("--country", multiple=True, help="Country name or ISO code; repeatable.")
@click.option("--admin1", multiple=True, help="First-level division; repeatable.")
@click.option("--since", metavar="YYYY-MM-DD")
@click.option("--until", metavar="YYYY-MM-DD")
@click.option("--type", "types", multiple=True, help="Event type, sub-event type or PLOVER type; repeatable.")
@click.option("--actor", multiple=True, help="Substring of actor1/actor2/associated actors; repeatable.")
@click.option("--bbox", metavar="W,S,E,N", help="Bounding box in degrees.")
@click.option("--include-noncurrent", is_flag=True, help="Also export denied, historical, future and hypothetical events.")
@click.option("--include-plover-only", is_flag=True,
              help="acled-csv/geojson: also export PLOVER-only events (no ACLED type; ACLED type columns empty). "
                   "jsonl and parquet always hold them, marked plover_only.")
@settings_options
def export(db_path: str | None, fmt: str, output: str | None, settings: Settings, **filters: Any) -> None:
    """Export the dataset from the store, with provenance written beside it.

    acled-csv and geojson hold only events with an ACLED event type unless
    --include-plover-only; jsonl and parquet hold every event, with a plover_only field.

    --db DIR reads a folder that `wirecoder run --output-parquet DIR` wrote: each event
    merged from its reports there, as the store merges them.

    Example: wirecoder export --format acled-csv --country Syria --since 2021-07-01 --output syria.csv
    """
    from .export import ExportFilters, export_events

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
