"""Scale-out of ``wirecoder run``: articles per second end to end on the VOA corpus (or,
with ``--corpus mixed``, the VOA stories and the scrapinghub pages: conflict and general
news, as real feeds mix them) for each executor, against plain spaCy ``en_core_web_sm`` over the same texts in the same
sitting.

Configurations (each a fresh ``wirecoder run`` process into a fresh store, model loading
and worker start-up included; medians of ``--runs``):

- ``serial``             ``--executor serial``: everything in one process
- ``workers 1``          ``--workers 1``: the processes executor, in this process
- ``workers 2``          ``--workers 2``: two worker processes, one thread each
- ``dask 1`` / ``dask 2``  ``--executor dask --workers N``: a LocalCluster of N workers
- ``spaCy sm``           ``nlp.pipe`` over the same texts, all components, one process

Peak memory is the largest total RSS of the run's whole process tree (the run and its
workers, sampled every 0.2 s with psutil), since one process's peak says nothing of
its workers. Start-up is measured as a run over the corpus's first story alone; the
steady per-article cost of one worker is (full run - start-up) / (articles - 1).

    nice .venv/bin/python bench/bench_scale.py [--runs 3] [--only serial,workers 2] [--corpus mixed]

Prints JSON; docs/benchmarks.md (``## scale-out``) quotes it with the machine's state.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

import psutil

REPO = Path(__file__).resolve().parents[1]
CORPUS = REPO.parent / "shared" / "data" / "corpus" / "voa_stories.jsonl"
WIRECODER = [sys.executable, "-m", "wirecoder.cli"]

CONFIGS: dict[str, list[str]] = {
    "serial": ["--executor", "serial"],
    "workers 1": ["--workers", "1"],
    "workers 2": ["--workers", "2"],
    "dask 1": ["--executor", "dask", "--workers", "1"],
    "dask 2": ["--executor", "dask", "--workers", "2"],
}

SPACY_ONLY = """
import json, sys
from wirecoder.settings import load_settings
from wirecoder.stages.nlp import load_spacy
settings = load_settings()
nlp = load_spacy(settings.nlp.model)
texts = [json.loads(line)["text"] for line in open(sys.argv[1], encoding="utf-8") if line.strip()]
for _ in nlp.pipe(texts, batch_size=settings.nlp.batch_size):
    pass
