"""Throughput of ``nlp + code`` on the VOA corpus, against spaCy's small model alone over
the same texts (measured in the same run), with peak RSS.

Usage: .venv/bin/python bench/bench_code.py [--runs 3] [--limit N]

Reads ../shared/data/corpus/voa_stories.jsonl (skips with a message if absent).
"""

from __future__ import annotations

import argparse
import json
import resource
import statistics
import sys
import time
from pathlib import Path

from wirecoder.records import Article, Document
from wirecoder.settings import load_settings

CORPUS = Path(__file__).resolve().parents[1].parent / "shared" / "data" / "corpus" / "voa_stories.jsonl"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--limit", type=int, default=0, help="Use only the first N stories.")
    args = parser.parse_args()
    if not CORPUS.exists():
        print(f"corpus absent: {CORPUS}; nothing to measure")
        return
    stories = [json.loads(line) for line in CORPUS.open(encoding="utf-8") if line.strip()]
    if args.limit:
        stories = stories[: args.limit]
    articles = [Article(id=str(s["id"]), headline=s.get("title"), paragraphs=[p for p in s["text"].split("\n\n") if p.strip()])
                for s in stories]

    from wirecoder.stages.code import EventCoder
    from wirecoder.stages.nlp import Parser

    settings = load_settings()
    nlp_stage = Parser(settings)
    coder = EventCoder(settings)  # loads the model once, outside the timing
    texts = [a.text for a in articles]
    list(nlp_stage.nlp.pipe(texts[:4]))  # warm-up

    spacy_rates, code_rates, code_only = [], [], []
    events = 0
    for _ in range(args.runs):
        start = time.perf_counter()
        for _doc in nlp_stage.nlp.pipe(texts, batch_size=settings.nlp.batch_size):
            pass
        spacy_rates.append(len(texts) / (time.perf_counter() - start))

        start = time.perf_counter()
        coding = 0.0
        events = 0
        for document in nlp_stage.pipe(Document(article=a) for a in articles):
            t0 = time.perf_counter()
            coder(document)
            coding += time.perf_counter() - t0
            events += len(document.events)
        code_rates.append(len(texts) / (time.perf_counter() - start))
        code_only.append(len(texts) / coding)

    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    spacy_med, code_med = statistics.median(spacy_rates), statistics.median(code_rates)
    print(json.dumps({
        "articles": len(texts),
        "runs": args.runs,
        "spacy_sm_alone_articles_per_s": round(spacy_med, 2),
        "nlp_plus_code_articles_per_s": round(code_med, 2),
        "ratio_to_spacy_alone": round(code_med / spacy_med, 3),
        "code_stage_alone_articles_per_s": round(statistics.median(code_only), 1),
        "events_per_run": events,
        "peak_rss_mb": round(peak_mb, 1),
        "python": sys.version.split()[0],
    }, indent=2))


if __name__ == "__main__":
    main()
