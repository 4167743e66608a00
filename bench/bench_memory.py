"""Peak memory and time of ``wirecoder run`` on inputs that are one huge article
(issue 11): a text dump holding a single 200 MB article, and one flat 50 MB HTML page
(its body a long run of sibling paragraphs); for comparison, one JSONL line whose
text field is the 200 MB article. Also the time of ``wirecoder extract`` on
hard-wrapped text (one paragraph wrapped into short lines), which must grow linearly.

Each input is generated in a temporary directory, never kept. Each command runs in its
own process; its peak RSS is the ``ru_maxrss`` that ``os.wait4`` reports for that
process alone, and a watchdog kills it above ``--limit-gb`` (the machine is shared).
An article over ``nlp.max_article_chars`` is refused, naming it, and the run exits 1:
that is expected here; what is measured is memory, time and the absence of a
traceback.

    .venv/bin/python bench/bench_memory.py [--runs 3] [--stages real|stand-in|both]
        [--dump-mb 200] [--html-mb 50] [--wrapped-mb 1,2,4] [--limit-gb 4]

``--stages stand-in`` runs the rule-based stand-in of the analysis stages
(the stage ``testing.keywords``): no spaCy, no models, so the
figure is what reading, identifying and storing the input cost.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass
from pathlib import Path

WIRECODER = Path(sys.executable).with_name("wirecoder")
STAND_IN = ["--set", 'pipeline.stages=["testing.keywords"]']
MB = 1_000_000

ACTORS = ["Rebel fighters", "Government troops", "Local militias", "Armed men", "Police officers", "Protesters"]
VERBS = ["attacked", "shelled", "surrounded", "entered", "left", "raided", "marched through"]
PLACES = ["the northern district", "a village near the river", "the main market", "an army post",
          "the provincial capital", "a camp for displaced people"]
TIMES = ["on Monday", "late on Tuesday", "before dawn", "over the weekend", "at midday", "during the night"]
WRAP_WORDS = ("market road school water bridge council harvest river lorry clinic radio village mayor "
              "checkpoint convoy fuel bakery mosque church hill farm wells grain power station").split()


def sentences(rng: random.Random, count: int) -> list[str]:
    return [f"{rng.choice(ACTORS)} {rng.choice(VERBS)} {rng.choice(PLACES)} {rng.choice(TIMES)}, "
            f"witnesses said in report {n}." for n in range(count)]


def paragraphs(size: int, seed: int = 11):
    """Distinct paragraphs of made-up sentences until ``size`` characters are out."""
    rng = random.Random(seed)
    pool = sentences(rng, 5000)
    written, number = 0, 0
    while written < size:
        number += 1
        paragraph = f"Paragraph {number}: " + " ".join(rng.choice(pool) for _ in range(5))
        written += len(paragraph) + 2
        yield paragraph


def write_dump(path: Path, size: int) -> None:
    """One article: a headline, then blank-line separated paragraphs of sentences."""
    with path.open("w", encoding="utf-8") as out:
        out.write("Fighting Reported Across The Northern District\n\n")
        for paragraph in paragraphs(size):
            out.write(paragraph + "\n\n")


def write_jsonl(path: Path, size: int) -> None:
    """One JSON line whose ``text`` field is the whole 200 MB article."""
    with path.open("w", encoding="utf-8") as out:
        out.write('{"id": "huge-1", "title": "Fighting Reported Across The Northern District", "text": "')
        for number, paragraph in enumerate(paragraphs(size)):
            out.write(("\\n\\n" if number else "") + json.dumps(paragraph)[1:-1])
        out.write('"}\n')


def write_html(path: Path, size: int) -> None:
    """A flat page: a title, a headline and sibling <p> elements, no nesting."""
    with path.open("w", encoding="utf-8") as out:
        out.write("<!DOCTYPE html><html><head><meta charset=\"utf-8\">"
                  "<title>Fighting Reported Across The Northern District</title></head><body><article>"
                  "<h1>Fighting Reported Across The Northern District</h1>\n")
        for paragraph in paragraphs(size):
            out.write(f"<p>{paragraph}</p>\n")
        out.write("</article></body></html>\n")


def write_wrapped(path: Path, size: int) -> None:
    """One paragraph hard-wrapped into lines of eleven lower-case words, with no
    punctuation at the line ends: every line continues the one above it."""
    rng = random.Random(5)
    with path.open("w", encoding="utf-8") as out:
        out.write("Hard Wrapped Report From The River Towns\n\n")
        written = 0
        while written < size:
            line = " ".join(rng.choice(WRAP_WORDS) for _ in range(11))
            out.write(line + "\n")
            written += len(line) + 1


@dataclass
class Measure:
    seconds: float
    peak_mb: float
    returncode: int
    traceback: bool
    killed: bool
    tail: str


def measure(command: list[str], env: dict[str, str], limit_mb: float) -> Measure:
    """Run ``command``; its wall time, its own peak RSS (``os.wait4``) and whether it
    printed a traceback. The watchdog kills it when its RSS passes ``limit_mb``."""
    started = time.perf_counter()
    with tempfile.TemporaryFile() as err:
        proc = subprocess.Popen(command, env=env, stdout=subprocess.DEVNULL, stderr=err)
        killed = threading.Event()
        done = threading.Event()

        def watch() -> None:
            status = Path(f"/proc/{proc.pid}/status")
            while not done.wait(0.1):
                try:
                    rss_kb = next(int(line.split()[1]) for line in status.read_text().splitlines() if line.startswith("VmRSS:"))
                except (OSError, StopIteration, ValueError):
                    return
                if rss_kb / 1024 > limit_mb:
                    killed.set()
                    proc.kill()
                    return

        watcher = threading.Thread(target=watch, daemon=True)
        watcher.start()
        _pid, status, usage = os.wait4(proc.pid, 0)
        done.set()
        watcher.join()
        proc.returncode = os.waitstatus_to_exitcode(status)  # reaped here, not by Popen
        seconds = time.perf_counter() - started
        err.seek(0)
        stderr = err.read().decode("utf-8", "replace")
    tail = " | ".join(line.strip() for line in stderr.strip().splitlines()[-4:])
    return Measure(seconds, usage.ru_maxrss / 1024, proc.returncode, "Traceback" in stderr, killed.is_set(), tail)


def report(name: str, results: list[Measure]) -> None:
    peak = statistics.median(r.peak_mb for r in results)
    seconds = statistics.median(r.seconds for r in results)
    flags = {f"exit {r.returncode}" for r in results}
    if any(r.traceback for r in results):
        flags.add("TRACEBACK")
    if any(r.killed for r in results):
        flags.add("KILLED above the limit")
    print(f"{name:<44} peak RSS {peak:8.0f} MiB (runs: {', '.join(f'{r.peak_mb:.0f}' for r in results)})  "
          f"time {seconds:7.1f} s  [{'; '.join(sorted(flags))}]", flush=True)
    print(f"{'':<44} stderr: {results[-1].tail[:300]}", flush=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--stages", choices=["real", "stand-in", "both"], default="both")
    parser.add_argument("--dump-mb", type=float, default=200)
    parser.add_argument("--html-mb", type=float, default=50)
    parser.add_argument("--wrapped-mb", default="1,2,4", help="sizes of hard-wrapped text, comma-separated; empty: skip")
    parser.add_argument("--limit-gb", type=float, default=4.0, help="kill a run whose RSS passes this")
    parser.add_argument("--only", choices=["baseline", "dump", "jsonl", "html", "wrapped"], action="append",
                        help="run only these cases (repeatable)")
    args = parser.parse_args()
    if not WIRECODER.exists():
        sys.exit(f"the wirecoder command is not installed beside {sys.executable}")
    cases = set(args.only or ["baseline", "dump", "jsonl", "html", "wrapped"])
    limit_mb = args.limit_gb * 1024
    variants = {"real": ["real"], "stand-in": ["stand-in"], "both": ["stand-in", "real"]}[args.stages]

    with tempfile.TemporaryDirectory(prefix="wirecoder-bench-memory-") as tmp:
        folder = Path(tmp)
        inputs: list[tuple[str, Path]] = []
        if "baseline" in cases:
            tiny = folder / "tiny.txt"
            write_dump(tiny, 2_000)
            inputs.append(("baseline: one 2 KB article", tiny))
        if "dump" in cases:
            dump = folder / "one-article.txt"
            write_dump(dump, int(args.dump_mb * MB))
            inputs.append((f"text dump, one {dump.stat().st_size / MB:.0f} MB article", dump))
        if "jsonl" in cases:
            line = folder / "one-line.jsonl"
            write_jsonl(line, int(args.dump_mb * MB))
            inputs.append((f"JSONL, one {line.stat().st_size / MB:.0f} MB line", line))
        if "html" in cases:
            page = folder / "flat.html"
            write_html(page, int(args.html_mb * MB))
            inputs.append((f"flat HTML page, {page.stat().st_size / MB:.0f} MB", page))
        print(f"inputs generated in {folder}; {args.runs} run(s) each; medians; load average "
              f"{os.getloadavg()[0]:.1f}", flush=True)

        for variant in variants if inputs else []:
            env = dict(os.environ)
            chosen = STAND_IN if variant == "stand-in" else []
            print(f"\n== wirecoder run, {variant} stages ==", flush=True)
            for name, path in inputs:
                results = []
                for number in range(args.runs):
                    db = folder / f"store-{variant}-{path.stem}-{number}.db"
                    results.append(measure([str(WIRECODER), "run", str(path), "--db", str(db), *chosen], env, limit_mb))
                    db.unlink(missing_ok=True)
                report(name, results)

        sizes = [float(s) for s in args.wrapped_mb.split(",") if s.strip()] if "wrapped" in cases else []
        if sizes:
            print("\n== wirecoder extract, hard-wrapped text (one paragraph) ==", flush=True)
        for size in sizes:
            wrapped = folder / f"wrapped-{size:g}.txt"
            write_wrapped(wrapped, int(size * MB))
            results = [measure([str(WIRECODER), "extract", str(wrapped)], dict(os.environ), limit_mb) for _ in range(args.runs)]
            report(f"hard-wrapped {size:g} MB", results)
            wrapped.unlink()


if __name__ == "__main__":
    main()