"""


def tree_rss(process: psutil.Process) -> int:
    total = 0
    for p in [process, *process.children(recursive=True)]:
        try:
            total += p.memory_info().rss
        except psutil.Error:
            pass
    return total


def timed(argv: list[str]) -> tuple[float, int, str]:
    """Wall seconds, peak total RSS of the process tree (MiB), stderr."""
    started = time.perf_counter()
    proc = subprocess.Popen(argv, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    peak = 0
    watched = psutil.Process(proc.pid)
    stop = threading.Event()

    def sample() -> None:
        nonlocal peak
        while not stop.is_set():
            try:
                peak = max(peak, tree_rss(watched))
            except psutil.Error:
                pass
            stop.wait(0.2)

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    _, err = proc.communicate()
    seconds = time.perf_counter() - started
    stop.set()
    sampler.join()
    if proc.returncode not in (0, 1):
        raise SystemExit(f"{' '.join(argv)} failed ({proc.returncode}):\n{err[-3000:]}")
    return seconds, peak // (1024 * 1024), err


def corpus_lines(which: str) -> list[str]:
    """The corpus as JSON Lines that ``wirecoder run`` reads: the VOA file's own lines, or
    for ``mixed`` those and the scrapinghub pages as the HTML extractor reads them
    (``bench/_corpus.py``), one ``{"id", "title", "text", "published"}`` object each."""
    if not CORPUS.exists():
        raise SystemExit(f"corpus absent: {CORPUS}")
    if which == "voa":
        return [line for line in CORPUS.read_text(encoding="utf-8").splitlines() if line.strip()]
    sys.path.insert(0, str(Path(__file__).resolve().parent))
    from _corpus import load_mixed_articles

    articles = load_mixed_articles()
    if articles is None:
        raise SystemExit("mixed corpus absent")
    return [json.dumps({"id": a.id, "title": a.headline, "text": "\n\n".join(a.paragraphs),
                        "published": a.published.date if a.published else None}, ensure_ascii=False)
            for a in articles]


def measure(name: str, argv_for, runs: int) -> dict[str, object]:
    times, peaks = [], []
    for i in range(runs):
        with tempfile.TemporaryDirectory() as tmp:
            seconds, peak, _ = timed(argv_for(Path(tmp)))
        times.append(seconds)
        peaks.append(peak)
        print(f"  {name} run {i + 1}: {seconds:.2f} s, peak tree RSS {peak} MiB, load {os.getloadavg()[0]:.1f}",
              file=sys.stderr, flush=True)
    return {"median_s": round(statistics.median(times), 2), "times": [round(t, 2) for t in times],
            "peak_rss_mib": max(peaks)}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--only", help="comma-separated configurations (default: all)")
    parser.add_argument("--no-startup", action="store_true", help="skip the start-up measure (it is slow under load)")
    parser.add_argument("--corpus", choices=("voa", "mixed"), default="voa",
                        help="voa: the VOA stories; mixed: those and the scrapinghub pages (general news)")
    args = parser.parse_args()
    lines = corpus_lines(args.corpus)
    n = len(lines)
    names = [c.strip() for c in args.only.split(",")] if args.only else list(CONFIGS)
    print(f"{n} articles ({args.corpus}); {args.runs} runs each; cores {os.cpu_count()}; "
          f"load {os.getloadavg()}", file=sys.stderr, flush=True)
    load_before = os.getloadavg()

    with tempfile.TemporaryDirectory() as folder:
        first = Path(folder) / "first.jsonl"
        first.write_text(lines[0] + "\n", encoding="utf-8")
        corpus = Path(folder) / "corpus.jsonl"
        corpus.write_text("\n".join(lines) + "\n", encoding="utf-8")
        results: dict[str, dict[str, object]] = {}
        results["spaCy sm"] = measure("spaCy sm", lambda tmp: [sys.executable, "-c", SPACY_ONLY, str(corpus)], args.runs)
        if not args.no_startup:
            results["start-up (1 story, workers 1)"] = measure(
                "start-up", lambda tmp: [*WIRECODER, "run", str(first), "--db", str(tmp / "w.db"), "--workers", "1"],
                args.runs)
        for name in names:
            options = CONFIGS[name]
            results[name] = measure(name, lambda tmp, o=options: [*WIRECODER, "run", str(corpus), "--db",
                                                                  str(tmp / "w.db"), *o], args.runs)

    spacy = results["spaCy sm"]["median_s"]
    for name, r in results.items():
        r["articles_per_s"] = round(n / r["median_s"], 2)
        r["time_vs_spacy"] = round(r["median_s"] / spacy, 2)
    startup = results.get("start-up (1 story, workers 1)", {}).get("median_s")
    derived: dict[str, object] = {}
    if "workers 1" in results and startup is not None:
        per_article = (results["workers 1"]["median_s"] - startup) / (n - 1)
        derived["one_worker_s_per_article_steady"] = round(per_article, 3)
        derived["one_worker_articles_per_s_steady"] = round(1 / per_article, 2)
    if "workers 1" in results and "workers 2" in results:
        derived["speedup_workers_2_vs_1"] = round(results["workers 1"]["median_s"] / results["workers 2"]["median_s"], 2)
    for k in ("1", "2"):
        if f"dask {k}" in results and f"workers {k}" in results:
            derived[f"dask_{k}_time_vs_workers_{k}"] = round(
                results[f"dask {k}"]["median_s"] / results[f"workers {k}"]["median_s"], 2)
    print(json.dumps({"corpus": args.corpus, "articles": n, "characters": sum(len(json.loads(l)["text"]) for l in lines),
                      "machine": f"{platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}",
                      "load_average_before": [round(x, 1) for x in load_before],
                      "load_average_after": [round(x, 1) for x in os.getloadavg()],
                      "results": results, "derived": derived}, indent=2))


if __name__ == "__main__":
    main()
