"""The progress report of ``wirecoder run`` (``wirecoder.progress``): it names the phase
(reading, loading models) and the stage an article is in, counts articles *processed*
(stored or failed), not read, against a total, and prints plain lines where stderr is
not a terminal instead of staying silent."""

from __future__ import annotations

import io
import re
from pathlib import Path

from click.testing import CliRunner

from wirecoder.cli import main
from wirecoder.pipeline import run_serially
from wirecoder.progress import Progress, watch_stages
from wirecoder.records import Document
from wirecoder.runner import run_pipeline
from wirecoder.settings import Settings
from wirecoder.store.testing import KeywordCoder

from test_run_pipeline import STORY, TWO_TOWNS, make_articles


class Terminal(io.StringIO):
    """A stream that says it is a terminal, as stderr does in an interactive shell."""

    def isatty(self) -> bool:
        return True


def run(tmp_path: Path, articles, report: Progress, stages=None):
    return run_pipeline(["test"], Settings(), db_path=str(tmp_path / "w.db"), progress=report,
                        stages=stages or [KeywordCoder()], articles=articles)


def test_plain_lines_name_each_phase_and_count_processed_articles(tmp_path: Path) -> None:
    out = io.StringIO()
    run(tmp_path, make_articles(STORY + TWO_TOWNS), Progress("lines", out, every_seconds=0))
    text = out.getvalue()
    assert "wirecoder run: reading inputs" in text
    assert "wirecoder run: 5 articles to analyse" in text
    assert "1/5 articles processed (20%)" in text  # a line after the first article, before the end
    assert text.rstrip().endswith("5/5 articles processed (100%), " + text.rstrip().rsplit(", ", 1)[-1])


def test_the_total_counts_only_articles_that_need_analysing(tmp_path: Path) -> None:
    run(tmp_path, make_articles(STORY[:2]), Progress("off"))
    out = io.StringIO()
    run(tmp_path, make_articles(STORY), Progress("lines", out, every_seconds=0))
    text = out.getvalue()
    # three read, two already stored: one to analyse, and the reading line says why
    assert "1 articles to analyse; 3 read, 2 already stored or near-copies" in text
    assert "1/1 articles processed (100%)" in text


def test_nothing_to_analyse_loads_no_models(tmp_path: Path) -> None:
    run(tmp_path, make_articles(STORY), Progress("off"))
    out = io.StringIO()
    run(tmp_path, make_articles(STORY), Progress("lines", out, every_seconds=0))
    assert "loading models" not in out.getvalue() and "articles processed" not in out.getvalue()


def test_failed_articles_count_as_processed(tmp_path: Path) -> None:
    class Picky(KeywordCoder):
        def __call__(self, document: Document) -> Document:
            if document.article.source.outlet == "paper":
                raise ValueError("cannot read this one")
            return super().__call__(document)

    report = Progress("lines", io.StringIO(), every_seconds=0)
    summary = run(tmp_path, make_articles(STORY), report, stages=[Picky()])
    assert len(summary.errors) == 1 and report.done == 3 and report.total == 3


def test_an_unknown_total_is_shown_as_a_question_mark() -> None:
    report = Progress("lines", io.StringIO(), every_seconds=0)
    report.start_processing(None)
    report.advance(1)
    assert report.describe().startswith("1/? articles processed")


def test_the_time_left_is_estimated_from_the_rate() -> None:
    report = Progress("lines", io.StringIO())
    report.start_processing(10)
    report.done = 4
    # 4 articles in 8 s: 6 more take 12 s
    assert "about 0:12 left" in report.describe(now=report.started + 8)


def test_the_bar_names_the_stage_an_article_is_in() -> None:
    terminal = Terminal()
    report = Progress.for_stream(terminal)
    assert report.mode == "bar"
    watched = watch_stages([KeywordCoder()], ["code"], report)
    report.start_processing(2)
    for document in run_serially(make_articles(TWO_TOWNS), watched):
        report.stage("storing")
        report.advance(1)
    report.close()
    frames = terminal.getvalue().split("\r")
    assert any(f.startswith("coding: 0/2 articles") for f in frames)
    assert any(f.startswith("storing: ") and "/2 articles" in f for f in frames)
    assert report.done == 2


def test_a_watched_stage_that_fails_is_named_by_its_own_class() -> None:
    class Broken(KeywordCoder):
        def __call__(self, document: Document) -> Document:
            raise RuntimeError("boom")

    report = Progress("lines", io.StringIO())
    (error,) = run_serially(make_articles(STORY[:1]), watch_stages([KeywordCoder(), Broken()], None, report))
    assert error.error.startswith("Broken failed")


def test_run_on_a_non_terminal_prints_plain_progress_lines(tmp_path: Path) -> None:
    story = tmp_path / "story.txt"
    story.write_text("Clashes in Goma\n\nRebels clashed with the army in Goma on 2025-03-01.\n", encoding="utf-8")
    result = CliRunner().invoke(main, ["run", str(story), "--db", str(tmp_path / "w.db"),
                                       "--set", 'pipeline.stages=["testing.keywords"]'])
    assert result.exit_code == 0, result.stderr
    lines = result.stderr.splitlines()
    assert lines[0] == f"wirecoder run: reading inputs: {story}"
    assert re.fullmatch(r"wirecoder run: loading models: stages testing\.keywords .*", lines[1])
    assert lines[2] == "wirecoder run: 1 articles to analyse"
    assert lines[3].startswith("wirecoder run: 1/1 articles processed (100%)")


def test_a_long_read_ahead_reports_the_articles_read_so_far() -> None:
    out = io.StringIO()
    report = Progress("lines", out, every_seconds=0)
    report.phase("reading inputs")
    for count in range(1, 4):
        report.reading(count)
    report.start_processing(3)
    report.reading(4)  # streaming while processing: not a reading line any more
    lines = out.getvalue().splitlines()
    assert lines[1:3] == ["wirecoder run: reading inputs: 2 articles read so far",
                          "wirecoder run: reading inputs: 3 articles read so far"]
    assert "4 articles read" not in out.getvalue()


def test_error_lines_are_printed_above_the_bar_not_through_it(tmp_path: Path) -> None:
    class Picky(KeywordCoder):
        def __call__(self, document: Document) -> Document:
            if document.article.source.outlet == "paper":
                raise ValueError("cannot read this one")
            return super().__call__(document)

    terminal = Terminal()
    report = Progress.for_stream(terminal)
    run_pipeline(["test"], Settings(), db_path=str(tmp_path / "w.db"), progress=report, stages=[Picky()],
                 articles=make_articles(STORY), on_error=lambda r: terminal.write(f"ERROR {r.item}\n"))
    text = terminal.getvalue()
    # the bar is cleared to the start of its line before the error line is written
    assert re.search(r"\r +\rERROR paper-2025-03-05", text), text
