"""Identity and near-duplicates of articles.

``content_id``: 16 hex characters of SHA-256 over the normalized headline and body
(Unicode NFKC, case-folded, whitespace collapsed), so the same story gets the same id
whatever the file, encoding or blank-line habits it came in. The text is normalized a
block at a time, so a huge article costs a few megabytes beyond its own text.

:class:`DuplicateFinder`: an article whose word shingles are a near-copy (estimated
Jaccard ≥ ``extract.duplicate_threshold``) of an article already seen in this run —
syndicated wire copy, a re-scrape — gets ``duplicate_of`` = the id of the first one.
MinHash signatures are indexed with LSH, so each check costs about the same however
many articles came before; the index keeps the most recent ``MAX_INDEXED`` originals so
memory stays bounded on endless streams.

Two things keep the result the same in every process and bounded in memory:

1. Words are hashed with BLAKE2b, never with Python's ``hash()``, whose salt changes
   from one process to the next (``PYTHONHASHSEED``): with it, which articles were
   near-copies — and so what a run stored — depended on the process.
2. A signature reads at most the first ``SIGNATURE_CHARS`` characters of the text and
   does its MinHash arithmetic ``BLOCK`` shingles at a time. A news story is a few
   thousand characters; a near-copy of a longer text shares its first million too.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from collections import deque
from typing import Iterable, Iterator

import numpy as np
from datasketch import MinHash, MinHashLSH

from ...records import Article
from ...settings import ExtractSettings

NUM_PERM = 64
MAX_INDEXED = 50_000
WORD = re.compile(r"\w+")
# Near-duplicates are judged on this many leading characters of an article.
SIGNATURE_CHARS = 1_000_000
# Shingles per block of MinHash arithmetic: the block's matrix is BLOCK x NUM_PERM
# uint64 (2 MB), whatever the size of the article.
BLOCK = 4096
# Characters normalized at a time by content_id.
NORMALIZE_CHARS = 1 << 20
# Word hashes kept between articles (news vocabulary repeats); cleared when full.
MAX_CACHED_WORDS = 200_000
_SPACE = re.compile(r"\s")
_ASCII = re.compile(r"[\x00-\x7f]")


def normalize(text: str) -> str:
    return " ".join(unicodedata.normalize("NFKC", text).casefold().split())


def _cut(text: str, size: int) -> int:
    """Where to end a block of at most ``size`` characters of ``text``: after its last
    whitespace character, failing that before its last ASCII character (never the
    second half of a composed character, so NFKC reads the blocks as it reads the
    whole), failing that at ``size``. Only the block's last 64K characters are searched."""
    if len(text) <= size:
        return len(text)
    window = max(0, size - 65_536)
    last = None
    for last in _SPACE.finditer(text, window, size):
        pass
    if last is not None:
        return last.end()
    for last in _ASCII.finditer(text, window, size):
        pass
    if last is not None and last.start() > 0:
        return last.start()
    return size


def _blocks(text: str) -> Iterator[str]:
    size, start = NORMALIZE_CHARS, 0
    while start < len(text):
        end = start + _cut(text[start : start + size + 1], size)
        yield text[start:end]
        start = end


def normalized_pieces(texts: Iterable[str]) -> Iterator[str]:
    """Pieces whose concatenation is ``normalize("\\n\\n".join(texts))``, computed a
    block at a time: memory holds one block, whatever the length of the texts."""
    started = space = False
    for text in texts:
        space = True  # the paragraph separator
        for block in _blocks(text):
            folded = unicodedata.normalize("NFKC", block).casefold()
            words = folded.split()
            if not words:
                space = space or bool(folded)
                continue
            if started and (space or folded[0].isspace()):
                yield " "
            yield " ".join(words)
            started, space = True, folded[-1].isspace()


def content_id(article: Article) -> str:
    digest = hashlib.sha256()
    for piece in normalized_pieces([article.headline or ""]):
        digest.update(piece.encode("utf-8", "surrogatepass"))
    digest.update(b"\x00")
    for piece in normalized_pieces(article.paragraphs):
        digest.update(piece.encode("utf-8", "surrogatepass"))
    return digest.hexdigest()[:16]


