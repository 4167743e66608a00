"""``wirecoder export``: the dataset out of the store as ACLED-style CSV, GeoJSON,
Parquet or JSON Lines, filtered, with its provenance written beside it.

Only current events (asserted, claimed) are exported unless ``include_noncurrent``.
PLOVER-only events (a PLOVER type but no ACLED ``event_type``: statements, requests,
visits) are left out of the ACLED formats (``acled-csv``, ``geojson``) unless
``include_plover_only``; ``jsonl`` and ``parquet`` keep them, with ``plover_only`` true.
Each file ``OUT`` gets ``OUT.provenance.json``: the export's filters and settings, the
software version, and every run that built the store (its inputs, settings, version).
Both are written all or nothing (:class:`OutputFile`); a device or FIFO is written
through like stdout, without provenance.

Formats are named parts (:data:`wirecoder.registry.export_formats`): the four built-ins
register themselves here, and a package adds one with an entry point in the group
``wirecoder.export_formats`` naming an :class:`ExportWriter`. Events are read through
:meth:`wirecoder.store.Store.query`; no SQL is written here.
"""

from __future__ import annotations

import csv
import errno
import functools
import json
import os
import stat
import sys
import tempfile
from contextlib import contextmanager, suppress
from dataclasses import asdict, dataclass, field
from datetime import date, datetime, timezone
from pathlib import Path
from typing import Any, Callable, Iterator, Protocol, TextIO, TypeVar

from . import __version__, registry
from .errors import OutputError, WirecoderError
from .acled_columns import acled_region, event_id_cnty, event_scale, iso_column, outlet_scale
from .records import Event, json_line
from .settings import Settings
from .store import Store
from .store.query import EventQuery
from .store.schema import EVENT_SCALAR_COLUMNS

F = TypeVar("F", bound=Callable[..., Any])


def format_names() -> list[str]:
    """The export formats by name: the built-ins below and those of installed plug-ins
    (entry points of the group ``wirecoder.export_formats``)."""
    return registry.export_formats.names()


class ExportWriter(Protocol):
    """An export format: writes the events of ``export`` to ``out`` (a text handle, or a
    binary one when ``binary``) and returns how many it wrote. Register one by name::

        @registry.export_formats.register("my-format")
        def write_mine(export: Export, out: TextIO) -> int: ...

    or from another package, by an entry point in the group ``wirecoder.export_formats``.
    Two optional attributes say more: ``binary = True`` (bytes; a file is required, not
    stdout) and ``acled = True`` (ACLED-style: PLOVER-only events only when asked)."""

    def __call__(self, export: Export, out: Any) -> int: ...


def _is_binary(fmt: str) -> bool:
    return bool(getattr(registry.export_formats.get(fmt), "binary", False))


def _is_acled(fmt: str) -> bool:
    return bool(getattr(registry.export_formats.get(fmt), "acled", False))


def _builtin(name: str, *, binary: bool = False, acled: bool = False) -> Callable[[F], F]:
    """Register a built-in format under ``name``, marked as :class:`ExportWriter` says."""

    def decorate(write: F) -> F:
        write.binary = binary  # type: ignore[attr-defined]
        write.acled = acled  # type: ignore[attr-defined]
        return registry.export_formats.register(name)(write)

    return decorate


# ACLED's export columns, in ACLED's order (from its public codebook).
ACLED_COLUMNS: tuple[str, ...] = (
    "event_id_cnty", "event_date", "year", "time_precision", "disorder_type", "event_type",
    "sub_event_type", "actor1", "assoc_actor_1", "inter1", "actor2", "assoc_actor_2", "inter2",
    "interaction", "civilian_targeting", "iso", "region", "country", "admin1", "admin2", "admin3",
    "location", "latitude", "longitude", "geo_precision", "source", "source_scale", "notes",
    "fatalities", "tags", "timestamp",
)


