"""Throughput of the ``resolve`` stage on the VOA corpus, against the ``nlp`` stage
(spaCy's parse) over the same documents, measured in the same run, with peak RSS.

Usage: .venv/bin/python bench/bench_resolve.py [--runs 3] [--limit N]

nlp, geoparse and code run once; then the parse (reference) and resolve are each timed
``--runs`` times over the same documents and the medians are printed. Reads
../shared/data/corpus/voa_stories.jsonl (skips with a message if absent).
"""

from __future__ import annotations

import copy
import resource
import statistics
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
    from wirecoder.stages.geoparse import Geoparser
    from wirecoder.stages.nlp import Parser
    from wirecoder.stages.resolve import ArgumentResolver

    settings = load_settings()
    nlp, geo, coder, resolver = Parser(settings), Geoparser(settings), EventCoder(settings), ArgumentResolver(settings)
    prepared = [coder(geo(d)) for d in nlp.pipe(Document(article=a) for a in articles)]
    events_in = sum(len(d.events) for d in prepared)

    parse_times, resolve_times = [], []
    events_out = 0
    for _ in range(args.runs):
        start = time.perf_counter()
        list(nlp.pipe(Document(article=a) for a in articles))
        parse_times.append(time.perf_counter() - start)
        batch = [Document(article=d.article, doc=d.doc, places=d.places, events=copy.deepcopy(d.events)) for d in prepared]
        start = time.perf_counter()
        resolved = [resolver(d) for d in batch]
        resolve_times.append(time.perf_counter() - start)
        events_out = sum(len(d.events) for d in resolved)
    parse, resolve = statistics.median(parse_times), statistics.median(resolve_times)
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"documents: {len(articles)}, events in: {events_in}, events out (after splits): {events_out}")
    print(f"nlp (reference): median {parse:.2f} s over {args.runs} runs, {len(articles) / parse:.1f} docs/s")
    print(f"resolve:         median {resolve:.3f} s over {args.runs} runs, {len(articles) / resolve:.1f} docs/s, "
          f"{events_in / resolve:.0f} events/s")
    print(f"resolve / nlp time ratio: {resolve / parse:.3f}")
    print(f"peak RSS: {peak_mb:.0f} MB")


if __name__ == "__main__":
    main()
