"""Throughput of ``nlp + code`` on the VOA corpus, against spaCy's small model alone over
the same texts (measured in the same run), with peak RSS; the code stage both with
sentence embeddings (``code.use_embeddings``, the default) and with TF-IDF only.

Usage: .venv/bin/python bench/bench_code.py [--runs 3] [--limit N]

Reads ../shared/data/corpus/voa_stories.jsonl (skips with a message if absent).
"""

from __future__ import annotations

import json
import resource
import statistics
import sys
import time

from wirecoder.records import Document
from wirecoder.settings import load_settings

from _corpus import bench_arguments, load_voa_articles


def main() -> None:
    args = bench_arguments(__doc__.splitlines()[0])
    articles = load_voa_articles(args.limit)
    if articles is None:
        return

    from wirecoder.stages.code import EventCoder
    from wirecoder.stages.nlp import Parser

    settings = load_settings()
    nlp_stage = Parser(settings)
    # both typing modes, each loaded once outside the timing
    coders = {"embeddings": EventCoder(settings.replace("code", use_embeddings=True)),
              "tfidf_only": EventCoder(settings.replace("code", use_embeddings=False))}
    texts = [a.text for a in articles]
    list(nlp_stage.nlp.pipe(texts[:4]))  # warm-up

    spacy_rates: list[float] = []
    totals: dict[str, list[float]] = {k: [] for k in coders}
    code_only: dict[str, list[float]] = {k: [] for k in coders}
    events: dict[str, int] = {}
    for _ in range(args.runs):
        start = time.perf_counter()
        for _doc in nlp_stage.nlp.pipe(texts, batch_size=settings.nlp.batch_size):
            pass
        spacy_rates.append(len(texts) / (time.perf_counter() - start))

        # the parse is timed once per run and shared by both modes (same documents)
        start = time.perf_counter()
        coding = {k: 0.0 for k in coders}
        counts = {k: 0 for k in coders}
        parse_and_loop = 0.0
        for document in nlp_stage.pipe(Document(article=a) for a in articles):
            for name, coder in coders.items():
                document.events = []
                t0 = time.perf_counter()
                coder(document)
                coding[name] += time.perf_counter() - t0
                counts[name] += len(document.events)
        parse_and_loop = time.perf_counter() - start - sum(coding.values())
        for name in coders:
            totals[name].append(len(texts) / (parse_and_loop + coding[name]))
            code_only[name].append(len(texts) / coding[name])
        events = counts

    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    spacy_med = statistics.median(spacy_rates)
    report: dict[str, object] = {"articles": len(texts), "runs": args.runs,
                                 "spacy_sm_alone_articles_per_s": round(spacy_med, 2)}
    for name in coders:
        med = statistics.median(totals[name])
        report[name] = {
            "nlp_plus_code_articles_per_s": round(med, 2),
            "ratio_to_spacy_alone": round(med / spacy_med, 3),
            "code_stage_alone_articles_per_s": round(statistics.median(code_only[name]), 1),
            "events_per_run": events[name],
        }
    report["peak_rss_mb"] = round(peak_mb, 1)
    report["python"] = sys.version.split()[0]
    print(json.dumps(report, indent=2))

if __name__ == "__main__":
    main()
