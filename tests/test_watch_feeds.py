"""``wirecoder watch FEED… --once`` against a local server (127.0.0.1): only new entries
are stored, the feed's ETag makes the next poll a conditional GET, what was taken
survives a restart, a failed entry is tried again, and Ctrl-C exits 130 with nothing
half-written."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path
from typing import Iterator

import pytest
from click.testing import CliRunner
from webserver import PAGE_TEXT, Answer, Request, Site, page, rss, serve

from wirecoder.cli import main
from wirecoder.errors import ConfigError
from wirecoder.watch import parse_interval

FAST = ["--set", "fetch.timeout_seconds=0.5", "--set", "fetch.backoff_seconds=0.01", "--set", "fetch.retries=0",
        "--set", "fetch.host_delay_seconds=0", "--set", 'pipeline.stages=["testing.keywords"]']
RSS = {"Content-Type": "application/rss+xml"}
HTML = {"Content-Type": "text/html; charset=utf-8"}


def story(n: int) -> str:
    """A whole story (longer than fetch.summary_max_chars), different for each n."""
    return " ".join(f"Witness {k} of report {n} saw clash {n * 100 + k} near the market." for k in range(30))


@pytest.fixture
def site() -> Iterator[Site]:
    yield from serve()


def watch_once(site: Site, db: Path, *extra: str) -> tuple[int, str, list[dict]]:
    result = CliRunner().invoke(main, ["watch", site.base + "/feed.xml", "--once", "--db", str(db), *FAST, *extra])
    assert "Traceback" not in result.output
    errors = [json.loads(line) for line in result.stderr.splitlines() if '"error"' in line]
    return result.exit_code, result.stdout, errors


def stored_urls(db: Path) -> list[str]:
    with sqlite3.connect(db) as conn:
        return sorted(r[0] for r in conn.execute("SELECT url FROM articles"))


def test_watch_stores_only_new_entries_across_restarts(tmp_path: Path, site: Site) -> None:
    entries = [("g1", site.base + "/s/1", story(1)), ("g2", site.base + "/s/2", story(2))]
    site.route("/feed.xml", lambda request, count: Answer(body=rss(entries), headers=RSS))
    db = tmp_path / "w.db"
    status, out, errors = watch_once(site, db)
    assert (status, errors) == (0, [])
    assert "poll 1: 1 feed(s), 2 new article(s)" in out and out.count("\n") == 1
    assert stored_urls(db) == [site.base + "/s/1", site.base + "/s/2"]
    # a new process (a restart): one more entry, and one old entry under a new guid
    entries += [("g3", site.base + "/s/3", story(3)), ("g2-again", site.base + "/s/2", story(2))]
    status, out, errors = watch_once(site, db)
    assert (status, errors) == (0, [])
    assert "1 new article(s)" in out and "3 seen before" in out
    assert stored_urls(db) == [site.base + "/s/1", site.base + "/s/2", site.base + "/s/3"]
    with sqlite3.connect(db) as conn:
        assert conn.execute("SELECT COUNT(*) FROM feed_items").fetchone() == (4,)


def test_watch_sends_the_etag_and_a_304_stores_nothing(tmp_path: Path, site: Site) -> None:
    def feed(request: Request, count: int) -> Answer:
        if request.headers.get("if-none-match") == '"v1"':
            return Answer(304, b"", {"ETag": '"v1"'})
        return Answer(body=rss([("g1", site.base + "/s/1", story(1))]),
                      headers={**RSS, "ETag": '"v1"', "Last-Modified": "Tue, 04 Mar 2025 10:00:00 GMT"})

    site.route("/feed.xml", feed)
    db = tmp_path / "w.db"
    assert watch_once(site, db)[0] == 0
    status, out, _ = watch_once(site, db)
    assert status == 0 and "0 new article(s)" in out and "1 not modified" in out
    second = site.asked("/feed.xml")[1].headers
    assert (second["if-none-match"], second["if-modified-since"]) == ('"v1"', "Tue, 04 Mar 2025 10:00:00 GMT")
    assert stored_urls(db) == [site.base + "/s/1"]


def test_watch_summary_pages_and_a_failed_one_is_tried_again(tmp_path: Path, site: Site) -> None:
    site.route("/feed.xml", Answer(body=rss([("g1", site.base + "/s/1", "Four killed."),
                                             ("g2", site.base + "/s/2", "Two hurt.")]),
                                   headers={**RSS, "ETag": '"v1"'}))
    site.route("/s/1", Answer(body=page("Gunmen kill four in Kidal"), headers=HTML))
    site.route("/s/2", lambda request, count: Answer(500, b"") if count == 1 else Answer(body=page("Two hurt in Gao", PAGE_TEXT[1:]), headers=HTML))
    db = tmp_path / "w.db"
    status, out, errors = watch_once(site, db)
    assert status == 1 and "1 new article(s)" in out and "1 error(s)" in out
    assert errors == [{"error": "HTTP 500 Internal Server Error", "item": site.base + "/s/2", "kind": "InputError"}]
    status, out, errors = watch_once(site, db)
    assert (status, errors) == (0, []) and "1 new article(s)" in out
    # the feed was asked for in full again (no If-None-Match), and /s/1 was not fetched again
    assert "if-none-match" not in site.asked("/feed.xml")[1].headers
    assert len(site.asked("/s/1")) == 1 and len(site.asked("/s/2")) == 2
    assert stored_urls(db) == [site.base + "/s/1", site.base + "/s/2"]


def test_watch_failing_feed_is_named_and_others_go_on(tmp_path: Path, site: Site) -> None:
    site.route("/feed.xml", Answer(body=rss([("g1", site.base + "/s/1", story(1))]), headers=RSS))
    result = CliRunner().invoke(main, ["watch", site.base + "/gone.xml", site.base + "/feed.xml", "--once",
                                       "--db", str(tmp_path / "w.db"), *FAST])
    assert result.exit_code == 1
    assert json.loads(result.stderr.splitlines()[0]) == {"error": "HTTP 404 Not Found", "item": site.base + "/gone.xml",
                                                         "kind": "InputError"}
    assert "1 new article(s)" in result.stdout


def test_ctrl_c_exits_130_and_a_restart_completes_the_poll(tmp_path: Path, site: Site, monkeypatch) -> None:
    import wirecoder.watch as watch_module

    site.route("/feed.xml", Answer(body=rss([("g1", site.base + "/s/1", story(1))]), headers=RSS))
    real_run = watch_module.run_pipeline

    def interrupted_run(*args, **kwargs):  # the articles are stored, then Ctrl-C before the poll is recorded
        real_run(*args, **kwargs)
        raise KeyboardInterrupt

    monkeypatch.setattr(watch_module, "run_pipeline", interrupted_run)
    db = tmp_path / "w.db"
    result = CliRunner().invoke(main, ["watch", site.base + "/feed.xml", "--every", "1s", "--db", str(db), *FAST])
    assert result.exit_code == 130 and "interrupted" in result.stderr
    with sqlite3.connect(db) as conn:
        assert conn.execute("SELECT COUNT(*) FROM feed_items").fetchone() == (0,)  # nothing of the poll recorded
    monkeypatch.setattr(watch_module, "run_pipeline", real_run)
    status, out, _ = watch_once(site, db)
    assert status == 0 and "0 new article(s)" in out and "1 seen before" in out
    assert stored_urls(db) == [site.base + "/s/1"]
    with sqlite3.connect(db) as conn:
        assert conn.execute("SELECT COUNT(*) FROM feed_items").fetchone() == (1,)


def test_ctrl_c_while_waiting_exits_130(tmp_path: Path, site: Site, monkeypatch) -> None:
    import wirecoder.watch as watch_module

    site.route("/feed.xml", Answer(body=rss([("g1", site.base + "/s/1", story(1))]), headers=RSS))

    def interrupt(seconds: float) -> None:
        assert 0 < seconds <= 60
        raise KeyboardInterrupt

    monkeypatch.setattr(watch_module.time, "sleep", interrupt)
    result = CliRunner().invoke(main, ["watch", site.base + "/feed.xml", "--every", "1m", "--db", str(tmp_path / "w.db"), *FAST])
    assert result.exit_code == 130
    assert "poll 1:" in result.stdout


@pytest.mark.parametrize("text, seconds", [("15m", 900), ("30s", 30), ("2h", 7200), ("1d", 86400), ("90", 90), ("1.5m", 90)])
def test_parse_interval(text: str, seconds: float) -> None:
    assert parse_interval(text) == seconds


@pytest.mark.parametrize("text", ["", "0m", "fifteen minutes", "-5m", "15 weeks"])
def test_parse_interval_refuses(text: str) -> None:
    with pytest.raises(ConfigError, match="--every"):
        parse_interval(text)


def test_watch_refuses_files(tmp_path: Path) -> None:
    result = CliRunner().invoke(main, ["watch", str(tmp_path / "feed.xml"), "--once", "--db", str(tmp_path / "w.db")])
    assert result.exit_code == 2 and "watch polls feed URLs" in result.stderr
