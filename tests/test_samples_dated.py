"""``make demo`` runs on ``samples/``: every sample article must carry its publication
date in the file itself (feed pubDate, page metadata, a dump's "Published:" header
line), so that the demo's rows are dated without a --published guess."""

from __future__ import annotations

from pathlib import Path

from wirecoder.records import Article
from wirecoder.settings import Settings
from wirecoder.stages.extract import iter_articles

SAMPLES = Path(__file__).resolve().parents[1] / "samples"


def test_every_sample_article_has_its_publication_date() -> None:
    items = list(iter_articles([str(SAMPLES)], Settings()))
    articles = [a for a in items if isinstance(a, Article)]
    assert len(articles) == len(items) == 8
    undated = [a.headline for a in articles if a.published.date is None]
    assert undated == []
    # the dump's dates come from its header lines, not from a caption's date
    dump = {a.headline[:20]: a.published.date for a in articles if a.source.path.endswith("scraped_dump.txt")}
    assert dump == {"Paramilitary Shellin": "2024-05-15", "Congolese Soldiers K": "2024-02-20",
                    "Protesters Rally in ": "2023-08-26"}
