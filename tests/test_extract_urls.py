"""URLs of feeds and pages given to ``extract`` and ``run``, fetched from a local server
(tests/webserver.py, 127.0.0.1 only): a timeout, a size limit, a User-Agent, limited
redirects and polite retries; each failing URL is one error line naming it and the
reason, never a traceback, and the rest of the batch goes on."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path
from typing import Iterator

import pytest
from click.testing import CliRunner
from webserver import PAGE_TEXT, Answer, Request, Site, page, rss, serve

from wirecoder.cli import main
from wirecoder.errors import InputError
from wirecoder.settings import load_settings
from wirecoder.stages.extract.fetch import Fetcher

# Small limits so that every case is quick: no test waits more than about a second.
FAST = ["--set", "fetch.timeout_seconds=0.5", "--set", "fetch.backoff_seconds=0.01",
        "--set", "fetch.host_delay_seconds=0", "--set", "fetch.max_bytes=200000"]
LIGHT_STAGES = ["--set", 'pipeline.stages=["testing.keywords"]']  # rule-based stand-in: no spaCy
HTML = {"Content-Type": "text/html; charset=utf-8"}
RSS = {"Content-Type": "application/rss+xml"}
FULL_TEXT = " ".join(PAGE_TEXT * 3)  # longer than fetch.summary_max_chars: a feed that carries its stories


@pytest.fixture
def site() -> Iterator[Site]:
    yield from serve()


def extract(*args: str) -> tuple[int, list[dict], list[dict]]:
    result = CliRunner().invoke(main, ["extract", *args, *FAST])
    assert "Traceback" not in result.output
    articles = [json.loads(line) for line in result.stdout.splitlines()]
    errors = [json.loads(line) for line in result.stderr.splitlines() if '"error"' in line]
    return result.exit_code, articles, errors


def test_page_url_is_fetched_with_a_user_agent(site: Site) -> None:
    url = site.route("/news/kidal-attack", Answer(body=page("Gunmen kill four in Kidal"), headers=HTML))
    status, articles, errors = extract(url)
    assert (status, errors) == (0, [])
    assert articles[0]["headline"] == "Gunmen kill four in Kidal"
    assert articles[0]["paragraphs"] == PAGE_TEXT
    assert articles[0]["source"] == {"path": None, "url": url, "outlet": None}
    assert site.asked("/news/kidal-attack")[0].headers["user-agent"].startswith("wirecoder/")


def test_feed_with_whole_stories_is_read_as_it_is(site: Site) -> None:
    url = site.route("/feed.xml", Answer(body=rss([("a1", site.base + "/story/1", FULL_TEXT)]), headers=RSS))
    status, articles, errors = extract(url)
    assert (status, errors) == (0, [])
    assert [a["headline"] for a in articles] == ["Story 1"]
    assert articles[0]["published"] == {"date": "2025-03-04", "how": "metadata"}
    assert site.asked("/story/1") == []  # the entry holds the story: its page is not fetched


def test_feed_served_as_html_is_read_as_a_feed(site: Site) -> None:
    # servers often give feeds a wrong type: the document's root decides
    url = site.route("/rss", Answer(body=rss([("a1", site.base + "/story/1", FULL_TEXT)]), headers=HTML))
    status, articles, errors = extract(url)
    assert (status, errors, [a["headline"] for a in articles]) == (0, [], ["Story 1"])


def test_feed_of_summaries_reads_each_page_and_names_a_failing_one(site: Site) -> None:
    site.route("/story/1", Answer(body=page("Gunmen kill four in Kidal"), headers=HTML))
    # /story/2 is not routed: 404; the first link is relative to the feed
    url = site.route("/feed.xml", Answer(body=rss([("a1", "/story/1", "Four officers killed."),
                                                   ("a2", site.base + "/story/2", "A second attack.")]), headers=RSS))
    status, articles, errors = extract(url)
    assert status == 1
    assert [(a["headline"], a["paragraphs"], a["published"]["date"], a["source"]["outlet"]) for a in articles] == [
        ("Gunmen kill four in Kidal", PAGE_TEXT, "2025-03-04", "Test Wire")]  # date and outlet from the feed
    assert errors == [{"error": "HTTP 404 Not Found", "item": site.base + "/story/2", "kind": "InputError"}]


def test_feed_file_from_disk_never_reaches_the_network(tmp_path: Path, site: Site) -> None:
    feed = tmp_path / "feed.rss"
    feed.write_bytes(rss([("a1", site.base + "/story/1", "Four officers killed in Kidal.")]))
    status, articles, errors = extract(str(feed))
    assert (status, errors) == (0, []) and articles[0]["paragraphs"] == ["Four officers killed in Kidal."]
    assert site.requests == []


def _flaky(request: Request, count: int) -> Answer:
    return Answer(500, b"oops") if count == 1 else Answer(body=page("Back again"), headers=HTML)


def _busy(request: Request, count: int) -> Answer:
    return Answer(503, b"busy", {"Retry-After": "0"}) if count == 1 else Answer(body=page("After the wait"), headers=HTML)


@pytest.mark.parametrize("path, answer, reason, options", [
    # slower than fetch.timeout_seconds
    ("/slow", Answer(body=page("Slow"), headers=HTML, delay=1.5), "timed out after 0.5 s", ["--set", "fetch.retries=0"]),
    # larger than fetch.max_bytes, and saying so
    ("/huge", Answer(body=b"<p>" + b"x" * 300_000 + b"</p>", headers=HTML), "larger than fetch.max_bytes", []),
    # larger than fetch.max_bytes without a Content-Length (read as a stream, cut off)
    ("/huge-stream", Answer(body=b"<p>" + b"x" * 300_000 + b"</p>", headers={**HTML, "Content-Length": ""}),
     "larger than fetch.max_bytes", []),
    # an image served where a page was expected
    ("/photo", Answer(body=b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 4, headers={"Content-Type": "image/png"}),
     "not a page or feed: the server says it is image/png", []),
    # binary bytes the server calls text: refused by their signature, as a file's are
    ("/disguised", Answer(body=b"%PDF-1.7\n" + bytes(range(256)) * 4, headers=HTML), "binary file (a PDF document)", []),
    # gone
    ("/gone", Answer(404, b"not here"), "HTTP 404 Not Found", []),
    # failing every time: tried 1 + fetch.retries times, then named
    ("/down", Answer(502, b"bad gateway"), "HTTP 502 Bad Gateway (after 3 tries)", []),
    # a Retry-After longer than fetch.max_retry_after_seconds is not waited for
    ("/later", Answer(503, b"", {"Retry-After": "3600"}), "retry after 3600 s", []),
    # redirected to another scheme
    ("/to-ftp", Answer(302, b"", {"Location": "ftp://127.0.0.1/file"}), "not an http(s) URL", []),
])
def test_failing_url_is_one_error_and_the_rest_goes_on(site: Site, path: str, answer: Answer, reason: str,
                                                        options: list[str]) -> None:
    bad = site.route(path, answer)
    good = site.route("/good", Answer(body=page("Gunmen kill four in Kidal"), headers=HTML))
    status, articles, errors = extract(bad, good, *options)
    assert status == 1
    assert [a["source"]["url"] for a in articles] == [good]
    assert len(errors) == 1 and errors[0]["item"] == bad and reason in errors[0]["error"], errors


@pytest.mark.parametrize("route", [_flaky, _busy], ids=["500 then 200", "503 with Retry-After then 200"])
def test_failing_then_good_answer_is_retried(site: Site, route) -> None:
    url = site.route("/flaky", route)
    status, articles, errors = extract(url)
    assert (status, errors) == (0, [])
    assert len(site.asked("/flaky")) == 2 and articles[0]["paragraphs"] == PAGE_TEXT


def test_redirect_chain_is_followed_and_a_loop_named(site: Site) -> None:
    final = site.route("/final", Answer(body=page("Arrived"), headers=HTML))
    site.route("/r2", Answer(301, b"", {"Location": "/final"}))
    first = site.route("/r1", Answer(302, b"", {"Location": site.base + "/r2"}))
    site.route("/loop-a", Answer(302, b"", {"Location": "/loop-b"}))
    loop = site.route("/loop-b", Answer(302, b"", {"Location": "/loop-a"}))
    status, articles, errors = extract(first, loop)
    assert status == 1
    assert [a["source"]["url"] for a in articles] == [final]
    assert errors[0]["item"] == loop
    assert errors[0]["error"] == f"redirect loop: {loop} -> {site.base}/loop-a -> {loop}"


def test_too_many_redirects(site: Site) -> None:
    for n in range(1, 8):
        site.route(f"/hop{n}", Answer(302, b"", {"Location": f"/hop{n + 1}"}))
    status, _, errors = extract(site.base + "/hop1", "--set", "fetch.max_redirects=3")
    assert status == 1 and "more than 3 redirects (fetch.max_redirects)" in errors[0]["error"]


def test_unsupported_scheme_is_named() -> None:
    status, articles, errors = extract("ftp://example.org/feed.xml")
    assert (status, articles) == (1, [])
    assert errors == [{"error": "cannot fetch a ftp: URL; only http and https URLs are fetched",
                       "item": "ftp://example.org/feed.xml", "kind": "InputError"}]


def test_conditional_get_answers_not_modified(site: Site) -> None:
    def feed(request: Request, count: int) -> Answer:
        if request.headers.get("if-none-match") == '"v1"':
            return Answer(304, b"", {"ETag": '"v1"'})
        return Answer(body=rss([("a1", site.base + "/s", FULL_TEXT)]), headers={**RSS, "ETag": '"v1"'})

    url = site.route("/feed.xml", feed)
    with Fetcher(load_settings(overrides=["fetch.host_delay_seconds=0"]).fetch) as fetcher:
        first = fetcher.get(url)
        second = fetcher.get(url, etag=first.etag)
    assert (first.status, first.etag) == (200, '"v1"')
    assert (second.status, second.not_modified, second.body) == (304, True, b"")


def test_host_delay_is_kept_between_requests_to_one_host(site: Site) -> None:
    url = site.route("/p", Answer(body=b"x", headers=HTML))
    waits: list[float] = []
    now = [100.0]
    settings = load_settings(overrides=["fetch.host_delay_seconds=2"]).fetch
    with Fetcher(settings, sleep=waits.append, clock=lambda: now[0]) as fetcher:
        fetcher.get(url)
        now[0] += 0.5
        fetcher.get(url)
    assert waits == [1.5]  # 2 s after the first request, 0.5 s of which had passed


def test_fetcher_raises_input_error_naming_the_url(site: Site) -> None:
    with Fetcher(load_settings(overrides=["fetch.retries=0"]).fetch) as fetcher, pytest.raises(InputError) as caught:
        fetcher.get(site.base + "/nothing")
    assert (caught.value.item, caught.value.reason) == (site.base + "/nothing", "HTTP 404 Not Found")


def test_run_stores_a_feed_url_and_names_the_failures(tmp_path: Path, site: Site) -> None:
    site.route("/story/1", Answer(body=page("Gunmen kill four in Kidal"), headers=HTML))
    site.route("/story/3", Answer(body=b"\x00\x01" * 100, headers={"Content-Type": "application/octet-stream"}))
    url = site.route("/feed.xml", Answer(body=rss([("a1", site.base + "/story/1", "Four killed."),
                                                   ("a3", site.base + "/story/3", "A third story.")]), headers=RSS))
    db = tmp_path / "w.db"
    result = CliRunner().invoke(main, ["run", url, site.base + "/missing", "--db", str(db), *FAST, *LIGHT_STAGES])
    assert result.exit_code == 1, result.output
    assert "Traceback" not in result.output
    errors = {json.loads(line)["item"]: json.loads(line)["error"] for line in result.stderr.splitlines() if '"error"' in line}
    assert errors == {site.base + "/story/3": "not a page or feed: the server says it is application/octet-stream",
                      site.base + "/missing": "HTTP 404 Not Found"}
    with sqlite3.connect(db) as conn:
        assert conn.execute("SELECT url FROM articles").fetchall() == [(site.base + "/story/1",)]
