"""Expanding the user's INPUT… into items and opening them as text.

An *item* is one thing a user could point at: a file, a ``.gz`` archive (its one member),
or standard input (``-``). Directories expand recursively in sorted order, so two runs
over the same folder see the same items in the same order. Items are read as streams:
a 200 MB dump is decoded and segmented line by line, never held whole in memory.

Every failure here is an :class:`~wirecoder.errors.InputError` naming the item and the
reason (binary data, truncated archive, too large, …); the caller turns it into one
error record and goes on with the next item.
"""

from __future__ import annotations

import codecs
import gzip
import io
import errno
import os
import re
import stat
import sys
import unicodedata
import zlib
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Iterator
from urllib.parse import urlsplit

import charset_normalizer

from ...errors import InputError

# How much of an item is looked at to detect binary data, its encoding and its format.
SAMPLE_BYTES = 64 * 1024
CHUNK_BYTES = 256 * 1024

# Signatures of common binary formats a user may point wirecoder at by mistake.
BINARY_MAGIC: tuple[tuple[bytes, str], ...] = (
    (b"%PDF", "a PDF document"),
    (b"\x89PNG", "a PNG image"),
    (b"\xff\xd8\xff", "a JPEG image"),
    (b"GIF8", "a GIF image"),
    (b"PK\x03\x04", "a ZIP archive (or an Office document)"),
    (b"\x7fELF", "an executable"),
    (b"SQLite format 3", "an SQLite database"),
    (b"\x1f\x8b", "gzip data without a .gz name"),
)

# A URL rather than a path: a scheme, then "//" ("C:/x" and "./a:b" are paths).
URL = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]+://")

# Characters Western-European news uses beyond ASCII: Latin-1 letters and signs, and the
# typographic punctuation Windows-1252 adds (curly quotes, dashes, euro, ellipsis).
WESTERN_EXTRA = frozenset(chr(c) for c in range(0xA0, 0x100)) | frozenset("‘’‚“”„–—…€•†‡‰‹›™ŠšŽžŒœŸ")


def looks_western(sample: bytes) -> bool:
    """True if the sample reads as ordinary Windows-1252 text: it decodes, every
    non-ASCII character is a Western letter or typographic sign, and those are rare
    among the letters (Cyrillic in cp1251 also decodes, but is almost all non-ASCII)."""
    try:
        text = sample.decode("cp1252")
    except UnicodeDecodeError:
        return False
    extra = [ch for ch in text if ord(ch) > 127]
    if not extra or any(ch not in WESTERN_EXTRA for ch in extra):
        return False
    letters = sum(ch.isalpha() for ch in text)
    return len(extra) <= 0.3 * max(letters, 1)


def _cp1252_fallback(error: UnicodeError) -> tuple[str, int]:
    """Decode error handler for UTF-8 text: bytes that are not UTF-8 are read as
    Windows-1252. Scraped dumps are often stitched from pages in both encodings, and the
    detection only sees the first chunk; this keeps "café" and “quotes” right in both."""
    if not isinstance(error, UnicodeDecodeError):
        raise error
    bad = error.object[error.start : error.end]
    return bad.decode("cp1252", errors="replace"), error.end


codecs.register_error("wirecoder-cp1252", _cp1252_fallback)


@dataclass(frozen=True, slots=True)
class Item:
    """One input item: ``name`` is how errors and ``Source.path`` refer to it;
    ``inner`` is the name that tells its format (``x.html`` for ``x.html.gz``)."""

    name: str
    path: Path | None  # None for standard input and URLs
    gzipped: bool = False
    url: str | None = None  # an http(s) URL, fetched (fetch.py)

    @property
    def inner(self) -> str:
        if self.url is not None:  # the format shows in the URL's path, not in its query
            return urlsplit(self.url).path
        name = self.name
        return name[:-3] if self.gzipped and name.lower().endswith(".gz") else name

    @property
    def suffix(self) -> str:
        return Path(self.inner).suffix.lower()


def expand_inputs(inputs: list[str]) -> Iterator[Item | InputError]:
    """Items in the order given; directories recursively, sorted, hidden files skipped.
    A folder or file that cannot be listed or looked at is an error naming it, never a
    silent skip."""
    for raw in inputs:
        if raw == "-":
            yield Item(name="<stdin>", path=None)
            continue
        if URL.match(raw):
            if raw.lower().startswith(("http://", "https://")):
                yield Item(name=raw, path=None, url=raw)
            else:
                yield InputError(raw, f"cannot fetch a {raw.split(':', 1)[0]}: URL; only http and https URLs are fetched")
            continue
        path = Path(raw)
        try:
            mode = path.stat().st_mode
        except OSError as exc:  # missing, a symlink loop, a name too long, no permission
            yield InputError(raw, _why(exc))
            continue
        if stat.S_ISDIR(mode):
            yield from _walk(path)
        else:
            yield _file_item(path)


