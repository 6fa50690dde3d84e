"""RSS and Atom feeds -> article links, with feedparser.

The feed body is handed to feedparser as a stream, never as bytes or a string: feedparser
treats a string or bytes argument that names a file as that file's path (or a URL as one to
fetch), which a hostile feed must not be able to steer. Relative links are resolved against
the feed's URL. A feed with broken XML is read by feedparser's lenient parser when it can
be; its entries are kept and the problem noted.
"""

from __future__ import annotations

import io
from dataclasses import dataclass, field

import feedparser

from ..errors import SourceError
from . import urls
from .links import Link, iso_from_struct


@dataclass
class Feed:
    """The links of a feed, its title, and a note when its XML was broken."""

    links: list[Link] = field(default_factory=list)
    title: str | None = None
    problem: str | None = None


def parse_feed(body: bytes, url: str, content_type: str | None = None) -> Feed:
    """Links of an RSS 0.9x/1.0/2.0 or Atom feed; raises SourceError when nothing is readable."""
    headers = {"content-location": urls.without_credentials(url)}
    if content_type:
        headers["content-type"] = content_type
    parsed = feedparser.parse(io.BytesIO(body), response_headers=headers,
                              sanitize_html=True, resolve_relative_uris=False)
    problem = None
    if parsed.get("bozo"):
        problem = f"{parsed.get('bozo_exception')}".strip()[:200] or "malformed feed"
    if not parsed.entries and (parsed.get("bozo") or not parsed.get("version")):
        raise SourceError(f"not a readable RSS or Atom feed: {problem or 'no entries'}",
                          origin=urls.redact(url))
    base = urls.without_credentials(url)
    links: list[Link] = []
    seen: set[str] = set()
    for entry in parsed.entries:
        target = urls.normalise(_entry_url(entry) or "", base=base)
        if target is None or target in seen:
            continue
        seen.add(target)
        # dict.get: feedparser would answer "updated" with "published" when it is missing
        updated = dict.get(entry, "updated") or None
        links.append(Link(url=target, title=(entry.get("title") or "").strip() or None,
                          published=iso_from_struct(entry.get("published_parsed")
                                                    or dict.get(entry, "updated_parsed")),
                          stamp=updated))
    title = (parsed.feed.get("title") or "").strip() or None
    return Feed(links, title, problem)


def _entry_url(entry) -> str | None:
    """The entry's article link: <link>, an alternate link, else a permalink guid."""
    if entry.get("link"):
        return entry["link"]
    for link in entry.get("links", []):
        if link.get("rel", "alternate") == "alternate" and link.get("href"):
            return link["href"]
    guid = entry.get("id") or ""
    if guid.startswith(("http://", "https://")) and entry.get("guidislink", True):
        return guid
    return None
