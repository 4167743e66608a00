"""HTML pages written by hand in the shapes real sites have (tests/html_pages.py): the
body comes out whole and nothing else does, and only the story's own photo captions are
kept — not another story's photo in a sidebar or a related-stories box, not an
affiliate notice in a caption box."""

from __future__ import annotations

import pytest
from html_pages import HAND_PAGES, HandPage

from wirecoder.evaluate.extraction import precision_recall
from wirecoder.stages.extract.html import extract_captions, extract_html, parse_tree, story_container


@pytest.mark.parametrize("page", HAND_PAGES, ids=[p.name for p in HAND_PAGES])
def test_hand_page_gives_its_body_and_only_its_own_captions(page: HandPage) -> None:
    article = extract_html(page.html, f"{page.name}.html")
    assert article.paragraphs == page.body
    assert [c.text for c in article.captions] == page.captions


@pytest.mark.parametrize("page", HAND_PAGES, ids=[p.name for p in HAND_PAGES])
def test_hand_page_shingle_scores_are_perfect(page: HandPage) -> None:
    # the benchmark's metric, as scripts/measure_html_extraction.py prints it
    assert precision_recall("\n".join(page.body), extract_html(page.html, page.name).body) == (1.0, 1.0)


@pytest.mark.parametrize("zone", [
    # another story's photo in a sidebar
    "<aside><figure><img src='x.jpg'><figcaption>The finance minister presents the budget on Tuesday.</figcaption></figure></aside>",
    # a most-read box marked only by its class
    "<div class='most-read'><figure><img src='x.jpg'><figcaption>The finance minister presents the budget on Tuesday.</figcaption></figure></div>",
    # a story card (an <article> of its own) inside the story's container
    "<article class='card'><figure><img src='x.jpg'><figcaption>The finance minister presents the budget on Tuesday.</figcaption></figure></article>",
    # an affiliate notice in a caption box
    "<p class='caption'>This story contains affiliate links; we earn a commission on purchases.</p>",
])
def test_caption_outside_the_story_is_not_kept(zone: str) -> None:
    page = HAND_PAGES[0].html.replace("</div></article>", f"</div>{zone}</article>", 1)
    assert zone in page
    assert [c.text for c in extract_html(page, "page.html").captions] == HAND_PAGES[0].captions


def test_layout_class_around_the_story_does_not_hide_its_captions() -> None:
    # "sidebar" in a class of an element that holds the story is the page's layout, not a sidebar
    page = HAND_PAGES[0].html.replace("<main>", "<main class='layout-with-sidebar ad-margins'>", 1)
    assert [c.text for c in extract_html(page, "page.html").captions] == HAND_PAGES[0].captions


def test_story_container_is_the_article_around_the_body() -> None:
    tree = parse_tree(HAND_PAGES[0].html, "page.html")
    container, body = story_container(tree)
    assert (container.tag, container.get("class")) == ("article", "story")
    assert body.get("class") == "story-body"


def test_page_without_paragraphs_keeps_captions_outside_sidebars() -> None:
    tree = parse_tree("<html><body><figure><img src='a.jpg'><figcaption>Smoke rises over the port after the strike.</figcaption>"
                      "</figure><aside><figcaption>A different story's photo of the harbour.</figcaption></aside></body></html>", "p")
    assert [c.text for c in extract_captions(tree)] == ["Smoke rises over the port after the strike."]
