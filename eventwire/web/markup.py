"""Article text with its events, quotes and actors marked, built from escaped segments.

The text is cut at every annotation boundary; each piece is HTML-escaped and wrapped in the
tags of the annotations covering it. Article text never reaches the page unescaped.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from markupsafe import Markup, escape

# outermost first: an event's sentence holds its quotes, and quotes hold actor names
LAYER = {"event": 0, "quote": 1, "actor": 2}


@dataclass
class Span:
    """One annotation over ``text[start:end]``."""

    start: int
    end: int
    kind: str  # event | quote | actor
    ids: list[str] = field(default_factory=list)
    title: str = ""
    href: str | None = None

    def open_tag(self, first: bool) -> str:
        anchors = ""
        attrs = f' class="{self.kind}"'
        if self.title:
            attrs += f' title="{escape(self.title)}"'
        if first and self.ids:
            attrs += f' id="{escape(self.ids[0])}"'
            anchors = "".join(f'<span class="anchor" id="{escape(i)}"></span>' for i in self.ids[1:])
        if self.kind == "event":
            return f"<mark{attrs}>{anchors}"
        if self.kind == "actor" and self.href:
            return f'<a{attrs} href="{escape(self.href)}">{anchors}'
        return f"<span{attrs}>{anchors}"

    def close_tag(self) -> str:
        if self.kind == "event":
            return "</mark>"
        if self.kind == "actor" and self.href:
            return "</a>"
        return "</span>"


def article_spans(record: dict, mentions: list[dict], actor_href) -> list[Span]:
    """The spans to mark in an article record: event sentences, quotes, and actor mentions
    (``mentions`` with offsets; ``actor_href(key)`` links an actor's page).

    Events sharing a sentence share one mark, with an anchor for each.
    """
    text = record["article"]["text"]
    size = len(text)
    spans: list[Span] = []
    by_sentence: dict[tuple[int, int], Span] = {}
    for ev in record["events"]:
        start, end = ev["evidence"]["start"], ev["evidence"]["end"]
        if not _valid(start, end, size):
            continue
        start, end = _trimmed(text, start, end)
        span = by_sentence.get((start, end))
        if span is None:
            span = by_sentence[(start, end)] = Span(start, end, "event")
            spans.append(span)
        span.ids.append(f"ev-{ev['id']}")
        span.title = "; ".join(filter(None, [span.title, ev["type"]]))
    for quote in record["quotes"]:
        if not _valid(quote.get("start"), quote.get("end"), size):
            continue
        speaker = quote.get("speaker") or {}
        who = speaker.get("name") or speaker.get("text") or "unknown speaker"
        spans.append(Span(quote["start"], quote["end"], "quote", ids=[f"q-{quote['id']}"],
                          title=f"quote ({quote['kind']}): {who}"))
    seen: set[tuple[int, int]] = set()
    for mention in mentions:
        start, end = mention.get("start"), mention.get("end")
        key = mention.get("actor_id") or mention.get("country")
        if not key or not _valid(start, end, size) or (start, end) in seen:
            continue
        seen.add((start, end))
        spans.append(Span(start, end, "actor", title=mention.get("name") or key, href=actor_href(key)))
    return spans


def _trimmed(text: str, start: int, end: int) -> tuple[int, int]:
    """The span without its leading and trailing whitespace (a mark over a bare line break
    shows as a stray bar)."""
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return start, end


def _valid(start, end, size: int) -> bool:
    return isinstance(start, int) and isinstance(end, int) and 0 <= start < end <= size


def highlight(text: str, spans: list[Span]) -> Markup:
    """``text`` as HTML with ``spans`` marked (line breaks kept by CSS ``white-space``)."""
    bounds = sorted({0, len(text), *(s.start for s in spans), *(s.end for s in spans)})
    order = sorted(spans, key=lambda s: (LAYER[s.kind], s.start, -s.end))
    opened_once: set[int] = set()
    stack: list[Span] = []
    out: list[str] = []
    for lo, hi in zip(bounds, bounds[1:]):
        active = [s for s in order if s.start <= lo and hi <= s.end]
        keep = 0
        while keep < min(len(stack), len(active)) and stack[keep] is active[keep]:
            keep += 1
        for span in reversed(stack[keep:]):
            out.append(span.close_tag())
        for span in active[keep:]:
            out.append(span.open_tag(first=id(span) not in opened_once))
            opened_once.add(id(span))
        stack = active
        out.append(str(escape(text[lo:hi])))
    for span in reversed(stack):
        out.append(span.close_tag())
    return Markup("".join(out))
