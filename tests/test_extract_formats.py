"""HTML pages, RSS/Atom feeds and JSON Lines: what each input kind turns into."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from wirecoder.errors import InputError
from wirecoder.records import ErrorRecord
from wirecoder.stages.extract import iter_articles
from wirecoder.stages.extract.publication_dates import find_dateline, parse_date
from wirecoder.stages.extract.html import extract_html, strip_closing_boilerplate, strip_site_suffix
from wirecoder.stages.extract.jsonl import split_text

SAMPLES = Path(__file__).resolve().parents[1] / "samples"

PAGE = """<!DOCTYPE html><html><head><meta charset="utf-8">
<title>Clashes Near Bunia Kill Six | Lakes Courier</title>
<meta property="og:site_name" content="Lakes Courier">
<meta property="article:published_time" content="2024-11-05T08:00:00Z">
</head><body><nav><a href="/">Home</a> <a href="/news">News</a></nav>
<article><h1>Clashes Near Bunia Kill Six</h1>
<figure><img src="a.jpg"><figcaption>Soldiers patrol a market in Bunia, on May 2, 2019.
<span class="credit">Jane Doe/AFP</span></figcaption></figure>
<p>Fighting between CODECO militiamen and the army near Bunia killed six people on Monday, local officials said.</p>
<p>The clashes began at dawn in the village of Lopa and lasted several hours, residents said.</p>
<p>Aid groups said hundreds of families had fled toward the town of Bunia since the weekend.</p>
</article><footer>© Lakes Courier</footer></body></html>"""


def articles(inputs: list[str], settings) -> list:
    return [a for a in iter_articles(inputs, settings) if not isinstance(a, ErrorRecord)]


@pytest.mark.parametrize(
    "title, sites, expected",
    [
        # a pipe always marks the site's name
        ("Clashes Near Bunia Kill Six | Lakes Courier", [], "Clashes Near Bunia Kill Six"),
        # a dash only when what follows is the site
        ("Army Retakes Town - Horn Observer", ["Horn Observer"], "Army Retakes Town"),
        ("Army Retakes Town - Residents Return", [], "Army Retakes Town - Residents Return"),
        # several sections after the title
        ("Ceasefire Holds | World | Daily Wire", [], "Ceasefire Holds"),
        # a section before it: the headline is the longest part
        ("Opinion | Why the Ceasefire in Gaza Will Not Hold", [], "Why the Ceasefire in Gaza Will Not Hold"),
    ],
)
def test_strip_site_suffix(title: str, sites: list[str], expected: str) -> None:
    assert strip_site_suffix(title, sites) == expected


@pytest.mark.parametrize(
    "last, removed",
    [
        ("(Reporting by Jane Doe; Editing by John Smith)", True),  # agency credit line
        ("Follow us on Twitter for the latest updates.", True),  # social-media invitation
        ("Sign up for our daily newsletter.", True),  # newsletter box
        ("© 2025 Lakes Courier. All rights reserved.", True),  # copyright notice
        ("Reporters said the fighting had stopped by noon.", False),  # a real last paragraph
    ],
)
def test_closing_boilerplate_is_removed_from_the_end(last: str, removed: bool) -> None:
    body = ["Fighting broke out near Goma on Monday.", last]
    assert strip_closing_boilerplate(body) == (body[:1] if removed else body)


def test_html_page_body_captions_title_and_date() -> None:
    article = extract_html(PAGE, "page.html")
    assert article.headline == "Clashes Near Bunia Kill Six"
    assert [(c.text, c.credit) for c in article.captions] == [("Soldiers patrol a market in Bunia, on May 2, 2019.", "Jane Doe/AFP")]
    assert article.paragraphs[0].startswith("Fighting between CODECO")
    assert len(article.paragraphs) == 3
    assert not any("Soldiers patrol" in p for p in article.paragraphs)
    assert (article.published.date, article.published.how) == ("2024-11-05", "metadata")
    assert article.source.outlet == "Lakes Courier"


@pytest.mark.parametrize(
    "figure, expected",
    [
        # credit in an element marked by itemprop, behind a "Credit..." label
        ('<figcaption>Troops enter Sake on Monday.<span itemprop="copyrightHolder"><span>Credit...</span>'
         "<span>Jane Doe/Lakes Courier</span></span></figcaption>", ("Troops enter Sake on Monday.", "Jane Doe/Lakes Courier")),
        # credit written into the text, names joined by a slash
        ("<figcaption>A global map of the fighting near Goma. (UN/OCHA)</figcaption>", ("A global map of the fighting near Goma.", "UN/OCHA")),
        # a gallery counter is not part of the caption
        ('<div class="gallery-caption">Image 2 of 9 Smoke rises over Bukavu after shelling. (Reuters)</div>',
         ("Smoke rises over Bukavu after shelling.", "Reuters")),
        # a bare name or a widget in a caption box is no caption
        ('<div class="caption">604 COMMENTS</div>', None),
    ],
)
def test_html_caption_forms(figure: str, expected: tuple[str, str] | None) -> None:
    article = extract_html(PAGE.replace("<figure><img", figure + "<figure><img", 1), "page.html")
    forms = [(c.text, c.credit) for c in article.captions]
    if expected is None:
        assert len(forms) == 1
    else:
        assert forms[0] == expected


def test_html_dateline_when_metadata_has_no_date() -> None:
    page = PAGE.replace('<meta property="article:published_time" content="2024-11-05T08:00:00Z">', "").replace(
        "<p>Fighting between", "<p>BUNIA, Congo, November 4, 2024 — Fighting between"
    )
    article = extract_html(page, "page.html")
    assert (article.published.date, article.published.how) == ("2024-11-04", "dateline")


@pytest.mark.parametrize(
    "text, expected",
    [
        ("2025-03-14 20:30:26Z", "2025-03-14"),  # JSONL published with a time
        ("Thu, 20 Feb 2025 16:05:00 GMT", "2025-02-20"),  # RFC 822 feed date
        ("March 3, 2025", "2025-03-03"),
        ("3 March 2025", "2025-03-03"),
        ("March 2025", None),  # not a whole date: never guessed
        ("2025-02-30", None),  # not a real day
    ],
)
def test_parse_date(text: str, expected: str | None) -> None:
    assert parse_date(text) == expected


@pytest.mark.parametrize(
    "paragraph, expected",
    [
        ("KHARTOUM, Sudan, March 3, 2025 — Shelling hit the city.", "2025-03-03"),
        ("GOMA, 4 November 2024 - Rebels advanced.", "2024-11-04"),
        # a date later in the sentence is no dateline
        ("Rebels advanced on Goma on March 3, 2025, officials said.", None),
    ],
)
def test_find_dateline(paragraph: str, expected: str | None) -> None:
    assert find_dateline(paragraph) == expected


def test_rss_feed_one_article_per_item(settings) -> None:
    got = articles([str(SAMPLES / "wire_feed.xml")], settings)
    assert [a.source.path for a in got] == [f"{SAMPLES / 'wire_feed.xml'}#{i}" for i in (1, 2, 3)]
    assert got[0].headline == "Gunmen kill 12 villagers in central Mali attack"
    assert got[0].published.date == "2025-02-20" and got[2].published.date == "2025-02-25"
    assert got[0].source.outlet == "Sahel Wire"
    assert len(got[0].paragraphs) == 3


def test_atom_feed(tmp_path: Path, settings) -> None:
    feed = tmp_path / "feed.atom"
    feed.write_text(
        '<?xml version="1.0" encoding="utf-8"?><feed xmlns="http://www.w3.org/2005/Atom"><title>Atom Desk</title>'
        '<entry><title>Strike hits depot</title><link href="https://x.example/1"/><published>2025-01-02T10:00:00Z</published>'
        '<content type="html">&lt;p&gt;A drone hit a fuel depot near Odesa on Monday.&lt;/p&gt;</content></entry></feed>',
        encoding="utf-8",
    )
    [article] = articles([str(feed)], settings)
    assert (article.headline, article.paragraphs, article.published.date, article.source.url) == (
        "Strike hits depot", ["A drone hit a fuel depot near Odesa on Monday."], "2025-01-02", "https://x.example/1")


def test_jsonl_keeps_ids_text_and_dates(tmp_path: Path, settings) -> None:
    snippet = "Gunmen killed 4 people in Beni on Tuesday, a local official said. The army blamed the ADF."
    lines = [
        {"id": "snip-1", "text": snippet},
        {"id": 42, "title": "Clashes in Sake", "text": "First paragraph here.\n\nSecond one.", "published": "2025-03-14 20:30:26Z"},
        {"id": "page-1", "url": "https://x.example/p", "html": PAGE},
        {"text": "No id, so a content hash."},
    ]
    path = tmp_path / "in.jsonl"
    path.write_text("\n".join(json.dumps(line) for line in lines) + "\n", encoding="utf-8")
    got = articles([str(path)], settings)
    assert [a.id for a in got[:3]] == ["snip-1", "42", "page-1"]
    assert len(got[3].id) == 16
    # a text without blank lines comes back unchanged: event offsets point into it
    assert got[0].text == snippet and got[0].headline is None
    assert got[1].headline == "Clashes in Sake" and got[1].paragraphs == ["First paragraph here.", "Second one."]
    assert (got[1].published.date, got[1].published.how) == ("2025-03-14", "metadata")
    assert got[2].headline == "Clashes Near Bunia Kill Six" and got[2].source.url == "https://x.example/p"
    assert [a.source.path for a in got] == [f"{path}:{n}" for n in (1, 2, 3, 4)]


def test_json_array_file_and_feed_with_html_entities(tmp_path: Path, settings) -> None:
    array = tmp_path / "stories.json"
    array.write_text(json.dumps([{"id": "x1", "text": "Clashes near Sake on Monday."}, {"id": "x2", "title": "No text"}]), encoding="utf-8")
    feed = tmp_path / "feed.rss"
    feed.write_text("<rss><channel><title>Desk</title><item><title>Caf&eacute; hit</title>"
                    "<description>A shell hit a caf&eacute;&nbsp;in Kherson on Monday.</description></item></channel></rss>",
                    encoding="utf-8")
    results = list(iter_articles([str(array), str(feed)], settings))
    assert results[0].id == "x1" and results[0].source.path == f"{array}#1"
    # the record without text is one error naming it
    assert isinstance(results[1], ErrorRecord) and results[1].item == f"{array}#2"
    assert results[2].headline == "Café hit" and results[2].paragraphs == ["A shell hit a café in Kherson on Monday."]


@pytest.mark.parametrize(
    "text, expected",
    [
        ("One line, kept as is. ", ["One line, kept as is. "]),  # no blank line: untouched
        ("Line one.\nLine two.", ["Line one.\nLine two."]),  # single newlines do not split
        ("A.\n\nB.", ["A.", "B."]),  # exact pieces
        ("A.\n\n\n  B.  \n", ["A.", "B."]),  # messy blank lines: normalized
    ],
)
def test_split_jsonl_text(text: str, expected: list[str]) -> None:
    assert split_text(text) == expected


def test_samples_extract_cleanly(settings) -> None:
    results = list(iter_articles([str(SAMPLES)], settings))
    assert not [r for r in results if isinstance(r, ErrorRecord)]
    headlines = [r.headline for r in results]
    assert len(results) == 8 and all(headlines)
    assert not any("|" in h or " - Horn" in h for h in headlines)
    for article in results:
        for caption in article.captions:
            assert caption.credit and caption.text not in article.paragraphs


def test_page_with_more_text_than_an_article_may_hold_is_refused_unparsed() -> None:
    # a flat page of 3,000 paragraphs: refused by one scan of the markup, before trafilatura
    # (which needs about 18 times a page's size) ever sees it
    paragraphs = "".join(f"<p>Paragraph {i} tells of fighting near the river on Monday.</p>\n" for i in range(3000))
    page = f"<html><head><title>Long</title><script>var x = '{'y' * 5000}';</script></head><body>{paragraphs}</body></html>"
    with pytest.raises(InputError, match=r"flat\.html: the page holds about 1[0-9]{2},[0-9]{3} characters of text"):
        extract_html(page, "flat.html", max_chars=100_000)
    assert extract_html(PAGE, "page.html", max_chars=100_000).paragraphs  # an ordinary page is read as before
