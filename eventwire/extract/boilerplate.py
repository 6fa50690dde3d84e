"""Plain text copied from a web page -> title, body lines and the boilerplate lines dropped.

Each line is judged by its features: length, sentence punctuation, the share of English
stop words, lower-case runs without punctuation (icon and menu labels), position (the
tail of a page holds footers), repetition, and a small lexicon of boilerplate cues
(``data/boilerplate.tsv``). A short line wedged between boilerplate lines is boilerplate
too, which takes out whole newsletter and podcast blocks.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from ..errors import KnowledgeFileError
from .dates import is_stamp_line

DATA_FILE = Path(__file__).resolve().parent.parent / "data" / "boilerplate.tsv"
KINDS = {"ad_marker", "source_link", "comments", "share", "related", "newsletter", "timer",
         "navigation", "caption", "cookie", "copyright", "byline", "promo"}
SCOPES = {"line", "start", "cue"}
REPRINT_VALUES = {"yes", "after-footer", "no"}

MAX_TITLE_WORDS = 30
MAX_CUE_LINE_WORDS = 60  # longer lines are never judged by lexicon cues
MAX_ONE_CUE_WORDS = 12
MAX_WEDGED_WORDS = 25
_WORD = re.compile(r"[^\W\d_][\w'’.-]*", re.UNICODE)
_TERMINAL = re.compile(r"[.!?…][\"'”’)\]]*$")
_SENTENCE_PUNCT = re.compile(r"[.!?,;:\"“”()]")
_SEPARATORS = re.compile(r"\s[|•·›»/]\s")
_NAME_TOKEN = re.compile(r"^(?:[A-Z][a-zà-ÿ'’-]+|[A-Z]\.|[A-Z][a-z]?[A-Z][a-z]+)$")
_COLUMNS = re.compile(r"\s{2,}|\t|\s[|·•]\s")  # gaps between the cells of a menu or a meta line
_CRUMB = re.compile(r"\s*[»›>]\s*")
# a bare domain or a domain with a path: "example.org", "example.org/support"
DOMAIN = re.compile(r"(?<![\w@.-])((?:[a-z0-9-]+\.)+[a-z]{2,})(?:/[\w./-]*)?(?![\w-])", re.I)
_BYLINE = re.compile(r"^by\s+(?P<names>[^,;:]+?)(?:,\s*(?P<role>[^.;:!?]+))?$", re.I)
_NAME_JOINER = re.compile(r"\s+(?:and|&)\s+|\s*,\s*")
MAX_HEAD_LABEL_WORDS = 3  # a site name or section label above the headline
MAX_BYLINE_WORDS = 14


@dataclass(frozen=True)
class Cue:
    """One lexicon entry."""

    pattern: re.Pattern
    kind: str
    scope: str
    reprint: str
    source: str


@dataclass
class Line:
    """A non-empty line of the input, with the verdict on it."""

    index: int
    text: str
    words: int
    kind: str | None = None  # None = body; otherwise why the line was dropped
    reprint: str = "no"

    @property
    def dropped(self) -> bool:
        return self.kind is not None


@dataclass
class CleanText:
    """The result of cleaning: title, body text, and the dropped lines with their kinds."""

    title: str | None
    text: str
    removed: list[str] = field(default_factory=list)
    removed_kinds: list[tuple[str, str]] = field(default_factory=list)  # (kind, line)
    reprint_signals: list[str] = field(default_factory=list)
    stamps: list[str] = field(default_factory=list)  # date/time stamp lines
    header: list[str] = field(default_factory=list)  # lines before the body (title, deck)


def load_lexicon(paths: tuple[str, ...] = ()) -> tuple[Cue, ...]:
    """Read the boilerplate lexicon (and any user file); KnowledgeFileError on a bad line."""
    return _load_lexicon(tuple([str(DATA_FILE), *paths]))


@lru_cache(maxsize=8)
def _load_lexicon(paths: tuple[str, ...]) -> tuple[Cue, ...]:
    cues: list[Cue] = []
    for path in paths:
        try:
            lines = Path(path).read_text(encoding="utf-8").splitlines()
        except OSError as exc:
            raise KnowledgeFileError(f"cannot read boilerplate lexicon: {exc}", origin=path) from None
        for number, raw in enumerate(lines, start=1):
            if not raw.strip() or raw.startswith("#"):
                continue
            columns = raw.split("\t")
            where = f"{path}:{number}"
            if len(columns) != 4:
                raise KnowledgeFileError(f"expected 4 tab-separated columns (pattern, kind, scope, "
                                         f"reprint), found {len(columns)}", origin=where)
            pattern, kind, scope, reprint = (c.strip() for c in columns)
            if kind not in KINDS:
                raise KnowledgeFileError(f"unknown kind {kind!r}; use one of {sorted(KINDS)}",
                                         origin=where)
            if scope not in SCOPES:
                raise KnowledgeFileError(f"unknown scope {scope!r}; use one of {sorted(SCOPES)}",
                                         origin=where)
            if reprint not in REPRINT_VALUES:
                raise KnowledgeFileError(f"unknown reprint value {reprint!r}; use one of "
                                         f"{sorted(REPRINT_VALUES)}", origin=where)
            try:
                compiled = re.compile(pattern, re.IGNORECASE)
            except re.error as exc:
                raise KnowledgeFileError(f"invalid regular expression: {exc}", origin=where) from None
            cues.append(Cue(compiled, kind, scope, reprint, where))
    return tuple(cues)


@lru_cache(maxsize=1)
def _stop_words() -> frozenset[str]:
    from spacy.lang.en.stop_words import STOP_WORDS
    return frozenset(STOP_WORDS)


def reads_like_prose(text: str, words: int | None = None) -> bool:
    """A sentence of body text: more than 12 words and final punctuation."""
    words = words if words is not None else len(_WORD.findall(text))
    return words > MAX_ONE_CUE_WORDS and bool(_TERMINAL.search(text))


_SCREENS: dict[int, tuple[tuple[Cue, ...], tuple[re.Pattern | None, ...]]] = {}


def _screens(cues: tuple[Cue, ...]) -> tuple[re.Pattern | None, ...]:
    """One combined pattern per scope, so a body line costs three searches, not one per cue.

    Cached by the identity of the (itself cached) lexicon tuple: hashing it per line is slow.
    """
    cached = _SCREENS.get(id(cues))
    if cached is not None and cached[0] is cues:
        return cached[1]
    screens = []
    for scope in ("line", "start", "cue"):
        parts = [f"(?:{c.pattern.pattern})" for c in cues if c.scope == scope]
        screens.append(re.compile("|".join(parts), re.IGNORECASE) if parts else None)
    _SCREENS[id(cues)] = (cues, tuple(screens))
    return tuple(screens)


def classify_line(text: str, cues: tuple[Cue, ...]) -> tuple[str | None, str]:
    """Judge one line on its own: (kind or None for body, reprint value)."""
    tokens = _WORD.findall(text)
    words = len(tokens)
    hits: dict[str, Cue] = {}
    line_screen, start_screen, cue_screen = _screens(cues)
    candidates = []
    if line_screen is not None and line_screen.fullmatch(text):
        candidates.append("line")
    if start_screen is not None and start_screen.match(text):
        candidates.append("start")
    # cues count only in lines of up to MAX_CUE_LINE_WORDS words: skip the scan on long ones
    if cue_screen is not None and words <= MAX_CUE_LINE_WORDS and cue_screen.search(text):
        candidates.append("cue")
    for cue in (c for c in cues if c.scope in candidates):
        if cue.scope == "line":
            if cue.pattern.fullmatch(text):
                return cue.kind, cue.reprint
        elif cue.scope == "start":
            if cue.pattern.match(text) and not reads_like_prose(text, words):
                return cue.kind, cue.reprint
        elif cue.pattern.search(text):
            hits.setdefault(cue.source, cue)
    if hits:
        kinds = [c.kind for c in hits.values()]
        # a label or a call to action ("Share it!"), not a sentence that mentions the cue
        one_cue_label = words <= MAX_ONE_CUE_WORDS and (
            words <= 5 or not re.search(r"[.:][\"'”’)]*$", text))
        # a sentence of body text may mention a cue word or two ("signed up subscribers")
        needed = 3 if reads_like_prose(text, words) else 2
        if (len(hits) >= needed and words <= MAX_CUE_LINE_WORDS) or one_cue_label:
            return max(set(kinds), key=kinds.count), "no"
    if is_stamp_line(text) or meta_stamp(text):
        return "stamp", "no"
    if _is_navigation_run(text, tokens) or _is_menu(text) or _is_breadcrumb(text):
        return "navigation", "no"
    if is_byline(text, words):
        return "byline", "no"
    return None, "no"


def _cells(text: str) -> list[str]:
    return [cell.strip() for cell in _COLUMNS.split(text) if cell.strip()]


def _is_label(cell: str, max_words: int = 3) -> bool:
    """A menu entry or crumb: a few words, a capital or digit first, no sentence punctuation."""
    words = cell.split()
    return 0 < len(words) <= max_words and (cell[:1].isupper() or cell[:1].isdigit()) \
        and not re.search(r"[.,;:!?\"“”]", cell)


def _is_menu(text: str) -> bool:
    """Menu entries set apart by wide gaps or bars: "News  Opinion  Sport  Culture" (words, not
    the numbers of a table row)."""
    cells = _cells(text)
    return len(cells) >= 3 and all(_is_label(cell) and cell[:1].isalpha() for cell in cells)


def _is_breadcrumb(text: str) -> bool:
    """A path of sections: "Home » World » Europe", "World > Middle East"."""
    crumbs = [c for c in _CRUMB.split(text.strip())]
    return len(crumbs) >= 2 and len(text.split()) <= 12 and all(_is_label(c, 4) for c in crumbs)


def meta_stamp(text: str) -> str | None:
    """The date stamp of a meta line, whose cells are a byline, a place and the stamp
    ("Jane Roe   ANKARA   Jun 12, 2023 10:35"); None for other lines."""
    cells = _cells(text)
    if len(cells) < 2:
        return None
    stamps = [cell for cell in cells if is_stamp_line(cell)]
    others = [cell for cell in cells if cell not in stamps]
    if stamps and all(_is_label(cell, 4) for cell in others):
        return stamps[0]
    return None


def is_byline(text: str, words: int | None = None) -> bool:
    """A byline: "By Jane Roe", "By Jane Roe and John Doe, Middle East correspondent"."""
    words = words if words is not None else len(_WORD.findall(text))
    match = _BYLINE.match(text.strip())
    if not match or words > MAX_BYLINE_WORDS or _TERMINAL.search(text):
        return False
    names = [n for n in _NAME_JOINER.split(match["names"].strip()) if n]
    return bool(names) and all(1 <= len(n.split()) <= 4 and all(_NAME_TOKEN.match(p) for p in n.split())
                               for n in names)


def _is_navigation_run(text: str, tokens: list[str]) -> bool:
    """Icon and menu labels: many lower-case words, no punctuation, hardly any stop words."""
    if len(_SEPARATORS.findall(text)) >= 3 and not _TERMINAL.search(text) and text[:1] != "|":
        return True
    if len(tokens) < 12 or _SENTENCE_PUNCT.search(text):
        return False
    stops = _stop_words()
    stop_share = sum(1 for t in tokens if t.lower() in stops) / len(tokens)
    lower_share = sum(1 for t in tokens if t[:1].islower()) / len(tokens)
    return stop_share < 0.1 and lower_share >= 0.7


def _is_lone_name(text: str) -> bool:
    """A personal name on its own line (a byline): 2-4 capitalised words or initials."""
    parts = text.split()
    if not 2 <= len(parts) <= 4 or re.search(r"[!?,;:]", text):
        return False
    if text.endswith(".") and not re.search(r"\b[A-Z]\.$", text):
        return False
    stops = _stop_words()
    return (all(_NAME_TOKEN.match(p) for p in parts) and not any(p.lower() in stops for p in parts)
            and sum(1 for p in parts if len(p) > 2) >= 2)


def looks_like_headline(text: str, words: int) -> bool:
    """A title line: 3-30 words, no sentence-final full stop, not a dateline paragraph."""
    if not 3 <= words <= MAX_TITLE_WORDS:
        return False
    stripped = text.rstrip("\"'”’) ")
    return not stripped.endswith((".", ":", ";", ","))


def clean_text(text: str, extra_lexicons: tuple[str, ...] = (), find_title: bool = True,
               known_title: str | None = None) -> CleanText:
    """Split plain page text into title, body and dropped boilerplate lines.

    ``find_title=False`` keeps the first line in the body (HTML pages have a title element);
    with a ``known_title`` (from metadata) only a first line repeating it is taken as title.
    """
    cues = load_lexicon(extra_lexicons)
    raw_lines = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    lines: list[Line] = []
    for index, raw in enumerate(raw_lines):
        stripped = raw.strip(" \t\u00a0\u200b\ufeff")
        if stripped:
            lines.append(Line(index, stripped, len(_WORD.findall(stripped))))
    for line in lines:
        line.kind, line.reprint = classify_line(line.text, cues)

    _mark_repeats(lines)
    _mark_trailing_byline(lines)
    _mark_related_runs(lines)
    title, header = _find_title(lines, known_title) if find_title else (None, [])
    if find_title:
        _mark_head_after_title(lines)
    _mark_wedged(lines)
    if known_title:
        _split_glued_title(lines, known_title)
    result = CleanText(title=title, text="", header=header)
    kept: list[Line] = []
    for line in lines:
        if line.kind == "title":
            result.removed_kinds.append(("title", line.text))
            continue
        if line.dropped:
            result.removed.append(line.text)
            result.removed_kinds.append((line.kind or "", line.text))
            if line.kind == "stamp":
                result.stamps.append(meta_stamp(line.text) or line.text)
            if line.reprint != "no":
                result.reprint_signals.append(f"{line.reprint}:{line.kind}:{line.text}")
        else:
            kept.append(line)
    pieces: list[str] = []
    for previous, line in zip([None, *kept], kept):
        if previous is not None:
            pieces.append("\n" if line.index == previous.index + 1 else "\n\n")
        pieces.append(line.text)
    result.text = "".join(pieces)
    return result


def _outer_region(lines: list[Line]) -> tuple[int, int]:
    """Positions of the first and last long prose lines: the page's head and tail lie outside."""
    prose = [i for i, line in enumerate(lines) if not line.dropped and line.words > MAX_WEDGED_WORDS
             and reads_like_prose(line.text, line.words)]
    return (prose[0], prose[-1]) if prose else (len(lines), -1)


