"""The dump segmenter: line shapes, the seed's expected articles, and exact recovery of
what the synthetic generator put into many varied dumps."""

from __future__ import annotations

import io
import json
import random
import time
from pathlib import Path

import pytest

from dumpgen import generate
from wirecoder.stages.extract import iter_articles
from wirecoder.stages.extract.dumps import classify, ends_sentence, logical_lines, segment_dump, split_caption


def segment(text: str):
    return list(segment_dump(io.StringIO(text, newline=None), "test.txt"))


@pytest.mark.parametrize(
    "line, kind",
    [
        # the seed's widgets, and other sites' ones
        ("TT", "widget"),
        ("20", "widget"),
        ("A+", "widget"),
        ("Comments (4)", "widget"),
        ("Share on Facebook", "widget"),
        ("•••", "widget"),
        # a headline: short, no final full stop, more than three words
        ("Army Steps Up Offensive Near Homs", "headline"),
        # a question in title case is a headline, a question in running text is text
        ("Is the Truce in Tigray Over?", "headline"),
        ("Why did the convoy turn back, residents asked?", "text"),
        # a sentence, however short
        ("He was killed.", "text"),
        # a long line without a final stop is still a paragraph
        (" ".join(["word"] * 40), "text"),
        # captions: credit in parentheses, in several styles, or after "Photo:"
        ("A man walks past ruins in Aleppo, on March 2, 2019. (AFP)", "caption"),
        ("Troops on the road to Goma. (Reuters file)", "caption"),
        ("Smoke over Kharkiv after a strike. (AP Photo/Jane Doe)", "caption"),
        ("Displaced families queue for water. (Getty Images)", "caption"),
        ("Displaced families queue for water near Bunia. Photo: Jane Doe/Reuters", "caption"),
        # a parenthesis that is no credit does not make a caption
        ("The agency said it had sent aid to the area (see map)", "headline"),
        # a date alone in a header is a date line
        ("Published: 14 March 2025", "date"),
        ("March 14, 2025 10:32 GMT", "date"),
        # a byline or closing line never opens an article
        ("Reporting by Jane Doe; Editing by John Smith", "byline"),
        # multi-word widgets are page furniture, not headlines (issue 15)
        ("Listen to this article", "widget"),
        ("3 min", "widget"),
        ("Font size", "widget"),
        ("+", "widget"),
        ("-", "widget"),
        ("See all columns", "widget"),
        ("Photo 2 of 5", "widget"),
        ("Updated 3 hours ago", "widget"),
        # a two-word name may be a headline: where it stands decides
        ("Jimmy Carter", "short"),
        # a photo credit on a line of its own
        ("(EPA)", "credit"),
        ("(Getty Images)", "credit"),
        ("(Anadolu)", "credit"),
        ("(AFP file photo)", "credit"),
        ("Getty Images", "credit"),
        ("AFP file photo", "credit"),
        ("Courtesy of the family", "credit"),
        # a headline that holds a word of credits is still a headline
        ("The image problem", "short"),
        ("Image Problems Plague Kremlin", "headline"),
        ("AP Interview: Leader Speaks", "headline"),
        # a caption labelled as a file photo, and one credited with a name alone
        ("FILE - Smoke rises over Kharkiv after a strike.", "caption"),
        ("Smoke rises over Kharkiv after a strike. (Jane Doe)", "caption"),
        # a question headline with a full stop is a sentence by shape: its place decides
        ("What is the winter solstice? Here's what you need to know.", "text"),
    ],
)
def test_classify_line_shapes(line: str, kind: str) -> None:
    assert classify(line) == kind


@pytest.mark.parametrize(
    "line, expected",
    [
        # the credit is kept as printed, without its parentheses
        ("Soldiers guard a checkpoint near Daraa. (Reuters file)", ("Soldiers guard a checkpoint near Daraa.", "Reuters file")),
        ("Smoke over Kharkiv after a strike. (AP Photo/Jane Doe)", ("Smoke over Kharkiv after a strike.", "AP Photo/Jane Doe")),
        ("Families queue for water near Bunia. Photo: Jane Doe/Reuters", ("Families queue for water near Bunia.", "Photo: Jane Doe/Reuters")),
        # too little text before the credit: not a caption
        ("Photo (AFP)", None),
    ],
)
def test_split_caption(line: str, expected: tuple[str, str] | None) -> None:
    assert split_caption(line) == expected


def test_hard_wrapped_paragraphs_are_rejoined() -> None:
    text = "Fighting flared near Goma on Monday, and\nresidents fled toward the lake.\n"
    assert [line for _, line in logical_lines(text.splitlines())] == [
        "Fighting flared near Goma on Monday, and residents fled toward the lake."
    ]


