"""What a careless or hostile user can do to the store and to ``export --output``, as
they would type it: no traceback, one clear line naming the path, a status of 2 for a
refused store or output, and nothing harmed — no device or FIFO turned into a file, no
earlier export damaged, no temp file left behind, no other program's database touched,
no story lost to an id that another story already uses.

The commands run in a subprocess (``wirecoder`` beside this Python) with the rule-based
stand-in stage (``pipeline.stages = ["testing.keywords"]``), so each takes well under a second. The tests run
as root, which ignores folder permissions: "a user who cannot write here" is played by
``nobody`` (``setpriv``), and "a read-only file system" by a read-only bind mount in a
private mount namespace (``unshare -m``); each is skipped where that is not possible.
"""

from __future__ import annotations

import errno
import functools
import hashlib
import json
import multiprocessing
import os
import shutil
import sqlite3
import stat
import subprocess
import sys
import tempfile
import threading
from pathlib import Path
from typing import Iterator

import pytest
from click.testing import CliRunner

from wirecoder.cli import main
from wirecoder.store import Store
from wirecoder.store.schema import LATEST_VERSION

WIRECODER = Path(sys.executable).with_name("wirecoder")
STAND_IN = ["--set", 'pipeline.stages=["testing.keywords"]']  # for ``run``: no spaCy, fast
IS_ROOT = hasattr(os, "geteuid") and os.geteuid() == 0
NOBODY = 65534

STORIES = [
    {"id": "w1", "url": "https://wire.example/1", "title": "Violence in southern Syria", "published": "2025-03-04",
     "text": "Rebels clashed with the army in Dael on Tuesday, and 3 soldiers were killed, a monitor said."},
    {"id": "p1", "url": "https://paper.example/1", "title": "Shelling in Goma", "published": "2025-03-05",
     "text": "M23 rebels shelled Goma on 2025-03-04. Officials gave no toll for the shelling."},
]
OLD = "earlier export, must survive\n"
CLASH = "Rebels clashed with the army in Dael on 2025-03-04, and 3 soldiers were killed."
SHELLING = "M23 rebels shelled Goma on 2025-02-20. The shelling hit a market near the airport road."


def stories(*pairs: tuple[str, str]) -> str:
    return "".join(json.dumps({"id": id, "title": f"Report {n}", "published": "2025-03-05", "text": text}) + "\n"
                   for n, (id, text) in enumerate(pairs))


def wirecoder(*args: str, user: int | None = None, prefix: list[str] | None = None,
              **env: str) -> subprocess.CompletedProcess[str]:
    """``wirecoder ARGS…`` as a user types it; ``user`` runs it as that uid, ``prefix``
    wraps it (e.g. in a private mount namespace)."""
    if not WIRECODER.exists():
        pytest.skip(f"the wirecoder command is not installed beside {sys.executable}")
    command = [str(WIRECODER), *args, *(STAND_IN if args[:1] == ("run",) else [])]
    if user is not None:
        needs_wirecoder_runnable_by(user)
        command = ["setpriv", f"--reuid={user}", f"--regid={user}", "--clear-groups", *command]
    return subprocess.run([*(prefix or []), *command], env={**os.environ, **env}, capture_output=True,
                          text=True, timeout=120)


@functools.cache
def _runnable_by(user: int) -> str:
    """"" when ``user`` can start wirecoder, else what stopped it."""
    probe = subprocess.run(["setpriv", f"--reuid={user}", f"--regid={user}", "--clear-groups", sys.executable,
                            "-c", "import wirecoder"], capture_output=True, text=True, timeout=60)
    return "" if probe.returncode == 0 else (probe.stderr.strip().splitlines() or ["exit status"])[-1]


def needs_wirecoder_runnable_by(user: int) -> None:
    """These tests act as another user, who must be able to start wirecoder at all (a
    checkout inside a private folder, such as one made by ``mktemp -d``, is closed to
    them): otherwise what they would see is that folder's permission, not the store's."""
    why = _runnable_by(user)
    if why:
        pytest.skip(f"uid {user} cannot start wirecoder from {WIRECODER.parent} ({why})")


def assert_clean_failure(result: subprocess.CompletedProcess[str], *words: str) -> None:
    """Refused with status 2 in one message naming what was wrong; no traceback."""
    assert result.returncode == 2, (result.returncode, result.stdout, result.stderr)
    assert "Traceback" not in result.stderr and "internal error" not in result.stderr
    for word in words:
        assert word in result.stderr, (word, result.stderr)


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


