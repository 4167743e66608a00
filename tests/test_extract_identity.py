"""Stable content ids, near-duplicates within a run, and what --published / --source fill."""

from __future__ import annotations

from pathlib import Path

import pytest

from wirecoder.errors import ConfigError
from wirecoder.records import Article, ErrorRecord
from wirecoder.stages.extract import iter_articles
from wirecoder.stages.extract.identity import DuplicateFinder, content_id

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