@dataclass(frozen=True, slots=True)
class ExportFilters:
    """Which events to export; empty fields filter nothing. Text matches ignore case."""

    country: tuple[str, ...] = ()      # ISO alpha-2 codes (from_cli accepts names and other ISO codes)
    admin1: tuple[str, ...] = ()
    since: str | None = None           # YYYY-MM-DD, inclusive (undated events excluded)
    until: str | None = None
    types: tuple[str, ...] = ()        # event type, sub-event type or PLOVER type
    actor: tuple[str, ...] = ()        # substring of any actor
    bbox: tuple[float, float, float, float] | None = None  # W, S, E, N in degrees
    include_noncurrent: bool = False
    include_plover_only: bool = False  # PLOVER-only events in the ACLED formats too
    modality: tuple[str, ...] = ()     # only these modalities (with include_noncurrent for the non-current ones)
    reviewed: bool | None = None       # True: only events an analyst confirmed or edited; False: only the others

    @classmethod
    def from_cli(cls, country: tuple[str, ...] = (), admin1: tuple[str, ...] = (), since: str | None = None,
                 until: str | None = None, types: tuple[str, ...] = (), actor: tuple[str, ...] = (),
                 bbox: str | None = None, include_noncurrent: bool = False,
                 include_plover_only: bool = False, modality: tuple[str, ...] = (),
                 reviewed: bool | None = None) -> ExportFilters:
        for name, value in (("--since", since), ("--until", until)):
            if value is not None:
                try:
                    date.fromisoformat(value)
                except ValueError:
                    raise WirecoderError(f"{name} {value!r} is not a date; use YYYY-MM-DD") from None
        box = None
        if bbox:
            try:
                w, s, e, n = (float(x) for x in bbox.split(","))
            except ValueError:
                raise WirecoderError(f"--bbox {bbox!r} must be four numbers W,S,E,N (degrees)") from None
            if not (-180 <= w <= 180 and -180 <= e <= 180 and -90 <= s <= n <= 90):
                raise WirecoderError(f"--bbox {bbox!r}: need -180<=W,E<=180 and -90<=S<=N<=90")
            box = (w, s, e, n)
        from .filters import country_codes

        return cls(country_codes(country), tuple(admin1), since, until, tuple(types), tuple(actor), box,
                   include_noncurrent, include_plover_only, tuple(modality), reviewed)

    def keeps_plover_only(self, fmt: str) -> bool:
        """Whether an export in ``fmt`` holds PLOVER-only events (``event_type`` NULL)."""
        return not _is_acled(fmt) or self.include_plover_only

    def query(self, fmt: str | None = None) -> EventQuery:
        """The store query of an export in ``fmt`` (None: any event, as for ``jsonl``)."""
        return EventQuery(
            country=self.country, admin1=self.admin1, since=self.since, until=self.until, types=self.types,
            actor=self.actor, bbox=self.bbox, include_noncurrent=self.include_noncurrent,
            include_plover_only=fmt is None or self.keeps_plover_only(fmt), order="date",
            modality=self.modality, reviewed=self.reviewed,
        )


@dataclass
class Export:
    """One export under way, as a format's writer sees it: the events to write
    (:meth:`rows`), where their articles came from (:attr:`outlets`), and ``skipped``,
    counts of events a format left out (reported in the provenance)."""

    store: Store
    filters: ExportFilters
    fmt: str
    skipped: dict[str, int] = field(default_factory=dict)

    def rows(self) -> Iterator[tuple[Event, dict[str, Any]]]:
        """Each event with ``{"n_reports", "updated", "reviewed"}``, by date (undated last),
        then id. The event carries the analyst's values where one reviewed it."""
        for row in self.store.query(self.filters.query(self.fmt)):
            yield row.event, {"n_reports": row.n_reports, "updated": row.updated, "reviewed": row.reviewed}

    @functools.cached_property
    def outlets(self) -> dict[str, str]:
        """Article id -> the name of its source: the outlet, else the URL's host, else the file name."""
        return {article_id: _outlet_name(*origin) for article_id, origin in self.store.article_origins().items()}

    @functools.cached_property
    def copy_outlets(self) -> dict[str, list[str]]:
        """Article id -> the names of the sources of its near-copies."""
        return {article_id: [_outlet_name(*origin) for origin in origins]
                for article_id, origins in self.store.copy_origins().items()}

    def event_outlets(self, event: Event) -> list[str]:
        """The names of the sources that reported ``event`` (its articles and their
        near-copies), each once, in the order of its sources."""
        names = [n for a in event.sources for n in [self.outlets.get(a) or a, *self.copy_outlets.get(a, [])]]
        return list(dict.fromkeys(n for n in names if n))

    @functools.cached_property
    def outlet_scales(self) -> dict[str, str]:
        """Source name -> how widely it reports (:func:`~wirecoder.acled_columns.outlet_scale`)."""
        countries: dict[str, set[str]] = {}
        for article_id, found in self.store.reported_countries().items():
            names = [self.outlets.get(article_id) or article_id, *self.copy_outlets.get(article_id, [])]
            for name in names:
                countries.setdefault(name, set()).update(found)
        return {name: outlet_scale(found) for name, found in countries.items()}


