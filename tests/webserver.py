"""A local HTTP server on 127.0.0.1 for the fetching tests: each path answers one way a
real site does (a feed, a page, slow, huge, redirecting, failing, binary), and every
request is recorded so that a test can check what wirecoder asked. Never a real site."""

from __future__ import annotations

import threading
import time
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Callable, Iterator

PAGE_TEXT = [
    "Gunmen attacked a police post in the town of Kidal on Monday, killing four officers, a regional official said.",
    "The attackers arrived on motorcycles before dawn and set fire to two vehicles before withdrawing north, "
    "residents told reporters by telephone.",
    "No group has claimed the attack. Jihadist groups have carried out frequent raids on security forces in the area.",
    "The army said it had sent reinforcements and that a search for the attackers was under way.",
]


def page(title: str, paragraphs: list[str] = PAGE_TEXT) -> bytes:
    body = "".join(f"<p>{p}</p>" for p in paragraphs)
    return (f"<!DOCTYPE html><html><head><meta charset='utf-8'><title>{title}</title></head><body>"
            f"<article><h1>{title}</h1>{body}</article></body></html>").encode()


def rss(items: list[tuple[str, str, str]]) -> bytes:
    """An RSS feed of ``(guid, link, description)`` entries, each titled after its link."""
    entries = "".join(f"<item><title>Story {link.rsplit('/', 1)[-1]}</title><guid>{guid}</guid><link>{link}</link>"
                      f"<pubDate>Tue, 04 Mar 2025 10:00:00 GMT</pubDate><description><![CDATA[{text}]]></description></item>"
                      for guid, link, text in items)
    return (f"<?xml version='1.0' encoding='utf-8'?><rss version='2.0'><channel><title>Test Wire</title>"
            f"{entries}</channel></rss>").encode()


@dataclass
class Answer:
    status: int = 200
    body: bytes = b""
    headers: dict[str, str] = field(default_factory=dict)
    delay: float = 0.0  # seconds before the answer


@dataclass
class Request:
    path: str
    headers: dict[str, str]


class Site:
    """Routes: a path -> a function of the request (and how often it was asked) -> Answer."""

    def __init__(self) -> None:
        self.routes: dict[str, Callable[[Request, int], Answer]] = {}
        self.requests: list[Request] = []
        self.base = ""

    def route(self, path: str, answer: Answer | Callable[[Request, int], Answer]) -> str:
        self.routes[path] = answer if callable(answer) else (lambda _request, _count, a=answer: a)
        return self.base + path

    def asked(self, path: str) -> list[Request]:
        return [r for r in self.requests if r.path == path]

    def answer(self, request: Request) -> Answer:
        self.requests.append(request)
        handler = self.routes.get(request.path)
        if handler is None:
            return Answer(404, b"not found", {"Content-Type": "text/plain"})
        return handler(request, len(self.asked(request.path)))


def _handler(site: Site) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:  # noqa: N802 - the name http.server calls
            answer = site.answer(Request(self.path, {k.lower(): v for k, v in self.headers.items()}))
            if answer.delay:
                time.sleep(answer.delay)
            try:
                self.send_response(answer.status)
                for name, value in answer.headers.items():
                    if value:  # an empty value leaves the header out (no Content-Length: read to the close)
                        self.send_header(name, value)
                if "Content-Length" not in answer.headers:
                    self.send_header("Content-Length", str(len(answer.body)))
                self.end_headers()
                if answer.status != 304:
                    self.wfile.write(answer.body)
            except (BrokenPipeError, ConnectionResetError):  # the client gave up (a timeout, a size limit)
                pass

        def log_message(self, *_: object) -> None:
            pass

    return Handler


def serve() -> Iterator[Site]:
    """A running site on a free port of 127.0.0.1 (a pytest fixture's body)."""
    site = Site()
    server = ThreadingHTTPServer(("127.0.0.1", 0), _handler(site))
    server.daemon_threads = True
    site.base = f"http://127.0.0.1:{server.server_address[1]}"
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield site
    finally:
        server.shutdown()
        server.server_close()
