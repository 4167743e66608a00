"""Fuzzing ``extract``, ``code`` and ``run`` with what no test author thinks of: random
bytes, random Unicode (lone surrogates, bidi marks, NULs, U+2028), random JSON Lines
shapes and random HTML/XML, each placed between two good articles.

Whatever the item, the command prints no traceback, every failure is one JSON error
line naming an item, the good articles come through (are stored, for ``run``), and the
exit status is 0, or 1 with a summary. Hypothesis runs derandomized so CI is repeatable;
``WIRECODER_FUZZ_EXAMPLES=500 WIRECODER_FUZZ_RANDOM=1 pytest tests/test_fuzz_inputs.py``
hunts further."""

from __future__ import annotations

import json
import os
import sqlite3
import tempfile
from pathlib import Path

import pytest
from click.testing import CliRunner
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from wirecoder.cli import main
from wirecoder.errors import EXIT_ITEMS_FAILED, EXIT_OK

EXAMPLES = int(os.environ.get("WIRECODER_FUZZ_EXAMPLES", "40"))


def fuzz(examples: int):
    return settings(max_examples=examples, deadline=None, derandomize=not os.environ.get("WIRECODER_FUZZ_RANDOM"),
                    suppress_health_check=list(HealthCheck), database=None)


FUZZ = fuzz(EXAMPLES)

GOOD = [
    ("a-good.jsonl", {"id": "good-a", "text": "Rebels clashed with the army in Goma on 2025-03-01, killing two.",
                      "published": "2025-03-02"}),
    ("z-good.jsonl", {"id": "good-z", "text": "Protesters gathered in Dael on 2025-03-01 against fuel prices.",
                      "published": "2025-03-02"}),
]

# Characters that broke or could break a text pipeline: surrogates, NUL and controls,
# bidi overrides, line and paragraph separators, BOM, replacement and non-characters.
NASTY = ["\ud800", "\udfff", "\udc80", "\x00", "\x1b", "\x0c", "\u202e", "\u200f", "\u2066", "\u2028", "\u2029",
         "\ufeff", "\ufffd", "\uffff", "\U0010ffff", "\u0301", "\r", "\r\n", "\t", "\u00a0", "e\u0301"]
unicode_text = st.lists(st.one_of(st.text(max_size=40), st.sampled_from(NASTY),
                                  st.sampled_from(["Goma", "killed", "rebels", " ", ".", "\n\n"])),
                        max_size=30).map("".join)

json_value = st.recursive(
    st.one_of(st.none(), st.booleans(), st.integers(), st.floats(allow_nan=False), unicode_text),
    lambda inner: st.one_of(st.lists(inner, max_size=4), st.dictionaries(st.text(max_size=8), inner, max_size=4)),
    max_leaves=12)
article_like = st.fixed_dictionaries({}, optional={
    "id": st.one_of(unicode_text, st.integers(), st.none(), st.lists(st.integers(), max_size=2)),
    "text": st.one_of(unicode_text, st.integers(), st.none(), json_value),
    "title": st.one_of(unicode_text, st.none(), st.integers()),
    "published": st.one_of(st.sampled_from(["2025-03-02", "2025-02-30", "0000-00-00", "9999-12-31", "", "yesterday"]),
                           unicode_text, st.integers()),
    "url": st.one_of(unicode_text, st.none()),
})


def _jsonl_item(lines: list[object], ascii_only: bool) -> bytes:
    text = "\n".join(json.dumps(line, ensure_ascii=ascii_only) for line in lines)
    return text.encode("utf-8", errors="surrogatepass")


jsonl_items = st.builds(_jsonl_item, st.lists(st.one_of(article_like, json_value), min_size=1, max_size=4),
                        st.booleans())
raw_jsonl = st.lists(st.sampled_from(['{"id":', '"text"', ":", "}", "{", "[", "]", '"\\ud800"', "\\u0000",
                                      '"x"', ",", "\n", "null", "1e999", '"id": "good-a"']),
                     max_size=25).map(lambda parts: "".join(parts).encode())

