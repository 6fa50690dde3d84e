"""A link found in a feed or sitemap: an article URL with what the source says about it."""

from __future__ import annotations

import datetime as dt
import time
from dataclasses import dataclass


@dataclass
class Link:
    """An article URL from a source, with its title, publication time and change stamp.

    ``stamp`` is the entry's own "last changed" mark (Atom ``updated``, sitemap ``lastmod``):
    when it changes, the page is fetched again and a changed article stored as a new version.
    """

    url: str
    title: str | None = None
    published: str | None = None  # ISO 8601
    stamp: str | None = None
    outlet: str | None = None  # a news sitemap's publication name


def iso_from_struct(value: time.struct_time | None) -> str | None:
    """ISO 8601 (UTC) from the struct_time feedparser gives; None if absent or impossible."""
    if not value:
        return None
    try:
        return dt.datetime(*value[:6], tzinfo=dt.timezone.utc).isoformat()
    except (TypeError, ValueError):
        return None


def newest_first(links: list[Link]) -> list[Link]:
    """Links with a date first, newest first; undated ones after them in document order."""
    dated = sorted((l for l in links if l.published or l.stamp),
                   key=lambda l: (l.published or l.stamp or ""), reverse=True)
    return dated + [l for l in links if not (l.published or l.stamp)]


def iso_from_text(value: str | None) -> str | None:
    """ISO 8601 from a W3C date or date-time as sitemaps give them (UTC when it has a zone)."""
    if not value or not value.strip():
        return None
    value = value.strip()
    if len(value) == 10:  # a date alone
        try:
            return dt.date.fromisoformat(value).isoformat()
        except ValueError:
            return None
    try:
        when = dt.datetime.fromisoformat(value.strip().replace("Z", "+00:00"))
    except ValueError:
        try:
            return dt.date.fromisoformat(value.strip()[:10]).isoformat()
        except ValueError:
            return None
    if when.tzinfo is not None:
        when = when.astimezone(dt.timezone.utc)
    return when.isoformat()
