"""Bad inputs, as a careless or hostile user brings them: each gets one JSON error line
naming the item and the reason, the rest of the batch goes on and is stored, and the
exit status says what happened (README: 0 done, 1 some items failed, 2 usage or
configuration, 70 internal error). No traceback ever reaches the user.

Each case of the table says in one line why it exists (the audit of issue 11 found it
crashing, hanging or silently losing data)."""

from __future__ import annotations

import json
import os
import signal
import sqlite3
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Callable

import pytest
from click.testing import CliRunner

from wirecoder.cli import main
from wirecoder.errors import EXIT_INTERNAL, EXIT_ITEMS_FAILED, EXIT_OK, EXIT_USAGE

WIRECODER = Path(sys.executable).with_name("wirecoder")
LIGHT_STAGES = ["--set", 'pipeline.stages=["testing.keywords"]']  # rule-based stand-in: no spaCy, fast

GOOD_BEFORE = {"id": "good-1", "text": "Rebels clashed with the army in Goma on 2025-03-01.", "published": "2025-03-02"}
GOOD_AFTER = {"id": "good-2", "text": "Protesters gathered in Dael on 2025-03-01.", "published": "2025-03-02"}


def jsonl(path: Path, *lines: str) -> Path:
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def between_good(path: Path, bad_line: str) -> Path:
    """A JSONL batch whose middle line is the bad one."""
    return jsonl(path, json.dumps(GOOD_BEFORE), bad_line, json.dumps(GOOD_AFTER))


@dataclass
class Case:
    name: str
    make: Callable[[Path], list[str]]  # builds the inputs in a folder, returns the arguments
    error: str | None                  # a fragment of the expected error reason (None: no error)
    extra: tuple[str, ...] = ()        # further command-line arguments


def _surrogate(tmp: Path) -> list[str]:
    # A JSON escape of a lone surrogate: no character at all; spaCy and stdout refuse it.
    return [str(between_good(tmp / "s.jsonl", '{"id": "bad", "text": "Rebels shelled \\ud800 Goma.", "published": "2025-03-02"}'))]


def _too_long(tmp: Path) -> list[str]:
    text = "Rebels clashed with the army in Goma. " * 100
    return [str(between_good(tmp / "long.jsonl", json.dumps({"id": "long", "text": text})))]


def _fifo(tmp: Path) -> list[str]:
    os.mkfifo(tmp / "pipe.txt")
    return [str(tmp / "pipe.txt"), str(jsonl(tmp / "ok.jsonl", json.dumps(GOOD_BEFORE)))]


def _symlink_loop(tmp: Path) -> list[str]:
    (tmp / "a.txt").symlink_to(tmp / "b.txt")
    (tmp / "b.txt").symlink_to(tmp / "a.txt")
    return [str(tmp / "a.txt"), str(jsonl(tmp / "ok.jsonl", json.dumps(GOOD_BEFORE)))]


def _undecodable_name(tmp: Path) -> list[str]:
    name = os.fsdecode(b"caf\xe9.txt")  # not UTF-8: Python holds it with a lone surrogate
    (tmp / name).write_bytes(b"%PDF-1.4 binary")
    return [str(tmp), ]


def _bad_json_line(tmp: Path) -> list[str]:
    return [str(between_good(tmp / "b.jsonl", '{"id": "x", "text": '))]


CASES = [
    # One poisoned JSON line stopped extract/code/run with a traceback, and every rerun too.
    Case("lone surrogate", _surrogate, None),
    # nlp.max_article_chars was never read: a huge article crashed spaCy or ate gigabytes.
    Case("article over the limit", _too_long, "nlp.max_article_chars", ("--set", "nlp.max_article_chars=1000")),
    # A named pipe nobody writes to hung the batch forever.
    Case("fifo without writer", _fifo, "named pipe"),
    # A symlink loop was reported as "no such file".
    Case("symlink loop", _symlink_loop, "too many levels of symbolic links"),
    # An undecodable byte in a file name crashed the printing of its error line.
    Case("undecodable file name", _undecodable_name, "binary file"),
    # A truncated JSON line is the common case of a bad line: it must stay one error.
    Case("truncated json line", _bad_json_line, "JSON"),
]


