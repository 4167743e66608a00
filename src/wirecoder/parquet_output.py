"""``wirecoder run --output-parquet DIR``: the records of the run as partitioned Parquet,
for datasets too big to pass around as one file, read by DuckDB, Arrow, pandas, Spark
and by ``wirecoder export --db DIR``.

Layout (Hive partitions, so readers can skip whole months)::

    DIR/articles/published_month=2025-03/part-<digest>.parquet   one row per article
    DIR/reports/event_month=2025-03/part-<digest>.parquet        one row per report

A *report* is one article's account of one event (the Event record as the coder made
it) with ``event_id``, the dataset event dedup joined it to, and ``published``. Reports
never change once written; the merged events do, as later reports join them. So the
folder holds reports, and the events are derived when read (:func:`snapshot_store`:
each event is ``dedup.merged_event`` of its reports, exactly as the store computes it).

Idempotent: the SQLite store stays the run's dedup index and its record of what is
done. The writer writes a group of articles after the store committed them, under a
name that is the digest of their ids, atomically (written beside, then renamed): the
same group written again replaces the same file. A run that stopped between the two
writes is completed by the next, which first writes every stored article that the
folder lacks (:meth:`ParquetOutput.catch_up`). No article, hence no report, is ever in
two files.
"""

from __future__ import annotations

import hashlib
import os
import tempfile
from collections import defaultdict
from contextlib import contextmanager
from pathlib import Path
from typing import Any, Iterator, Sequence

from .errors import OutputError, StoreError
from .records import Article, Event
from .reports import Report
from .stages import dedup
from .store import Store

ARTICLES, REPORTS = "articles", "reports"


def _schemas() -> tuple[Any, Any]:
    import pyarrow as pa

    from .export import parquet_schema

    place = pa.struct([("text", pa.string()), ("start", pa.int64()), ("end", pa.int64()), ("geonameid", pa.int64()),
                       ("name", pa.string()), ("kind", pa.string()), ("country_code", pa.string()),
                       ("admin1", pa.string()), ("latitude", pa.float64()), ("longitude", pa.float64()),
                       ("confidence", pa.float64())])
    articles = pa.schema([
        ("id", pa.string()), ("headline", pa.string()), ("published_date", pa.string()),
        ("published_how", pa.string()), ("path", pa.string()), ("url", pa.string()), ("outlet", pa.string()),
        ("language", pa.string()), ("captions", pa.list_(pa.struct([("text", pa.string()), ("credit", pa.string())]))),
        ("paragraphs", pa.list_(pa.string())), ("places", pa.list_(place))])
    # A report is one article's telling, before any analyst: no review flag (that is the merged event's).
    event_fields = [f for f in parquet_schema() if f.name not in ("n_reports", "plover_only", "reviewed")]
    reports = pa.schema([pa.field("event_id", pa.string(), nullable=False), *event_fields,
                         pa.field("published", pa.string())])
    return articles, reports


def _month(date: str | None) -> str:
    return date[:7] if date and len(date) >= 7 else "undated"


