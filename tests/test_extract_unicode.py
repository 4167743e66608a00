"""Text as it really arrives: decomposed Unicode (a letter plus a combining accent, as
macOS and some CMSs write it) is read as its composed form by every input path, so the
places and event locations are those of the precomposed text; JSON Lines output stays
one record per line for line-based readers."""

from __future__ import annotations

import json
import unicodedata
from pathlib import Path

import pytest
from click.testing import CliRunner

from wirecoder.cli import main
from wirecoder.records import json_line

# Bogotá, Medellín and Ça written with combining marks (U+0301 acute, U+0327 cedilla).
DECOMPOSED = "Gunmen attacked a police station in Bogota\u0301, Colombia, on Monday, killing three officers. " \
             "Another attack hit Medelli\u0301n on Tuesday. \u00c7a suffit, said the mayor."
COMPOSED = unicodedata.normalize("NFC", DECOMPOSED)
HEADLINE = "Attacks in Bogota\u0301 and Medelli\u0301n"


def _html(text: str) -> str:
    return (f"<html><head><title>{HEADLINE}</title></head><body><article><h1>{HEADLINE}</h1>"
            f"<p>{text}</p><p>{text.replace('Monday', 'Sunday')}</p></article></body></html>")


def _feed(text: str) -> str:
    return (f"<?xml version='1.0'?><rss version='2.0'><channel><title>Wire</title><item><title>{HEADLINE}</title>"
            f"<description><![CDATA[<p>{text}</p>]]></description></item></channel></rss>")


# name, content: one file per input path, each holding the decomposed text
INPUTS = [
    # a plain-text article (the dump path)
    ("story.txt", f"{HEADLINE}\n\n{DECOMPOSED}\n"),
    # an HTML page
    ("story.html", _html(DECOMPOSED)),
    # the accents as HTML character references: decomposed only once the page is parsed
    ("entities.html", _html(DECOMPOSED.replace("\u0301", "&#769;").replace("\u0327", "&#807;"))),
    # an RSS feed
    ("feed.rss", _feed(DECOMPOSED)),
    # JSON Lines with raw characters
    ("raw.jsonl", json.dumps({"id": "a", "title": HEADLINE, "text": DECOMPOSED}, ensure_ascii=False) + "\n"),
    # JSON Lines with \\u escapes: decomposed only once the line is decoded
    ("escaped.jsonl", json.dumps({"id": "a", "title": HEADLINE, "text": DECOMPOSED}) + "\n"),
]


def _extract(*args: str, input: str | None = None) -> list[dict]:
    result = CliRunner().invoke(main, ["extract", *args], input=input)
    assert result.exit_code == 0, result.stderr
    return [json.loads(line) for line in result.stdout.splitlines()]


@pytest.mark.parametrize("name, content", INPUTS, ids=[name for name, _ in INPUTS])
def test_extract_every_input_path_gives_nfc_text(tmp_path: Path, name: str, content: str) -> None:
    (tmp_path / name).write_text(content, encoding="utf-8")
    decomposed = _extract(str(tmp_path / name))
    (tmp_path / name).write_text(unicodedata.normalize("NFC", content), encoding="utf-8")
    composed = _extract(str(tmp_path / name))
    assert decomposed == composed  # the same record, id included: the same story
    text = "\n".join([decomposed[0]["headline"], *decomposed[0]["paragraphs"]])
    assert unicodedata.is_normalized("NFC", text)
    assert "Bogotá" in text and "Medellín" in text


def test_extract_stdin_gives_nfc_text() -> None:
    article, = _extract("-", input=f"{HEADLINE}\n\n{DECOMPOSED}\n")
    assert article["paragraphs"] == [COMPOSED]


def test_extract_keeps_ids_and_paths_as_given(tmp_path: Path) -> None:
    # an id is a name the user joins on, a path names a file: neither is rewritten
    name = tmp_path / "Bogota\u0301.jsonl"
    name.write_text(json.dumps({"id": "caf\u0065\u0301", "text": DECOMPOSED}) + "\n", encoding="utf-8")
    article, = _extract(str(name))
    assert article["id"] == "caf\u0065\u0301"
    assert article["source"]["path"] == f"{name}:1"
    assert article["paragraphs"] == [COMPOSED]


def _places_and_locations(path: Path, text: str) -> tuple[list[tuple[str, int, int, int | None]], list[tuple[str | None, int | None]]]:
    """Places and event locations of ``text``, read from a file as any input is."""
    from wirecoder.pipeline import analyze, build_stages
    from wirecoder.settings import load_settings
    from wirecoder.stages.extract import iter_articles

    settings = load_settings(overrides=["code.use_embeddings=false"])
    path.write_text(json.dumps({"id": "a", "text": text, "published": "2024-03-04"}) + "\n", encoding="utf-8")
    document, = analyze(iter_articles([str(path)], settings), build_stages(settings, "resolve"))
    places = [(p.text, p.start, p.end, p.geonameid) for p in document.places]
    return places, sorted((e.location or "", e.geonameid or 0) for e in document.events)


def test_geoparse_and_code_find_the_same_places_in_decomposed_text(tmp_path: Path) -> None:
    decomposed = _places_and_locations(tmp_path / "decomposed.jsonl", DECOMPOSED)
    composed = _places_and_locations(tmp_path / "composed.jsonl", COMPOSED)
    assert decomposed == composed
    places, locations = composed
    assert ("Bogotá", 36, 42, 3688689) in places  # 3688689 Bogotá
    assert any(geonameid == 3674962 for *_, geonameid in places)  # 3674962 Medellín
    assert ("Bogotá", 3688689) in locations


def test_geoparse_cli_decomposed_jsonl_snippet(tmp_path: Path) -> None:
    # the command a user types, on a snippet with \\u escapes: the offsets point into the
    # normalized text, which is the article's text
    snippet = tmp_path / "s.jsonl"
    snippet.write_text(json.dumps({"id": "s", "text": DECOMPOSED}) + "\n", encoding="utf-8")
    result = CliRunner().invoke(main, ["geoparse", str(snippet)])
    assert result.exit_code == 0, result.stderr
    places = json.loads(result.stdout.splitlines()[0])["places"]
    bogota = next(p for p in places if p["geonameid"] == 3688689)
    assert COMPOSED[bogota["start"]:bogota["end"]] == "Bogotá"


def test_json_line_survives_splitlines() -> None:
    # U+2028, U+2029 and U+0085 end a line for str.splitlines(); escaped, one record is one line
    record = {"text": "one\u2028two\u2029three\x85four\x1cfive"}
    line = json_line(record)
    assert len(line.splitlines()) == 1
    assert json.loads(line) == record
