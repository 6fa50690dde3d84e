"""Ingest stage: files, folders, stdin -> RawDocument records (or a ProcessingError per bad input)."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from pathlib import Path

from .records import ProcessingError, RawDocument
from .settings import Settings


def read_paths(paths: Iterable[str], settings: Settings) -> Iterator[RawDocument | ProcessingError]:
    """Read every supported document under the given paths."""
    for path in paths:
        p = Path(path)
        yield RawDocument(origin=str(p), text=p.read_text(encoding="utf-8"), source_path=str(p))