def _mark_repeats(lines: list[Line]) -> None:
    """A line repeated in the head of the page (before the first long prose line) is
    boilerplate: a headline printed twice, a repeated label. Repeats further down are
    usually lists and tables, and repeated ads or labels there meet the lexicon anyway."""
    first_prose, _last_prose = _outer_region(lines)
    seen: set[str] = set()
    for line in lines[:first_prose]:
        key = line.text.casefold()
        if key in seen and not line.dropped and not reads_like_prose(line.text, line.words):
            line.kind = "duplicate"
        seen.add(key)


_WEDGE_NEIGHBOURS = KINDS | {"navigation", "block"}


def _mark_wedged(lines: list[Line]) -> None:
    """Short lines between boilerplate lines, in the head or tail of the page, join them.

    The head is everything before the first long prose line, the tail everything after
    the last one: that is where pages put menus, footers, newsletter and podcast blocks.
    """
    first_prose, last_prose = _outer_region(lines)

    def bad(position: int) -> bool:
        return 0 <= position < len(lines) and lines[position].kind in _WEDGE_NEIGHBOURS

    changed = True
    while changed:
        changed = False
        for position, line in enumerate(lines):
            if line.dropped or line.words > MAX_WEDGED_WORDS:
                continue
            if first_prose <= position <= last_prose:
                continue
            at_end = position == len(lines) - 1 and not _TERMINAL.search(line.text)
            if (bad(position - 1) and bad(position + 1)) or (at_end and bad(position - 1)):
                line.kind = "block"
                changed = True


