"""HTML -> main text and page metadata: trafilatura first, readability as a second opinion.

trafilatura (precision mode, no comments) finds the body of most pages. When its
output is far shorter or far longer than readability's, it has usually caught only a
fragment or swallowed a listing, and readability's body is taken instead. The choice
is measured by ``eventwire eval extraction`` (BENCHMARKS.md).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

import lxml.html

# readability wins when trafilatura returns less than SHORT_RATIO or more than
# LONG_RATIO times its text (and readability's own text is not a stub).
SHORT_RATIO = 0.5
LONG_RATIO = 2.0
MIN_FALLBACK_CHARS = 200

_BLOCK_TAGS = {"p", "div", "h1", "h2", "h3", "h4", "h5", "h6", "li", "blockquote", "pre",
               "tr", "table", "section", "article", "header", "footer", "ul", "ol", "dd", "dt",
               "figcaption", "br", "hr"}
_SPACES = re.compile(r"[ \t\u00a0\u200b]+")


@dataclass
class HtmlExtraction:
    """What a page yields: body text (paragraphs separated by newlines) and metadata."""

    text: str
    title: str | None = None
    date: str | None = None
    sitename: str | None = None
    hostname: str | None = None
    url: str | None = None
    method: str = "trafilatura"
    notes: list[str] = field(default_factory=list)


def extract_html(html: str, url: str | None = None) -> HtmlExtraction:
    """Extract the main text and metadata of one web page."""
    import trafilatura

    document = None
    try:
        document = trafilatura.bare_extraction(html, url=url, favor_precision=True,
                                               include_comments=False, include_tables=True,
                                               with_metadata=True)
    except Exception:  # trafilatura can fail on pathological markup; fall back below
        document = None
    text = (document.text if document is not None else "") or ""
    result = HtmlExtraction(
        text=text,
        title=getattr(document, "title", None),
        date=getattr(document, "date", None),
        sitename=getattr(document, "sitename", None),
        hostname=getattr(document, "hostname", None),
        url=getattr(document, "url", None) or url,
    )
    fallback = readability_text(html)
    if fallback and len(fallback) >= MIN_FALLBACK_CHARS and (
            len(text) < SHORT_RATIO * len(fallback) or len(text) > LONG_RATIO * len(fallback)):
        result.text = fallback
        result.method = "readability"
        result.notes.append(f"trafilatura gave {len(text)} characters, readability "
                            f"{len(fallback)}: took readability")
    elif not text and fallback:
        result.text = fallback
        result.method = "readability"
    return result


def readability_text(html: str) -> str:
    """The main text readability-lxml finds, one block element a line ('' when none)."""
    try:
        from readability import Document
    except ImportError:  # readability-lxml is a dependency; tolerate its absence
        return ""
    try:
        summary = Document(html).summary(html_partial=True)
        if not summary.strip():
            return ""
        return block_text(lxml.html.fromstring(summary))
    except Exception:  # readability raises on empty or malformed documents
        return ""


def block_text(root) -> str:
    """Text of an lxml element with a line break at every block element."""
    parts: list[str] = []

    def walk(element) -> None:
        tag = element.tag if isinstance(element.tag, str) else ""
        if tag in ("script", "style", "noscript"):
            if element.tail:
                parts.append(element.tail)
            return
        block = tag in _BLOCK_TAGS
        if block:
            parts.append("\n")
        if element.text:
            parts.append(element.text)
        for child in element:
            walk(child)
        if block:
            parts.append("\n")
        if element.tail:
            parts.append(element.tail)

    walk(root)
    lines = (_SPACES.sub(" ", line).strip() for line in "".join(parts).split("\n"))
    return "\n".join(line for line in lines if line)
