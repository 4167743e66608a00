"""Body extraction with and without trafilatura's ``favor_precision`` on the HTML the
project has besides the public scrapinghub benchmark (which ``wirecoder eval extraction
[--set extract.favor_precision=false]`` scores): the hand-written test pages
(``tests/html_pages.py``, bodies given) and the sample pages (``samples/html``, whose
body is their ``<p>`` elements other than bylines and captions). Prints, for each
setting, the shingle precision, recall and F1 (the benchmark's metric) per page and
averaged, and the pages that lose body text.

    PYTHONPATH=src .venv/bin/python scripts/measure_html_extraction.py
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

import lxml.html

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO / "tests"))

from html_pages import HAND_PAGES  # noqa: E402

from wirecoder.evaluate.extraction import precision_recall  # noqa: E402
from wirecoder.settings import load_settings  # noqa: E402
from wirecoder.stages.extract.html import extract_html  # noqa: E402


def sample_pages() -> list[tuple[str, str, str]]:
    pages = []
    for path in sorted((REPO / "samples" / "html").glob("*.html")):
        html = path.read_text(encoding="utf-8")
        tree = lxml.html.fromstring(html)
        body = [" ".join(p.text_content().split()) for p in tree.iter("p")
                if not p.get("class") and not any(a.tag in {"footer", "figure", "aside"} for a in p.iterancestors())]
        pages.append((path.name, html, "\n".join(body)))
    return pages


def main() -> None:
    pages = [(p.name, p.html, "\n".join(p.body)) for p in HAND_PAGES] + sample_pages()
    result = {}
    for favor in (True, False):
        settings = load_settings(overrides=[f"extract.favor_precision={str(favor).lower()}"]).extract
        scores = {name: precision_recall(gold, extract_html(html, name, settings=settings).body) for name, html, gold in pages}
        precision = sum(p for p, _ in scores.values()) / len(scores)
        recall = sum(r for _, r in scores.values()) / len(scores)
        result[f"favor_precision={favor}"] = {
            "pages": len(scores), "precision": round(precision, 4), "recall": round(recall, 4),
            "f1": round(2 * precision * recall / (precision + recall), 4),
            "pages_losing_text": {n: round(r, 3) for n, (_, r) in scores.items() if r < 0.999},
        }
    print(json.dumps(result, indent=2))


if __name__ == "__main__":
    main()
