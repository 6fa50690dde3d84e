"""XML sitemaps -> article links: ``<urlset>`` (with the Google News ``news:`` extension) and
``<sitemapindex>``, plain or gzipped, read with lxml with entities and network access off.
"""

from __future__ import annotations

import gzip
import io
import zlib
from dataclasses import dataclass, field

from lxml import etree

from ..errors import SourceError
from . import urls
from .links import Link, iso_from_text


@dataclass
class Sitemap:
    """A urlset's links, or an index's child sitemaps (url, lastmod) newest first."""

    kind: str  # urlset | index
    links: list[Link] = field(default_factory=list)
    children: list[tuple[str, str | None]] = field(default_factory=list)
    problem: str | None = None


def gunzip_capped(body: bytes, limit: int) -> bytes:
    """A gzipped body (a ``.xml.gz`` sitemap) unpacked, at most ``limit`` bytes; others as they are."""
    if body[:2] != b"\x1f\x8b":
        return body
    try:
        with gzip.GzipFile(fileobj=io.BytesIO(body)) as stream:
            data = stream.read(limit + 1)
    except (OSError, EOFError, zlib.error) as exc:
        raise SourceError(f"corrupt gzipped sitemap: {exc}") from None
    if len(data) > limit:
        raise SourceError(f"gzipped sitemap unpacks to more than {limit} bytes")
    return data


def _parser() -> etree.XMLParser:
    return etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False,
                           huge_tree=False, recover=True, remove_comments=True)


def _local(tag) -> str:
    return etree.QName(tag).localname if isinstance(tag, str) else ""


def _child_text(element, name: str) -> str | None:
    for child in element:
        if _local(child.tag) == name:
            return (child.text or "").strip() or None
    return None


def _find(element, name: str):
    for child in element.iter():
        if _local(child.tag) == name:
            return child
    return None


def parse_sitemap(body: bytes, url: str, limit: int) -> Sitemap:
    """Read a sitemap or sitemap index; raises SourceError when it is neither."""
    data = gunzip_capped(body, limit)
    parser = _parser()
    try:
        root = etree.fromstring(data, parser)
    except etree.XMLSyntaxError as exc:
        root, problem = None, str(exc)
    else:
        problem = None
    if root is None:
        raise SourceError(f"not a readable sitemap: {problem or 'empty document'}",
                          origin=urls.redact(url))
    base = urls.without_credentials(url)
    broken = parser.error_log.filter_from_errors()
    errors = f"malformed XML, read leniently: {broken[0].message}" if broken else None
    kind = _local(root.tag)
    if kind == "sitemapindex":
        children = []
        for item in root:
            if _local(item.tag) != "sitemap":
                continue
            loc = urls.normalise(_child_text(item, "loc") or "", base=base)
            if loc:
                children.append((loc, iso_from_text(_child_text(item, "lastmod"))))
        children.sort(key=lambda c: c[1] or "", reverse=True)
        return Sitemap("index", children=children, problem=errors)
    if kind != "urlset":
        raise SourceError(f"not a sitemap: the root element is <{kind}>", origin=urls.redact(url))
    links, seen = [], set()
    for item in root:
        if _local(item.tag) != "url":
            continue
        loc = urls.normalise(_child_text(item, "loc") or "", base=base)
        if loc is None or loc in seen:
            continue
        seen.add(loc)
        lastmod = _child_text(item, "lastmod")
        news = _find(item, "news")
        title = published = outlet = None
        if news is not None:
            title = _child_text(news, "title")
            published = iso_from_text(_child_text(news, "publication_date"))
            publication = _find(news, "publication")
            outlet = _child_text(publication, "name") if publication is not None else None
        links.append(Link(url=loc, title=title, published=published or iso_from_text(lastmod),
                          stamp=lastmod, outlet=outlet))
    return Sitemap("urlset", links=links, problem=errors)