def _outlet_name(outlet: str | None, url: str | None, path: str | None) -> str:
    return outlet or _domain(url) or (Path(path).name if path else "")


def _domain(url: str | None) -> str | None:
    if not url:
        return None
    from urllib.parse import urlsplit

    return urlsplit(url).hostname


def _acled_row(event: Event, extra: dict[str, Any], export: Export) -> list[Any]:
    outlets = export.event_outlets(event)
    # ACLED's free-text tags carry wirecoder's own id: what `wirecoder explain` takes
    tags = [f"wirecoder id: {event.id}"]
    if event.modality != "asserted":
        tags.append(f"modality: {event.modality}")
    if event.attribution:
        tags.append(f"according to: {event.attribution}")
    if extra["n_reports"] > 1:
        tags.append(f"reports: {extra['n_reports']}")
    if extra.get("reviewed"):
        tags.append("reviewed")  # ACLED's columns stay ACLED's: the flag rides in its tags
    stamp = None
    if extra.get("updated"):
        stamp = int(datetime.fromisoformat(extra["updated"]).timestamp())
    values = {
        "event_id_cnty": event_id_cnty(event.id, event.iso), "year": event.event_date[:4] if event.event_date else None,
        "iso": iso_column(event.iso), "region": acled_region(event.iso), "admin3": None,
        "source": "; ".join(outlets) or None,
        "source_scale": event_scale(export.outlet_scales.get(o, "National") for o in outlets),
        "tags": "; ".join(tags), "timestamp": stamp,
    }
    data = asdict(event)
    return [values[c] if c in values else data.get(c) for c in ACLED_COLUMNS]


@_builtin("acled-csv", acled=True)
def _write_csv(export: Export, out: TextIO) -> int:
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(ACLED_COLUMNS)
    count = 0
    for event, extra in export.rows():
        writer.writerow(["" if v is None else v for v in _acled_row(event, extra, export)])
        count += 1
    return count


def _record(event: Event, reviewed: bool = False) -> dict[str, Any]:
    """The Event record plus ``plover_only`` (true when it has a PLOVER type but no ACLED
    one) and ``reviewed`` (an analyst confirmed or edited it)."""
    return {**event.to_dict(), "plover_only": event.event_type is None, "reviewed": reviewed}


@_builtin("jsonl")
def _write_jsonl(export: Export, out: TextIO) -> int:
    count = 0
    for event, extra in export.rows():
        out.write(json_line(_record(event, extra["reviewed"])))
        count += 1
    return count


@_builtin("geojson", acled=True)
def _write_geojson(export: Export, out: TextIO) -> int:
    """A FeatureCollection (RFC 7946) of Points [lon, lat]; events without coordinates
    cannot be placed on a map and are left out (counted in the provenance)."""
    out.write('{"type": "FeatureCollection", "features": [')
    count = skipped = 0
    for event, extra in export.rows():
        if event.latitude is None or event.longitude is None:
            skipped += 1
            continue
        properties = _record(event, extra["reviewed"])
        properties["n_reports"] = extra["n_reports"]
        feature = {"type": "Feature", "id": event.id,
                   "geometry": {"type": "Point", "coordinates": [event.longitude, event.latitude]},
                   "properties": properties}
        out.write(("," if count else "") + "\n" + json.dumps(feature, ensure_ascii=False))
        count += 1
    out.write("\n]}\n")
    export.skipped["without_coordinates"] = skipped
    return count


def parquet_schema() -> Any:
    """The explicit Arrow schema of the Parquet export: every Event field in record order
    (typed from the store's columns), plus ``n_reports`` and ``plover_only``."""
    import pyarrow as pa

    import dataclasses

    arrow = {"TEXT": pa.string(), "INTEGER": pa.int64(), "REAL": pa.float64()}
    known = {name: arrow[kind] for name, kind in EVENT_SCALAR_COLUMNS}
    evidence = pa.struct([("sentence", pa.string()), ("start", pa.int64()), ("end", pa.int64())])
    special = {
        "id": pa.field("id", pa.string(), nullable=False),
        "article_id": pa.field("article_id", pa.string(), nullable=False),
        "evidence": pa.field("evidence", evidence),
        "mentions": pa.field("mentions", pa.list_(evidence)),
        "sources": pa.field("sources", pa.list_(pa.string())),
    }
    # Fields added to Event after the store's columns are text (kept in its ``extra``).
    fields = [special.get(f.name) or pa.field(f.name, known.get(f.name, pa.string()))
              for f in dataclasses.fields(Event)]
    return pa.schema([*fields, pa.field("n_reports", pa.int64(), nullable=False),
                      pa.field("plover_only", pa.bool_(), nullable=False),
                      pa.field("reviewed", pa.bool_(), nullable=False)])