_RELATED_HEADS = {"related", "navigation"}


def _mark_related_runs(lines: list[Line]) -> None:
    """Headlines listed under a "Related:" or "Also read:" line after the last sentence."""
    sentences = [i for i, line in enumerate(lines)
                 if not line.dropped and reads_like_prose(line.text, line.words)]
    if not sentences:
        return
    last_prose = sentences[-1]
    in_run = False
    for position, line in enumerate(lines):
        if position <= last_prose:
            continue
        if line.dropped:
            in_run = line.kind in _RELATED_HEADS and line.words <= 8
            continue
        if in_run and line.words <= MAX_TITLE_WORDS and not line.text.rstrip("\"'”’) ").endswith(
                (".", ":", ";", ",")):
            line.kind = "related"
        else:
            in_run = False


def _mark_head_after_title(lines: list[Line]) -> None:
    """Short lines between the headline and the first sentence: bylines, places, labels."""
    first_prose, _last_prose = _outer_region(lines)
    if first_prose >= len(lines):
        return
    titled = False
    for line in lines[:first_prose]:
        if line.kind == "title":
            titled = True
        elif titled and not line.dropped and line.words <= 4 and not _TERMINAL.search(line.text):
            line.kind = "byline"


def _split_glued_title(lines: list[Line], title: str) -> None:
    """The headline glued to the first line of the body ("Title Body starts here.") is cut off."""
    first = next((line for line in lines if not line.dropped), None)
    if first is None:
        return
    prefix = " ".join(title.split())
    if first.text.startswith(prefix + " ") and reads_like_prose(first.text[len(prefix):]):
        rest = first.text[len(prefix):].strip()
        first.text, first.words = rest, len(_WORD.findall(rest))


