"""Event dates: resolve a date expression against the article's publication date.

Values are ISO strings at the precision the text gives: ``YYYY-MM-DD``, ``YYYY-MM``
or ``YYYY``. Relative expressions ("on Saturday", "yesterday", "in December",
"last year") resolve to the most recent matching date on or before publication.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

MONTHS = {m: i for i, m in enumerate(
    ["january", "february", "march", "april", "may", "june", "july", "august", "september",
     "october", "november", "december"], start=1)}
MONTHS.update({m[:3]: i for m, i in list(MONTHS.items())})
MONTHS["sept"] = 9
WEEKDAYS = {d: i for i, d in enumerate(
    ["monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"])}
# a month name is not part of a hyphenated word ("Mar-a-Lago")
_MONTH = r"(?P<month>" + "|".join(sorted(MONTHS, key=len, reverse=True)) + r")(?!-\w)\.?"
_DAY = r"(?P<day>\d{1,2})(?:st|nd|rd|th)?"
_YEAR = r"(?P<year>1[89]\d\d|20\d\d)"
_FULL = [re.compile(rf"\b{_MONTH}\s+{_DAY}(?:,?\s+{_YEAR})?\b"),
         re.compile(rf"\b{_DAY}\s+(?:of\s+)?{_MONTH}(?:,?\s+{_YEAR})?\b")]
_MONTH_YEAR = re.compile(rf"\b{_MONTH}(?:,?\s+(?:of\s+)?{_YEAR})?\b")
_YEAR_ONLY = re.compile(rf"\b{_YEAR}\b")
_ISO = re.compile(r"\b(?P<year>\d{4})-(?P<month>\d\d)-(?P<day>\d\d)\b")
_AGO = re.compile(r"\b(?P<n>\d+|a|an|one|two|three|four|five|six|seven|ten)\s+"
                  r"(?P<unit>day|week|month|year)s?\s+ago\b")
_NUMBER_WORDS = {"a": 1, "an": 1, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6,
                 "seven": 7, "ten": 10}


@dataclass
class ResolvedDate:
    """A resolved date: ISO value, the last day of the period it names, and why."""

    value: str | None
    period_end: dt.date | None
    note: str
    since: bool = False

    @property
    def relative(self) -> bool:
        """True when the value was computed from the publication date, not read off the text."""
        return self.value is not None and "absolute" not in self.note


def parse_published(value: str | None) -> dt.date | None:
    if not value:
        return None
    try:
        return dt.date.fromisoformat(value[:10])
    except ValueError:
        return None


def _month_end(year: int, month: int) -> dt.date:
    nxt = dt.date(year + (month == 12), month % 12 + 1, 1)
    return nxt - dt.timedelta(days=1)


def _day(year: int, month: int, day: int) -> dt.date | None:
    try:
        return dt.date(year, month, day)
    except ValueError:
        return None


def _resolved(d: dt.date, note: str) -> ResolvedDate:
    return ResolvedDate(d.isoformat(), d, note)


def resolve(expression: str, published: dt.date | None) -> ResolvedDate:
    """Resolve one date expression (the text of a spaCy DATE entity, or similar)."""
    text = expression.lower().strip()
    since = bool(re.match(r"^since\b", text))
    result = _resolve(text, published)
    result.since = since
    return result


def _resolve(text: str, pub: dt.date | None) -> ResolvedDate:
    anchor = f"publication date {pub.isoformat()}" if pub else None
    needs_pub = f"{text!r} is relative and the publication date is unknown"

    if m := _ISO.search(text):
        d = _day(int(m["year"]), int(m["month"]), int(m["day"]))
        if d:
            return _resolved(d, f"{text!r} is an absolute date")
    for pattern in _FULL:
        if m := pattern.search(text):
            month, day = MONTHS[m["month"]], int(m["day"])
            if m["year"]:
                d = _day(int(m["year"]), month, day)
                if d:
                    return _resolved(d, f"{text!r} is an absolute date")
            elif pub:
                d = _day(pub.year, month, day)
                if d and d > pub:
                    d = _day(pub.year - 1, month, day)
                if d:
                    return _resolved(d, f"{text!r} resolved against {anchor}")
            else:
                return ResolvedDate(None, None, needs_pub)
    if re.search(r"\b(today|tonight|this (morning|afternoon|evening))\b", text):
        return _resolved(pub, f"{text!r} resolved against {anchor}") if pub else \
            ResolvedDate(None, None, needs_pub)
    if re.search(r"\b(yesterday|last night)\b", text):
        return _resolved(pub - dt.timedelta(days=1), f"{text!r} resolved against {anchor}") if pub \
            else ResolvedDate(None, None, needs_pub)
    if re.search(r"\btomorrow\b", text):
        return _resolved(pub + dt.timedelta(days=1), f"{text!r} resolved against {anchor}") if pub \
            else ResolvedDate(None, None, needs_pub)
    if m := _AGO.search(text):
        if not pub:
            return ResolvedDate(None, None, needs_pub)
        n = int(m["n"]) if m["n"].isdigit() else _NUMBER_WORDS[m["n"]]
        days = {"day": 1, "week": 7, "month": 30, "year": 365}[m["unit"]] * n
        d = pub - dt.timedelta(days=days)
        if m["unit"] == "year":
            return ResolvedDate(str(d.year), dt.date(d.year, 12, 31), f"{text!r} resolved against {anchor}")
        if m["unit"] == "month":
            return ResolvedDate(f"{d.year}-{d.month:02d}", _month_end(d.year, d.month),
                                f"{text!r} resolved against {anchor}")
        return _resolved(d, f"{text!r} resolved against {anchor}")
    for name, weekday in WEEKDAYS.items():
        if re.search(rf"\b{name}\b", text) or re.search(rf"\b{name[:3]}\b\.?", text) and len(text) <= 6:
            if not pub:
                return ResolvedDate(None, None, needs_pub)
            back = (pub.weekday() - weekday) % 7
            if re.search(r"\bnext\b", text):
                d = pub + dt.timedelta(days=(weekday - pub.weekday()) % 7 or 7)
            elif re.search(r"\blast\b", text) and back == 0:
                d = pub - dt.timedelta(days=7)
            else:
                d = pub - dt.timedelta(days=back)
            return _resolved(d, f"{text!r} resolved against {anchor}")
    if re.search(r"\b(the |this |last )?weekend\b", text):
        if not pub:
            return ResolvedDate(None, None, needs_pub)
        d = pub - dt.timedelta(days=(pub.weekday() - 5) % 7)
        return _resolved(d, f"{text!r} resolved to the Saturday on or before {anchor}")
    if re.search(r"\b(this|current) year\b", text):
        return ResolvedDate(str(pub.year), dt.date(pub.year, 12, 31), f"{text!r} resolved against {anchor}") \
            if pub else ResolvedDate(None, None, needs_pub)
    if re.search(r"\blast year\b", text):
        return ResolvedDate(str(pub.year - 1), dt.date(pub.year - 1, 12, 31),
                            f"{text!r} resolved against {anchor}") if pub else ResolvedDate(None, None, needs_pub)
    if re.search(r"\b(this|earlier this|later this) month\b", text):
        return ResolvedDate(f"{pub.year}-{pub.month:02d}", _month_end(pub.year, pub.month),
                            f"{text!r} resolved against {anchor}") if pub else ResolvedDate(None, None, needs_pub)
    if re.search(r"\blast month\b", text):
        if not pub:
            return ResolvedDate(None, None, needs_pub)
        first = pub.replace(day=1) - dt.timedelta(days=1)
        return ResolvedDate(f"{first.year}-{first.month:02d}", first, f"{text!r} resolved against {anchor}")
    if re.search(r"\blast week\b", text):
        return _resolved(pub - dt.timedelta(days=7), f"{text!r}: about a week before {anchor}") if pub \
            else ResolvedDate(None, None, needs_pub)
    if m := _MONTH_YEAR.search(text):
        month = MONTHS[m["month"]]
        if m["month"] == "may" and not m["year"]:
            pass  # the modal verb "may" is not a month
        elif m["year"]:
            year = int(m["year"])
            return ResolvedDate(f"{year}-{month:02d}", _month_end(year, month), f"{text!r} is an absolute month")
        elif pub:
            year = pub.year if month <= pub.month else pub.year - 1
            return ResolvedDate(f"{year}-{month:02d}", _month_end(year, month),
                                f"{text!r} resolved to the most recent such month before {anchor}")
        else:
            return ResolvedDate(None, None, needs_pub)
    if m := _YEAR_ONLY.search(text):
        year = int(m["year"])
        return ResolvedDate(str(year), dt.date(year, 12, 31), f"{text!r} is an absolute year")
    return ResolvedDate(None, None, f"{text!r} is too vague to resolve")


PRECISION = {10: 3, 7: 2, 4: 1}


def precision(value: str | None) -> int:
    """3 for a day, 2 for a month, 1 for a year, 0 for nothing."""
    return PRECISION.get(len(value), 0) if value else 0


def resolve_forward(expression: str, published: dt.date | None) -> ResolvedDate | None:
    """For announced (future) events: a weekday or month without a year is the next one
    on or after publication. None when the expression is not of that kind."""
    text = expression.lower().strip()
    if published is None or _YEAR_ONLY.search(text) or re.search(r"\b(last|ago|yesterday|since)\b", text):
        return None
    for pattern in _FULL:
        if m := pattern.search(text):
            month, day = MONTHS[m["month"]], int(m["day"])
            d = _day(published.year, month, day)
            if d and d < published:
                d = _day(published.year + 1, month, day)
            return _resolved(d, f"{text!r} resolved forward from publication date {published}") if d else None
    for name, weekday in WEEKDAYS.items():
        if re.search(rf"\b{name}\b", text):
            d = published + dt.timedelta(days=(weekday - published.weekday()) % 7)
            return _resolved(d, f"{text!r} resolved forward from publication date {published}")
    if (m := _MONTH_YEAR.search(text)) and m["month"] != "may":
        month = MONTHS[m["month"]]
        year = published.year if month >= published.month else published.year + 1
        return ResolvedDate(f"{year}-{month:02d}", _month_end(year, month),
                            f"{text!r} resolved forward from publication date {published}")
    return None
