"""The gate before the eval floors: the shared data must be there (or the developer opts
out), and the floors are compared only on the corpus they were measured on."""

from __future__ import annotations

from pathlib import Path

import pytest
from eval_gate import WITHOUT_SHARED, corpus_changed, corpus_fingerprint, require_corpus, require_shared


@pytest.fixture
def corpus(tmp_path: Path) -> Path:
    (tmp_path / "events").mkdir()
    (tmp_path / "events" / "a.tsv").write_text("id\ttext\n1\tone\n")
    (tmp_path / "html").mkdir()
    (tmp_path / "html" / "p1.html").write_text("<p>one</p>")
    (tmp_path / "html" / "p2.html").write_text("<p>two</p>")
    return tmp_path


PARTS = ("events/a.tsv", "html")


def _edit(root: Path) -> None:
    (root / "events" / "a.tsv").write_text("id\ttext\n1\tOne\n")


def _add(root: Path) -> None:
    (root / "html" / "p3.html").write_text("<p>three</p>")


def _remove(root: Path) -> None:
    (root / "html" / "p2.html").unlink()


def _rename(root: Path) -> None:
    (root / "html" / "p2.html").rename(root / "html" / "p9.html")


def _touch_outside(root: Path) -> None:
    (root / "README.md").write_text("not a part of the corpus")


def test_eval_gate_fingerprint_is_short_and_stable(corpus: Path) -> None:
    first = corpus_fingerprint(corpus, PARTS)
    assert len(first) == 16 and int(first, 16) >= 0
    # the order the parts are named in does not matter
    assert corpus_fingerprint(corpus, reversed(PARTS)) == first
    assert corpus_changed(corpus, PARTS, first) is None


@pytest.mark.parametrize("change, changes_fingerprint", [
    # an edited file
    (_edit, True),
    # a file added to a folder part
    (_add, True),
    # a file removed
    (_remove, True),
    # a file renamed, its bytes unchanged
    (_rename, True),
    # a file outside the parts is not the corpus
    (_touch_outside, False),
])
def test_eval_gate_fingerprint_follows_the_files(corpus: Path, change, changes_fingerprint: bool) -> None:
    before = corpus_fingerprint(corpus, PARTS)
    change(corpus)
    assert (corpus_fingerprint(corpus, PARTS) != before) is changes_fingerprint


def test_eval_gate_changed_corpus_fails_and_says_to_remeasure(corpus: Path) -> None:
    pinned = corpus_fingerprint(corpus, PARTS)
    _edit(corpus)
    why = corpus_changed(corpus, PARTS, pinned)
    assert why is not None
    assert "corpus changed" in why and "Re-measure" in why
    assert pinned in why and corpus_fingerprint(corpus, PARTS) in why
    with pytest.raises(pytest.fail.Exception, match="corpus changed"):
        require_corpus(corpus, PARTS, pinned)
    require_corpus(corpus, PARTS, corpus_fingerprint(corpus, PARTS))  # re-pinned: passes


def test_eval_gate_missing_part_is_named(corpus: Path) -> None:
    with pytest.raises(FileNotFoundError, match="nope.json"):
        corpus_fingerprint(corpus, ["events/nope.json"])


def test_eval_gate_missing_shared_fails_unless_opted_out(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    absent = tmp_path / "shared" / "data" / "eval"
    monkeypatch.delenv(WITHOUT_SHARED, raising=False)
    # CI: a missing ../shared is a failure naming the path and the way out, never a skip
    with pytest.raises(pytest.fail.Exception, match=f"not found at {absent}.*{WITHOUT_SHARED}=1"):
        require_shared(absent, "the evaluation sets", tmp_path / "shared")
    # a developer without the data opts out and those tests skip
    monkeypatch.setenv(WITHOUT_SHARED, "1")
    with pytest.raises(pytest.skip.Exception):
        require_shared(absent, "the evaluation sets", tmp_path / "shared")
    assert require_shared(tmp_path, "here", tmp_path) == tmp_path