def _walk(top: Path) -> Iterator[Item | InputError]:
    problems: list[OSError] = []
    for root, dirs, files in os.walk(top, onerror=problems.append):
        while problems:
            problem = problems.pop(0)
            yield InputError(problem.filename or root, f"cannot list the folder: {_why(problem)}")
        dirs[:] = sorted(d for d in dirs if not d.startswith("."))
        for filename in sorted(files):
            if not filename.startswith("."):
                yield _file_item(Path(root) / filename)
    for problem in problems:  # the top folder itself, or the last one listed
        yield InputError(problem.filename or str(top), f"cannot list the folder: {_why(problem)}")


def _why(exc: OSError) -> str:
    if exc.errno == errno.ENOENT:
        return "no such file or directory"
    return (exc.strerror or str(exc)).lower()


def _file_item(path: Path) -> Item:
    return Item(name=str(path), path=path, gzipped=path.name.lower().endswith(".gz"))


class _Limited(io.RawIOBase):
    """A binary stream that first replays ``prefix``, then reads ``stream``; it counts the
    bytes and refuses to go past ``limit`` (after decompression), translating the
    archive errors into :class:`InputError` for the item."""

    def __init__(self, item: Item, stream: IO[bytes], prefix: bytes, limit: int) -> None:
        self.item, self.stream, self.prefix, self.limit = item, stream, prefix, limit
        self.count = len(prefix)

    def readable(self) -> bool:
        return True

    def readinto(self, buffer) -> int:  # type: ignore[no-untyped-def]
        if self.prefix:
            size = min(len(buffer), len(self.prefix))
            buffer[:size] = self.prefix[:size]
            self.prefix = self.prefix[size:]
            return size
        data = read_guarded(self.item, self.stream, len(buffer))
        self.count += len(data)
        if self.count > self.limit:
            raise InputError(self.item.name, f"larger than extract.max_item_bytes ({self.limit} bytes)")
        buffer[: len(data)] = data
        return len(data)


def read_guarded(item: Item, stream: IO[bytes], size: int) -> bytes:
    """``stream.read(size)``, with a truncated or corrupt archive named as such."""
    try:
        return stream.read(size)
    except EOFError as exc:
        raise InputError(item.name, f"truncated gzip archive ({exc})") from exc
    except (gzip.BadGzipFile, zlib.error) as exc:
        raise InputError(item.name, f"corrupt gzip archive ({exc})") from exc
    except OSError as exc:
        raise InputError(item.name, f"cannot read: {exc}") from exc


def open_binary(item: Item) -> IO[bytes]:
    if item.path is None:
        return sys.stdin.buffer
    try:
        # Non-blocking open: a FIFO nobody writes to would otherwise wait forever; it
        # reads as empty instead. Reads block again once it is open, so a pipe with a
        # writer (``<(zcat …)``) is read whole.
        fd = os.open(item.path, os.O_RDONLY | os.O_NONBLOCK)
        os.set_blocking(fd, True)
        if stat.S_ISDIR(os.fstat(fd).st_mode):
            os.close(fd)
            raise InputError(item.name, "is a directory")
        handle: IO[bytes] = open(fd, "rb")
    except OSError as exc:
        raise InputError(item.name, f"cannot open: {_why(exc)}") from exc
    if item.gzipped:
        return gzip.GzipFile(fileobj=handle, mode="rb")  # type: ignore[return-value]
    return handle


