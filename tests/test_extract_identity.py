"""Stable content ids, near-duplicates within a run, and what --published / --source fill."""

from __future__ import annotations

import hashlib
import random
import tracemalloc
from pathlib import Path

import pytest

from wirecoder.errors import ConfigError
from wirecoder.records import Article, ErrorRecord
from wirecoder.stages.extract import iter_articles
from wirecoder.stages.extract.identity import SIGNATURE_CHARS, DuplicateFinder, content_id, normalize

BODY = [
    "At least seven Congolese soldiers were killed on Monday when M23 rebels attacked army positions above Sake.",
    "Heavy fighting continued through the night, with mortar rounds landing near a camp for displaced people.",
    "Hundreds of families fled toward Goma along the main road on Tuesday, a humanitarian worker said.",
]


def article(headline: str = "Soldiers Killed Near Sake", paragraphs: list[str] | None = None) -> Article:
    return Article(id="", headline=headline, paragraphs=list(paragraphs or BODY))


@pytest.mark.parametrize(
    "other, same",
    [
        # whitespace and case do not change the id
        (article("SOLDIERS  KILLED near Sake", [p.upper() for p in BODY]), True),
        # another headline is another article
        (article("Soldiers Killed Near Goma"), False),
        # another body too
        (article(paragraphs=BODY[:2]), False),
    ],
)
def test_content_id_is_stable_under_normalization(other: Article, same: bool) -> None:
    assert (content_id(other) == content_id(article())) is same
    assert len(content_id(other)) == 16


def test_near_copy_points_to_first_seen(settings) -> None:
    finder = DuplicateFinder(settings.extract)
    first, copy, other = article(), article("Rebels Kill Soldiers Near Sake", BODY[:2] + [BODY[2] + " Reuters contributed."]), article(
        "Protest in Niamey", ["Hundreds of students marched in Niamey on Monday to demand unpaid grants from the state."])
    first.id, copy.id, other.id = "first", "copy", "other"
    assert finder.check(first) is None
    assert finder.check(copy) == "first"
    assert finder.check(other) is None


def test_duplicates_across_files_and_cli_defaults(tmp_path: Path, settings) -> None:
    text = "Soldiers Killed Near Sake\n\n" + "\n\n".join(BODY) + "\n"
    (tmp_path / "a.txt").write_text(text, encoding="utf-8")
    (tmp_path / "b.txt").write_text(text.replace("\n\n", "\r\n"), encoding="utf-8")  # a re-scrape
    (tmp_path / "c.txt").write_text("Dated Story About Goma Clashes\nPublished: 3 May 2024\n" + BODY[0] + "\n", encoding="utf-8")
    got = [a for a in iter_articles([str(tmp_path)], settings, published="2024-06-01", outlet="Lakes Courier")
           if not isinstance(a, ErrorRecord)]
    a, b, c = got
    assert a.id == b.id and b.duplicate_of == a.id and a.duplicate_of is None
    # --published only where the input has no date of its own
    assert (a.published.date, a.published.how) == ("2024-06-01", "cli")
    assert (c.published.date, c.published.how) == ("2024-05-03", "dateline")
    assert a.source.outlet == "Lakes Courier"


@pytest.mark.parametrize("bad", ["2024-13-01", "27/07/2021", "yesterday"])
def test_bad_published_is_a_config_error(bad: str, settings) -> None:
    with pytest.raises(ConfigError, match="YYYY-MM-DD"):
        iter_articles(["-"], settings, published=bad)


def test_duplicate_index_is_capped(monkeypatch, settings) -> None:
    # memory stays bounded on endless streams: the oldest originals leave the index
    monkeypatch.setattr("wirecoder.stages.extract.identity.MAX_INDEXED", 2)
    finder = DuplicateFinder(settings.extract)
    stories = [article(f"Story {i}", [f"Unique report number {i} about shelling in town {i} on Monday."]) for i in range(4)]
    for i, story in enumerate(stories):
        story.id = f"s{i}"
        assert finder.check(story) is None
    assert len(finder.ids) == 2
    assert finder.check(stories[3]) == "s3"  # still indexed
    assert finder.check(stories[0]) is None  # forgotten


def _whole_text_id(item: Article) -> str:
    """content_id as defined: SHA-256 of the whole normalized headline and body."""
    digest = hashlib.sha256(normalize(item.headline or "").encode("utf-8") + b"\x00" + normalize(item.body).encode("utf-8"))
    return digest.hexdigest()[:16]


def test_content_id_normalized_in_blocks_is_the_whole_text_id(monkeypatch) -> None:
    # blocks of 64 characters cut at spaces or before ASCII: NFKC and case folding read
    # them as they read the whole (combining accents, Hangul jamo, ligatures, U+3000)
    monkeypatch.setattr("wirecoder.stages.extract.identity.NORMALIZE_CHARS", 64)
    alphabet = list("ab cdE\n\t\u00a0\u0301\u0308e\u00e9\u1100\u1161\u11a8\uac00\u3000\u00a8\ufb01\u2028xyZ.,;\u0130\u03a3\u00df")
    rng = random.Random(0)
    for _ in range(300):
        paragraphs = ["".join(rng.choice(alphabet) for _ in range(rng.randint(0, 400))) for _ in range(rng.randint(0, 4))]
        item = Article(id="", headline="".join(rng.choice(alphabet) for _ in range(rng.randint(0, 90))), paragraphs=paragraphs)
        assert content_id(item) == _whole_text_id(item)


def test_signature_of_a_huge_article_is_bounded(settings) -> None:
    # 12 MB of text: the signature reads its first million characters, in blocks
    finder = DuplicateFinder(settings.extract)
    rng = random.Random(1)
    paragraphs = [" ".join(rng.choice(BODY).split()[:12]) + f" paragraph {i}." for i in range(120_000)]
    huge, prefix = article(paragraphs=paragraphs), article(paragraphs=paragraphs[:12_000])
    assert len(huge.body) > 10 * SIGNATURE_CHARS and len(prefix.body) > SIGNATURE_CHARS
    tracemalloc.start()
    signature = finder.signature(huge)
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    assert peak < 60_000_000  # was about 190 bytes per character of the whole text
    assert (signature.hashvalues == finder.signature(prefix).hashvalues).all()