@_builtin("parquet", binary=True)
def _write_parquet(export: Export, sink: Any) -> int:
    import pyarrow as pa
    import pyarrow.parquet as pq

    schema = parquet_schema()
    count = 0
    with pq.ParquetWriter(sink, schema) as writer:
        batch: list[dict[str, Any]] = []
        for event, extra in export.rows():
            batch.append({**_record(event, extra["reviewed"]), "n_reports": extra["n_reports"]})
            count += 1
            if len(batch) >= 5000:
                writer.write_table(pa.Table.from_pylist(batch, schema=schema))
                batch = []
        writer.write_table(pa.Table.from_pylist(batch, schema=schema))
    return count


def export_events(db_path: str, fmt: str, output: str | None, filters: ExportFilters, settings: Settings) -> int:
    """Write the store's events in ``fmt`` to ``output`` (stdout when None; Parquet needs
    a file) and ``<output>.provenance.json`` beside it; returns the number exported.

    A regular file (or a new one) is written beside and renamed into place with its
    provenance, so a failed export leaves any earlier file as it was and nothing half
    written. A symlink is followed: its target is replaced and the link stays a link. A
    device or FIFO (``/dev/null``, a named pipe) is written in place like stdout, and
    gets no provenance file (it would land in ``/dev``). A FIFO waits for its reader."""
    write = registry.export_formats.get(fmt)  # an unknown name lists the known ones
    binary = _is_binary(fmt)
    if binary and not output:
        raise WirecoderError(f"{fmt} is a binary format: give --output FILE")
    with _open_dataset(db_path) as store:
        check_filters(filters, store, settings)
        export = Export(store, filters, fmt)
        if output is None:
            return write(export, sys.stdout)
        # Both targets are checked before the export runs: a bad path fails at once.
        data = OutputFile(output)
        beside = None if data.special else OutputFile(f"{output}.provenance.json")
        try:
            with data.open(binary=binary) as handle:
                count = write(export, handle)
            if beside is None:
                return count
            provenance = _provenance(store, fmt, output, filters, settings, count, export.skipped)
            if Path(db_path).is_dir():  # read from a Parquet folder through a temporary store
                provenance["store"] = {"parquet_folder": os.path.abspath(db_path), "counts": provenance["store"]["counts"]}
            with beside.open() as handle:
                handle.write(json.dumps(provenance, indent=2, ensure_ascii=False) + "\n")
            data.commit()
            beside.commit()
        finally:
            data.discard()
            if beside is not None:
                beside.discard()
    return count


def check_filters(filters: ExportFilters, store: Store, settings: Settings) -> None:
    """:class:`~wirecoder.errors.FilterError` for a type or actor filter that names
    nothing of the codebook, the actor dictionary or the store (countries are checked by
    :meth:`ExportFilters.from_cli`): a typo is an error, not an empty file."""
    from .filters import check_actors, check_types

    if not filters.types and not filters.actor:
        return
    vocabulary = store.filter_vocabulary()
    check_types(filters.types, vocabulary["types"])
    check_actors(filters.actor, vocabulary["actors"], settings)


def export_audit(db_path: str, output: str | None) -> int:
    """Write the store's audit log (every analyst's change, oldest first) as JSON Lines
    ``{"id", "at", "who", "event_id", "action", "field", "before", "after", "why"}`` to
    ``output`` (stdout when None), all or nothing; returns the number of rows."""
    with Store.open(db_path, readonly=True) as store:
        if output is None:
            count = 0
            for entry in store.reviews.log():
                sys.stdout.write(json_line(entry.to_dict()))
                count += 1
            return count
        target = OutputFile(output)
        try:
            with target.open() as handle:
                count = 0
                for entry in store.reviews.log():
                    handle.write(json_line(entry.to_dict()))
                    count += 1
            target.commit()
        finally:
            target.discard()
    return count


def _open_dataset(path: str) -> Any:
    """The store at ``path``, or, for a folder that ``wirecoder run --output-parquet``
    wrote, a temporary store of its articles and merged events."""
    from .parquet_output import is_parquet_output, snapshot_store

    if is_parquet_output(path):
        return snapshot_store(path)
    return Store.open(path, readonly=True)