class ParquetOutput:
    """Writes stored articles and their reports to ``directory``, ``group`` articles a file."""

    def __init__(self, directory: str | os.PathLike[str], group: int) -> None:
        self.directory = Path(directory)
        self.group = max(1, group)
        self.pending: list[str] = []
        try:
            for part in (ARTICLES, REPORTS):
                (self.directory / part).mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise OutputError(f"--output-parquet {self.directory}: cannot create it: {exc.strerror or exc}") from None

    def written_ids(self) -> set[str]:
        """The ids of the articles already in the folder."""
        import pyarrow.dataset as ds

        files = sorted(str(p) for p in (self.directory / ARTICLES).rglob("*.parquet"))
        if not files:
            return set()
        return set(ds.dataset(files, format="parquet").to_table(columns=["id"]).column("id").to_pylist())

    def catch_up(self, store: Store) -> int:
        """Write the stored articles the folder lacks (a run stopped between the store's
        commit and the file); returns how many."""
        written = self.written_ids()
        missing = [i for i in store.article_ids() if i not in written]
        for start in range(0, len(missing), self.group):
            self.write(store, missing[start:start + self.group])
        return len(missing)

    def add(self, store: Store, article_id: str) -> None:
        """One more stored article; a full group is written at once."""
        self.pending.append(article_id)
        if len(self.pending) >= self.group:
            self.flush(store)

    def flush(self, store: Store) -> None:
        if self.pending:
            self.write(store, self.pending)
            self.pending = []

    def write(self, store: Store, article_ids: Sequence[str]) -> None:
        import pyarrow as pa

        article_schema, report_schema = _schemas()
        digest = hashlib.sha1("\n".join(sorted(article_ids)).encode()).hexdigest()[:20]
        articles: dict[str, list[dict[str, Any]]] = defaultdict(list)
        for article_id in article_ids:
            article = store.article(article_id)
            if article is None:
                raise StoreError(f"article {article_id} is not in the store {store.path}")
            row = {**article.to_dict(), "places": [p.to_dict() for p in store.places_of(article_id)]}
            source = row.pop("source")
            published = row.pop("published")
            row.pop("duplicate_of", None)
            row.update(path=source["path"], url=source["url"], outlet=source["outlet"],
                       published_date=published["date"], published_how=published["how"])
            articles[_month(published["date"])].append(row)
        reports: dict[str, list[dict[str, Any]]] = defaultdict(list)
        for event_id, report in store.reports_by_article(article_ids):
            reports[_month(report.event.event_date)].append(
                {"event_id": event_id, **report.event.to_dict(), "published": report.published})
        for month, rows in articles.items():
            self._put(ARTICLES, f"published_month={month}", digest, pa.Table.from_pylist(rows, schema=article_schema))
        for month, rows in reports.items():
            self._put(REPORTS, f"event_month={month}", digest, pa.Table.from_pylist(rows, schema=report_schema))

    def _put(self, part: str, partition: str, digest: str, table: Any) -> None:
        import pyarrow.parquet as pq

        folder = self.directory / part / partition
        try:
            folder.mkdir(parents=True, exist_ok=True)
            handle, temporary = tempfile.mkstemp(prefix=".part-", suffix=".tmp", dir=folder)
            os.close(handle)
            pq.write_table(table, temporary)
            os.replace(temporary, folder / f"part-{digest}.parquet")
        except OSError as exc:
            raise OutputError(f"--output-parquet {folder}: cannot write: {exc.strerror or exc}") from None


def is_parquet_output(path: str | os.PathLike[str]) -> bool:
    """Whether ``path`` is a folder written by ``--output-parquet``."""
    return Path(path).is_dir() and (Path(path) / ARTICLES).is_dir()


def read_reports(directory: str | os.PathLike[str]) -> dict[str, list[Report]]:
    """Every report in the folder, by the event it joined."""
    import pyarrow.dataset as ds

    files = sorted(str(p) for p in (Path(directory) / REPORTS).rglob("*.parquet"))
    by_event: dict[str, list[Report]] = defaultdict(list)
    if files:
        for row in ds.dataset(files, format="parquet").to_table().to_pylist():
            by_event[row["event_id"]].append(Report(Event.from_dict(row), row["published"]))
    return by_event


def read_articles(directory: str | os.PathLike[str]) -> list[Article]:
    import pyarrow.dataset as ds

    files = sorted(str(p) for p in (Path(directory) / ARTICLES).rglob("*.parquet"))
    if not files:
        return []
    rows = ds.dataset(files, format="parquet").to_table().to_pylist()
    return [Article.from_dict({**row, "source": {"path": row["path"], "url": row["url"], "outlet": row["outlet"]},
                               "published": {"date": row["published_date"], "how": row["published_how"]}})
            for row in sorted(rows, key=lambda r: r["id"])]


@contextmanager
def snapshot_store(directory: str | os.PathLike[str]) -> Iterator[Store]:
    """A temporary store holding the folder's articles and its events, each merged from
    its reports as dedup merges them: what ``wirecoder export --db DIR`` reads."""
    reports = read_reports(directory)
    events = [dedup.merged_event(reports[event_id], event_id) for event_id in sorted(reports)]
    with tempfile.TemporaryDirectory(prefix="wirecoder-parquet-") as folder:
        path = Path(folder) / "snapshot.db"
        with Store.open(path) as store:
            store.load_snapshot(read_articles(directory), events)
        with Store.open(path, readonly=True) as store:
            yield store
