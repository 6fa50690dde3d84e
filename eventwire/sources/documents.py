"""What a fetched body is (feed, sitemap or page), and a page as the pipeline's RawDocument."""

from __future__ import annotations

import re

from .. import ingest
from ..errors import InputError
from ..records import RawDocument
from . import urls

FEED_ROOTS = {"rss", "feed", "rdf", "channel"}
SITEMAP_ROOTS = {"urlset", "sitemapindex"}
HTML_TYPES = ("text/html", "application/xhtml+xml")
TEXT_TYPES = ("text/plain",)
# The first element after the XML declaration, comments, processing instructions and doctype.
_ROOT = re.compile(rb"^(?:\s|<\?.*?\?>|<!--.*?-->|<!DOCTYPE[^>]*>)*<([A-Za-z_][\w.:-]*)", re.S | re.I)


def kind_of(body: bytes, content_type: str | None) -> str:
    """``feed``, ``sitemap`` or ``page`` by the document's root element, else by its type."""
    head = body[:4096]
    if head[:2] == b"\x1f\x8b":
        return "sitemap"  # only sitemaps come gzipped without a Content-Encoding
    if head.startswith(b"\xef\xbb\xbf"):
        head = head[3:]
    match = _ROOT.match(head)
    if match:
        root = match.group(1).decode("ascii", "replace").lower().rsplit(":", 1)[-1]
        if root in FEED_ROOTS:
            return "feed"
        if root in SITEMAP_ROOTS:
            return "sitemap"
    kind = media_type(content_type)
    if kind.endswith(("rss+xml", "atom+xml", "rdf+xml")) or kind in ("application/xml", "text/xml"):
        return "feed"  # served as a feed but unreadable: reported as a broken feed
    return "page"


def media_type(content_type: str | None) -> str:
    return (content_type or "").split(";", 1)[0].strip().lower()


def is_page_type(content_type: str | None) -> bool:
    """HTML, XHTML or plain text (or no type given): what the pipeline reads."""
    kind = media_type(content_type)
    return not kind or kind in HTML_TYPES or kind in TEXT_TYPES


def charset(content_type: str | None) -> str | None:
    match = re.search(r"charset\s*=\s*[\"']?([\w.:-]+)", content_type or "", re.I)
    return match.group(1) if match else None


def page_document(body: bytes, url: str, content_type: str | None, published: str | None = None,
                  outlet: str | None = None) -> RawDocument:
    """The RawDocument of a fetched page: HTML (or plain text) decoded by the charset of the
    Content-Type header, else of the page's meta tag, else UTF-8 or cp1252.

    Raises InputError for a body that is not a web page or cannot be decoded.
    """
    kind = media_type(content_type)
    shown = urls.redact(url)
    if not is_page_type(content_type):
        raise InputError(f"not a web page: Content-Type {kind}", origin=shown)
    if b"\x00" in body[:8192]:
        raise InputError("binary content (NUL bytes), not a web page", origin=shown)
    try:
        text = ingest.decode(body, html=True, declared=charset(content_type))
    except Exception as exc:  # ingest's reason, e.g. no charset decodes the bytes
        raise InputError(f"undecodable page: {exc}", origin=shown) from None
    if not text.strip():
        raise InputError("empty page", origin=shown)
    page_url = urls.without_credentials(url)
    if kind in TEXT_TYPES:
        return RawDocument(origin=shown, text=text, url=page_url, published=published, outlet=outlet)
    return RawDocument(origin=shown, html=text, url=page_url, published=published, outlet=outlet)
