"""Throughput of the ``extract`` stage.

- HTML: pages per second of ``extract_html`` over the scrapinghub pages (read from
  ../shared, decompressed in memory first; skipped with a message if absent), against
  ``trafilatura.extract`` with its defaults on the same pages (the reference).
- Text dumps: articles per second of ``iter_articles`` (decoding, segmentation, ids,
  near-duplicate check) over a generated dump file, against a bare read + split on
  blank lines of the same file (the floor any segmenter pays).

Each figure is the median of several runs; peak RSS is the process's maximum.

    .venv/bin/python bench/bench_extract.py [--runs 3] [--articles 3000]
"""

from __future__ import annotations

import argparse
import gzip
import json
import resource
import statistics
import sys
import tempfile
import time
from pathlib import Path
from typing import Callable

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO / "tests"))  # the synthetic dump generator

from dumpgen import DumpStyle, generate  # noqa: E402
from wirecoder.settings import load_settings  # noqa: E402
from wirecoder.stages.extract import iter_articles  # noqa: E402
from wirecoder.stages.extract.html import extract_html  # noqa: E402

PAGES = REPO.parent / "shared" / "data" / "eval" / "extraction" / "scrapinghub" / "html"


def median_seconds(work: Callable[[], object], runs: int) -> float:
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        work()
        times.append(time.perf_counter() - started)
    return statistics.median(times)


def bench_html(runs: int) -> dict[str, float] | None:
    if not PAGES.is_dir():
        print(f"html: skipped, scrapinghub pages not found at {PAGES}")
        return None
    import trafilatura

    pages = [gzip.decompress(p.read_bytes()) for p in sorted(PAGES.glob("*.html.gz"))]

    def ours() -> None:
        for number, page in enumerate(pages):
            extract_html(page, f"page{number}")

    def reference() -> None:
        for page in pages:
            trafilatura.extract(page)

    ours()  # warm-up: imports, lazy tables
    seconds = median_seconds(ours, runs)
    ref_seconds = median_seconds(reference, runs)
    result = {
        "pages": len(pages),
        "pages_per_second": round(len(pages) / seconds, 1),
        "reference_pages_per_second": round(len(pages) / ref_seconds, 1),
        "ratio_to_reference": round(ref_seconds / seconds, 2),
    }
    print(f"html: {result['pages_per_second']} pages/s over {len(pages)} pages "
          f"(trafilatura.extract alone: {result['reference_pages_per_second']} pages/s, ratio {result['ratio_to_reference']})")
    return result


def bench_text(runs: int, articles: int) -> dict[str, float]:
    settings = load_settings()
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "dump.txt"
        count, seed = 0, 0
        # One site's habits for the whole file (widgets, blank lines, CRLF, repeats).
        style = DumpStyle(newline="\n", paragraph_gap=1, article_gap=3, repeat_header=True, caption_times=2,
                          widgets=["Print", "Comments (4)"])
        with path.open("w", encoding="utf-8", newline="") as handle:
            while count < articles:
                text, made, _ = generate(seed, articles=50, style=style)
                handle.write(text)
                count += len(made)
                seed += 1
        size_mb = path.stat().st_size / 1e6

        def ours() -> int:
            return sum(1 for _ in iter_articles([str(path)], settings))

        def reference() -> int:
            with path.open(encoding="utf-8") as handle:
                return len(handle.read().split("\n\n"))

        produced = ours()
        seconds = median_seconds(ours, runs)
        ref_seconds = median_seconds(reference, runs)
    result = {
        "articles": produced,
        "megabytes": round(size_mb, 1),
        "articles_per_second": round(produced / seconds, 1),
        "megabytes_per_second": round(size_mb / seconds, 2),
        "reference_articles_per_second": round(produced / ref_seconds, 1),
        "ratio_to_reference": round(ref_seconds / seconds, 3),
    }
    print(f"text: {result['articles_per_second']} articles/s ({result['megabytes_per_second']} MB/s) over "
          f"{produced} articles, {result['megabytes']} MB (bare read+split: "
          f"{result['reference_articles_per_second']} articles/s, ratio {result['ratio_to_reference']})")
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--articles", type=int, default=3000)
    args = parser.parse_args()
    report = {"html": bench_html(args.runs), "text": bench_text(args.runs, args.articles)}
    report["peak_rss_mib"] = round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1)
    print(f"peak RSS: {report['peak_rss_mib']} MiB")
    print(json.dumps(report))


if __name__ == "__main__":
    main()
