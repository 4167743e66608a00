"""Identity and near-duplicates of articles.

``content_id``: 16 hex characters of SHA-256 over the normalized headline and body
(Unicode NFKC, case-folded, whitespace collapsed), so the same story gets the same id
whatever the file, encoding or blank-line habits it came in.

:class:`DuplicateFinder`: an article whose word shingles are a near-copy (estimated
Jaccard ≥ ``extract.duplicate_threshold``) of an article already seen in this run —
syndicated wire copy, a re-scrape — gets ``duplicate_of`` = the id of the first one.
MinHash signatures are indexed with LSH, so each check costs about the same however
many articles came before; the index keeps the most recent ``MAX_INDEXED`` originals so
memory stays bounded on endless streams.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from collections import deque

import numpy as np
from datasketch import MinHash, MinHashLSH

from ...records import Article
from ...settings import ExtractSettings

NUM_PERM = 64
MAX_INDEXED = 50_000
WORD = re.compile(r"\w+")


def normalize(text: str) -> str:
    return " ".join(unicodedata.normalize("NFKC", text).casefold().split())


def content_id(article: Article) -> str:
    digest = hashlib.sha256()
    digest.update(normalize(article.headline or "").encode("utf-8"))
    digest.update(b"\x00")
    digest.update(normalize(article.body).encode("utf-8"))
    return digest.hexdigest()[:16]


# MinHash arithmetic as datasketch does it (a universal hash per permutation).
MERSENNE_PRIME = np.uint64((1 << 61) - 1)
MAX_HASH = np.uint64((1 << 32) - 1)
# Multipliers that fold a shingle's word hashes into one (wrapping uint64 arithmetic).
FOLD = np.array([0x9E3779B97F4A7C15 >> k for k in range(0, 64, 7)], dtype=np.uint64)


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

    def signature(self, article: Article) -> MinHash:
        """MinHash of the article's word shingles, computed with numpy in one pass.

        Words are hashed once with Python's string hash (stable within a process, which
        is all near-duplicates within a run need) and each shingle's hash folds its
        words' hashes; this is ~10x faster than hashing every shingle's bytes."""
        words = WORD.findall(normalize(article.body or article.headline or ""))
        minhash = self.template.copy()
        if not words:
            return minhash
        with np.errstate(over="ignore"):
            word_hashes = np.fromiter((hash(w) for w in words), dtype=np.int64, count=len(words)).view(np.uint64)
            size = min(self.size, len(words))
            count = len(words) - size + 1
            folded = np.zeros(count, dtype=np.uint64)
            for offset in range(size):
                folded = folded * FOLD[offset % len(FOLD)] + word_hashes[offset : offset + count]
            shingle_hashes = (folded >> np.uint64(32)) ^ (folded & MAX_HASH)
            a, b = self.template.permutations
            permuted = np.bitwise_and((np.outer(shingle_hashes, a) + b) % MERSENNE_PRIME, MAX_HASH)
        minhash.hashvalues = np.minimum(minhash.hashvalues, permuted.min(axis=0))
        return minhash

    def check(self, article: Article) -> str | None:
        """The id of the earlier article this one nearly copies, or None (and then
        remember this one as an original)."""
        minhash = self.signature(article)
        best: tuple[float, int] | None = None
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
