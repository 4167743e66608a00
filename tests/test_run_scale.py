"""``wirecoder run`` scaled out: worker processes (``--workers 2``) and Dask (``--executor
dask``, a LocalCluster of 2 workers) leave the same store as ``--workers 1``, also when a
worker is killed half-way; an article that kills every worker becomes an error record
and the rest goes on; Ctrl-C stops the workers; ``--output-parquet`` is read back by
DuckDB and by ``wirecoder export`` as the store's export.

Most runs use the rule-based stand-in stages (``testing.keywords``, and
``testing.keywords.crashing``, which SIGKILLs its own process on marked articles);
``test_run_scale_real_pipeline_*`` runs the real models on ``samples/``. Small
``pipeline.batch_chars`` make several batches out of small inputs, so that the work is
really spread over the workers."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
import uuid
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from wirecoder.cli import main
from wirecoder.errors import EXIT_USAGE, ConfigError
from wirecoder.executors.batches import char_batches
from wirecoder.pipeline import plan_stages
from wirecoder.records import Article
from wirecoder.settings import load_settings
from wirecoder.store import Store

from test_run_crash import write_inputs

REPO = Path(__file__).resolve().parents[1]
WIRECODER = Path(sys.executable).with_name("wirecoder")
SMALL_BATCHES = ("--set", "pipeline.batch_chars=2000")  # about 3 stand-in stories a batch
STAND_IN = ("--set", 'pipeline.stages=["testing.keywords"]')
CRASHING = ("--set", 'pipeline.stages=["testing.keywords.crashing"]')  # the same, plus the kill marks
DASK = ("--executor", "dask", "--workers", "2")


@pytest.fixture
def wirecoder() -> Path:
    if not WIRECODER.exists():
        pytest.skip(f"the wirecoder command is not installed beside {sys.executable}")
    return WIRECODER


def run(inputs: Path, db: Path, *options: str, expect: int = 0, env: dict[str, str] | None = None) -> str:
    """``wirecoder run`` in a process of its own; returns its stderr."""
    done = subprocess.run([str(WIRECODER), "run", str(inputs), "--db", str(db), *options],
                          capture_output=True, text=True, timeout=600, env=env)
    assert done.returncode == expect, done.stderr
    return done.stderr


def exported(source: Path, fmt: str = "jsonl") -> str:
    done = subprocess.run([str(WIRECODER), "export", "--db", str(source), "--format", fmt],
                          capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr
    return done.stdout


def dump(db: Path) -> dict[str, Any]:
    with Store.open(db, readonly=True) as store:
        return store.canonical_dump()


def marked_inputs(path: Path, marks: dict[int, str], n: int = 40) -> Path:
    """The stand-in stories of ``test_run_crash``, with a kill mark appended to some."""
    plain = path.with_suffix(".plain.jsonl")
    write_inputs(plain, n)
    lines = [json.loads(line) for line in plain.read_text(encoding="utf-8").splitlines()]
    for index, mark in marks.items():
        lines[index]["text"] += f" {mark}"
    path.write_text("".join(json.dumps(line) + "\n" for line in lines), encoding="utf-8")
    return path


def kill_once() -> str:
    return f"[kill the worker once {uuid.uuid4().hex}]"  # a fresh token: it kills once per test run


# -- worker processes -------------------------------------------------------------------


def test_run_scale_workers_2_same_store_as_workers_1(tmp_path: Path, wirecoder: Path) -> None:
    inputs = tmp_path / "stories.jsonl"
    write_inputs(inputs)
    run(inputs, tmp_path / "one.db", "--workers", "1", *STAND_IN)
    run(inputs, tmp_path / "two.db", "--workers", "2", *SMALL_BATCHES, *STAND_IN)
    assert dump(tmp_path / "two.db") == dump(tmp_path / "one.db")
    assert exported(tmp_path / "two.db") == exported(tmp_path / "one.db")
    with Store.open(tmp_path / "one.db", readonly=True) as store:
        assert store.counts()["articles"] == 40 and store.counts()["events"] < store.counts()["event_reports"]


def test_run_scale_worker_killed_once_same_store(tmp_path: Path, wirecoder: Path) -> None:
    # the worker holding story 7's batch dies; the batch goes to a fresh process
    inputs = marked_inputs(tmp_path / "stories.jsonl", {7: kill_once()})
    run(inputs, tmp_path / "one.db", "--workers", "1", *STAND_IN)
    err = run(inputs, tmp_path / "two.db", "--workers", "2", *SMALL_BATCHES, *CRASHING)
    assert "worker process died (killed by SIGKILL)" in err
    assert dump(tmp_path / "two.db") == dump(tmp_path / "one.db")


def test_run_scale_article_that_kills_every_worker_is_an_error_record(tmp_path: Path, wirecoder: Path) -> None:
    # story 23 kills each worker it reaches: its batch is retried, then split; it alone fails
    inputs = marked_inputs(tmp_path / "stories.jsonl", {23: "[kill every worker]"})
    err = run(inputs, tmp_path / "two.db", "--workers", "2", *SMALL_BATCHES, *CRASHING, expect=1)
    errors = [json.loads(line) for line in err.splitlines() if line.startswith('{"error"')]
    assert len(errors) == 1 and errors[0]["kind"] == "WorkerError" and "story-023" in errors[0]["item"]
    # the rest is stored as a run without that story stores it (events and reports; the
    # articles' paths name the two input files)
    without = tmp_path / "without.jsonl"
    without.write_text("".join(line + "\n" for line in inputs.read_text().splitlines() if "story-023" not in line))
    run(without, tmp_path / "one.db", "--workers", "1", *STAND_IN)
    two, one = dump(tmp_path / "two.db"), dump(tmp_path / "one.db")
    assert len(two["articles"]) == 39
    assert (two["events"], two["event_reports"]) == (one["events"], one["event_reports"])
    assert exported(tmp_path / "two.db") == exported(tmp_path / "one.db")


def children(pid: int) -> list[int]:
    found = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if int(fields[1]) == pid:
            found.append(int(stat.parent.name))
    return found


@pytest.mark.skipif(not Path("/proc").is_dir(), reason="reads the process table in /proc")
def test_run_scale_ctrl_c_stops_the_workers_and_exits_130(tmp_path: Path, wirecoder: Path) -> None:
    inputs = tmp_path / "stories.jsonl"
    write_inputs(inputs, 60)
    proc = subprocess.Popen([str(WIRECODER), "run", str(inputs), "--db", str(tmp_path / "w.db"), "--workers", "2",
                             *SMALL_BATCHES, "--set", 'pipeline.stages=["testing.keywords.slow"]'],
                            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    deadline, workers = time.monotonic() + 60, []
    while len(workers) < 2 and proc.poll() is None and time.monotonic() < deadline:
        workers = children(proc.pid)
        time.sleep(0.05)
    assert len(workers) == 2, "the run did not start two workers"
    proc.send_signal(signal.SIGINT)
    _, err = proc.communicate(timeout=60)
    assert proc.returncode == 130, err.decode()
    assert "Traceback" not in err.decode()
    time.sleep(0.2)
    alive = [pid for pid in workers if Path(f"/proc/{pid}").exists()
             and "Z" not in Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]]
    assert alive == []


# -- Dask -----------------------------------------------------------------------------------


def test_run_scale_dask_local_cluster_same_store_as_workers_1(tmp_path: Path, wirecoder: Path) -> None:
    pytest.importorskip("distributed", reason="the dask extra (make test installs it)")
    inputs = tmp_path / "stories.jsonl"
    write_inputs(inputs)
    run(inputs, tmp_path / "one.db", "--workers", "1", *STAND_IN)
    run(inputs, tmp_path / "dask.db", *DASK, *SMALL_BATCHES, *STAND_IN)
    assert dump(tmp_path / "dask.db") == dump(tmp_path / "one.db")


def test_run_scale_dask_worker_killed_same_store(tmp_path: Path, wirecoder: Path) -> None:
    # a Dask worker dies on story 7; the nanny restarts it, the scheduler runs the batch again
    pytest.importorskip("distributed", reason="the dask extra (make test installs it)")
    inputs = marked_inputs(tmp_path / "stories.jsonl", {7: kill_once()})
    run(inputs, tmp_path / "one.db", "--workers", "1", *STAND_IN)
    run(inputs, tmp_path / "dask.db", *DASK, *SMALL_BATCHES, *CRASHING)
    assert dump(tmp_path / "dask.db") == dump(tmp_path / "one.db")
    with Store.open(tmp_path / "dask.db", readonly=True) as store:
        assert store.counts()["articles"] == 40


def test_run_scale_dask_ctrl_c_exits_130_and_a_rerun_completes(tmp_path: Path, wirecoder: Path) -> None:
    pytest.importorskip("distributed", reason="the dask extra (make test installs it)")
    inputs = tmp_path / "stories.jsonl"
    write_inputs(inputs, 120)
    db = tmp_path / "dask.db"
    proc = subprocess.Popen([str(WIRECODER), "run", str(inputs), "--db", str(db), *DASK, *SMALL_BATCHES,
                             "--set", 'pipeline.stages=["testing.keywords.slow"]'],
                            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    deadline = time.monotonic() + 120
    while not (db.exists() and stored(db) >= 6) and proc.poll() is None and time.monotonic() < deadline:
        time.sleep(0.1)
    assert proc.poll() is None, "the run ended before it could be interrupted"
    proc.send_signal(signal.SIGINT)
    _, err = proc.communicate(timeout=120)
    assert proc.returncode == 130, err.decode()
    assert "Traceback" not in err.decode() and stored(db) < 120
    run(inputs, db, *DASK, *SMALL_BATCHES, *STAND_IN)
    run(inputs, tmp_path / "one.db", "--workers", "1", *STAND_IN)
    assert dump(db) == dump(tmp_path / "one.db")


def stored(db: Path) -> int:
    from test_run_crash import stored_articles

    return stored_articles(db)


def test_run_scale_dask_without_the_extra_exits_2_naming_it(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(sys.modules, "distributed", None)  # as if the extra were not installed
    inputs = tmp_path / "in.jsonl"
    inputs.write_text(json.dumps({"id": "a1", "text": "Rebels clashed with the army in Goma."}) + "\n")
    result = CliRunner().invoke(main, ["run", str(inputs), "--db", str(tmp_path / "w.db"), "--executor", "dask",
                                       *STAND_IN])
    assert result.exit_code == EXIT_USAGE, result.output
    assert "pip install 'wirecoder[dask]'" in result.output and "Traceback" not in result.output
    assert not (tmp_path / "w.db").exists()  # refused before the store was touched


def test_run_scale_scheduler_without_dask_is_a_usage_error(tmp_path: Path) -> None:
    result = CliRunner().invoke(main, ["run", "x.jsonl", "--db", str(tmp_path / "w.db"), "--scheduler", "tcp://h:8786"])
    assert result.exit_code == EXIT_USAGE and "--executor dask" in result.output


# -- the real pipeline -------------------------------------------------------------------


@pytest.mark.slow
def test_run_scale_real_pipeline_workers_and_dask_same_store_as_workers_1(tmp_path: Path, wirecoder: Path) -> None:
    # the real models on samples/ (8 articles, 7,700 characters): batches of about 2 articles
    pytest.importorskip("distributed", reason="the dask extra (make test installs it)")
    samples, batches = REPO / "samples", ("--set", "pipeline.batch_chars=1500")
    run(samples, tmp_path / "one.db", "--workers", "1")
    run(samples, tmp_path / "two.db", "--workers", "2", *batches)
    run(samples, tmp_path / "dask.db", *DASK, *batches)
    one = dump(tmp_path / "one.db")
    assert len(one["events"]) >= 3
    assert dump(tmp_path / "two.db") == one
    assert dump(tmp_path / "dask.db") == one


# -- Parquet output ----------------------------------------------------------------------


def test_run_scale_parquet_output_reads_back_as_the_store(tmp_path: Path, wirecoder: Path) -> None:
    duckdb = pytest.importorskip("duckdb", reason="the test extra")
    inputs = tmp_path / "stories.jsonl"
    write_inputs(inputs)
    db, out = tmp_path / "w.db", tmp_path / "parquet"
    options = ("--output-parquet", str(out), "--workers", "2", *SMALL_BATCHES, *STAND_IN,
               "--set", "store.parquet_articles_per_file=15")
    run(inputs, db, *options)

    def duck(sql: str) -> list[tuple[Any, ...]]:
        return duckdb.sql(sql.format(articles=f"read_parquet('{out}/articles/*/*.parquet', hive_partitioning=true)",
                                     reports=f"read_parquet('{out}/reports/*/*.parquet', hive_partitioning=true)")).fetchall()

    with Store.open(db, readonly=True) as store:
        counts = store.counts()
        stored_reports = sorted(r["report_id"] for e in store.events() for r in store.event_reports(e.id))
    assert duck("SELECT count(*), count(DISTINCT id) FROM {articles}") == [(40, 40)]
    assert sorted(r[0] for r in duck("SELECT id FROM {reports}")) == stored_reports
    assert duck("SELECT count(DISTINCT event_id) FROM {reports}") == [(counts["events"],)]
    assert {r[0] for r in duck("SELECT DISTINCT event_month FROM {reports}")} == {"2025-03"}
    # wirecoder export reads the folder: the same dataset as the store, in every format
    for fmt in ("jsonl", "acled-csv"):
        from_store, from_parquet = exported(db, fmt), exported(out, fmt)
        if fmt == "acled-csv":  # the timestamp column is when the store wrote the event
            from_store, from_parquet = (strip_timestamps(t) for t in (from_store, from_parquet))
        assert from_parquet == from_store

    # Idempotent: a rerun writes nothing new; a run stopped between the store's commit and
    # the file (one file lost here) is completed by the next, without a duplicate row.
    files = sorted(out.rglob("*.parquet"))
    run(inputs, db, *options)
    assert sorted(out.rglob("*.parquet")) == files
    files[0].unlink()
    run(inputs, db, *options)
    assert duck("SELECT count(*), count(DISTINCT id) FROM {articles}") == [(40, 40)]
    assert sorted(r[0] for r in duck("SELECT id FROM {reports}")) == stored_reports


def strip_timestamps(acled_csv: str) -> str:
    from test_determinism import without_timestamps

    return without_timestamps(acled_csv.encode()).decode()


# -- pieces ------------------------------------------------------------------------------------


def article(i: int, chars: int) -> Article:
    return Article(id=f"a{i}", paragraphs=["x" * chars])


@pytest.mark.parametrize(("sizes", "limit", "expected"), [
    # batches close before the limit would be passed
    ([400, 400, 400, 400], 1000, [2, 2]),
    # an article longer than the limit goes alone, and never waits for company
    ([300, 5000, 300], 1000, [1, 1, 1]),
    # many short ones fill one batch
    ([10] * 50, 1000, [50]),
])
def test_run_scale_batches_are_sized_by_characters(sizes: list[int], limit: int, expected: list[int]) -> None:
    batches = list(char_batches([article(i, n) for i, n in enumerate(sizes)], limit))
    assert [len(b) for b in batches] == expected
    assert [a.id for b in batches for a in b] == [f"a{i}" for i in range(len(sizes))]  # order kept


def test_run_scale_planned_stages_fail_on_a_typo_at_once_and_build_only_when_used() -> None:
    settings = load_settings(overrides=['pipeline.stages=["testing.keywords"]'])
    plan = plan_stages(settings)
    assert not plan.is_built and plan.names == ("testing.keywords",)
    assert type(plan[0]).__name__ == "KeywordCoder" and plan.is_built
    with pytest.raises(ConfigError, match="no stage named 'nlpp'"):
        plan_stages(load_settings(overrides=['pipeline.stages=["nlpp"]']))


@pytest.mark.parametrize("override", ["pipeline.workers=-1", "pipeline.batch_chars=0", "pipeline.worker_retries=-1"])
def test_run_scale_bad_executor_settings_exit_2(tmp_path: Path, override: str) -> None:
    # each names the key
    result = CliRunner().invoke(main, ["run", str(tmp_path / "none.jsonl"), "--db", str(tmp_path / "w.db"),
                                       "--set", override])
    assert result.exit_code == EXIT_USAGE, result.output
    assert override.split("=")[0] in result.output
    assert not (tmp_path / "w.db").exists()
