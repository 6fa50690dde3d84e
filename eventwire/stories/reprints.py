"""Reprints and near-duplicates: MinHash signatures over word shingles, LSH to find candidates.

A reprint (the same piece republished on another site, with its own boilerplate) keeps
its own record and points to its original: the earliest published, then first ingested.
Signatures are stored as bytes so an index can be rebuilt without re-reading any text.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache

import numpy as np
from datasketch import MinHash, MinHashLSH

NUM_PERM = 128
SHINGLE_WORDS = 5
# Jaccard similarity of 5-word shingle sets from which two texts are the same article.
# Reprints that drop a paragraph, keep some boilerplate or reword a few phrases score
# 0.4-0.7; different articles on the same story, even from one wire, stay below 0.2.
THRESHOLD = 0.35
MIN_SHINGLES = 20  # shorter texts are not compared: too little evidence either way

_WORD = re.compile(r"\w+", re.UNICODE)


def shingles(text: str, size: int = SHINGLE_WORDS) -> set[bytes]:
    """The set of ``size``-word shingles of a text, lower-cased, punctuation ignored."""
    words = _WORD.findall(text.lower())
    if len(words) < size:
        return {" ".join(words).encode()} if words else set()
    return {" ".join(words[i:i + size]).encode() for i in range(len(words) - size + 1)}


@lru_cache(maxsize=4)
def _template(num_perm: int) -> MinHash:
    return MinHash(num_perm=num_perm)


def signature(text: str, num_perm: int = NUM_PERM) -> MinHash | None:
    """The MinHash of a text's shingles, or None when the text is too short to judge."""
    grams = shingles(text)
    if len(grams) < MIN_SHINGLES:
        return None
    template = _template(num_perm)
    minhash = MinHash(num_perm=num_perm, permutations=template.permutations, scheme=template.scheme)
    minhash.update_batch(list(grams))
    return minhash


def to_bytes(minhash: MinHash) -> bytes:
    """Serialise a MinHash's hash values (little-endian uint64) for the store."""
    return np.asarray(minhash.hashvalues, dtype="<u8").tobytes()


def from_bytes(data: bytes) -> MinHash:
    """Read back a MinHash written by :func:`to_bytes`."""
    values = np.frombuffer(data, dtype="<u8").astype(np.uint64)
    template = _template(len(values))
    return MinHash(num_perm=len(values), hashvalues=values, permutations=template.permutations,
                   scheme=template.scheme)


@dataclass(frozen=True)
class Candidate:
    """An article of the index, with what decides which of a group is the original."""

    article_id: str
    published: str | None
    order: int  # ingestion order

    @property
    def sort_key(self) -> tuple[str, int, str]:
        return (self.published or "9999-99-99", self.order, self.article_id)


class ReprintIndex:
    """An in-memory LSH index of article signatures; answers "which earlier article is this?"."""

    def __init__(self, threshold: float = THRESHOLD, num_perm: int = NUM_PERM):
        self.threshold = threshold
        # Candidates are verified on the full signature, so the bands favour recall.
        self.lsh = MinHashLSH(threshold=threshold, num_perm=num_perm, weights=(0.1, 0.9))
        self.signatures: dict[str, MinHash] = {}
        self.candidates: dict[str, Candidate] = {}
        self.original_of: dict[str, str] = {}  # reprint id -> original id
        self.reprints_of: dict[str, set[str]] = {}  # original id -> its reprints

    def __len__(self) -> int:
        return len(self.signatures)

    def add(self, article_id: str, minhash: MinHash, published: str | None = None,
            original_of: str | None = None) -> None:
        """Put an article into the index (``original_of`` when it is already known as a reprint)."""
        if article_id in self.signatures:
            return
        self.signatures[article_id] = minhash
        self.candidates[article_id] = Candidate(article_id, published, len(self.candidates))
        self.lsh.insert(article_id, minhash)
        if original_of:
            self._point(article_id, original_of)

    def _point(self, reprint: str, original: str | None) -> None:
        """Record (or, with None, forget) which original a reprint points to."""
        before = self.original_of.pop(reprint, None)
        if before is not None:
            self.reprints_of.get(before, set()).discard(reprint)
        if original is not None:
            self.original_of[reprint] = original
            self.reprints_of.setdefault(original, set()).add(reprint)

    def duplicates(self, minhash: MinHash) -> list[tuple[str, float]]:
        """Indexed articles whose estimated Jaccard similarity reaches the threshold, best first."""
        found = []
        for other in self.lsh.query(minhash):
            similarity = minhash.jaccard(self.signatures[other])
            if similarity >= self.threshold:
                found.append((other, similarity))
        return sorted(found, key=lambda x: -x[1])

    def link(self, article_id: str, minhash: MinHash | None,
             published: str | None = None) -> dict[str, str | None]:
        """Add an article and decide its group's original.

        Returns the changes of ``reprint_of`` this causes: ``{article_id: original_id or None}``
        for the new article and for any earlier article whose original changes because the
        new one was published before them.
        """
        if minhash is None:
            return {article_id: None}
        group = {article_id}
        for other, _ in self.duplicates(minhash):
            group.add(other)
            group.add(self.original_of.get(other, other))
        # the reprints of the group's originals, by index: a scan would grow with the corpus
        group |= {r for member in list(group) for r in self.reprints_of.get(member, ())}
        self.add(article_id, minhash, published)
        original = min(group, key=lambda a: self.candidates[a].sort_key)
        changes: dict[str, str | None] = {}
        for member in group:
            new = None if member == original else original
            if member == article_id or self.original_of.get(member) != new:
                changes[member] = new
                self._point(member, new)
        return changes


def find_reprints(articles: Iterable, threshold: float = THRESHOLD) -> dict[str, str]:
    """Reprints among Article records, in the given (ingestion) order: ``{reprint id: original id}``."""
    index = ReprintIndex(threshold)
    for article in articles:
        index.link(article.id, signature(article.text), article.published)
    return dict(index.original_of)