MARKUP = ["<html>", "</html>", "<body>", "<p>", "</p>", "<div>", "</div>", "<script>", "</script>", "<title>",
          "<!DOCTYPE html>", '<?xml version="1.0"?>', "<![CDATA[", "]]>", "&amp;", "&#xD800;", "&#0;", "&nosuch;",
          "<rss><channel><item><title>", "</title><description>", "</description></item></channel></rss>",
          '<feed xmlns="http://www.w3.org/2005/Atom"><entry><content>', "</content></entry></feed>",
          '<!DOCTYPE x [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;">]>', "&b;", "<meta charset=utf-16>",
          "<img src=x onerror=alert(1)>", "<p>Rebels killed three in Goma on Monday.</p>", "<", ">", "\x00"]
markup_items = st.lists(st.one_of(st.sampled_from(MARKUP), unicode_text), max_size=30).map(
    lambda parts: "".join(parts).encode("utf-8", errors="surrogatepass"))
text_items = unicode_text.map(lambda t: t.encode("utf-8", errors="surrogatepass"))

fuzz_items = st.one_of(
    st.tuples(st.sampled_from([".txt", ".html", ".xml", ".rss", ".jsonl", ".gz", ""]), st.binary(max_size=3000)),
    st.tuples(st.sampled_from([".txt", ".jsonl", ""]), text_items),
    st.tuples(st.sampled_from([".jsonl", ".json", ".txt"]), jsonl_items),
    st.tuples(st.sampled_from([".jsonl", ".json"]), raw_jsonl),
    st.tuples(st.sampled_from([".html", ".xml", ".rss", ".atom", ".txt", ""]), markup_items),
)


def _batch(folder: Path, suffix: str, data: bytes) -> list[str]:
    for name, record in GOOD:
        (folder / name).write_text(json.dumps(record) + "\n", encoding="utf-8")
    (folder / f"m-fuzz{suffix}").write_bytes(data)
    return [str(folder / GOOD[0][0]), str(folder / f"m-fuzz{suffix}"), str(folder / GOOD[1][0])]


def _check_output(result) -> None:
    """No traceback; stderr holds JSON lines (each error naming an item, a summary) and
    the run's summary; the exit status is 0, or 1 when an error line was printed."""
    assert "Traceback" not in result.stderr and "Traceback" not in result.stdout, result.stderr
    errors = 0
    for line in result.stderr.splitlines():
        if not line.startswith("{"):
            continue
        record = json.loads(line)
        if "error" in record:
            assert record["item"] and record["error"], record
            errors += 1
    assert result.exit_code == (EXIT_ITEMS_FAILED if errors else EXIT_OK), result.stderr
    for line in result.stdout.splitlines():
        json.loads(line)  # every output line is whole JSON


@FUZZ
@given(fuzz_items)
def test_extract_survives_anything(item: tuple[str, bytes]) -> None:
    with tempfile.TemporaryDirectory() as folder:
        result = CliRunner().invoke(main, ["extract", *_batch(Path(folder), *item)])
    _check_output(result)
    ids = {json.loads(line)["id"] for line in result.stdout.splitlines()}
    assert {"good-a", "good-z"} <= ids


@FUZZ
@given(fuzz_items)
def test_run_survives_anything_and_stores_the_rest(item: tuple[str, bytes]) -> None:
    with tempfile.TemporaryDirectory() as folder:
        db = Path(folder) / "store.db"
        result = CliRunner().invoke(main, ["run", *_batch(Path(folder), *item), "--db", str(db),
                                           "--set", 'pipeline.stages=["testing.keywords"]'])  # the stand-in coder: fast
        _check_output(result)
        stored = {row[0] for row in sqlite3.connect(db).execute("SELECT id FROM articles")}
    assert {"good-a", "good-z"} <= stored


@fuzz(max(8, EXAMPLES // 4))  # the real stages: slower per example
@given(fuzz_items)
def test_code_with_the_real_stages_survives_anything(item: tuple[str, bytes]) -> None:
    with tempfile.TemporaryDirectory() as folder:
        result = CliRunner().invoke(main, ["code", *_batch(Path(folder), *item)])
    _check_output(result)
    ids = {json.loads(line)["id"] for line in result.stdout.splitlines()}
    assert {"good-a", "good-z"} <= ids