def leading_text(texts: Iterable[str], limit: int = SIGNATURE_CHARS) -> str:
    """The texts joined by blank lines, cut after at most ``limit`` characters (at a
    whitespace character where there is one, so that no word is cut)."""
    parts: list[str] = []
    room = limit
    for text in texts:
        room -= 2 if parts else 0
        if room <= 0:
            break
        if len(text) > room:
            parts.append(text[: _cut(text, room)])
            break
        parts.append(text)
        room -= len(text)
    return "\n\n".join(parts)


# MinHash arithmetic as datasketch does it (a universal hash per permutation).
MERSENNE_PRIME = np.uint64((1 << 61) - 1)
MAX_HASH = np.uint64((1 << 32) - 1)
# Multipliers that fold a shingle's word hashes into one (wrapping uint64 arithmetic).
FOLD = np.array([0x9E3779B97F4A7C15 >> k for k in range(0, 64, 7)], dtype=np.uint64)


def word_hash(word: str) -> int:
    """A 64-bit hash of a word that is the same in every process and on every machine."""
    return int.from_bytes(hashlib.blake2b(word.encode("utf-8", "surrogatepass"), digest_size=8).digest(), "little")


class DuplicateFinder:
    """Remembers the articles of one run and names the original of each near-copy."""

    def __init__(self, settings: ExtractSettings) -> None:
        self.threshold = settings.duplicate_threshold
        self.size = max(1, settings.shingle_size)
        self.lsh = MinHashLSH(threshold=self.threshold, num_perm=NUM_PERM)
        self.ids: dict[int, str] = {}
        self.signatures: dict[int, np.ndarray] = {}
        self.order: deque[int] = deque()
        self.counter = 0
        self.template = MinHash(num_perm=NUM_PERM, seed=1)
        self.word_hashes: dict[str, int] = {}

    def _hash_words(self, words: list[str]) -> np.ndarray:
        cache = self.word_hashes
        if len(cache) > MAX_CACHED_WORDS:
            cache.clear()
        for word in words:
            if word not in cache:
                cache[word] = word_hash(word)
        return np.fromiter((cache[w] for w in words), dtype=np.uint64, count=len(words))

    def signature(self, article: Article) -> MinHash:
        """MinHash of the word shingles of the article's first ``SIGNATURE_CHARS``
        characters (its body, or its headline if it has no body), computed with numpy.

        Each word is hashed once and each shingle's hash folds its words' hashes: ~10x
        faster than hashing every shingle's bytes."""
        # (As ``article.body or article.headline``, without joining a huge body.)
        has_body = len(article.paragraphs) > 1 or any(article.paragraphs)
        texts = article.paragraphs if has_body else [article.headline or ""]
        words = WORD.findall(normalize(leading_text(texts)))
        minhash = self.template.copy()
        if not words:
            return minhash
        word_hashes = self._hash_words(words)
        size = min(self.size, len(words))
        count = len(words) - size + 1
        a, b = self.template.permutations
        lowest = minhash.hashvalues
        with np.errstate(over="ignore"):
            for start in range(0, count, BLOCK):
                stop = min(count, start + BLOCK)
                folded = np.zeros(stop - start, dtype=np.uint64)
                for offset in range(size):
                    folded = folded * FOLD[offset % len(FOLD)] + word_hashes[start + offset : stop + offset]
                shingle_hashes = (folded >> np.uint64(32)) ^ (folded & MAX_HASH)
                permuted = np.bitwise_and((np.outer(shingle_hashes, a) + b) % MERSENNE_PRIME, MAX_HASH)
                lowest = np.minimum(lowest, permuted.min(axis=0))
        minhash.hashvalues = lowest
        return minhash

    def check(self, article: Article) -> str | None:
        """The id of the earlier article this one nearly copies, or None (and then
        remember this one as an original)."""
        minhash = self.signature(article)
        best: tuple[float, int] | None = None
        # The earliest original wins, whatever order the index returns candidates in.
        for key in self.lsh.query(minhash):
            similarity = float(np.mean(self.signatures[key] == minhash.hashvalues))
            if similarity >= self.threshold and (best is None or key < best[1]):
                best = (similarity, key)
        if best is not None:
            return self.ids[best[1]]
        self.counter += 1
        key = self.counter
        self.lsh.insert(key, minhash, check_duplication=False)
        self.ids[key] = article.id
        self.signatures[key] = minhash.hashvalues
        self.order.append(key)
        if len(self.order) > MAX_INDEXED:
            old = self.order.popleft()
            self.lsh.remove(old)
            del self.ids[old], self.signatures[old]
        return None
