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


SCRAPINGHUB = CORPUS.parents[1] / "eval" / "extraction" / "scrapinghub" / "html"


def load_mixed_articles(limit: int = 0) -> list[Article] | None:
    """Conflict news and general news, as real feeds mix them: the VOA stories and the
    scrapinghub pages (general news of many outlets) read by ``wirecoder extract``'s HTML
    path, pages published on 2020-01-01 where they carry no date; pages in another language
    than English are left out (the analysis refuses them). Measured on, never trained on.
    ``limit`` caps each half."""
    voa = load_voa_articles(limit)
    if voa is None or not SCRAPINGHUB.is_dir():
        print(f"general-news pages absent: {SCRAPINGHUB}; nothing to measure")
        return None
    from wirecoder.settings import load_settings
    from wirecoder.stages.extract import iter_articles

    pages = sorted(SCRAPINGHUB.glob("*.html.gz"))[: limit or None]
    general = [a for a in iter_articles([str(p) for p in pages], load_settings(), published="2020-01-01")
               if isinstance(a, Article) and a.text.strip() and (a.language or "en") == "en"]
    return voa + general