def test_repeated_header_block_is_kept_once() -> None:
    caption = "Smoke rises over Aleppo after a strike, on May 3, 2020. (AFP)"
    text = "\n".join([
        "Clashes Flare Again in Northern Aleppo", caption, caption, "Share", "99",
        "Clashes Flare Again in Northern Aleppo", caption,
        "Fighting resumed on Tuesday in villages north of Aleppo.",
        "Share",
        "Residents said the shelling lasted all night.",
    ])
    [article] = segment(text)
    assert article.headline == "Clashes Flare Again in Northern Aleppo"
    assert [(c.text, c.credit) for c in article.captions] == [("Smoke rises over Aleppo after a strike, on May 3, 2020.", "AFP")]
    assert article.paragraphs == [
        "Fighting resumed on Tuesday in villages north of Aleppo.",
        "Residents said the shelling lasted all night.",
    ]
    # the caption's date is the photo's: never the article's
    assert article.published.date is None


def test_question_headline_and_closing_credit() -> None:
    text = "\n".join([
        # a sentence-case question opening a header block is a headline
        "Is the ceasefire in Gaza about to collapse?",
        "Displaced people walk past rubble in Khan Younis, on May 2, 2024. (Reuters)",
        "Share",
        "Israeli strikes killed 12 people in Khan Younis on Tuesday, the health ministry said.",
        # a question inside the body stays body text
        "Why did the talks fail, officials asked?",
        # an agency credit closing the story is dropped
        "(Reporting by Jane Doe; Editing by John Smith)",
        "Second Story About Clashes in Nyala",
        "Share",
        "Fighting killed five people in Nyala on Monday.",
    ])
    first, second = segment(text)
    assert first.headline == "Is the ceasefire in Gaza about to collapse?"
    assert first.paragraphs == [
        "Israeli strikes killed 12 people in Khan Younis on Tuesday, the health ministry said.",
        "Why did the talks fail, officials asked?",
    ]
    assert second.headline == "Second Story About Clashes in Nyala"


@pytest.mark.parametrize(
    "separator, stories",
    [
        # no header block and no wider gap: a headline-like line followed by text is a
        # sub-heading of the current story, not the start of another (issue 15)
        ("\n", 1),
        # a clear gap (more blank lines than between paragraphs) opens a new story
        ("\n\n\n", 2),
    ],
)
def test_crosshead_or_new_story(separator: str, stories: int) -> None:
    text = "\n".join([
        "Clashes Flare Again in Northern Aleppo",
        "Fighting resumed on Tuesday in villages north of Aleppo.",
        "Aid workers said the road to the city was closed.",
    ]) + separator + "\n".join([
        "Residents flee toward the Turkish border",
        "Families packed their belongings into trucks, witnesses said.",
    ])
    got = segment(text)
    assert len(got) == stories
    if stories == 1:
        assert got[0].paragraphs[2] == "Residents flee toward the Turkish border"
    else:
        assert got[1].headline == "Residents flee toward the Turkish border"


def test_labelled_metadata_dump() -> None:
    # scraped corpora often print each story as labelled fields
    text = "\n".join([
        "URL: https://news.example/2025/03/sake-clashes",
        "Title: Clashes Near Sake Kill Seven Soldiers",
        "Date: 2025-03-10",
        "At least seven soldiers were killed near Sake on Monday.",
        "URL: https://news.example/2025/03/bukavu-protest",
        "Title: Protesters Rally in Bukavu",
        "Date: 2025-03-11",
        "Hundreds marched in Bukavu on Tuesday.",
    ])
    first, second = segment(text)
    assert (first.headline, first.source.url, first.published.date) == (
        "Clashes Near Sake Kill Seven Soldiers", "https://news.example/2025/03/sake-clashes", "2025-03-10")
    assert (second.headline, second.source.url, second.published.date) == (
        "Protesters Rally in Bukavu", "https://news.example/2025/03/bukavu-protest", "2025-03-11")
    assert second.paragraphs == ["Hundreds marched in Bukavu on Tuesday."]


def test_date_line_in_header_is_the_publication_date() -> None:
    text = "Clashes Flare Again in Northern Aleppo\nPublished: 4 May 2020\nFighting resumed on Tuesday north of Aleppo.\n"
    [article] = segment(text)
    assert (article.published.date, article.published.how) == ("2020-05-04", "dateline")


def test_text_without_headline_is_one_article() -> None:
    [article] = segment("Fighting resumed on Tuesday north of Aleppo.\n\nResidents fled.\n")
    assert article.headline is None
    assert article.paragraphs == ["Fighting resumed on Tuesday north of Aleppo.", "Residents fled."]


