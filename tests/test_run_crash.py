"""A ``wirecoder run`` killed with SIGKILL half-way, then run again, ends with the same
store as an uninterrupted run. The run uses the rule-based stand-in stage
(``testing.keywords``), in its slowed-down form when the kill must land mid-run."""

from __future__ import annotations

import json
import random
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

from wirecoder.store import Store

WIRECODER = Path(sys.executable).with_name("wirecoder")
TOWNS = ["Dael", "Jasem", "Nawa", "Goma", "Sake"]
WORDS = ("market road school water bridge council harvest river lorry clinic radio village mayor "
         "checkpoint convoy fuel bakery mosque church hill farm wells grain power station").split()


def write_inputs(path: Path, n: int = 40) -> None:
    """``n`` distinct made-up stories: a clash in one of five towns over four days, so
    that many of them merge across articles."""
    rng = random.Random(7)
    with path.open("w", encoding="utf-8") as handle:
        for i in range(n):
            town = TOWNS[i % len(TOWNS)]
            day = 1 + (i // 10)
            filler = " ".join(rng.choice(WORDS) for _ in range(60))
            text = (f"Rebels clashed with the army in {town} on 2025-03-0{day}, and {i % 4} soldiers were killed. "
                    f"Story {i} adds: {filler}.")
            handle.write(json.dumps({"id": f"story-{i:03d}", "url": f"https://news.example/{i}",
                                     "title": f"Report {i} from {town}", "published": f"2025-03-0{day + 1}",
                                     "text": text}) + "\n")


def stored_articles(db: Path) -> int:
    try:
        conn = sqlite3.connect(f"file:{db}?mode=ro", uri=True, timeout=1)
        try:
            return int(conn.execute("SELECT COUNT(*) FROM articles").fetchone()[0])
        finally:
            conn.close()
    except sqlite3.Error:
        return 0


def wirecoder_run(inputs: Path, db: Path, slow: bool = False) -> subprocess.Popen[bytes]:
    stage = "testing.keywords.slow" if slow else "testing.keywords"  # slow: 0.1 s per article
    return subprocess.Popen([str(WIRECODER), "run", str(inputs), "--db", str(db), "--set", f'pipeline.stages=["{stage}"]'],
                            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)


@pytest.mark.slow
def test_sigkilled_run_resumes_to_the_same_store(tmp_path: Path) -> None:
    if not WIRECODER.exists():
        pytest.skip(f"the wirecoder command is not installed beside {sys.executable}")
    try:
        import wirecoder.stages.extract  # noqa: F401
    except ImportError as exc:
        pytest.skip(f"extract is not available yet: {exc}")
    inputs = tmp_path / "stories.jsonl"
    write_inputs(inputs)

    whole = tmp_path / "whole.db"
    done = wirecoder_run(inputs, whole)
    assert done.wait(timeout=120) == 0, done.stderr.read().decode() if done.stderr else ""

    killed = tmp_path / "killed.db"
    proc = wirecoder_run(inputs, killed, slow=True)
    deadline = time.monotonic() + 60
    while stored_articles(killed) < 8 and proc.poll() is None and time.monotonic() < deadline:
        time.sleep(0.02)
    assert proc.poll() is None, "the run finished before it could be killed; raise the delay"
    proc.send_signal(signal.SIGKILL)
    proc.wait(timeout=10)
    partial = stored_articles(killed)
    assert 8 <= partial < 40

    resumed = wirecoder_run(inputs, killed)
    _, err = resumed.communicate(timeout=120)
    assert resumed.returncode == 0, err.decode()
    assert f"{partial} already stored" in err.decode()

    with Store.open(whole, readonly=True) as a, Store.open(killed, readonly=True) as b:
        assert b.canonical_dump() == a.canonical_dump()
        assert a.counts()["events"] < a.counts()["event_reports"]  # merges did happen
        statuses = [r["status"] for r in b.runs()]
    assert statuses == ["running", "finished"]  # the killed run is visible as never finished
