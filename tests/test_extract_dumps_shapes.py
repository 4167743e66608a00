"""The shapes of scraped dumps that issue 15 found split wrongly, each written out by
hand, and a check that the dump generator (tests/dumpgen.py) keeps producing them."""

from __future__ import annotations

import io
import random

import pytest

from dumpgen import DumpStyle, GenArticle, generate, render
from wirecoder.stages.extract.dumps import segment_dump

BODY = [
    "Rebels attacked army positions near Goma on Monday, the provincial governor said.",
    "At least seven soldiers were killed and 12 wounded in the fighting, he said.",
    "The army said it had retaken two villages by nightfall.",
]
OTHER = [
    "Hundreds of people marched through Bukavu on Tuesday against rising food prices.",
    "Police fired tear gas to disperse the crowd, witnesses said.",
]


def segment(text: str):
    return list(segment_dump(io.StringIO(text, newline=None), "test.txt"))


def test_listicle_sub_headings_stay_in_one_story() -> None:
    # a story with a sub-heading over every paragraph after its opening one (was: one
    # article per sub-heading)
    lines = ["Five Things to Know About the Fighting Around Goma", "By Jane Doe", "", OTHER[0], ""]
    heads = ["How the fighting started", "Hints for the days ahead", "Who is behind the attacks?"]
    for head, paragraph in zip(heads, BODY):
        lines += [head, "", paragraph, ""]
    [article] = segment("\n".join(lines))
    assert article.headline == "Five Things to Know About the Fighting Around Goma"
    assert article.paragraphs == [OTHER[0], *(p for pair in zip(heads, BODY) for p in pair)]


@pytest.mark.parametrize("widgets", [
    # multi-word widgets under the headline (was: the headline became "Listen to this article")
    ["Listen to this article", "3 min"],
    ["Font size", "+", "-"],
    ["See all columns", "Share on X", "Updated 2 hours ago"],
])
def test_multi_word_widgets_are_not_headlines(widgets: list[str]) -> None:
    text = "\n".join(["Rebels Attack Army Positions Near Goma", *widgets, *BODY, "",
                      "Protesters March in Bukavu Over Prices", *widgets, *OTHER])
    first, second = segment(text)
    assert (first.headline, first.paragraphs) == ("Rebels Attack Army Positions Near Goma", BODY)
    assert (second.headline, second.paragraphs) == ("Protesters March in Bukavu Over Prices", OTHER)


def test_short_headline_is_kept() -> None:
    # a person's name over the story (was: dropped as a widget, leaving no headline)
    text = "\n".join(["Rebels Attack Army Positions Near Goma", "", *BODY, "", "", "",
                      "Jimmy Carter", "Listen to this article", "", *OTHER])
    first, second = segment(text)
    assert second.headline == "Jimmy Carter"
    assert second.paragraphs == OTHER
    assert first.paragraphs == BODY


@pytest.mark.parametrize("headline, header", [
    # a question and a full stop, over a caption (was: missed, and two stories merged)
    ("What is the winter solstice? Here's what you need to know.", ["People gather at dawn at Stonehenge. (EPA)"]),
    ("Goma counts its dead after a night of shelling.", ["By Jane Doe"]),
    # over a date line
    ("Is the truce in Goma over?", ["Published: 14 March 2025"]),
])
def test_sentence_headlines_over_a_header_block(headline: str, header: list[str]) -> None:
    text = "\n".join(["Rebels Attack Army Positions Near Goma", "By John Smith", *BODY,
                      headline, *header, *OTHER])
    first, second = segment(text)
    assert first.paragraphs == BODY
    assert (second.headline, second.paragraphs) == (headline, OTHER)


@pytest.mark.parametrize("paragraph_gap, article_gap", [
    # paragraphs on consecutive lines, stories one or two blank lines apart (was: merged)
    (0, 1),
    (0, 2),
    (1, 2),
])
def test_stories_a_little_further_apart_than_paragraphs(paragraph_gap: int, article_gap: int) -> None:
    gap = "\n" * (paragraph_gap + 1)
    text = (gap.join(["Rebels Attack Army Positions Near Goma", *BODY]) + "\n" * (article_gap + 1)
            + gap.join(["What is the winter solstice? Here's what you need to know.", *OTHER]))
    first, second = segment(text)
    assert (first.paragraphs, second.headline, second.paragraphs) == (
        BODY, "What is the winter solstice? Here's what you need to know.", OTHER)


