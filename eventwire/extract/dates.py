"""Publication dates: from metadata values, date stamps, datelines and weekday-dated mentions.

A date without a year gets one only when a weekday printed with it pins the year: the
latest year, not after ``settings.today``, in which that day falls on that weekday.
Otherwise the date stays empty and the note says why. The current date is never a default.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

MONTHS = {
    "january": 1, "jan": 1, "february": 2, "feb": 2, "march": 3, "mar": 3, "april": 4, "apr": 4,
    "may": 5, "june": 6, "jun": 6, "july": 7, "jul": 7, "august": 8, "aug": 8, "september": 9,
    "sep": 9, "sept": 9, "october": 10, "oct": 10, "november": 11, "nov": 11, "december": 12,
    "dec": 12,
}
WEEKDAYS = {"monday": 0, "mon": 0, "tuesday": 1, "tue": 1, "tues": 1, "wednesday": 2, "wed": 2,
            "thursday": 3, "thu": 3, "thur": 3, "thurs": 3, "friday": 4, "fri": 4,
            "saturday": 5, "sat": 5, "sunday": 6, "sun": 6}
EARLIEST_YEAR = 1980  # weekday inference looks no further back

_MONTH_WORDS = "|".join(sorted(MONTHS, key=len, reverse=True))
_WEEKDAY_WORDS = "|".join(sorted(WEEKDAYS, key=len, reverse=True))


def _month_re(tag: str = "") -> str:
    return rf"(?P<month{tag}>(?i:{_MONTH_WORDS}))\.?"


def _day_re(tag: str = "") -> str:
    return rf"(?P<day{tag}>[0-3]?\d)(?:st|nd|rd|th)?"


_WEEKDAY = rf"(?P<weekday>(?i:{_WEEKDAY_WORDS}))\.?"
_YEAR = r"(?P<year>(?:19|20)\d{2})"
_TIME = (r"(?:\s*(?:,|at|-|–)?\s*\d{1,2}[:.]\d{2}(?::\d{2})?\s*(?:[ap]\.?m\.?)?"
         r"(?:\s*[A-Z]{2,4}|\s*GMT[+-]?\d*)?)?")
# Either order of day and month: "3 February" or "February 3".
_DAY_MONTH = rf"(?:{_month_re()}\s+{_day_re()}|{_day_re('2')}\s+{_month_re('2')})"

ISO_DATE = re.compile(r"(?<!\d)(?P<year>(?:19|20)\d{2})-(?P<month>[01]\d)-(?P<day>[0-3]\d)(?!\d)")
SLASH_DATE = re.compile(r"^(?P<month>[01]?\d)/(?P<day>[0-3]?\d)/(?P<year>\d{2}|\d{4})$")
DAY_MONTH_YEAR = re.compile(rf"\b{_day_re()}\s+{_month_re()},?\s+{_YEAR}\b", re.I)
MONTH_DAY_YEAR = re.compile(rf"\b{_month_re()}\s+{_day_re()},?\s+{_YEAR}\b", re.I)
# "ANKARA, February 3. /TASS/." or "LONDON, 3 February (Reuters) -": a place in capitals, a comma, a date.
DATELINE = re.compile(
    rf"^(?P<place>[A-Z][A-Z .'’-]{{1,40}}(?:,\s*(?!(?i:{_WEEKDAY_WORDS})\b)[A-Z][A-Za-z .'’-]{{1,30}})?),\s+"
    rf"(?:{_WEEKDAY},?\s+)?{_DAY_MONTH}(?:,?\s+{_YEAR})?\b")
# "on Tuesday (29 December)", "Tuesday, December 29", "Tuesday 29 December 2020"
WEEKDAY_DATE = re.compile(rf"\b{_WEEKDAY},?\s*\(?\s*{_DAY_MONTH}(?:,?\s+{_YEAR})?\s*\)?", re.I)
_STAMP_WORDS = r"(?:published|updated|posted|last updated|last update|modified|date)"


def _stamp_date(tag: str) -> str:
    """A date (and time) as stamps print it; ``tag`` keeps the group names of a second copy apart."""
    weekday = rf"(?P<weekday{tag}>(?i:{_WEEKDAY_WORDS}))\.?"
    day_month = (rf"(?:{_month_re(tag + 'a')}\s+{_day_re(tag + 'a')}|"
                 rf"{_day_re(tag + 'b')}\s+{_month_re(tag + 'b')})")
    return (rf"(?:{weekday},?\s+)?(?:{day_month},?\s+(?P<year{tag}>(?:19|20)\d{{2}})|"
            r"(?:19|20)\d{2}-[01]\d-[0-3]\d(?:[T ]\d{2}:\d{2}(?::\d{2})?(?:\.\d+)?(?:Z|[+-]\d{2}:?\d{2})?)?)"
            rf"{_TIME}")


# "2 hours ago", "Updated 35 mins ago": a stamp relative to the time the page was copied
_AGO = r"\d{1,3}\s+(?:seconds?|secs?|minutes?|mins?|hours?|hrs?|days?|weeks?)\s+ago"
STAMP_LINE = re.compile(
    rf"^(?:{_STAMP_WORDS}\s*:?\s*)?{_stamp_date('s')}"
    rf"(?:\s*[|·•-]?\s*{_STAMP_WORDS}\s*:?\s*(?:{_AGO}|{_stamp_date('u')}))?\.?$", re.I)
RELATIVE_STAMP_LINE = re.compile(rf"^(?:{_STAMP_WORDS}\s*:?\s*)?{_AGO}\.?$", re.I)
_WEEKDAY_NAMES = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
_MONTH_NAMES = ("January", "February", "March", "April", "May", "June", "July", "August",
                "September", "October", "November", "December")


@dataclass
class DateFinding:
    """A publication date (or None) and the reason for it."""

    date: dt.date | None
    note: str


def is_stamp_line(text: str) -> bool:
    """A line that is only a date (and time), perhaps with an update stamp after it: a page's
    publication stamp ("March 4, 2024 4:18 PM GMT+3 Updated 2 hours ago")."""
    text = text.strip()
    return len(text) <= 90 and bool(STAMP_LINE.match(text) or RELATIVE_STAMP_LINE.match(text))


def _date(year: int, month: int, day: int) -> dt.date | None:
    try:
        return dt.date(year, month, day)
    except ValueError:
        return None


def _month(value: str) -> int:
    return int(value) if value.isdigit() else MONTHS[value.lower().rstrip(".")]


def _month_day(match: re.Match) -> tuple[int, int]:
    """Month and day of a match of _DAY_MONTH, whichever order the text used."""
    month = match["month"] or match["month2"]
    day = match["day"] or match["day2"]
    return _month(month), int(day)


def parse_date_value(value: str | None, today: dt.date | None = None) -> dt.date | None:
    """A full date from a metadata value (ISO stamps, '10 Apr, 2021', 'Jan 5, 2022', '4/9/18')."""
    if not value:
        return None
    value = str(value).strip()
    if not value or value.lower() in ("nan", "none", "null"):
        return None
    match = ISO_DATE.search(value)
    if match:
        return _date(int(match["year"]), int(match["month"]), int(match["day"]))
    match = SLASH_DATE.match(value.split()[0])
    if match:
        year = int(match["year"])
        if year < 100:
            year += 2000 if 2000 + year <= (today or dt.date.today()).year else 1900
        return _date(year, int(match["month"]), int(match["day"]))
    for pattern in (DAY_MONTH_YEAR, MONTH_DAY_YEAR):
        match = pattern.search(value)
        if match:
            return _date(int(match["year"]), _month(match["month"]), int(match["day"]))
    return None


def infer_year(month: int, day: int, weekday: int, today: dt.date) -> int | None:
    """The latest year (not after ``today``) in which month/day falls on ``weekday``."""
    for year in range(today.year, EARLIEST_YEAR - 1, -1):
        candidate = _date(year, month, day)
        if candidate and candidate <= today and candidate.weekday() == weekday:
            return year
    return None


def _describe(month: int, day: int) -> str:
    return f"{_MONTH_NAMES[month - 1]} {day}"


def date_from_text(header: list[str], body: str, today: dt.date) -> DateFinding:
    """The publication date a text shows, in this order of precedence.

    1. a stamp line near the top ("10 Apr, 2021 22:53", "2021-04-10T22:53");
    2. the dateline opening the body ("ANKARA, February 3, 2022 /TASS/"), with its year, or
       with a year pinned by a weekday printed with it;
    3. a weekday-dated mention in the text ("said on Tuesday (29 December)"), whose year
       is pinned by the weekday (or printed).
    """
    for line in header:
        if is_stamp_line(line):
            found = parse_date_value(line, today)
            if found and found <= today:
                return DateFinding(found, f"from the date stamp '{line.strip()}'")
    # the dateline opens one of the first paragraphs (a deck line may come before it)
    dateline = None
    for paragraph in [p for p in body[:1500].split("\n") if p.strip()][:3]:
        dateline = DATELINE.match(paragraph.strip())
        if dateline:
            break
    mention = WEEKDAY_DATE.search(body)
    if dateline:
        month, day = _month_day(dateline)
        if dateline["year"]:
            found = _date(int(dateline["year"]), month, day)
            if found:
                return DateFinding(found, f"from the dateline '{dateline.group(0).strip()}'")
        if dateline["weekday"]:
            year = infer_year(month, day, WEEKDAYS[dateline["weekday"].lower().rstrip(".")], today)
            if year:
                return DateFinding(_date(year, month, day),
                                   f"dateline gives {_describe(month, day)} without a year; "
                                   f"{year} is the latest year when it falls on a "
                                   f"{dateline['weekday'].capitalize()}")
        return DateFinding(None, f"dateline gives {_describe(month, day)} without a year "
                                 "and no weekday pins it")
    if mention:
        month, day = _month_day(mention)
        weekday = WEEKDAYS[mention["weekday"].lower().rstrip(".")]
        quoted = mention.group(0).strip()
        if mention["year"]:
            found = _date(int(mention["year"]), month, day)
            if found:
                return DateFinding(found, f"from the weekday-dated mention '{quoted}'")
        year = infer_year(month, day, weekday, today)
        if year:
            return DateFinding(_date(year, month, day),
                               f"from the mention '{quoted}' without a year; {year} is the latest "
                               f"year not after {today.isoformat()} when {_describe(month, day)} "
                               f"is a {_WEEKDAY_NAMES[weekday]}")
        return DateFinding(None, f"the mention '{quoted}' has no year and no year up to "
                                 f"{today.year} has {_describe(month, day)} on a {_WEEKDAY_NAMES[weekday]}")
    return DateFinding(None, "no date in the metadata or text (no stamp, dateline or "
                             "weekday-dated mention)")


def _explicit_new_year(html: str, year: int) -> bool:
    """Whether the page prints 1 January of ``year`` as a full date (not only the year)."""
    pattern = (rf"{year}[-/.]0?1[-/.]0?1(?!\d)|(?<!\d)0?1[-/.]0?1[-/.]{year}|"
               rf"\b1(?:st)?\s+jan(?:uary)?\.?,?\s+{year}|\bjan(?:uary)?\.?\s+1(?:st)?,?\s+{year}")
    return re.search(pattern, html, re.I) is not None


def date_from_html(html: str, url: str | None, today: dt.date) -> DateFinding | None:
    """The publication date a web page's markup gives, or None when it gives none.

    htmldate in original-date mode reads JSON-LD, meta tags, the URL and, failing those,
    the page text. A 1 January result that the page never prints as a full date is
    htmldate's fill-in for a bare year (a copyright line, say): it is not a day, so it
    is dropped and the next source is asked.
    """
    from htmldate import find_date

    max_date = today.isoformat()
    for original in (True, False):
        try:
            value = find_date(html, url=url, original_date=original, extensive_search=True,
                              max_date=max_date)
        except Exception:  # htmldate can fail on malformed markup; the text is still there
            value = None
        found = parse_date_value(value, today) if value else None
        if found is None:
            continue
        if (found.month, found.day) == (1, 1) and not _explicit_new_year(html, found.year):
            continue
        mode = "original publication date" if original else "latest date"
        return DateFinding(found, f"from the page markup (htmldate, {mode})")
    return None