@pytest.mark.parametrize("seed", range(500))
def test_generated_dumps_are_recovered_exactly(seed: int) -> None:
    text, expected, style = generate(seed)
    got = segment(text)
    assert [a.headline for a in got] == [a.headline for a in expected], style
    assert [[(c.text, c.credit) for c in a.captions] for a in got] == [a.captions for a in expected], style
    assert [a.paragraphs for a in got] == [a.paragraphs for a in expected], style
    assert [a.published.date for a in got] == [a.published for a in expected], style


def test_seed_gives_the_expected_articles(seed_path: Path, settings) -> None:
    expected = json.loads(seed_path.with_name(seed_path.stem + ".expected.json").read_text(encoding="utf-8"))
    got = list(iter_articles([str(seed_path)], settings))
    assert len(got) == len(expected["articles"])
    widgets_and_repeats = set()
    for article, want in zip(got, expected["articles"]):
        assert article.headline == want["headline"]
        assert [c.credit for c in article.captions] == [c["credit"] for c in want["captions"]]
        for caption, want_caption in zip(article.captions, want["captions"]):
            assert caption.text.startswith(want_caption["text_starts"])
        assert len(article.paragraphs) == want["paragraphs"]
        assert article.paragraphs[0].startswith(want["body_starts"])
        assert article.paragraphs[-1].endswith(want["body_ends"])
        assert article.published.date == want["published"]
        widgets_and_repeats |= {article.headline, *(c.text for c in article.captions)}
        # no widget (short non-sentence line) and no repeated header line in a body
        assert all(len(p.split()) > 3 for p in article.paragraphs)
        assert not widgets_and_repeats & set(article.paragraphs)
        assert not any(p.startswith(c.text) for p in article.paragraphs for c in article.captions)


def _rejoined_naively(lines: list[str]) -> list[str]:
    """The re-joining rule applied to the whole paragraph at each line, as it was
    written before it was made linear: the reference the fast version must match."""
    out: list[str] = []
    pending: str | None = None
    for raw in lines:
        line = " ".join(raw.split())
        if not line:
            if pending is not None:
                out.append(pending)
            pending = None
            continue
        if pending is not None and line[0].islower() and not ends_sentence(pending) and not split_caption(pending):
            pending = f"{pending} {line}"
            continue
        if pending is not None:
            out.append(pending)
        pending = line
    return out + ([pending] if pending is not None else [])


def test_rejoining_reads_the_tail_as_the_whole_paragraph() -> None:
    # long words, credits and closing quotes around the 300-character tail the tests read
    pieces = ["a", "the", "Goma", "(AFP)", "(Reuters)", "Photo:", "photo: jane doe/reuters", "|", "-", "x" * 120,
              "y" * 150, ".", "said.", "”", ")", "(", "Credit: UNICEF", "(AP Photo/Jane Doe)", "rebels", "?"]
    rng = random.Random(3)
    for _ in range(3000):
        lines = []
        for _ in range(rng.randint(1, 10)):
            line = " ".join(rng.choice(pieces) for _ in range(rng.randint(0, 8)))
            lines.append((line[:1].lower() + line[1:] if rng.random() < 0.6 else line) + "\n")
        assert [text for _, text in logical_lines(lines)] == _rejoined_naively(lines), lines


def test_hard_wrapped_text_is_rejoined_in_linear_time() -> None:
    # 4 MB wrapped into lines that all continue the one above: was 9 s (quadratic), now < 1 s
    rng = random.Random(5)
    words = "market road school water bridge council harvest river lorry clinic radio village".split()
    lines = [" ".join(rng.choice(words) for _ in range(11)) + "\n" for _ in range(60_000)]
    started = time.perf_counter()
    (_, text), = logical_lines(lines)
    assert time.perf_counter() - started < 5
    assert len(text) == sum(len(line) for line in lines) - 1


def test_article_over_max_chars_is_refused_and_not_held() -> None:
    # a dump whose middle "article" is too long: an error naming it, the others kept
    body = "\n\n".join(f"Paragraph {i} says that fighting went on near the river on Monday." for i in range(200))
    story = "At least seven soldiers were killed on Monday when rebels attacked army positions above Sake."
    text = (f"Short Story About Goma\n\n{story}\n\n\n\nA Story Far Too Long\n\n{body}\n\n\n\n"
            f"Another Story About Sake\n\n{story}\n")
    got = list(segment_dump(io.StringIO(text), "dump.txt", max_chars=5_000))
    assert [type(x).__name__ for x in got] == ["Article", "InputError", "Article"]
    # counted as Article.text would be: headline, blank line, paragraphs joined by blank lines
    size = len("A Story Far Too Long") + 2 + len(body)
    assert got[1].item == "dump.txt" and f"'A Story Far Too Long' has {size:,} characters" in got[1].reason
    assert got[2].headline == "Another Story About Sake"