@pytest.fixture()
def public_dir() -> Iterator[Path]:
    """A folder everyone may read but only root may write (``tmp_path`` sits in a
    folder only root may enter, which would hide everything from ``nobody``)."""
    path = Path(tempfile.mkdtemp(prefix="wirecoder-safety-"))
    path.chmod(0o755)
    yield path
    shutil.rmtree(path, ignore_errors=True)


def make_store(folder: Path) -> Path:
    inputs = folder / "stories.jsonl"
    inputs.write_text("".join(json.dumps(s) + "\n" for s in STORIES), encoding="utf-8")
    db = folder / "w.db"
    result = wirecoder("run", str(inputs), "--db", str(db))
    assert result.returncode == 0, result.stderr
    for path in folder.iterdir():
        path.chmod(0o644)
    return db


@pytest.fixture()
def store(public_dir: Path) -> Path:
    return make_store(public_dir)


def needs_root_tools(*tools: str) -> None:
    if not IS_ROOT:
        pytest.skip("needs root (to act as another user or mount a file system)")
    for tool in tools:
        if shutil.which(tool) is None:
            pytest.skip(f"{tool} is not installed")


# -- export --output onto special files --------------------------------------------------


def device(path: Path, minor: int) -> Path:
    """A private copy of /dev/null (minor 3) or /dev/full (minor 7): the old export
    replaced its output with a regular file, so the real ones must not be used."""
    if not IS_ROOT:
        pytest.skip("making a device node needs root")
    try:
        os.mknod(path, 0o666 | stat.S_IFCHR, os.makedev(1, minor))
    except OSError as exc:
        pytest.skip(f"cannot make a device node here: {exc}")
    return path


def test_export_to_a_device_writes_through_it(store: Path, tmp_path: Path) -> None:
    # `--output /dev/null` as root turned /dev/null into a regular file
    null = device(tmp_path / "null", 3)
    result = wirecoder("export", "--db", str(store), "--format", "acled-csv", "--output", str(null))
    assert result.returncode == 0, result.stderr
    assert stat.S_ISCHR(null.stat().st_mode)
    # no provenance beside a device (it would land in /dev), and nothing left over
    assert sorted(p.name for p in tmp_path.iterdir()) == ["null"]


def test_export_to_a_fifo_streams_into_it(store: Path, tmp_path: Path) -> None:
    # a named pipe read by another program became a regular file nobody reads
    fifo = tmp_path / "events.pipe"
    os.mkfifo(fifo)
    received: list[bytes] = []
    reader = threading.Thread(target=lambda: received.append(fifo.read_bytes()), daemon=True)
    reader.start()
    result = wirecoder("export", "--db", str(store), "--format", "jsonl", "--output", str(fifo))
    reader.join(timeout=30)
    assert result.returncode == 0, result.stderr
    assert stat.S_ISFIFO(fifo.stat().st_mode)
    assert {json.loads(line)["article_id"] for line in received[0].decode().splitlines()} == {"w1", "p1"}
    assert sorted(p.name for p in tmp_path.iterdir()) == ["events.pipe"]


def test_export_through_a_symlink_replaces_its_target(store: Path, tmp_path: Path) -> None:
    # `latest.csv -> releases/2025-03.csv`: the link became a regular file and the
    # release it named kept its stale content
    releases = tmp_path / "releases"
    releases.mkdir()
    target = releases / "2025-03.csv"
    target.write_text(OLD)
    target.chmod(0o640)
    link = tmp_path / "latest.csv"
    link.symlink_to(Path("releases") / "2025-03.csv")
    result = wirecoder("export", "--db", str(store), "--format", "acled-csv", "--output", str(link))
    assert result.returncode == 0, result.stderr
    assert link.is_symlink() and os.readlink(link) == str(Path("releases") / "2025-03.csv")
    assert target.read_text().startswith("event_id_cnty,")
    assert stat.S_IMODE(target.stat().st_mode) == 0o640  # a replaced file keeps its permissions
    assert sorted(p.name for p in releases.iterdir()) == ["2025-03.csv"]  # no temp file left


# -- export --output that cannot be written ----------------------------------------------


def long_name(tmp_path: Path) -> Path:
    return tmp_path / ("x" * 300 + ".csv")


def name_fits_but_provenance_does_not(tmp_path: Path) -> Path:
    return tmp_path / ("y" * 245 + ".csv")


def a_file_as_folder(tmp_path: Path) -> Path:
    (tmp_path / "notes.txt").write_text("a file, not a folder\n")
    return tmp_path / "notes.txt" / "out.csv"


def full_device(tmp_path: Path) -> Path:
    return device(tmp_path / "full", 7)