# Why a write failed, in the user's words (errno -> reason).
_REASONS = {
    errno.EACCES: "permission denied", errno.EPERM: "permission denied",
    errno.ENAMETOOLONG: "the file name is too long", errno.ENOENT: "no such folder",
    errno.ENOTDIR: "a part of the path is a file, not a folder", errno.EISDIR: "it is a folder",
    errno.ENOSPC: "no space left on the device", errno.EDQUOT: "disk quota exceeded",
    errno.EROFS: "the file system is read-only", errno.ELOOP: "too many symbolic links (a loop?)",
    errno.EPIPE: "the reader closed the pipe", errno.ENXIO: "no reader on the other end (a socket?)",
    errno.EFBIG: "the file is too large for the file system",
}


class OutputFile:
    """One output path, written all or nothing.

    ``open()`` gives a handle on a temporary file in the target's folder (or, for a
    device or FIFO, on the target itself); ``commit()`` renames it into place;
    ``discard()`` removes what was not committed. Every ``OSError`` comes out as one
    :class:`OutputError` naming the path."""

    def __init__(self, output: str) -> None:
        self.output = output
        # A symlink is followed to the file it names (even a dangling one): renaming
        # over the link itself would turn it into a regular file.
        self.target = os.path.realpath(output)
        self.temp: str | None = None
        try:
            info: os.stat_result | None = os.stat(self.target)
        except FileNotFoundError:
            info = None
        except OSError as exc:
            raise self._error(exc) from exc
        if info is not None and stat.S_ISDIR(info.st_mode):
            raise self._error(OSError(errno.EISDIR, "is a directory"))
        self.special = info is not None and not stat.S_ISREG(info.st_mode)
        self.mode = stat.S_IMODE(info.st_mode) if info is not None else None
        self.folder = os.path.dirname(self.target)
        if not self.special:
            try:
                os.makedirs(self.folder, exist_ok=True)
            except OSError as exc:
                raise self._error(exc) from exc

    def _error(self, exc: OSError) -> OutputError:
        reason = _REASONS.get(exc.errno or 0) or exc.strerror or str(exc)
        shown = self.output if self.target == os.path.abspath(self.output) else f"{self.output} (-> {self.target})"
        return OutputError(f"cannot write {shown}: {reason}")

    @contextmanager
    def open(self, binary: bool = False) -> Iterator[Any]:
        """A handle to write the whole content to; closed (and synced) on leaving."""
        try:
            if self.special:
                handle = open(self.target, "wb") if binary else open(self.target, "w", encoding="utf-8", newline="")
            else:
                fd, self.temp = tempfile.mkstemp(prefix=".wirecoder-", suffix=".partial", dir=self.folder)
                if self.mode is None:  # a new file gets the usual permissions, not mkstemp's 0600
                    umask = os.umask(0)
                    os.umask(umask)
                    os.fchmod(fd, 0o666 & ~umask)
                else:  # a replaced file keeps its permissions
                    os.fchmod(fd, self.mode)
                handle = os.fdopen(fd, "wb") if binary else os.fdopen(fd, "w", encoding="utf-8", newline="")
            with handle:
                yield handle
                handle.flush()
                if not self.special:
                    os.fsync(handle.fileno())
        except OSError as exc:
            raise self._error(exc) from exc

    def commit(self) -> None:
        if self.temp is None:
            return
        try:
            os.replace(self.temp, self.target)
        except OSError as exc:
            raise self._error(exc) from exc
        self.temp = None

    def discard(self) -> None:
        if self.temp is not None:
            with suppress(OSError):
                os.remove(self.temp)
            self.temp = None


def _provenance(store: Store, fmt: str, output: str, filters: ExportFilters, settings: Settings, count: int,
                skipped: dict[str, int]) -> dict[str, Any]:
    runs = store.runs()
    inputs = list(dict.fromkeys(i for run in runs for i in run["inputs"]))
    return {
        "wirecoder_version": __version__,
        "exported_at": datetime.now(timezone.utc).isoformat(timespec="seconds"),
        "format": fmt,
        "output": os.path.basename(output),
        "count": count,
        "skipped": skipped,
        # what the file holds, whatever the flag: jsonl and parquet always keep them
        "plover_only_included": filters.keeps_plover_only(fmt),
        "filters": asdict(filters),
        "store": {"path": os.path.abspath(store.path), "schema_version": store.schema_version(),
                  "counts": store.counts()},
        "inputs": inputs,
        "settings": settings.to_dict(),
        "runs": runs,
        "credits": "Places: GeoNames (geonames.org), CC BY 4.0.",
    }

