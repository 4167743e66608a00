"""CPU cost per article of each analysis stage, on a mix of conflict and general news,
against plain spaCy ``en_core_web_sm`` (all its components, unmodified) over the same
texts in the same process: what runs per article, and what 2 cores could sustain.

The machine is shared, so CPU time of this process (``time.process_time``, every thread
counted) is the measure; wall time is printed beside it. Medians of ``--runs`` passes
over the corpus, models loaded once before the first pass. ``--threads`` sets torch's
threads (1: one worker process per core, the way 2 cores are best used).

    .venv/bin/python bench/bench_stages.py [--runs 3] [--limit N] [--set code.use_embeddings=false]
    .venv/bin/python bench/bench_stages.py --startup   # also time `wirecoder code -` on one sentence

The corpus: the VOA stories of ../shared/data/corpus and the scrapinghub news pages
(general news) read by the HTML extractor (``_corpus.load_mixed_articles``). ``digest``
hashes every place and event produced, so two trees can be compared for identical output.
"""

from __future__ import annotations

import argparse
import dataclasses
import hashlib
import importlib
import json
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from collections import defaultdict
from pathlib import Path

from wirecoder.records import Document
from wirecoder.settings import load_settings

from _corpus import load_mixed_articles


class Clock:
    """Accumulated CPU and wall seconds per named part."""

    def __init__(self) -> None:
        self.cpu: dict[str, float] = defaultdict(float)
        self.wall: dict[str, float] = defaultdict(float)

    def timed(self, name: str, fn, *args, **kwargs):
        c, w = time.process_time(), time.perf_counter()
        try:
            return fn(*args, **kwargs)
        finally:
            self.cpu[name] += time.process_time() - c
            self.wall[name] += time.perf_counter() - w


def spacy_reference(model: str, texts: list[str], batch_size: int, clock: Clock) -> None:
    """The unmodified packaged pipeline, component by component over batches."""
    nlp = _plain_spacy(model)
    for i in range(0, len(texts), batch_size):
        docs = clock.timed("spacy.tokenizer", lambda b: [nlp.make_doc(t) for t in b], texts[i:i + batch_size])
        for name, proc in nlp.pipeline:
            docs = clock.timed(f"spacy.{name}", lambda d, p=proc: list(p.pipe(d)), docs)


_PLAIN: dict[str, object] = {}


def _plain_spacy(model: str):
    if model not in _PLAIN:
        _PLAIN[model] = importlib.import_module(model).load()
    return _PLAIN[model]


def one_pass(articles, stages, settings, clock: Clock) -> str:
    from wirecoder.runner import store_document
    from wirecoder.stages.code import embed
    from wirecoder.store import Store

    real_embed = embed.embed
    embed.embed = lambda *a, **k: clock.timed("code.embeddings", real_embed, *a, **k)
    digest = hashlib.sha256()
    try:
        parser, rest = stages[0], stages[1:]
        documents = clock.timed(type(parser).__name__, lambda: list(parser.pipe(Document(article=a) for a in articles)))
        for document in documents:
            for stage in rest:
                document = clock.timed(type(stage).__name__, stage, document)
            for record in (*document.places, *document.events):
                digest.update(json.dumps(dataclasses.asdict(record), sort_keys=True, default=str).encode())
        with tempfile.TemporaryDirectory() as tmp, Store.open(Path(tmp) / "bench.db") as store:
            for document in documents:
                clock.timed("store+dedup", store_document, store, document, settings.dedup)
    finally:
        embed.embed = real_embed
    return digest.hexdigest()[:16]