def symlink_loop(tmp_path: Path) -> Path:
    (tmp_path / "a.csv").symlink_to("b.csv")
    (tmp_path / "b.csv").symlink_to("a.csv")
    return tmp_path / "a.csv"


@pytest.mark.parametrize(
    ("make_output", "reason"),
    [
        # a name longer than the file system allows: was an OSError traceback
        (long_name, "too long"),
        # the data file fits but its provenance does not: must fail before writing either
        (name_fits_but_provenance_does_not, "too long"),
        # a path through a regular file: was a NotADirectoryError traceback
        (a_file_as_folder, "not a folder"),
        # a device that is always full (/dev/full): the old export replaced it with a file
        (full_device, "no space left"),
        # two links naming each other: was a traceback
        (symlink_loop, "symbolic links"),
    ],
)
def test_export_to_an_unwritable_path_is_one_clear_line(store: Path, tmp_path: Path, make_output,
                                                        reason: str) -> None:
    output = make_output(tmp_path)
    before = sorted(p.name for p in tmp_path.iterdir())
    result = wirecoder("export", "--db", str(store), "--format", "acled-csv", "--output", str(output))
    assert_clean_failure(result, "cannot write", output.name, reason)
    assert len(result.stderr.strip().splitlines()) == 1
    assert sorted(p.name for p in tmp_path.iterdir()) == before