def _mark_trailing_byline(lines: list[Line]) -> None:
    """A lone personal name closing the page is a byline, not article text."""
    body = [i for i, line in enumerate(lines) if not line.dropped]
    if len(body) < 2:
        return
    last = lines[body[-1]]
    if not _is_lone_name(last.text):
        return
    last.kind = "byline"
    follows_footer = any(line.kind == "newsletter" for line in lines[:body[-1]])
    last.reprint = "after-footer" if follows_footer else "no"


_TITLE_SEPARATORS = (" | ", " - ", " – ", " — ", ": ", " :: ", " · ")


def same_title(line: str, title: str) -> bool:
    """A line that repeats a metadata title, or the title without its " | Site" suffix."""
    line_key, title_key = " ".join(line.casefold().split()), " ".join(title.casefold().split())
    if line_key == title_key:
        return True
    return bool(line_key) and title_key.startswith(line_key) and \
        title_key[len(line_key):].startswith(tuple(s.casefold() for s in _TITLE_SEPARATORS))


def is_head_label(text: str, words: int | None = None) -> bool:
    """A line above the headline that names the site or a section: "Northern Ledger",
    "POLITICS", "Example News | example.org" (a few words, or a domain in a short line)."""
    words = words if words is not None else len(_WORD.findall(text))
    if _TERMINAL.search(text) or re.search(r"[,;:!?\"“”]\s", text):
        return False
    return (words <= MAX_HEAD_LABEL_WORDS and bool(text[:1].isupper() or text[:1].isdigit())) or \
        (words <= 12 and DOMAIN.search(text) is not None)