def startup_seconds(runs: int) -> tuple[list[float], list[float]]:
    """Wall and CPU seconds (user + system) of ``wirecoder code -`` on one sentence, each
    in a fresh process."""
    sentence = "Gunmen killed three soldiers in an attack on a checkpoint near Kandahar on Monday.\n"
    walls, cpus = [], []
    for _ in range(runs):
        before = resource.getrusage(resource.RUSAGE_CHILDREN)
        started = time.perf_counter()
        proc = subprocess.run([sys.executable, "-m", "wirecoder.cli", "code", "-", "--published", "2024-01-01"],
                              input=sentence, capture_output=True, text=True)
        walls.append(time.perf_counter() - started)
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
        cpus.append(after.ru_utime + after.ru_stime - before.ru_utime - before.ru_stime)
        if proc.returncode != 0:
            raise SystemExit(f"wirecoder code failed ({proc.returncode}): {proc.stderr[-1000:]}")
    return walls, cpus


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--limit", type=int, default=0, help="Use only the first N stories and N pages.")
    parser.add_argument("--threads", type=int, default=1, help="torch threads (1: one per worker process)")
    parser.add_argument("--set", dest="overrides", action="append", default=[], metavar="SECTION.KEY=VALUE")
    parser.add_argument("--startup", action="store_true", help="also time `wirecoder code -` on one sentence")
    args = parser.parse_args()
    articles = load_mixed_articles(args.limit)
    if articles is None:
        return
    from wirecoder.pipeline import build_stages

    settings = load_settings(overrides=args.overrides)
    load_started = time.perf_counter()
    stages = build_stages(settings)
    load_seconds = time.perf_counter() - load_started
    if "torch" in sys.modules:
        sys.modules["torch"].set_num_threads(args.threads)
    texts = [a.text for a in articles]
    _plain_spacy(settings.nlp.model)
    one_pass(articles[:8], stages, settings, Clock())  # warm-up: lazy tables, first batches

    passes: list[dict[str, tuple[float, float]]] = []
    digests = set()
    for i in range(args.runs):
        clock = Clock()
        spacy_reference(settings.nlp.model, texts, settings.nlp.batch_size, clock)
        digests.add(one_pass(articles, stages, settings, clock))
        passes.append({k: (clock.cpu[k], clock.wall[k]) for k in clock.cpu})
        print(f"  pass {i + 1}: pipeline CPU {sum(v[0] for k, v in passes[-1].items() if not k.startswith('spacy.')):.1f} s",
              file=sys.stderr)

    n = len(articles)

    def ms(name: str, which: int) -> float:
        return 1000 * statistics.median(p.get(name, (0.0, 0.0))[which] for p in passes) / n

    names = sorted({k for p in passes for k in p}, key=lambda k: (k.startswith("spacy."), k))
    stage_names = [k for k in names if not k.startswith("spacy.")]
    pipeline_cpu = 1000 * statistics.median(sum(p[k][0] for k in stage_names if k in p and k != "code.embeddings")
                                            for p in passes) / n
    spacy_cpu = 1000 * statistics.median(sum(v[0] for k, v in p.items() if k.startswith("spacy.")) for p in passes) / n
    result = {
        "articles": n,
        "chars_per_article": round(sum(map(len, texts)) / n),
        "overrides": args.overrides,
        "torch_threads": args.threads,
        "load_s": round(load_seconds, 2),
        "cpu_ms_per_article": {k: round(ms(k, 0), 1) for k in names},
        "wall_ms_per_article": {k: round(ms(k, 1), 1) for k in names},
        "pipeline_cpu_ms_per_article": round(pipeline_cpu, 1),
        "plain_spacy_cpu_ms_per_article": round(spacy_cpu, 1),
        "pipeline_vs_plain_spacy": round(pipeline_cpu / spacy_cpu, 2),
        "projected_articles_per_s_2_cores": round(2 * 1000 / pipeline_cpu, 1),
        "digest": sorted(digests),
        "load_average": [round(x, 2) for x in os.getloadavg()],
    }
    if args.startup:
        walls, cpus = startup_seconds(3)
        result["startup_code_one_sentence_s"] = {
            "wall_median": round(statistics.median(walls), 2), "wall": [round(t, 2) for t in walls],
            "cpu_median": round(statistics.median(cpus), 2), "cpu": [round(t, 2) for t in cpus]}
    print(json.dumps(result, indent=2))


if __name__ == "__main__":
    main()
