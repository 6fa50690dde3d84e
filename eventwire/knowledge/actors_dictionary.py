"""Reader of TABARI/PETRARCH actor dictionaries (the Phoenix/CountryInfo ``*.actors.txt`` files).

The syntax, as the files use it::

    RECEP_TAYYIP_ERDOGAN_  # CountryInfo.txt      an entry: its primary name
    +ERDOGAN_                                       a synonym of the entry above
    +PRIME_MINISTER_RECEP_ERDOGAN                   (titles occur inside synonyms)
        [TURELI 720101-021118]                      a code with a period (yymmdd-yymmdd)
        [TURGOV >140828]                            open-ended: from that day on
        [TURELI]                                    no period: the code outside the others
    KOSOVO [KSV] # using World Bank code            codes may follow the name on its line

Names are upper case with ``_`` between words; a trailing ``_`` marks a complete word. ``#``
starts a comment; a comment line alone ("# Prime Ministers") heads the entries below it. An
entry written without codes takes the codes of the next entry of its paragraph when it is
followed directly by one (several primary lines for one actor), else those of the entry
before it in the same paragraph.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterator
from dataclasses import dataclass, field, replace
from pathlib import Path

from ..errors import KnowledgeFileError

_CODE_RE = re.compile(r"\[([^\]]*)\]")
_PERIOD_RE = re.compile(r"^(?P<code>[A-Z0-9~\-]+)(?:\s+(?P<range>[<>]?\s*\d{6,8}(?:\s*-\s*\d{6,8})?))?\s*$")


@dataclass(frozen=True)
class Code:
    """One ``[CODE period]`` of an entry: the CAMEO code and its days (ISO dates or None)."""

    code: str
    start: str | None = None
    end: str | None = None
    line: int = 0
    note: str = ""  # the comment on the code's line ("# Prime Minister")


@dataclass
class DictEntry:
    """One actor of a dictionary file: names as written (upper case, ``_`` joins words)."""

    name: str
    line: int
    synonyms: list[str] = field(default_factory=list)
    codes: list[Code] = field(default_factory=list)
    comments: list[str] = field(default_factory=list)  # comments on the entry's own lines
    section: str = ""  # the last stand-alone comment line above the entry
    paragraph: int = 0


def parse_day(text: str, origin: str) -> str:
    """``yymmdd`` or ``yyyymmdd`` as an ISO date. Two-digit years up to 20 are 20yy (the
    files were written in 2014; later days are always written with four digits)."""
    digits = text.strip()
    if len(digits) == 6:
        yy = int(digits[:2])
        digits = f"{2000 + yy if yy <= 20 else 1900 + yy}{digits[2:]}"
    if len(digits) != 8:
        raise KnowledgeFileError(f"day {text!r} is neither yymmdd nor yyyymmdd", origin=origin)
    try:
        return dt.date(int(digits[:4]), int(digits[4:6]), int(digits[6:])).isoformat()
    except ValueError as exc:
        raise KnowledgeFileError(f"day {text!r} is not a calendar day ({exc})", origin=origin) from exc


def parse_code(text: str, origin: str) -> Code:
    """``GBRGOV 790504-901128``, ``IGOUNO >070101``, ``USRARM <900823`` or ``ELI``."""
    m = _PERIOD_RE.match(text.strip())
    if not m:
        raise KnowledgeFileError(f"cannot read code {text.strip()!r}", origin=origin)
    code, period = m.group("code"), (m.group("range") or "").replace(" ", "")
    line = int(origin.rsplit(":", 1)[-1]) if origin.rsplit(":", 1)[-1].isdigit() else 0
    if not period:
        return Code(code, line=line)
    if period[0] == ">":
        return Code(code, parse_day(period[1:], origin), None, line)
    if period[0] == "<":
        return Code(code, None, parse_day(period[1:], origin), line)
    first, _, last = period.partition("-")
    start, end = parse_day(first, origin), parse_day(last, origin) if last else None
    return Code(code, start, end, line)


def read_dictionary(path: str | Path, problems: list[str] | None = None) -> list[DictEntry]:
    """The entries of one actor dictionary. A code or day that cannot be read is reported in
    ``problems`` (``file:line: reason``) and skipped; without ``problems`` it raises."""
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8", errors="strict")
    except (OSError, UnicodeDecodeError) as exc:
        raise KnowledgeFileError(f"cannot read actor dictionary: {exc}", origin=str(path)) from exc
    entries: list[DictEntry] = []
    current: DictEntry | None = None
    section = ""
    paragraph = 0
    for number, raw in enumerate(text.splitlines(), start=1):
        origin = f"{path}:{number}"
        body, _, comment = raw.partition("#")
        comment = comment.strip()
        stripped = body.strip()
        if not stripped:
            if not raw.strip():
                paragraph += 1
            elif comment and raw.startswith("#") and not comment.startswith("[") \
                    and len(comment) < 40:
                section = comment  # a short stand-alone comment heads what follows
            continue
        codes_text = _CODE_RE.findall(stripped)
        name = _CODE_RE.sub(" ", stripped).strip()
        if name.startswith("+"):
            if current is not None and name[1:].strip():
                current.synonyms.append(name[1:].strip())
        elif name and not name.startswith(("[", "<", "!")):
            current = DictEntry(name, number, section=section, paragraph=paragraph)
            entries.append(current)
        elif name.startswith(("<", "!")):
            continue  # XML-like notes and substitution sets are not actors
        if current is None:
            continue
        if comment:
            current.comments.append(comment)
        for code_text in codes_text:
            try:
                current.codes.append(replace(parse_code(code_text, origin), note=comment))
            except KnowledgeFileError as exc:
                if problems is None:
                    raise
                problems.append(str(exc))
    _share_codes(entries)
    return entries


def _share_codes(entries: list[DictEntry]) -> None:
    """Give code-less entries the codes of their paragraph neighbour (see the module doc)."""
    for k, entry in enumerate(entries):
        if entry.codes:
            continue
        later = next((e for e in entries[k + 1:k + 6] if e.paragraph == entry.paragraph and e.codes),
                     None)
        if later is not None and all(e.paragraph == entry.paragraph
                                     for e in entries[k + 1:entries.index(later) + 1]):
            entry.codes = list(later.codes)
            continue
        earlier = next((e for e in reversed(entries[max(0, k - 5):k])
                        if e.paragraph == entry.paragraph and e.codes), None)
        if earlier is not None:
            entry.codes = list(earlier.codes)


def words(name: str) -> str:
    """A dictionary name as plain words: ``RECEP_TAYYIP_ERDOGAN_`` -> ``RECEP TAYYIP ERDOGAN``."""
    return re.sub(r"\s+", " ", name.replace("_", " ")).strip()


def iter_all(paths: list[Path], problems: list[str]) -> Iterator[tuple[Path, DictEntry]]:
    for path in paths:
        for entry in read_dictionary(path, problems):
            yield path, entry
