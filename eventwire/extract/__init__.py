"""Extraction stage: raw document -> Article with clean text and metadata."""

from __future__ import annotations

from ..records import Article, RawDocument, content_hash
from ..settings import Settings


def extract(raw: RawDocument, settings: Settings) -> Article:
    """Turn a raw document into an Article (clean text, title, date, outlet, language)."""
    text = raw.text or ""
    return Article(id=content_hash(text), text=text, source_path=raw.source_path, url=raw.url,
                   title=raw.title, published=raw.published, outlet=raw.outlet)