def detect_encoding(item: Item, sample: bytes) -> str:
    """The sample's encoding, or an :class:`InputError` if it looks binary.

    UTF-8 (the common case) is tried first and strictly; a multi-byte character cut at
    the end of the sample is allowed. Otherwise charset-normalizer decides."""
    for bom, encoding in ((codecs.BOM_UTF8, "utf-8-sig"), (codecs.BOM_UTF32_LE, "utf-32"),
                          (codecs.BOM_UTF32_BE, "utf-32"), (codecs.BOM_UTF16_LE, "utf-16"),
                          (codecs.BOM_UTF16_BE, "utf-16")):
        if sample.startswith(bom):
            return encoding
    for magic, what in BINARY_MAGIC:
        if sample.startswith(magic):
            raise InputError(item.name, f"binary file ({what}), not text")
    if b"\x00" in sample:
        raise InputError(item.name, "binary file (contains NUL bytes), not text")
    try:
        codecs.getincrementaldecoder("utf-8")().decode(sample, final=False)
        return "utf-8"
    except UnicodeDecodeError:
        pass
    # charset-normalizer tends to name a neighbour of Windows-1252 (cp1250, cp1257,
    # cp775…) for short Western samples, and those turn curly quotes and accents into
    # other letters; such text is overwhelmingly cp1252 (a superset of Latin-1's letters).
    # Read as UTF-8 with Windows-1252 for the bytes that are not UTF-8 (the decode error
    # handler below): a dump stitched from pages in both encodings then reads right in
    # both, wherever in the file each part is.
    if looks_western(sample):
        return "utf-8"
    best = charset_normalizer.from_bytes(sample).best()
    if best is None:
        raise InputError(item.name, "undecodable bytes: no text encoding fits (binary file?)")
    return best.encoding


@dataclass(slots=True)
class OpenedItem:
    """An item opened as text: the decoded ``head`` (for sniffing the format) and a
    line iterator over the whole text (``head`` included), newlines normalized."""

    item: Item
    encoding: str
    head: str
    text: io.TextIOWrapper

    # Text is NFC from the moment it is decoded, so every rule downstream (headlines,
    # credits, ``\\w`` in any pattern, the gazetteer) sees "á" as one letter, never "a"
    # plus a combining accent. A line is normalized alone: a newline never composes.
    def lines(self) -> Iterator[str]:
        return (unicodedata.normalize("NFC", line) for line in self.text)

    def read(self) -> str:
        return unicodedata.normalize("NFC", self.text.read())

    def close(self) -> None:
        self.text.close()


def open_text(item: Item, max_bytes: int, stream: IO[bytes] | None = None) -> OpenedItem:
    """Open an item as a decoded text stream (universal newlines: CRLF becomes LF);
    ``stream`` gives its bytes when they were got otherwise (a fetched URL)."""
    if stream is None and item.path is not None and not item.gzipped:
        try:
            size = item.path.stat().st_size
        except OSError as exc:
            raise InputError(item.name, f"cannot read: {exc.strerror or exc}") from exc
        if size > max_bytes:
            raise InputError(item.name, f"larger than extract.max_item_bytes ({size} > {max_bytes} bytes)")
    stream = stream if stream is not None else open_binary(item)
    try:
        sample = read_guarded(item, stream, SAMPLE_BYTES)
        if not sample.strip():
            if sample:
                raise InputError(item.name, "no text (only whitespace)")
            if item.url is not None:
                raise InputError(item.name, "empty answer: the server sent no content")
            if item.path is not None and stat.S_ISFIFO(os.fstat(stream.fileno()).st_mode):
                raise InputError(item.name, "nothing to read: a named pipe that no program writes to")
            raise InputError(item.name, "empty file")
        encoding = detect_encoding(item, sample)
        raw = _Limited(item, stream, sample, max_bytes)
        errors = "wirecoder-cp1252" if encoding == "utf-8" else "replace"
        text = io.TextIOWrapper(io.BufferedReader(raw, CHUNK_BYTES), encoding=encoding, errors=errors, newline=None)
    except BaseException:
        if stream is not sys.stdin.buffer:
            stream.close()
        raise
    head = sample[:4096].decode(encoding, errors=errors)
    return OpenedItem(item=item, encoding=encoding, head=head, text=text)


def sniff_format(item: Item, head: str) -> str:
    """``html``, ``feed``, ``jsonl`` or ``text``: from the (inner) file name, else from
    the first characters."""
    suffix = item.suffix
    if suffix in {".html", ".htm", ".xhtml", ".shtml"}:
        return "html"
    if suffix in {".rss", ".atom", ".rdf"}:
        return "feed"
    if suffix in {".jsonl", ".ndjson", ".json"}:
        return "jsonl"
    start = head.lstrip("\ufeff \t\r\n")[:1024].lower()
    if start.startswith("{") or (start.startswith("[") and start[1:].lstrip().startswith("{")):
        return "jsonl"
    if start.startswith("<"):
        if "<rss" in start or "<feed" in start or "<rdf:rdf" in start:
            return "feed"
        if suffix == ".xml":
            return "feed"
        return "html"
    if suffix == ".xml":
        return "feed"
    return "text"
