"""Throughput and memory of the geoparse stage.

Prints, for the VOA corpus (../shared/data/corpus/voa_stories.jsonl) or GeoWebNews texts:
documents per second of the geoparse stage alone and of spaCy's parse alone (the
reference, measured in the same run), their ratio, the index load time in a fresh
process, and peak resident memory. Several runs; medians reported.

    .venv/bin/python bench/bench_geoparse.py [--runs 3] [--corpus voa|gwn]
"""

from __future__ import annotations

import argparse
import json
import resource
import statistics
import subprocess
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
SHARED = REPO.parent / "shared" / "data"


def _texts(corpus: str) -> list[str]:
    if corpus == "voa":
        path = SHARED / "corpus" / "voa_stories.jsonl"
        if not path.exists():
            sys.exit(f"corpus absent: {path}")
        return [json.loads(line)["text"] for line in path.open(encoding="utf-8") if line.strip()]
    from wirecoder.evaluate.geo import read_gwn

    return [text for text, _ in read_gwn(SHARED / "eval" / "geo" / "GWN.xml")]


def _load_time() -> float:
    """Seconds to load the cached index in a fresh interpreter (what a CLI run pays)."""
    code = (
        "import time; from wirecoder.settings import load_settings; "
        "from wirecoder.stages.geoparse import load_gazetteer; s = load_settings(); "
        "t = time.perf_counter(); load_gazetteer(s); print(time.perf_counter() - t)"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    return float(out.stdout.strip())


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--corpus", choices=["voa", "gwn"], default="voa")
    args = parser.parse_args()

    from wirecoder.records import Article, Document
    from wirecoder.settings import load_settings
    from wirecoder.stages.geoparse import Geoparser
    from wirecoder.stages.nlp import Parser

    settings = load_settings()
    load_time = _load_time()
    texts = _texts(args.corpus)
    nlp_parser, geoparser = Parser(settings), Geoparser(settings)
    spacy_rates, geo_rates = [], []
    for _ in range(args.runs):
        documents = [Document(article=Article(id=str(i), paragraphs=[t])) for i, t in enumerate(texts)]
        started = time.perf_counter()
        documents = list(nlp_parser.pipe(documents))
        spacy_rates.append(len(documents) / (time.perf_counter() - started))
        started = time.perf_counter()
        places = sum(len(geoparser(d).places) for d in documents)
        geo_rates.append(len(documents) / (time.perf_counter() - started))
    spacy_rate, geo_rate = statistics.median(spacy_rates), statistics.median(geo_rates)
    print(f"corpus: {args.corpus}, {len(texts)} documents, {places} places, {args.runs} runs (medians)")
    print(f"geoparse stage alone: {geo_rate:.1f} documents/s")
    print(f"spaCy parse alone:    {spacy_rate:.1f} documents/s (reference)")
    print(f"geoparse time / spaCy time: {spacy_rate / geo_rate:.2f}")
    print(f"parse + geoparse:     {1 / (1 / spacy_rate + 1 / geo_rate):.1f} documents/s")
    print(f"index load (fresh process, cached index): {load_time:.2f} s")
    print(f"peak RSS (spaCy model + index + documents): {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.0f} MB")


if __name__ == "__main__":
    main()