def invoke(args: list[str], monkeypatch: pytest.MonkeyPatch, light: bool = True):
    return CliRunner().invoke(main, [*args, *(LIGHT_STAGES if light else [])], catch_exceptions=False)


def assert_clean(result, expected_error: str | None) -> list[dict]:
    """No traceback; stderr is JSON lines (errors, then a summary) or the run summary."""
    assert "Traceback" not in result.output and "Traceback" not in result.stderr
    errors = []
    for line in result.stderr.splitlines():
        if line.startswith("{"):
            record = json.loads(line)
            if "error" in record:
                assert record["item"], record
                errors.append(record)
    if expected_error is None:
        assert result.exit_code == EXIT_OK, result.stderr
    else:
        assert result.exit_code == EXIT_ITEMS_FAILED, result.stderr
        assert len(errors) == 1, errors
        assert expected_error.lower() in errors[0]["error"].lower(), errors
    return errors


@pytest.mark.parametrize("case", CASES, ids=lambda c: c.name)
def test_extract_names_the_bad_item_and_goes_on(case: Case, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    result = invoke(["extract", *case.make(tmp_path), *case.extra], monkeypatch)
    assert_clean(result, case.error)
    ids = {json.loads(line)["id"] for line in result.stdout.splitlines()}
    assert ids >= ({"good-1"} if case.name in {"fifo without writer", "symlink loop"}
                   else set() if case.name == "undecodable file name" else {"good-1", "good-2"})


@pytest.mark.parametrize("case", CASES, ids=lambda c: c.name)
def test_run_stores_the_rest_of_the_batch(case: Case, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    inputs = tmp_path / "in"
    inputs.mkdir()
    db = tmp_path / "store.db"
    result = invoke(["run", *case.make(inputs), "--db", str(db), *case.extra], monkeypatch)
    assert_clean(result, case.error)
    assert "wirecoder run:" in result.stderr  # the summary, also when items failed
    stored = {row[0] for row in sqlite3.connect(db).execute("SELECT id FROM articles")}
    if case.name not in {"undecodable file name"}:
        assert "good-1" in stored
    # A rerun is quiet about what is stored and fails the same way on the bad item only.
    again = invoke(["run", *([str(p) for p in sorted(inputs.iterdir()) if not p.is_fifo()] or [str(inputs)]),
                    "--db", str(db), *case.extra], monkeypatch)
    assert "Traceback" not in again.stderr


def test_the_lone_surrogate_is_repaired_not_dropped(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """One character out of thousands must not cost the whole story: it becomes U+FFFD,
    one for one, so every offset still holds."""
    result = invoke(["extract", *_surrogate(tmp_path)], monkeypatch)
    bad = next(json.loads(line) for line in result.stdout.splitlines() if '"bad"' in line)
    assert bad["paragraphs"] == ["Rebels shelled \ufffd Goma."]


def test_code_survives_a_poisoned_item_with_the_real_stages(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The parser ran outside the per-item error handling: one bad text sank the batch."""
    from wirecoder.pipeline import analyze, build_stages
    from wirecoder.records import Article, ErrorRecord
    from wirecoder.settings import load_settings

    stages = build_stages(load_settings(), "consolidate")
    articles = [Article(id="a", paragraphs=["Rebels attacked Goma on Monday."]),
                Article(id="poison", paragraphs=["Shelling \ud800 in Goma."]),  # bypasses extract's repair
                Article(id="b", paragraphs=["Police arrested protesters in Nairobi."])]
    results = list(analyze(articles, stages))
    assert [type(r).__name__ for r in results] == ["Document", "ErrorRecord", "Document"]
    assert isinstance(results[1], ErrorRecord) and "poison" in results[1].item


def test_mixed_cp1252_after_utf8_reads_right(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A dump stitched from UTF-8 and Windows-1252 pages became silent mojibake
    ("cafÃ©") when the first kilobytes decided one encoding for the whole file."""
    utf8 = "Police arrested a man at the café in São Paulo on Monday.\n\n".encode()
    cp1252 = "Café owners protested in Paris on Tuesday.\n".encode("cp1252")
    path = tmp_path / "mixed.txt"
    path.write_bytes(b"Arrests in two cities\n\n" + utf8 + cp1252)
    result = invoke(["extract", str(path)], monkeypatch)
    text = " ".join(json.loads(result.stdout)["paragraphs"])
    assert "café in São Paulo" in text and "Café owners" in text and "Ã" not in text


def test_unlistable_folder_is_an_error_not_a_skip(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """An unreadable folder was skipped silently with exit 0. (Tests run as root, which
    reads any folder, so the refusal is simulated where os.walk meets it.)"""
    (tmp_path / "locked").mkdir()
    (tmp_path / "locked" / "story.txt").write_text("Rebels attacked Goma.\n")
    jsonl(tmp_path / "ok.jsonl", json.dumps(GOOD_BEFORE))
    real_scandir = os.scandir

    def scandir(path="."):
        if str(path).endswith("locked"):
            raise PermissionError(13, "Permission denied", str(path))
        return real_scandir(path)

    monkeypatch.setattr(os, "scandir", scandir)
    result = invoke(["extract", str(tmp_path)], monkeypatch)
    errors = assert_clean(result, "permission denied")
    assert errors[0]["item"].endswith("locked")


def broken_stage(settings):
    """A stage factory with a bug, for the internal-error case."""
    raise RuntimeError("a bug in a plug-in")


def test_a_bug_exits_70_with_one_line_and_the_summary(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A crash exited 1 like a handled failure, with a traceback and no summary."""
    from wirecoder import registry

    inputs = jsonl(tmp_path / "in.jsonl", json.dumps(GOOD_BEFORE))
    registry.stages.add("testing.broken", broken_stage, origin=f"{__name__}.broken_stage")
    try:
        result = CliRunner().invoke(main, ["run", str(inputs), "--db", str(tmp_path / "s.db"),
                                           "--set", 'pipeline.stages=["testing.broken"]'], catch_exceptions=False)
    finally:
        registry.stages.discard("testing.broken")
    assert result.exit_code == EXIT_INTERNAL
    assert "Traceback" not in result.stderr
    assert "internal error" in result.stderr and "a bug in a plug-in" in result.stderr
    assert "wirecoder run:" in result.stderr  # what the run did before it stopped


def test_configuration_error_exits_2(tmp_path: Path) -> None:
    result = CliRunner().invoke(main, ["extract", str(tmp_path), "--set", "nlp.no_such_key=1"])
    assert result.exit_code == EXIT_USAGE and "Traceback" not in result.output


def test_a_closed_pipe_is_no_traceback(tmp_path: Path) -> None:
    """``wirecoder extract big/ | head -1`` printed a BrokenPipeError traceback."""
    lines = [json.dumps({"id": f"s{i}", "text": f"Story {i}: rebels attacked Goma. " + "More words. " * 50})
             for i in range(3000)]
    path = jsonl(tmp_path / "many.jsonl", *lines)
    process = subprocess.Popen([str(WIRECODER), "extract", str(path)], stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    assert process.stdout is not None
    process.stdout.readline()
    process.stdout.close()
    _, err = process.communicate(timeout=120)
    assert b"Traceback" not in err and process.returncode in (EXIT_OK, -signal.SIGPIPE), err


def test_the_parser_bounds_what_it_is_given(settings) -> None:
    """Articles built by a program (not read by extract) meet the same limits: longer
    than nlp.max_chars is parsed in chunks into one Doc over the same text; longer than
    nlp.max_article_chars is an error for that article alone."""
    from wirecoder.pipeline import analyze
    from wirecoder.records import Article, Document, ErrorRecord
    from wirecoder.stages.nlp import Parser, chunk_text

    small = settings.replace("nlp", max_chars=200, max_article_chars=2_000)
    paragraphs = [f"Rebels attacked the town of Goma on day {i}, and the army said four soldiers died." for i in range(12)]
    parsed = Parser(small)(Document(article=Article(id="long", paragraphs=paragraphs)))
    assert parsed.doc.text == parsed.article.text
    assert len(list(parsed.doc.sents)) >= 12 and len(parsed.doc.ents) > 0
    text = parsed.article.text
    assert "".join(chunk_text(text, 200)) == text and max(map(len, chunk_text(text, 200))) <= 200
    too_long = Article(id="too-long", paragraphs=paragraphs * 3)
    results = list(analyze([too_long, Article(id="ok", paragraphs=paragraphs[:1])], [Parser(small)]))
    assert isinstance(results[0], ErrorRecord) and "nlp.max_article_chars" in results[0].error
    assert isinstance(results[1], Document)
