"""Quotation marks in raw text: pair opening and closing marks into quoted spans.

Works on characters, not tokens, so odd marks in real text (a closing mark used to open, straight
and curly marks mixed) are classified by what stands on either side of them, and a stray mark
spoils at most its own paragraph.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from dataclasses import dataclass

DOUBLE_OPEN = "“«„"
DOUBLE_CLOSE = "”»"
DOUBLE_EITHER = "\"″"
DOUBLES = DOUBLE_OPEN + DOUBLE_CLOSE + DOUBLE_EITHER
SINGLE_OPEN = "‘'"
SINGLE_CLOSE = "’'"
OPENERS = DOUBLE_OPEN + "‘([{"
CLOSERS = DOUBLE_CLOSE + "’)]}"
DASHES = "—–―-"
TRAILING = ".,;:!?…" + DASHES
MAX_SINGLE_CHARS = 400

OPEN, CLOSE, EITHER = "open", "close", "either"
TURN_LABEL = re.compile(r"[A-Z][A-Z.'’\- ]{0,30}[A-Z]:\s")  # a new speaker's turn: "SMITH: ..."
PARAGRAPH = re.compile(r"[^\n]+")


@dataclass(frozen=True)
class QuotedSpan:
    """Text between a pair of quotation marks; ``start``/``end`` exclude the marks."""

    open_at: int  # offset of the opening mark
    close_at: int  # offset of the closing mark, or the paragraph end when there is none
    start: int
    end: int
    single: bool = False
    paragraphs: int = 1


def _left_open(text: str, i: int) -> bool:
    return i == 0 or text[i - 1].isspace() or text[i - 1] in OPENERS or text[i - 1] in DASHES + "/"


def _right_open(text: str, i: int) -> bool:
    return (i + 1 >= len(text) or text[i + 1].isspace() or text[i + 1] in TRAILING
            or text[i + 1] in CLOSERS)


def classify_double(text: str, i: int) -> str:
    """Whether the double mark at ``i`` opens or closes, from its neighbours, then its glyph."""
    left, right = _left_open(text, i), _right_open(text, i)
    if i == 0 or text[i - 1] == "\n":
        return OPEN  # a line does not start by closing a quote
    if left and not right:
        return OPEN
    if right and not left:
        return CLOSE
    char = text[i]
    return OPEN if char in DOUBLE_OPEN else CLOSE if char in DOUBLE_CLOSE else EITHER


def _paragraphs(text: str) -> list[tuple[int, int]]:
    return [(m.start(), m.end()) for m in PARAGRAPH.finditer(text) if m.group().strip()]


def _starts_with_opening(text: str, start: int, end: int) -> int | None:
    """Offset of the opening double mark that begins the paragraph, if it begins with one."""
    i = start
    while i < end and text[i].isspace():
        i += 1
    if i < end and text[i] in DOUBLES and classify_double(text, i) != CLOSE:
        return i
    return None


def _family(mark: str) -> str:
    """Straight and curly marks: a quote reopened in the next paragraph keeps its style."""
    return "straight" if mark in DOUBLE_EITHER else "typographic"


def _trim(text: str, start: int, end: int) -> tuple[int, int]:
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return start, end


def double_quotes(text: str) -> list[QuotedSpan]:
    """Pair double marks paragraph by paragraph.

    A quote may hold one quote of the other style (straight inside curly or the reverse); a second
    opening mark of the same style means the first was stray. A quote left open continues into the
    next paragraph when that paragraph starts with an opening mark of the same style (the newswire
    convention), unless a new speaker's turn starts there ("SMITH: ..."). A mark left open over
    quotes it contains was stray: those quotes stand alone.
    """
    spans: list[QuotedSpan] = []
    paragraphs = _paragraphs(text)
    carried: tuple[int, int] | None = None  # (opening mark, paragraphs so far) of a running quote
    for number, (p_start, p_end) in enumerate(paragraphs):
        stack: list[int] = []  # offsets of open marks: the outer quote, then a nested one
        inner: list[QuotedSpan] = []  # complete quotes inside the open outer one
        count = 1
        skip: int | None = None
        if carried is not None:
            stack, count = [carried[0]], carried[1] + 1
            skip = _starts_with_opening(text, p_start, p_end)  # the repeated opening mark
            carried = None
        for i in range(p_start, p_end):
            if text[i] not in DOUBLES or i == skip:
                continue
            kind = classify_double(text, i)
            if kind == EITHER:
                kind = CLOSE if stack and _family(text[stack[-1]]) == "straight" else OPEN
            if kind == OPEN:
                if stack and _family(text[stack[-1]]) == _family(text[i]):
                    if len(stack) == 1:  # the outer mark was stray
                        spans.extend(inner)
                        inner, count = [], 1
                    stack.pop()
                stack = (stack + [i])[-2:]
            elif stack:
                open_at = stack.pop()
                start, end = _trim(text, open_at + 1, i)
                if end <= start:
                    continue
                span = QuotedSpan(open_at, i, start, end, paragraphs=count if not stack else 1)
                if stack:
                    inner.append(span)
                else:
                    spans.append(span)
                    inner, count = [], 1
        if not stack:
            continue
        open_at = stack[0]
        following = paragraphs[number + 1] if number + 1 < len(paragraphs) else None
        reopening = _starts_with_opening(text, *following) if following else None
        if (reopening is not None and _family(text[reopening]) == _family(text[open_at])
                and not TURN_LABEL.match(text, reopening + 1)):
            carried = (open_at, count)
        elif inner:
            spans.extend(inner)
        elif count > 1 or _starts_with_opening(text, p_start, p_end) == open_at:
            # the whole paragraph is quoted and its closing mark is missing
            start, end = _trim(text, open_at + 1, p_end)
            if end > start:
                spans.append(QuotedSpan(open_at, p_end, start, end, paragraphs=count))
    return sorted(spans, key=lambda span: span.open_at)


def single_quotes(text: str, inside: list[QuotedSpan]) -> list[QuotedSpan]:
    """‘Several words’ in single marks, outside double quotes; apostrophes are not quotes."""
    covered = [(s.open_at, s.close_at) for s in inside]
    spans = []
    for p_start, p_end in _paragraphs(text):
        i = p_start
        while i < p_end:
            char = text[i]
            if (char in SINGLE_OPEN and _left_open(text, i) and i + 1 < p_end
                    and text[i + 1].isalnum() and not _inside(i, covered)):
                close = _single_close(text, i, min(p_end, i + MAX_SINGLE_CHARS))
                if close is not None:
                    start, end = _trim(text, i + 1, close)
                    if " " in text[start:end] and not _inside(close, covered):
                        spans.append(QuotedSpan(i, close, start, end, single=True))
                        i = close + 1
                        continue
            i += 1
    return spans


def _single_close(text: str, open_at: int, limit: int) -> int | None:
    for j in range(open_at + 2, limit):
        char = text[j]
        if char in DOUBLES or char == "\n":
            return None
        if char not in SINGLE_CLOSE or text[j - 1].isspace():
            continue
        after = text[j + 1] if j + 1 < len(text) else " "
        if after.isalnum():  # an apostrophe inside a word: don't, Erdogan’s
            continue
        if text[j - 1] == "s" and after == " " and j + 2 < len(text) and text[j + 2].islower():
            continue  # a plural possessive: the countries' leaders
        return j
    return None


def _inside(i: int, ranges: list[tuple[int, int]]) -> bool:
    return any(a <= i <= b for a, b in ranges)


def quoted_spans(text: str) -> list[QuotedSpan]:
    """Every quoted span of the text, double and single, in text order."""
    doubles = double_quotes(text)
    return sorted(doubles + single_quotes(text, doubles), key=lambda s: s.open_at)


class Paragraphs:
    """Paragraph numbers of character offsets: a paragraph is a non-blank line of the text."""

    def __init__(self, text: str):
        spans = _paragraphs(text) or [(0, len(text))]
        self.starts = [0] + [start for start, _ in spans[1:]]
        self.ends = [end for _, end in spans]

    def of(self, offset: int) -> int:
        """The number of the non-blank line at or before ``offset``."""
        return max(0, bisect_right(self.starts, offset) - 1)

    def bounds(self, number: int) -> tuple[int, int]:
        return self.starts[number], self.ends[number]
