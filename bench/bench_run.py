"""Throughput of ``wirecoder run`` end to end (extract -> stages -> dedup -> store) on the
VOA corpus, against references measured in the same session on the same texts:
``wirecoder extract`` alone and spaCy alone (the parse every run needs).

Each measurement runs in a fresh subprocess (fresh store each time) several times; the
median wall time is reported with the peak RSS of that subprocess.

    .venv/bin/python bench/bench_run.py [--runs 3] [--write]

``--write`` replaces the ``## run`` section of docs/benchmarks.md with the figures.
If the standard analysis stages cannot be built yet, the run uses the rule-based
stand-in stage (``--set 'pipeline.stages=["testing.keywords"]'``) and says so.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
CORPUS = REPO.parent / "shared" / "data" / "corpus" / "voa_stories.jsonl"
BIN = Path(sys.executable).parent
SECTION = "## run"

# Peak RSS of a child, measured inside it so that each figure is that process's own.
_RSS_WRAPPER = """
import resource, runpy, sys
sys.argv = sys.argv[1:]
try:
    runpy.run_module(sys.argv[0], run_name="__main__")
except SystemExit:
    pass
finally:
    print("PEAK_RSS_KB", resource.getrusage(resource.RUSAGE_SELF).ru_maxrss, file=sys.stderr)
"""

_SPACY_ONLY = """
import importlib, json, sys
from wirecoder.settings import load_settings
settings = load_settings()
nlp = importlib.import_module(settings.nlp.model).load()  # plain spaCy, as packaged
texts = [json.loads(line)["text"] for line in open(sys.argv[1], encoding="utf-8") if line.strip()]
for _ in nlp.pipe(texts, batch_size=settings.nlp.batch_size):
    pass
"""


# Store + dedup alone: analyse first, then time only the writes into a fresh store.
_STORE_ONLY = """
import json, os, sys, tempfile, time
from wirecoder.pipeline import analyze, build_stages
from wirecoder.records import Article
from wirecoder.settings import load_settings
from wirecoder.stages.extract import iter_articles
from wirecoder.store import Store
from wirecoder.runner import store_document
settings = load_settings(overrides=sys.argv[2:])
stages = build_stages(settings)
articles = [a for a in iter_articles([sys.argv[1]], settings) if isinstance(a, Article)]
documents = list(analyze(articles, stages))
with tempfile.TemporaryDirectory() as tmp:
    started = time.perf_counter()
    with Store.open(os.path.join(tmp, "w.db")) as store:
        merged = sum(store_document(store, d, settings.dedup).merged_events for d in documents
                     if not hasattr(d, "error"))
    seconds = time.perf_counter() - started
print(json.dumps({"store_s": seconds, "documents": len(documents), "merged": merged,
                  "reports": sum(len(getattr(d, "events", [])) for d in documents)}))
