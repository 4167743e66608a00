"""``wirecoder eval extraction``: body-text quality on the scrapinghub article-extraction
benchmark (181 news pages with hand-made ``articleBody``).

The metric is the benchmark's: for each page, precision and recall of word 4-gram
shingles (tokens are ``\\w+`` runs; counted as multisets) between the ground-truth body
and ours; both averaged over pages, and F1 computed from the two means. Pages are read
where they lie (``data_dir/eval/extraction/scrapinghub``) and never copied.
"""

from __future__ import annotations

import gzip
import json
import re
import time
from collections import Counter
from pathlib import Path
from typing import Any

from ..errors import EvalDataError, InputError
from ..settings import Settings

TOKEN = re.compile(r"\w+")
SHINGLE = 4


def shingles(text: str) -> Counter[tuple[str, ...]]:
    words = TOKEN.findall(text)
    return Counter(tuple(words[i : i + SHINGLE]) for i in range(len(words) - SHINGLE + 1))


def precision_recall(truth: str, predicted: str) -> tuple[float, float]:
    """Shingle precision and recall of one page. An empty side scores 1 only when the
    other is empty too."""
    gold, ours = shingles(truth), shingles(predicted)
    hits = sum((gold & ours).values())
    precision = hits / sum(ours.values()) if ours else (1.0 if not gold else 0.0)
    recall = hits / sum(gold.values()) if gold else 1.0
    return precision, recall


def load_set(data_dir: Path) -> tuple[Path, dict[str, Any]]:
    root = data_dir / "eval" / "extraction" / "scrapinghub"
    truth_file = root / "ground-truth.json"
    if not truth_file.is_file() or not (root / "html").is_dir():
        raise EvalDataError(f"scrapinghub set not found under {root} (expected ground-truth.json and html/)")
    try:
        truth = json.loads(truth_file.read_text(encoding="utf-8"))
    except (OSError, json.JSONDecodeError) as exc:
        raise EvalDataError(f"{truth_file}: cannot read ground truth ({exc})") from exc
    return root, truth


def evaluate(data_dir: Path, settings: Settings, *, pages: bool = False) -> dict[str, Any]:
    """Scores on the set; with ``pages=True`` also each page's precision and recall
    (for studying the worst pages)."""
    from ..stages.extract.html import extract_html

    root, truth = load_set(data_dir)
    precisions: list[float] = []
    recalls: list[float] = []
    per_page: dict[str, tuple[float, float]] = {}
    failed = 0
    started = time.perf_counter()
    for key in sorted(truth):
        path = root / "html" / f"{key}.html.gz"
        try:
            html = gzip.decompress(path.read_bytes())
        except OSError as exc:
            raise EvalDataError(f"{path}: cannot read page ({exc})") from exc
        try:
            body = extract_html(html, str(path), settings=settings.extract).body
        except InputError:
            body, failed = "", failed + 1
        precision, recall = precision_recall(truth[key].get("articleBody") or "", body)
        precisions.append(precision)
        recalls.append(recall)
        per_page[key] = (precision, recall)
    seconds = time.perf_counter() - started
    if not precisions:
        raise EvalDataError(f"{root}: no pages")
    precision = sum(precisions) / len(precisions)
    recall = sum(recalls) / len(recalls)
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    result: dict[str, Any] = {
        "set": "scrapinghub",
        "pages": len(precisions),
        "failed": failed,
        "precision": round(precision, 4),
        "recall": round(recall, 4),
        "f1": round(f1, 4),
        "seconds": round(seconds, 2),
        "pages_per_second": round(len(precisions) / seconds, 1) if seconds else None,
    }
    if pages:
        result["per_page"] = {k: [round(p, 3), round(r, 3)] for k, (p, r) in per_page.items()}
    return result