def _find_title(lines: list[Line], known_title: str | None = None) -> tuple[str | None, list[str]]:
    """The first real headline line before the body; duplicates of it count once. Without a
    known title, site names and section labels above it are dropped on the way."""
    for line in lines:
        if line.dropped:
            continue
        if known_title is not None:
            if not same_title(line.text, known_title):
                return None, []
        elif is_head_label(line.text, line.words):
            line.kind = "masthead"
            continue
        elif not looks_like_headline(line.text, line.words) or not usable_title(line.text):
            _unmark_mastheads(lines, line)
            return None, []
        line.kind = "title"
        return line.text, [line.text]
    _unmark_mastheads(lines, None)
    return None, []


def _unmark_mastheads(lines: list[Line], stop: Line | None) -> None:
    """Without a headline below them, short head lines stay in the body (a list, a table)."""
    for line in lines:
        if line is stop:
            return
        if line.kind == "masthead" and DOMAIN.search(line.text) is None:
            line.kind = None


_ID_LIKE = re.compile(r"^(?:[0-9a-f]{8,}|[\w-]*\d[\w-]*|[\w]+(?:[-_][\w]+){2,})$", re.I)


def usable_title(title: str | None, site_names: tuple[str, ...] = ()) -> bool:
    """A title worth showing: not an id ("0899fb9c05b10dad", "article-12345"), not a domain,
    not the site's own name."""
    if not title or not title.strip():
        return False
    text = " ".join(title.split())
    if _ID_LIKE.match(text) or DOMAIN.fullmatch(text):
        return False
    key = text.casefold()
    names = {n.casefold() for n in site_names if n}
    if key in names:
        return False
    # "Site - Slogan - example.org": the site's own name, not an article's
    cells = [c.strip() for c in re.split(r"\s[|–—-]\s", text)]
    return not (len(cells) > 1 and (any(DOMAIN.fullmatch(c) for c in cells)
                                    or any(c.casefold() in names for c in cells[:1])))
