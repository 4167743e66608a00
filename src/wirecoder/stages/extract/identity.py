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
import struct
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


def _hash32(data: bytes) -> int:
    # blake2b is several times faster than datasketch's default sha1 on short shingles.
    return struct.unpack("<I", hashlib.blake2b(data, digest_size=4).digest())[0]


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
        # MinHash with fixed permutations (seed 1): the same text always gets the
        # same signature, within and across runs.
        self.template = MinHash(num_perm=NUM_PERM, seed=1, hashfunc=_hash32)

    def signature(self, article: Article) -> MinHash:
        words = WORD.findall(normalize(article.body or article.headline or ""))
        if len(words) < self.size:
            shingles = [" ".join(words).encode("utf-8")]
        else:
            shingles = [" ".join(words[i : i + self.size]).encode("utf-8") for i in range(len(words) - self.size + 1)]
        minhash = self.template.copy()
        minhash.update_batch(shingles)
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
