"""Quotes stage: direct and indirect quotations with resolved speakers."""

from __future__ import annotations

from .records import ParsedArticle, Quote
from .settings import Settings


def find_quotes(parsed: ParsedArticle, settings: Settings) -> list[Quote]:
    """Find every quotation in the article and resolve its speaker."""
    return []