"""


def standard_stages_available() -> str | None:
    probe = subprocess.run([sys.executable, "-c", "from wirecoder.pipeline import build_stages; "
                            "from wirecoder.settings import load_settings; build_stages(load_settings(), 'resolve')"],
                           capture_output=True, text=True)
    return None if probe.returncode == 0 else (probe.stderr.strip().splitlines() or ["?"])[-1]


def timed(argv: list[str], env: dict[str, str] | None = None) -> tuple[float, int, str]:
    """Wall seconds, peak RSS (MiB) and stderr of one subprocess."""
    started = time.perf_counter()
    proc = subprocess.run(argv, capture_output=True, text=True, env=env)
    seconds = time.perf_counter() - started
    rss = next((int(line.split()[1]) for line in proc.stderr.splitlines() if line.startswith("PEAK_RSS_KB")), 0)
    if proc.returncode not in (0, 1):
        raise SystemExit(f"{' '.join(argv)} failed ({proc.returncode}):\n{proc.stderr[-2000:]}")
    return seconds, rss // 1024, proc.stderr


def measure(name: str, argv_for: "callable", runs: int, env: dict[str, str] | None = None) -> dict[str, object]:
    times, peaks, last = [], [], ""
    for i in range(runs):
        with tempfile.TemporaryDirectory() as tmp:
            seconds, rss, last = timed(argv_for(Path(tmp)), env)
        times.append(seconds)
        peaks.append(rss)
        print(f"  {name} run {i + 1}: {seconds:.2f} s, peak RSS {rss} MiB", file=sys.stderr)
    return {"name": name, "median_s": statistics.median(times), "times": times, "peak_rss_mib": max(peaks),
            "stderr": last}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--write", action="store_true", help="update the run section of docs/benchmarks.md")
    args = parser.parse_args()
    if not CORPUS.exists():
        raise SystemExit(f"corpus absent: {CORPUS}")
    articles = sum(1 for line in CORPUS.open(encoding="utf-8") if line.strip())
    py = [sys.executable, "-c", _RSS_WRAPPER]

    overrides: list[str] = []
    missing = standard_stages_available()
    stages_note = "the standard stages (nlp, geoparse, code, resolve)"
    if missing:
        overrides = ['pipeline.stages=["testing.keywords"]']
        stages_note = f"the rule-based stand-in stages (standard stages not buildable yet: {missing})"
    print(f"{articles} articles from {CORPUS.name}; {args.runs} runs each; using {stages_note}", file=sys.stderr)

    run = measure("wirecoder run", lambda tmp: [*py, "wirecoder.cli", "run", str(CORPUS), "--db",
                                                  str(tmp / "bench.db"), *(f"--set={o}" for o in overrides)], args.runs)
    extract = measure("wirecoder extract", lambda tmp: [*py, "wirecoder.cli", "extract", str(CORPUS)], args.runs)
    spacy = measure("spaCy alone", lambda tmp: [sys.executable, "-c",
                                                _RSS_WRAPPER.replace("runpy.run_module(sys.argv[0], run_name=\"__main__\")",
                                                                     "exec(sys.argv[0])"), _SPACY_ONLY, str(CORPUS)],
                    args.runs)
    probe = subprocess.run([sys.executable, "-c", _STORE_ONLY, str(CORPUS), *overrides], capture_output=True, text=True)
    store_only = json.loads(probe.stdout.strip().splitlines()[-1]) if probe.returncode == 0 else {}
    summary_line = next((line for line in run["stderr"].splitlines() if "events" in line and "new" in line), "")
    result = {
        "articles": articles,
        "stages": stages_note,
        "run_articles_per_s": articles / run["median_s"],
        "extract_articles_per_s": articles / extract["median_s"],
        "spacy_articles_per_s": articles / spacy["median_s"],
        "run_vs_spacy": run["median_s"] / spacy["median_s"],
        "run_vs_extract": run["median_s"] / extract["median_s"],
        "peak_rss_mib": {m["name"]: m["peak_rss_mib"] for m in (run, extract, spacy)},
        "median_s": {m["name"]: round(m["median_s"], 2) for m in (run, extract, spacy)},
        "run_summary": " ".join(summary_line.split()),
        "store_dedup": store_only,
    }
    print(json.dumps(result, indent=2))
    if args.write:
        write_section(result, args.runs)


def write_section(result: dict, runs: int) -> None:
    doc = REPO / "docs" / "benchmarks.md"
    text = doc.read_text(encoding="utf-8") if doc.exists() else "# Benchmarks\n"
    section = "\n".join([
        SECTION,
        "",
        f"`wirecoder run` end to end (extract, analysis stages, dedup, SQLite store) on "
        f"`../shared/data/corpus/voa_stories.jsonl` ({result['articles']} VOA stories), a fresh store each run, "
        f"median of {runs} runs, each in its own process (model loading included). Stages: {result['stages']}. "
        f"Machine: {platform.machine()}, {os.cpu_count()} cores shared with other work (load average "
        f"{os.getloadavg()[1]:.1f} over the last 5 minutes, so absolute figures vary: compare the ratios), "
        f"Python {platform.python_version()}.",
        "",
        "| measure | median wall time | articles/s | peak RSS |",
        "|---|---|---|---|",
        *(f"| {name} | {result['median_s'][name]:.2f} s | {result['articles'] / result['median_s'][name]:.1f} | "
          f"{result['peak_rss_mib'][name]} MiB |" for name in result["median_s"]),
        "",
        f"`wirecoder run` takes {result['run_vs_spacy']:.2f}× the time of the spaCy parse alone and "
        f"{result['run_vs_extract']:.2f}× that of `wirecoder extract` alone. Last run's summary: "
        f"{result['run_summary'] or '-'}.",
        "",
        (f"Store + dedup alone (the same {result['store_dedup'].get('documents')} analysed articles, "
         f"{result['store_dedup'].get('reports')} event reports, written into a fresh store): "
         f"{result['store_dedup'].get('store_s', 0):.2f} s, "
         f"{100 * result['store_dedup'].get('store_s', 0) / result['median_s']['wirecoder run']:.1f}% of the run; "
         "the analysis stages (spaCy above all) are the cost." if result["store_dedup"] else
         "Store + dedup alone: not measured (the probe failed)."),
        "",
        "Command: `.venv/bin/python bench/bench_run.py --runs 3 --write`",
        "",
    ])
    start = text.find(SECTION + "\n")
    if start == -1:
        text = text.rstrip("\n") + "\n\n" + section
    else:
        end = text.find("\n## ", start + len(SECTION))
        text = text[:start] + section + (text[end + 1:] if end != -1 else "")
    doc.write_text(text, encoding="utf-8")
    print(f"updated {doc}", file=sys.stderr)


if __name__ == "__main__":
    main()
