"""One event, many reports: events of the same type between the same actors, on dates that agree
within a tolerance, merge into one canonical event that keeps every mention and its evidence.

Actors are compared by country where they have one (so "Erdogan" and "Turkey" agree), else by
actor id (IGOs, groups). A background mention (``modality.historical``) attaches to the latest
earlier canonical event of the same type and actors instead of starting one on the report's
date. Negated, planned and hypothetical events did not happen and get no canonical event.

Counts never double a reprint: an article counts only when its original is not also a mention.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from ..records import content_hash

TOLERANCE_DAYS = 1


def actor_key(mentions: Iterable[Any]) -> str:
    """The actors of one side of an event as a sorted key: countries, else actor ids."""
    return "|".join(sorted({m.country or m.actor_id for m in mentions if m.country or m.actor_id}))


def mergeable(event: Any) -> bool:
    """Whether an event gets a canonical event: it happened (or happened before) and has actors."""
    m = event.modality
    return not (m.negated or m.future or m.hypothetical) and bool(actor_key(event.source)
                                                                  or actor_key(event.target))


def date_span(value: str | None) -> tuple[dt.date, dt.date] | None:
    """The days a date covers: YYYY-MM-DD one day, YYYY-MM its month, YYYY its year."""
    if not value:
        return None
    try:
        if len(value) >= 10:
            day = dt.date.fromisoformat(value[:10])
            return day, day
        if len(value) == 7:
            year, month = int(value[:4]), int(value[5:7])
            end = dt.date(year + month // 12, month % 12 + 1, 1) - dt.timedelta(days=1)
            return dt.date(year, month, 1), end
        if len(value) == 4:
            return dt.date(int(value), 1, 1), dt.date(int(value), 12, 31)
    except ValueError:
        return None
    return None


def _gap(a: tuple[dt.date, dt.date], b: tuple[dt.date, dt.date]) -> dt.timedelta:
    """Days between two spans (zero when they overlap)."""
    return max(dt.timedelta(0), b[0] - a[1], a[0] - b[1])


@dataclass
class Mention:
    """One report of a canonical event: an event record of one article."""

    event_id: str
    article_id: str
    outlet: str | None
    reported: str | None  # the article's publication date
    reprint_of: str | None
    sentence: str
    score: float | None
    historical: bool = False


@dataclass
class CanonicalEvent:
    """A happening reported by one or more articles."""

    id: str
    type: str
    date: str | None
    source_key: str
    target_key: str
    story_id: str | None = None
    mentions: list[Mention] = field(default_factory=list)

    def counted(self) -> list[Mention]:
        """Mentions that count as reports: one per article, a reprint only without its original."""
        articles = {m.article_id for m in self.mentions}
        seen, out = set(), []
        for m in self.mentions:
            if m.article_id in seen or (m.reprint_of and m.reprint_of in articles):
                continue
            seen.add(m.article_id)
            out.append(m)
        return out

    @property
    def article_count(self) -> int:
        return len(self.counted())

    @property
    def outlet_count(self) -> int:
        return len({m.outlet or f"article:{m.article_id}" for m in self.counted()})

    @property
    def first_reported(self) -> str | None:
        return min((m.reported for m in self.mentions if m.reported), default=None)

    @property
    def last_reported(self) -> str | None:
        return max((m.reported for m in self.mentions if m.reported), default=None)

    @property
    def score(self) -> float | None:
        scores = [m.score for m in self.counted() if m.score is not None]
        return sum(scores) / len(scores) if scores else None


def event_key(event: Any) -> tuple[str, str, str]:
    return (event.type, actor_key(event.source), actor_key(event.target))


def choose(candidates: Sequence[Any], event_date: str | None, report_date: str | None,
           historical: bool, tolerance_days: int = TOLERANCE_DAYS) -> Any | None:
    """The canonical event (among same type and actors) a new mention belongs to, if any.

    A current report matches the candidate nearest its date within the tolerance. A
    background mention matches the latest candidate dated before the report (and within
    the tolerance of its own date, when the text gives one). Dates may be partial
    (``2024-08``, ``2022``): they cover their month or year.
    """
    tolerance = dt.timedelta(days=tolerance_days)
    own, report = date_span(event_date), date_span(report_date)
    dated = [(c, span) for c in candidates if (span := date_span(c.date))]
    if historical:
        if own == report:  # the text gave no date of its own
            own = None
        earlier = [(c, span) for c, span in dated
                   if (report is None or span[0] < report[0]) and (own is None or _gap(span, own) <= tolerance)]
        return max(earlier, key=lambda x: x[1][0], default=(None,))[0]
    if own is None:
        return None
    near = [(c, span) for c, span in dated if _gap(span, own) <= tolerance]
    return min(near, key=lambda x: (_gap(x[1], own), x[1][1] - x[1][0]), default=(None,))[0]


def canonical_id_for(event_id: str) -> str:
    """The id of a canonical event started by an event record (stable across rebuilds)."""
    return content_hash(f"canonical:{event_id}")


class EventMerger:
    """Canonical events held in memory, filled one article at a time."""

    def __init__(self, tolerance_days: int = TOLERANCE_DAYS):
        self.tolerance_days = tolerance_days
        self.canonicals: dict[str, CanonicalEvent] = {}
        self.by_key: dict[tuple[str, str, str], list[CanonicalEvent]] = {}

    def add_article(self, article: Any, reprint_of: str | None = None,
                    story_id: str | None = None) -> dict[str, str]:
        """Merge an article's events; returns ``{event id: canonical id}`` for those merged."""
        out = {}
        for event in article.events:
            if not mergeable(event):
                continue
            key = event_key(event)
            historical = event.modality.historical
            event_date = event.date if (event.date or historical) else article.published
            candidates = self.by_key.setdefault(key, [])
            canonical = choose(candidates, event_date, article.published, historical,
                               self.tolerance_days)
            if canonical is None:
                canonical = CanonicalEvent(canonical_id_for(event.id), event.type, event_date,
                                           key[1], key[2], story_id)
                candidates.append(canonical)
                self.canonicals[canonical.id] = canonical
            canonical.mentions.append(Mention(
                event.id, article.id, article.outlet, article.published, reprint_of,
                event.evidence.sentence, event.score, historical))
            out[event.id] = canonical.id
        return out


def merge_events(articles: Iterable[Any], reprints: Mapping[str, str] | None = None,
                 tolerance_days: int = TOLERANCE_DAYS) -> dict[str, CanonicalEvent]:
    """Canonical events of Article records (``reprints``: reprint id -> original id)."""
    merger = EventMerger(tolerance_days)
    for article in articles:
        merger.add_article(article, (reprints or {}).get(article.id))
    return merger.canonicals
