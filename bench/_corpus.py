"""The benchmark corpus shared by the stage benchmarks: the VOA stories of
``../shared/data/corpus/voa_stories.jsonl`` as Article records (headline, blank-line
paragraphs, publication date from the story's metadata)."""

from __future__ import annotations

import argparse
import json
from pathlib import Path

from wirecoder.records import Article, Published

CORPUS = Path(__file__).resolve().parents[1].parent / "shared" / "data" / "corpus" / "voa_stories.jsonl"


def load_voa_articles(limit: int = 0) -> list[Article] | None:
    """The first ``limit`` stories (all with 0), or None with a message when absent."""
    if not CORPUS.exists():
        print(f"corpus absent: {CORPUS}; nothing to measure")
        return None
    stories = [json.loads(line) for line in CORPUS.open(encoding="utf-8") if line.strip()]
    if limit:
        stories = stories[:limit]
    return [
        Article(id=str(s["id"]), headline=s.get("title"),
                published=Published(date=(s.get("published") or "")[:10] or None, how="metadata"),
                paragraphs=[p for p in s["text"].split("\n\n") if p.strip()])
        for s in stories
    ]


def bench_arguments(description: str) -> argparse.Namespace:
    """``--runs`` and ``--limit``, the options every corpus benchmark takes."""
    parser = argparse.ArgumentParser(description=description)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--limit", type=int, default=0, help="Use only the first N stories.")
    return parser.parse_args()
