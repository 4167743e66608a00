"""Fetching the feeds and pages a user names by URL, politely and within limits.

Every request carries a User-Agent naming wirecoder (``fetch.user_agent``), waits at
most ``fetch.timeout_seconds`` to connect and between two bytes, and waits
``fetch.host_delay_seconds`` after the previous request to the same host. A body is
read as a stream and refused once it passes ``fetch.max_bytes`` (counted after
decompression, so a compressed bomb is refused too). Redirects are followed by hand, at
most ``fetch.max_redirects``, so that a loop is named as one. A busy or failing server
(429, 500, 502, 503, 504) or a failed connection is tried again ``fetch.retries`` times,
after ``fetch.backoff_seconds`` doubling each time, or after the ``Retry-After`` the
server asks when that is not longer than ``fetch.max_retry_after_seconds``.

Whatever goes wrong is an :class:`~wirecoder.errors.InputError` naming the URL and the
reason ("HTTP 404 Not Found", "timed out after 20 s", "redirect loop: …"); the caller
makes it one error record and goes on with the rest of the batch.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from email.utils import parsedate_to_datetime
from typing import TYPE_CHECKING, Callable
from urllib.parse import urljoin, urlsplit

from ... import __version__
from ...errors import InputError
from ...settings import FetchSettings

if TYPE_CHECKING:
    import httpx

URL_SCHEMES = ("http://", "https://")
RETRY_STATUSES = frozenset({429, 500, 502, 503, 504})
REDIRECT_STATUSES = frozenset({301, 302, 303, 307, 308})
# Media types that can hold a page or a feed; anything else (images, PDFs, archives,
# application/octet-stream) is refused by its type before its bytes are read.
TEXT_MEDIA = ("text/", "application/xml", "application/xhtml", "application/rss", "application/atom",
              "application/rdf", "application/json", "application/ld+json", "application/x-ndjson",
              "application/jsonl")


def is_url(text: str) -> bool:
    return text.lower().startswith(URL_SCHEMES)


@dataclass(slots=True)
class Fetched:
    """One answer: ``status`` 200 with the ``body``, or 304 (not modified) without."""

    url: str           # as asked
    final_url: str     # after redirects
    status: int
    body: bytes = b""
    media_type: str = ""  # "text/html", without parameters; "" when the server gave none
    etag: str | None = None
    last_modified: str | None = None

    @property
    def not_modified(self) -> bool:
        return self.status == 304


@dataclass
class Fetcher:
    """An HTTP client for one batch (one connection pool, one per-host clock)::

        with Fetcher(settings.fetch) as fetcher:
            page = fetcher.get("https://example.org/story")
    """

    settings: FetchSettings
    sleep: Callable[[float], None] = time.sleep
    clock: Callable[[], float] = time.monotonic
    _last_request: dict[str, float] = field(default_factory=dict, init=False, repr=False)
    _client: httpx.Client | None = field(default=None, init=False, repr=False)

    def __enter__(self) -> Fetcher:
        return self

    def __exit__(self, *_: object) -> None:
        self.close()

    def close(self) -> None:
        if self._client is not None:
            self._client.close()
            self._client = None

    @property
    def client(self) -> httpx.Client:
        # httpx is imported when a URL is first fetched: reading files never pays for it.
        import httpx

        if self._client is None:
            self._client = httpx.Client(
                timeout=httpx.Timeout(self.settings.timeout_seconds),
                headers={"User-Agent": self.settings.user_agent.replace("{version}", __version__)},
                follow_redirects=False,
                trust_env=False,  # no proxy or .netrc credentials picked up behind the user's back
            )
        return self._client

    def get(self, url: str, *, etag: str | None = None, last_modified: str | None = None) -> Fetched:
        """The answer for ``url``, following redirects and retrying as the settings say;
        with ``etag`` or ``last_modified`` a conditional GET (a 304 answer has no body)."""
        headers = {}
        if etag:
            headers["If-None-Match"] = etag
        if last_modified:
            headers["If-Modified-Since"] = last_modified
        visited = [url]
        current = url
        while True:
            answer = self._get_with_retries(url, current, headers)
            if isinstance(answer, Fetched):
                answer.url = url
                return answer
            target = urljoin(current, answer)
            if not is_url(target):
                raise InputError(url, f"redirected to {target!r}, which is not an http(s) URL")
            if target in visited:
                raise InputError(url, "redirect loop: " + " -> ".join([*visited[visited.index(target):], target]))
            if len(visited) > self.settings.max_redirects:
                raise InputError(url, f"more than {self.settings.max_redirects} redirects (fetch.max_redirects)")
            visited.append(target)
            current = target

    def _get_with_retries(self, asked: str, url: str, headers: dict[str, str]) -> Fetched | str:
        """One URL's answer (or the redirect target, as a string), tried again while the
        server is busy or the connection fails."""
        attempt = 0
        while True:
            self._wait_for_host(url)
            try:
                return self._get_once(asked, url, headers)
            except _Retryable as trouble:
                attempt += 1
                if attempt > self.settings.retries:
                    raise InputError(asked, trouble.reason + (f" (after {attempt} tries)" if attempt > 1 else "")) from None
                wait = self.settings.backoff_seconds * 2 ** (attempt - 1)
                if trouble.retry_after is not None:
                    if trouble.retry_after > self.settings.max_retry_after_seconds:
                        raise InputError(asked, f"{trouble.reason}; the server asks to retry after "
                                                f"{trouble.retry_after:.0f} s, more than fetch.max_retry_after_seconds") from None
                    wait = trouble.retry_after
                self.sleep(wait)

    def _wait_for_host(self, url: str) -> None:
        host = urlsplit(url).netloc.lower()
        last = self._last_request.get(host)
        if last is not None:
            wait = last + self.settings.host_delay_seconds - self.clock()
            if wait > 0:
                self.sleep(wait)
        self._last_request[host] = self.clock()

    def _get_once(self, asked: str, url: str, headers: dict[str, str]) -> Fetched | str:
        import httpx

        limit = self.settings.max_bytes
        try:
            with self.client.stream("GET", url, headers=headers) as response:
                status = response.status_code
                if status in REDIRECT_STATUSES and response.headers.get("Location"):
                    return response.headers["Location"]
                if status == 304:
                    return Fetched(asked, url, 304, etag=response.headers.get("ETag"),
                                   last_modified=response.headers.get("Last-Modified"))
                if status in RETRY_STATUSES:
                    raise _Retryable(f"HTTP {status} {response.reason_phrase}".strip(),
                                     _retry_after(response.headers.get("Retry-After")))
                if status >= 400:
                    raise InputError(asked, f"HTTP {status} {response.reason_phrase}".strip())
                if status != 200:
                    raise InputError(asked, f"HTTP {status} {response.reason_phrase}: not a page or feed".strip())
                media_type = response.headers.get("Content-Type", "").split(";")[0].strip().lower()
                if media_type and not media_type.startswith(TEXT_MEDIA) and "xml" not in media_type:
                    raise InputError(asked, f"not a page or feed: the server says it is {media_type}")
                declared = response.headers.get("Content-Length", "")
                if declared.isdigit() and int(declared) > limit:
                    raise InputError(asked, f"larger than fetch.max_bytes ({int(declared):,} > {limit:,} bytes)")
                chunks, size = [], 0
                for chunk in response.iter_bytes():
                    size += len(chunk)
                    if size > limit:
                        raise InputError(asked, f"larger than fetch.max_bytes (more than {limit:,} bytes)")
                    chunks.append(chunk)
                return Fetched(asked, url, 200, b"".join(chunks), media_type,
                               response.headers.get("ETag"), response.headers.get("Last-Modified"))
        except httpx.TimeoutException as exc:
            raise _Retryable(f"timed out after {self.settings.timeout_seconds:g} s ({type(exc).__name__})") from exc
        except (httpx.ConnectError, httpx.RemoteProtocolError, httpx.ReadError) as exc:
            raise _Retryable(f"cannot fetch: {exc or type(exc).__name__}") from exc
        except httpx.DecodingError as exc:
            raise InputError(asked, f"undecodable answer: {exc}") from exc
        except (httpx.HTTPError, httpx.InvalidURL) as exc:
            raise InputError(asked, f"cannot fetch: {type(exc).__name__}: {exc}") from exc


class _Retryable(Exception):
    """A failure worth another try; ``retry_after`` is the wait the server asked, if any."""

    def __init__(self, reason: str, retry_after: float | None = None) -> None:
        super().__init__(reason)
        self.reason = reason
        self.retry_after = retry_after


def _retry_after(value: str | None) -> float | None:
    """``Retry-After`` as seconds: a number, or an HTTP date (from now)."""
    if not value:
        return None
    value = value.strip()
    if value.isdigit():
        return float(value)
    try:
        when = parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    return max(0.0, when.timestamp() - time.time())