def test_export_disk_full_keeps_the_earlier_file(store: Path, tmp_path: Path,
                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    # the disk fills half-way through: the earlier export must stay whole and no
    # partial file stay behind (in-process, with the write failing as ENOSPC would)
    import wirecoder.export as export

    def fills_up(*args: object) -> list[object]:
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(export, "_acled_row", fills_up)  # after the header, at the first row
    out = tmp_path / "syria.csv"
    out.write_text(OLD)
    Path(f"{out}.provenance.json").write_text("{}\n")
    result = CliRunner().invoke(main, ["export", "--db", str(store), "--format", "acled-csv", "--output", str(out)])
    assert result.exit_code == 2, result.output
    assert "cannot write" in result.output and "syria.csv" in result.output and "no space left" in result.output
    assert "Traceback" not in result.output
    assert out.read_text() == OLD and Path(f"{out}.provenance.json").read_text() == "{}\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["syria.csv", "syria.csv.provenance.json"]


def test_export_onto_a_full_file_system_keeps_the_earlier_file(store: Path, tmp_path: Path) -> None:
    # the same on a real 8 KiB file system (in a private mount namespace): the events fit,
    # their provenance does not, so neither replaces the earlier pair
    needs_root_tools("unshare", "mount")
    inputs = tmp_path / "many.jsonl"
    inputs.write_text(stories(*((f"s{i}", f"{CLASH} Story {i} of the day.") for i in range(40)),
                              *((f"g{i}", f"{SHELLING} Report {i}.") for i in range(40))))
    big = tmp_path / "big.db"
    assert wirecoder("run", str(inputs), "--db", str(big)).returncode == 0
    small = tmp_path / "small"
    small.mkdir()
    script = (f'mount -t tmpfs -o size=8k tmpfs "{small}" || exit 99; echo "{OLD.strip()}" > "{small}/out.jsonl"; '
              f'"{WIRECODER}" export --db "{big}" --format jsonl --include-noncurrent --output "{small}/out.jsonl"; '
              f'echo "status=$?"; ls -A "{small}"; cat "{small}/out.jsonl"')
    result = subprocess.run(["unshare", "-m", "sh", "-c", script], env=dict(os.environ), capture_output=True,
                            text=True, timeout=120)
    if "status=" not in result.stdout:
        pytest.skip(f"cannot mount a small tmpfs here: {result.stderr.strip()}")
    assert "status=2" in result.stdout, result.stdout + result.stderr
    assert "no space left" in result.stderr and "out.jsonl" in result.stderr and "Traceback" not in result.stderr
    assert result.stdout.split("status=2\n")[1] == f"out.jsonl\n{OLD}"  # the old file alone, as it was


def test_export_into_a_folder_the_user_cannot_write(store: Path, public_dir: Path) -> None:
    # a user exporting into a folder that is not theirs: was a PermissionError traceback
    needs_root_tools("setpriv")
    output = public_dir / "out.csv"
    before = sorted(p.name for p in public_dir.iterdir())
    result = wirecoder("export", "--db", str(store), "--format", "acled-csv", "--output", str(output), user=NOBODY)
    assert_clean_failure(result, "cannot write", str(output), "permission denied")
    assert sorted(p.name for p in public_dir.iterdir()) == before


# -- the store -------------------------------------------------------------------------


def foreign_db(folder: Path) -> Path:
    """Another program's SQLite database (rollback journal, a table of its own)."""
    path = folder / "notes.db"
    conn = sqlite3.connect(path)
    conn.execute("CREATE TABLE notes (id INTEGER PRIMARY KEY, body TEXT)")
    conn.execute("INSERT INTO notes(body) VALUES ('remember the milk')")
    conn.commit()
    conn.close()
    return path


def text_file(folder: Path) -> Path:
    path = folder / "notes.db"
    path.write_text("these are not the tables you are looking for\n" * 100)
    return path


def newer_store(folder: Path) -> Path:
    """A store a later wirecoder wrote (one schema version ahead)."""
    path = make_store(folder)
    conn = sqlite3.connect(path)
    conn.execute("INSERT INTO schema_version VALUES (?, 'future')", (LATEST_VERSION + 1,))
    conn.commit()
    conn.close()
    return path


@pytest.mark.parametrize(
    ("make_db", "command", "message"),
    [
        # `run --db` on another program's database added wirecoder's tables and switched it to WAL
        (foreign_db, "run", "another program's SQLite database"),
        # a text file: SQLite's "file is not a database" now says what the file is
        (text_file, "run", "not a SQLite database"),
        # ...and the same for reading it
        (text_file, "export", "not a SQLite database"),
        # export read a store of a newer schema as if it knew it (IndexError, or wrong data)
        (newer_store, "export", "newer than this wirecoder"),
        # ...and so did explain
        (newer_store, "explain", "newer than this wirecoder"),
    ],
)
def test_a_store_wirecoder_must_not_use_is_refused_untouched(public_dir: Path, make_db, command: str,
                                                             message: str) -> None:
    db = make_db(public_dir)
    inputs = public_dir / "more.jsonl"
    inputs.write_text(json.dumps(STORIES[0]) + "\n")
    before = {p.name: digest(p) for p in public_dir.iterdir()}
    args = {"run": ["run", str(inputs)], "export": ["export", "--format", "jsonl"], "explain": ["explain", "e1"]}
    result = wirecoder(*args[command], "--db", str(db))
    assert_clean_failure(result, message, str(db))
    after = {p.name: digest(p) for p in public_dir.iterdir()}
    # byte for byte as it was; and no -wal or -shm file beside a file that is no store
    # (reading a WAL store, even to refuse it, makes SQLite's index files beside it)
    assert {name: after[name] for name in before} == before
    assert make_db is newer_store or set(after) == set(before)


def open_fresh(path: str, barrier: multiprocessing.synchronize.Barrier, results: multiprocessing.Queue) -> None:
    barrier.wait()
    try:
        with Store.open(path) as store:
            store.start_run(store_settings(), ["-"], "test")
        results.put("ok")
    except Exception as exc:  # noqa: BLE001 - the test reports what went wrong
        results.put(f"{type(exc).__name__}: {exc}")


def store_settings():
    from wirecoder.settings import Settings

    return Settings()


def test_runs_starting_together_on_a_fresh_store_all_succeed(tmp_path: Path) -> None:
    # two `wirecoder run`s started at once on a new store raced in migration
    # ("table runs already exists"); eight at once, three times, must all get through
    context = multiprocessing.get_context("fork")
    outcomes: list[str] = []
    for trial in range(3):
        path = str(tmp_path / f"fresh{trial}.db")
        barrier, results = context.Barrier(8), context.Queue()
        workers = [context.Process(target=open_fresh, args=(path, barrier, results)) for _ in range(8)]
        for worker in workers:
            worker.start()
        for worker in workers:
            worker.join(timeout=60)
        outcomes += [results.get(timeout=5) for _ in workers]
        with Store.open(path, readonly=True) as store:
            assert len(store.runs()) == 8
    assert outcomes == ["ok"] * 24


def test_export_from_a_folder_the_user_cannot_write(store: Path) -> None:
    # a store in a shared, read-only folder: SQLite's WAL index needs the folder, so
    # the read-only open failed ("attempt to write a readonly database")
    needs_root_tools("setpriv")
    before = {p.name: digest(p) for p in store.parent.iterdir()}
    result = wirecoder("export", "--db", str(store), "--format", "jsonl", user=NOBODY)
    assert result.returncode == 0, result.stderr
    assert {json.loads(line)["article_id"] for line in result.stdout.splitlines()} == {"w1", "p1"}
    explained = wirecoder("explain", json.loads(result.stdout.splitlines()[0])["id"], "--db", str(store), user=NOBODY)
    assert explained.returncode == 0 and "Reported by 1 article(s)" in explained.stdout, explained.stderr
    assert {p.name: digest(p) for p in store.parent.iterdir()} == before


def test_a_pending_log_in_a_folder_the_user_cannot_write_is_refused(store: Path) -> None:
    # a run killed before its log was merged, copied without SQLite's index (-shm) into a
    # folder the user cannot write: SQLite cannot rebuild the index there, and opening
    # the file as immutable would silently skip the log's transactions, so it is refused
    needs_root_tools("setpriv")
    killed = ("import os, sqlite3, sys; conn = sqlite3.connect(sys.argv[1]); "
              "conn.execute('PRAGMA wal_autocheckpoint=0'); "
              "conn.execute(\"UPDATE articles SET headline = 'changed'\"); conn.commit(); os._exit(0)")
    subprocess.run([sys.executable, "-c", killed, str(store)], check=True)
    wal = Path(f"{store}-wal")
    assert wal.stat().st_size > 0
    Path(f"{store}-shm").unlink()
    for path in store.parent.iterdir():
        path.chmod(0o644)
    result = wirecoder("export", "--db", str(store), "--format", "jsonl", user=NOBODY)
    assert_clean_failure(result, str(store), "write-ahead log")


def test_export_from_a_read_only_file_system(store: Path) -> None:
    # the same for root, on a read-only mount (a snapshot, a read-only volume)
    needs_root_tools("unshare", "mount")
    for leftover in store.parent.glob("w.db-*"):  # as a cleanly closed store: no WAL files
        leftover.unlink()
    folder = str(store.parent)
    mount_ro = ["unshare", "-m", "sh", "-c", f'mount --bind "{folder}" "{folder}" && '
                f'mount -o remount,bind,ro "{folder}" && exec "$0" "$@"']
    probe = subprocess.run([*mount_ro, "true"], capture_output=True, text=True)
    if probe.returncode != 0:
        pytest.skip(f"cannot make a read-only bind mount here: {probe.stderr.strip()}")
    result = wirecoder("export", "--db", str(store), "--format", "jsonl", prefix=mount_ro)
    assert result.returncode == 0, result.stderr
    assert {json.loads(line)["article_id"] for line in result.stdout.splitlines()} == {"w1", "p1"}


# -- a story under an id another story already uses --------------------------------------


def stored_articles(db: Path) -> list[tuple[str, str]]:
    conn = sqlite3.connect(db)
    try:
        return sorted(conn.execute("SELECT id, headline FROM articles").fetchall())
    finally:
        conn.close()


@pytest.mark.parametrize(
    ("first_run", "second_run"),
    [
        # a later feed reuses an id already stored: the new story was skipped as "already stored"
        (stories(("7", CLASH)), stories(("7", SHELLING))),
        # two feeds in one run both number their items from 1: the second was taken for a copy
        (stories(("1", CLASH), ("1", SHELLING)), ""),
    ],
)
def test_a_different_story_under_a_used_id_is_kept(tmp_path: Path, first_run: str, second_run: str) -> None:
    db = tmp_path / "w.db"
    outputs = []
    for n, text in enumerate(x for x in (first_run, second_run) if x):
        inputs = tmp_path / f"run{n}.jsonl"
        inputs.write_text(text)
        outputs.append(wirecoder("run", str(inputs), "--db", str(db)))
        assert outputs[-1].returncode == 0, outputs[-1].stderr
    articles = stored_articles(db)
    assert len(articles) == 2, articles
    kept, derived = articles
    # the first keeps its id; the second gets its id plus its own content id, and a warning says so
    assert derived[0].startswith(f"{kept[0]}~") and len(derived[0]) == len(kept[0]) + 17
    assert f"stored as '{derived[0]}'" in outputs[-1].stderr
    # the derived id depends on the story only: running everything again changes nothing
    before = {p.name: p for p in tmp_path.glob("run*.jsonl")}
    again = wirecoder("run", *map(str, before.values()), "--db", str(db))
    assert again.returncode == 0, again.stderr
    assert stored_articles(db) == articles and "0 new" in again.stderr


def test_the_same_story_under_its_id_is_still_already_stored(tmp_path: Path) -> None:
    # the id check compares stories the way extract does (case and layout do not count)
    db = tmp_path / "w.db"
    first, second = tmp_path / "a.jsonl", tmp_path / "b.jsonl"
    first.write_text(stories(("7", CLASH)))
    second.write_text(stories(("7", CLASH.replace(" ", "  ").upper())))
    assert wirecoder("run", str(first), "--db", str(db)).returncode == 0
    again = wirecoder("run", str(second), "--db", str(db))
    assert again.returncode == 0 and "1 already stored" in again.stderr, again.stderr
    assert [a[0] for a in stored_articles(db)] == ["7"]
