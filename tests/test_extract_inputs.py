"""``wirecoder extract`` end to end on good and bad inputs: each failing item is one JSON
error line on stderr naming it and the reason, the others still come out, and the exit
status says whether everything was processed."""

from __future__ import annotations

import gzip
import json
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from dumpgen import DumpStyle, generate
from wirecoder.cli import main

GOOD = "Shelling Hits Market in Eastern Town\n\nAt least five people were killed when shells hit a market on Tuesday.\n"


def run_extract(*args: str, input: str | bytes | None = None) -> tuple[int, list[dict], list[dict]]:
    result = CliRunner().invoke(main, ["extract", *args], input=input)
    articles = [json.loads(line) for line in result.stdout.splitlines() if line.strip()]
    errors = [json.loads(line) for line in result.stderr.splitlines() if line.strip()]
    return result.exit_code, articles, errors


@pytest.mark.parametrize(
    "name, content, reason",
    [
        # a PNG renamed .txt: binary, refused by its signature
        ("image.txt", b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 8, "binary"),
        # arbitrary bytes with NULs
        ("blob.dat", bytes(range(256)) * 16, "binary"),
        # nothing at all
        ("empty.txt", b"", "empty file"),
        # whitespace only
        ("blank.txt", b"\n \n\t\n", "no text"),
        # a gzip archive cut in the middle
        ("cut.txt.gz", gzip.compress(GOOD.encode() * 200)[:120], "truncated gzip"),
        # not gzip data at all behind a .gz name
        ("fake.txt.gz", b"this is not gzip data at all, just text", "gzip"),
        # a feed that is not well-formed XML
        ("broken.rss", b"<?xml version='1.0'?><rss><channel><item><title>Clash</title></channel>", "malformed feed"),
        # XML that is not a feed
        ("other.xml", b"<?xml version='1.0'?><catalog><book>Title</book></catalog>", "not a feed"),
        # an HTML page without any article text
        ("broken.html", b"<html><head><title>x</title></head><body><div><script>var a=1;</script></body>", "no article text"),
        # a JSON line that is not JSON
        ("bad.jsonl", b'{"id": "a1", "text": "Clashes erupted near Goma on Monday."}\n{"id": oops}\n', "invalid JSON"),
    ],
)
def test_bad_item_is_one_error_line_and_the_rest_goes_on(tmp_path: Path, name: str, content: bytes, reason: str) -> None:
    good = tmp_path / "good.txt"
    good.write_text(GOOD, encoding="utf-8")
    bad = tmp_path / name
    bad.write_bytes(content)
    code, articles, errors = run_extract(str(bad), str(good))
    item_errors = [e for e in errors if "error" in e]
    assert code == 1
    assert len(item_errors) == 1
    assert item_errors[0]["item"].startswith(str(bad))
    assert reason in item_errors[0]["error"]
    assert any(a["source"]["path"] == str(good) for a in articles)
    summary = errors[-1]["summary"]
    assert summary["errors"] == 1 and summary["articles"] == len(articles)


@pytest.mark.parametrize(
    "encoding",
    [
        # Windows-1252: curly quotes and dashes are single bytes that are invalid UTF-8
        "cp1252",
        # Latin-1 accents
        "latin-1",
        # UTF-16 with a BOM
        "utf-16",
    ],
)
def test_legacy_encodings_decode_correctly(tmp_path: Path, encoding: str) -> None:
    quote = "“" if encoding != "latin-1" else '"'
    text = (f"Clashes Erupt Near Café in Bunia\n\nTroops clashed with militiamen near the Café Ituri in Bunia on "
            f"Monday, said Jérôme Mbala, a resident. {quote}We heard gunfire all night,{quote} he said.\n")
    path = tmp_path / "legacy.txt"
    path.write_bytes(text.encode(encoding))
    code, [article], errors = run_extract(str(path))
    assert code == 0
    assert article["headline"] == "Clashes Erupt Near Café in Bunia"
    assert "Jérôme Mbala" in article["paragraphs"][0]
    assert f"{quote}We heard" in article["paragraphs"][0]


def test_mixed_encodings_in_one_dump(tmp_path: Path) -> None:
    # detection sees UTF-8 in the first chunk; a later story saved in cp1252 still
    # decodes right instead of turning into replacement characters
    first = "Clashes Erupt Near Café in Bunia\n\nTroops clashed near the café on Monday.\n\n".encode("utf-8")
    later = "Shelling Hits Market in Kherson Again\n\n“We ran,” a vendor said on Tuesday.\n".encode("cp1252")
    path = tmp_path / "mixed.txt"
    path.write_bytes(first + b"\n" * 70_000 + later)
    code, articles, errors = run_extract(str(path))
    assert code == 0
    assert articles[0]["paragraphs"] == ["Troops clashed near the café on Monday."]
    assert articles[1]["paragraphs"] == ["“We ran,” a vendor said on Tuesday."]