@pytest.mark.parametrize("printed, caption", [
    # credits as agencies print them, at the end of the caption
    (["A man walks past ruins in Goma. (EPA)"], ("A man walks past ruins in Goma.", "EPA")),
    (["A man walks past ruins in Goma. (Getty Images)"], ("A man walks past ruins in Goma.", "Getty Images")),
    (["A man walks past ruins in Goma. (Anadolu)"], ("A man walks past ruins in Goma.", "Anadolu")),
    (["A man walks past ruins in Goma (AFP file photo)"], ("A man walks past ruins in Goma", "AFP file photo")),
    # the credit on a line of its own
    (["A man walks past ruins in Goma.", "(Getty Images)"], ("A man walks past ruins in Goma.", "Getty Images")),
    (["A man walks past ruins in Goma", "Photo: Jane Doe/Reuters"], ("A man walks past ruins in Goma", "Photo: Jane Doe/Reuters")),
    # no credit: the file-photo label, or the caption printed twice as scrapers do
    (["FILE - A man walks past ruins in Goma."], ("A man walks past ruins in Goma.", "FILE")),
    (["A man walks past ruins in Goma.", "A man walks past ruins in Goma."], ("A man walks past ruins in Goma.", None)),
])
def test_captions_with_and_without_credits(printed: list[str], caption: tuple[str, str | None]) -> None:
    text = "\n".join(["Rebels Attack Army Positions Near Goma", *printed, "Share", *BODY])
    [article] = segment(text)
    assert [(c.text, c.credit) for c in article.captions] == [caption]
    assert (article.headline, article.paragraphs) == ("Rebels Attack Army Positions Near Goma", BODY)


def test_links_share_rows_kickers_and_bylines_are_dropped() -> None:
    text = "\n".join([
        "Africa", "Rebels Attack Army Positions Near Goma", "Jane Doe", "", *BODY, "",
        "Share this article", "Related stories", "- Aid Convoy Blocked on Road to Beni",
        "- Curfew Imposed in Bunia After Ambush", "",
        "Middle East", "Protesters March in Bukavu Over Prices", "John Smith", "", *OTHER, "",
        "Read more", "Aid Convoy Blocked on Road to Beni",
    ])
    first, second = segment(text)
    assert (first.headline, first.paragraphs) == ("Rebels Attack Army Positions Near Goma", BODY)
    assert (second.headline, second.paragraphs) == ("Protesters March in Bukavu Over Prices", OTHER)


def test_sub_heading_inside_a_body_after_an_ad() -> None:
    # an advertisement line before a sub-heading is no header block
    text = "\n".join(["Rebels Attack Army Positions Near Goma", "Share", *BODY[:2], "Advertisement",
                      "What the army says", BODY[2]])
    [article] = segment(text)
    assert article.paragraphs == [*BODY[:2], "What the army says", BODY[2]]


def test_generator_prints_the_issue_15_shapes() -> None:
    """Across seeds the generator prints every shape the splitter is tested on, so the
    exact-recovery test over generated dumps covers them all."""
    seen: dict[str, int] = {}

    def count(name: str, hit: bool) -> None:
        seen[name] = seen.get(name, 0) + hit

    for seed in range(300):
        text, articles, style = generate(seed)
        count("question or full-stop headline", any(a.headline.endswith(("?", ".")) for a in articles))
        count("two-word headline", any(len(a.headline.split()) <= 2 for a in articles))
        count("listicle", any(sum(len(p.split()) <= 6 for p in a.paragraphs) >= 3 for a in articles))
        count("multi-word widget", any(len(w.split()) >= 2 for w in style.widgets))
        count("stories as close as paragraphs", style.article_gap <= style.paragraph_gap)
        count("stories one or two blank lines apart", style.paragraph_gap == 0 and style.article_gap <= 2)
        count("caption without credit", any(credit is None for a in articles for _, credit in a.captions))
        count("credit on its own line", any(len(lines) == 2 and lines[0] != lines[1]
                                           for a in articles for lines in a.printed_captions))
        count("file-photo label", "\nFILE - " in text)
        count("kicker", style.kicker)
        count("links list", style.links is not None)
        count("share row", style.tail is not None)
        count("gallery", style.gallery)
        count("name byline", any(a.byline and not a.byline.startswith("By ") for a in articles))
        count("updated line", "Updated" in text)
    missing = [name for name, hits in seen.items() if hits < 3]
    assert not missing, seen


def test_render_keeps_one_sites_style_for_every_dump() -> None:
    # a style passed in is the site's: generate() must not widen its gap for everyone
    style = DumpStyle(newline="\n", paragraph_gap=1, article_gap=1, repeat_header=False, caption_times=1, widgets=[])
    generate(3, articles=4, style=style)
    assert style.article_gap == 1
    text = render([GenArticle(headline="Rebels Attack Army Positions Near Goma", paragraphs=BODY)], style,
                  random.Random(0))
    # the headline, a blank line under it, then the paragraphs' own gap
    assert text.startswith("Rebels Attack Army Positions Near Goma\n\n\n" + BODY[0] + "\n\n" + BODY[1])