def test_inputs_of_every_kind_and_stdin(tmp_path: Path) -> None:
    folder = tmp_path / "news"
    (folder / "b").mkdir(parents=True)
    (folder / "b" / "story.txt").write_text(GOOD, encoding="utf-8")
    (folder / "a.txt.gz").write_bytes(gzip.compress(GOOD.replace("five", "six").encode()))
    (folder / ".hidden.txt").write_text(GOOD, encoding="utf-8")
    code, articles, errors = run_extract(str(folder), "-", input=GOOD.replace("five", "seven"))
    assert code == 0, errors
    # directory recursively in sorted order (hidden files skipped), then stdin
    assert [a["source"]["path"] for a in articles] == [str(folder / "a.txt.gz"), str(folder / "b" / "story.txt"), "<stdin>"]


def test_crlf_and_missing_path(tmp_path: Path) -> None:
    path = tmp_path / "crlf.txt"
    path.write_bytes(GOOD.replace("\n", "\r\n").encode())
    code, [article], errors = run_extract(str(path), str(tmp_path / "nowhere.txt"))
    assert code == 1
    assert article["paragraphs"] == ["At least five people were killed when shells hit a market on Tuesday."]
    assert errors[0]["item"] == str(tmp_path / "nowhere.txt") and "no such file" in errors[0]["error"]


def test_item_over_the_size_limit(tmp_path: Path) -> None:
    path = tmp_path / "big.txt"
    path.write_text(GOOD * 100, encoding="utf-8")
    code, articles, errors = run_extract(str(path), "--set", "extract.max_item_bytes=1000")
    assert code == 1 and "max_item_bytes" in errors[0]["error"]


def test_bad_published_date_is_a_usage_error(tmp_path: Path) -> None:
    path = tmp_path / "good.txt"
    path.write_text(GOOD, encoding="utf-8")
    result = CliRunner().invoke(main, ["extract", str(path), "--published", "27/07/2021"])
    assert result.exit_code != 0 and "YYYY-MM-DD" in result.output + result.stderr


@pytest.mark.slow
def test_huge_dump_streams_in_bounded_memory(tmp_path: Path) -> None:
    """A 200 MB dump: every article comes out, and the process's peak RSS stays far below
    the dump's size (the segmenter holds one article at a time; the duplicate index is
    capped). A pool of generated dumps is written over and over, so later rounds are
    near-copies, which also exercises the duplicate check at scale."""
    path = tmp_path / "huge.txt"
    # One site's habits for the whole file: widgets, captions and header printed twice, CRLF.
    style = DumpStyle(newline="\r\n", paragraph_gap=1, article_gap=3, repeat_header=True, caption_times=2, widgets=["Share", "A+"])
    pool = [generate(seed, articles=40, style=style)[0] for seed in range(200)]
    target, written, rounds = 200 * 1024 * 1024, 0, 0
    with path.open("w", encoding="utf-8") as handle:
        while written < target:
            for text in pool:
                handle.write(text)
                written += len(text.encode("utf-8"))
            rounds += 1
    script = (
        "import sys\n"
        "from wirecoder.records import ErrorRecord\n"
        "from wirecoder.stages.extract import iter_articles\n"
        "from wirecoder.settings import load_settings\n"
        "n = errors = 0\n"
        "for a in iter_articles([sys.argv[1]], load_settings()):\n"
        "    n += 1; errors += isinstance(a, ErrorRecord)\n"
        # VmHWM, not ru_maxrss: Linux carries ru_maxrss across exec, so a child of a big
        # pytest process would report the parent's size.
        "peak = next(l for l in open('/proc/self/status') if l.startswith('VmHWM'))\n"
        "print(n, errors, peak.split()[1])\n"
    )
    out = subprocess.run([sys.executable, "-c", script, str(path)], capture_output=True, text=True, check=True, timeout=1200)
    count, errors, peak_kib = map(int, out.stdout.split())
    assert errors == 0
    assert count == rounds * 200 * 40
    assert peak_kib < 300 * 1024, f"peak RSS {peak_kib // 1024} MiB on a 200 MB dump"
