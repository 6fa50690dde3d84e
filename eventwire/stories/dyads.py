"""Relations over time for a pair of actors (a dyad): event counts by PLOVER type per period, a
cooperation/conflict score, and the events behind each point; as rows, CSV, PNG and HTML.

Each happening counts once: events merged into a canonical event count as one, dated by the
canonical event (a background mention counts on the date of the original). Only events that
happened count (not negated, planned or hypothetical). An event dated more coarsely than the
period (only a year, in a monthly series) is left out of the series.

Score scale: the events' ``score``, a Goldstein-style weight of the CAMEO root from -10
(most conflictual) to +10 (most cooperative). A canonical event's score is the mean of its
reports' scores; a period's ``score_mean`` is the mean over its scored happenings and
``score_sum`` their sum (intensity: many small cooperative acts vs one attack).
"""

from __future__ import annotations

import csv
import datetime as dt
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sqlalchemy import and_, or_, select

from ..records import PLOVER_TYPES
from ..store import happenings, schema

PERIODS = ("day", "week", "month")
TOP_EVENTS = 3


@dataclass
class DyadEvent:
    """One happening between the two actors (a canonical event, or a lone event record)."""

    id: str
    type: str
    date: str | None  # None: neither the event nor its article has a date (no period holds it)
    score: float | None
    article_count: int
    sentence: str
    direction: str  # "a->b", "b->a", or "both" for a reciprocal act


def period_of(date: str, by: str) -> str:
    """The period a YYYY-MM-DD date falls in: the day, the Monday of its week, or YYYY-MM."""
    d = dt.date.fromisoformat(date[:10])
    if by == "day":
        return d.isoformat()
    if by == "week":
        return (d - dt.timedelta(days=d.weekday())).isoformat()
    if by == "month":
        return d.strftime("%Y-%m")
    if by == "year":
        return str(d.year)
    raise ValueError(f"unknown period {by!r}; choose one of {', '.join(PERIODS)}")


def unplaced(events: Iterable[DyadEvent], by: str) -> int:
    """How many happenings have no date precise enough for a period of ``by``."""
    return sum(1 for e in events if period_for(e.date, by) is None)


def period_for(date: str | None, by: str) -> str | None:
    """The period of a full or partial date, or None when the date is coarser than the period
    (an event known only by its year has no month)."""
    if not date:
        return None
    if len(date) >= 10:
        try:
            return period_of(date, by)
        except ValueError:
            return None
    if by == "month" and len(date) == 7 and date[4] == "-":
        return date
    return None


def periods_between(first: str, last: str, by: str) -> list[str]:
    """Every period label from ``first`` to ``last`` (labels or dates), so that gaps show as
    zero in tables and plots: days, weeks (their Monday), months (YYYY-MM) or years (YYYY)."""
    if by == "year":
        return [str(y) for y in range(int(first[:4]), int(last[:4]) + 1)]
    pad = {4: "-01-01", 7: "-01"}
    start = dt.date.fromisoformat(first[:10] + pad.get(len(first[:10]), ""))
    end = dt.date.fromisoformat(last[:10] + pad.get(len(last[:10]), ""))
    out, d = [], start
    step = {"day": dt.timedelta(days=1), "week": dt.timedelta(days=7)}.get(by)
    while d <= end:
        out.append(period_of(d.isoformat(), by))
        d = d + step if step else dt.date(d.year + d.month // 12, d.month % 12 + 1, 1)
    if not out or out[-1] != period_of(end.isoformat(), by):
        out.append(period_of(end.isoformat(), by))
    return list(dict.fromkeys(out))


def series(events: Iterable[DyadEvent], by: str = "month", fill: bool = True) -> list[dict[str, Any]]:
    """Rows per period: ``period``, ``total``, ``counts`` by PLOVER type, ``score_mean``,
    ``score_sum``, ``scored`` (happenings with a score) and ``top_events`` (ids, most reported
    and then strongest score first)."""
    if by not in PERIODS:
        raise ValueError(f"unknown period {by!r}; choose one of {', '.join(PERIODS)}")
    buckets: dict[str, list[DyadEvent]] = defaultdict(list)
    for event in events:
        period = period_for(event.date, by)
        if period:
            buckets[period].append(event)
    if not buckets:
        return []
    periods = sorted(buckets)
    if fill:
        periods = periods_between(periods[0], periods[-1], by)
    rows = []
    for period in periods:
        members = buckets.get(period, [])
        counts = {t: 0 for t in PLOVER_TYPES}
        for e in members:
            counts[e.type] = counts.get(e.type, 0) + 1
        scores = [e.score for e in members if e.score is not None]
        top = sorted(members, key=lambda e: (-e.article_count, -abs(e.score or 0.0), e.date, e.id))
        rows.append({
            "period": period, "total": len(members), "counts": counts,
            "score_mean": round(sum(scores) / len(scores), 3) if scores else None,
            "score_sum": round(sum(scores), 3) if scores else 0.0, "scored": len(scores),
            "top_events": [e.id for e in top[:TOP_EVENTS]],
        })
    return rows


def _pairs(a: str, b: str, directed: bool):
    """event_pairs rows of the dyad: ``a`` -> ``b`` (a reciprocal act runs both ways), and
    ``b`` -> ``a`` too when undirected; one index range each."""
    P = schema.event_pairs
    match = and_(P.c.a == a, P.c.b == b)
    return match if directed else or_(match, and_(P.c.a == b, P.c.b == a))


def dyad_events(store, a: str, b: str, directed: bool = False,
                min_confidence: float | None = None,
                happenings: Iterable[str] | None = None) -> list[DyadEvent]:
    """Happenings between actors ``a`` and ``b`` (country codes or actor ids) in the store.

    Directed: ``a`` is a source and ``b`` a target. Undirected: either way round.
    ``min_confidence`` keeps events scored at least that confident (unscored ones stay);
    ``happenings`` (canonical event or event ids) keeps only those.
    """
    E, A, C, P = schema.events, schema.articles, schema.canonical_events, schema.event_pairs
    query = (select(E.c.id, E.c.type, E.c.date, E.c.score, E.c.sentence, E.c.canonical_id,
                    A.c.published, C.c.date.label("canonical_date"), C.c.article_count,
                    and_(P.c.a == a, P.c.forward).label("forward"), E.c.reciprocal)
             .select_from(P).join(E, E.c.id == P.c.event_id)
             .join(A, A.c.id == E.c.article_id)
             .outerjoin(C, C.c.id == E.c.canonical_id)
             .where(P.c.happened))
    if min_confidence:
        query = query.where(or_(P.c.confidence.is_(None), P.c.confidence >= float(min_confidence)))
    by_id: dict[str, Any] = {}
    with store.engine.connect() as conn:
        queries = [query.where(_pairs(a, b, directed))]
        if happenings is not None:
            # their events first (by event id and canonical id, both indexed), then the pair's
            # rows of those events by key, one direction a query: SQLite 3.40 answered the OR
            # of the two directions with an IN on the key with the rows of one direction only
            events = _events_of(conn, set(happenings))
            queries = [query.where(P.c.a == x, P.c.b == y, P.c.event_id.in_(events))
                       for x, y in ([(a, b)] if directed else list(dict.fromkeys([(a, b), (b, a)])))]
        for row in (row for each in queries for row in conn.execute(each)):
            if row.id not in by_id or row.forward:  # a -> b as written wins
                by_id[row.id] = row
    grouped: dict[str, list] = defaultdict(list)
    for row in sorted(by_id.values(), key=lambda r: (r.published is None, r.published or "", r.id)):
        grouped[row.canonical_id or row.id].append(row)
    out = []
    for key, rows in grouped.items():
        first = rows[0]
        date = first.canonical_date if first.canonical_id else (first.date or first.published)
        if first.canonical_id and not date:
            date = first.date or first.published
        scores = [r.score for r in rows if r.score is not None]
        out.append(DyadEvent(
            id=key, type=first.type, date=date,
            score=sum(scores) / len(scores) if scores else None,
            article_count=first.article_count or len({r.id for r in rows}),
            sentence=first.sentence,
            direction="both" if first.reciprocal else "a->b" if first.forward else "b->a"))
    return out


def _events_of(conn, happenings: set[str]) -> list[str]:
    """The ids of the events of these happenings (canonical event ids or lone event ids)."""
    P = schema.event_pairs
    wanted = sorted(happenings)
    found: set[str] = set()
    for start in range(0, len(wanted), 500):
        part = wanted[start:start + 500]
        for match in (P.c.event_id.in_(part),
                      and_(P.c.canonical_id.isnot(None), P.c.canonical_id.in_(part))):
            found.update(event_id for event_id, canonical_id in conn.execute(
                select(P.c.event_id, P.c.canonical_id).distinct().where(match))
                if (canonical_id or event_id) in happenings)
    return sorted(found)


# The series of a dyad computed by the database from event_pairs alone (and the canonical
# events of its happenings): the exact query, for stores without dyad_happenings (Parquet).
_HAPPENINGS = """
WITH ev AS (
  SELECT DISTINCT event_id, canonical_id, type, sort_date, score FROM event_pairs
  WHERE happened AND ((a = :a AND b = :b) OR (:undirected AND a = :b AND b = :a))
    AND (confidence IS NULL OR confidence >= :min_confidence)
), h AS (
  SELECT coalesce(ev.canonical_id, ev.event_id) AS id, min(ev.type) AS type,
         coalesce(max(c.date), min(ev.sort_date)) AS date, avg(ev.score) AS score,
         coalesce(nullif(max(c.article_count), 0), count(*)) AS reports
  FROM ev LEFT JOIN canonical_events c ON c.id = ev.canonical_id
  GROUP BY coalesce(ev.canonical_id, ev.event_id)
), p AS (
  SELECT h.*, {period} AS period FROM h
)
"""
# The same happenings read from dyad_happenings (grouped in advance by the writers,
# store/happenings.py): each happening's row for the confidence asked for.
_KEPT = """
WITH p AS (
  SELECT happening AS id, type, date, score, reports, {period} AS period FROM dyad_happenings
  WHERE a = :a AND b = :b AND directed = :directed
    AND (above IS NULL OR above < :min_confidence) AND (upto IS NULL OR upto >= :min_confidence)
)
"""
_PERIODS = {
    "month": "CASE WHEN length(date) >= 10 THEN substr(date, 1, 7) "
             "WHEN length(date) = 7 AND substr(date, 5, 1) = '-' AND NOT :days_only THEN date END",
    "day": "CASE WHEN length(date) >= 10 THEN substr(date, 1, 10) END",
    "week": {"sqlite": "CASE WHEN length(date) >= 10 THEN date(substr(date, 1, 10), '-' || "
                       "((CAST(strftime('%w', substr(date, 1, 10)) AS INTEGER) + 6) % 7) || ' days') END",
             "default": "CASE WHEN length(date) >= 10 THEN CAST(CAST(date_trunc('week', "
                        "CAST(substr(date, 1, 10) AS DATE)) AS DATE) AS VARCHAR) END"},
}


def store_series(store, a: str, b: str, by: str = "month", directed: bool = False,
                 min_confidence: float | None = None, days_only: bool = False,
                 exact: bool = False) -> tuple[list[dict[str, Any]], int]:
    """The dyad's series as :func:`series` gives it over :func:`dyad_events`, aggregated by the
    database; and how many happenings fit no period of ``by`` (``days_only``: every happening
    without a full date, also one known by its month).

    Read from dyad_happenings where the store keeps it (any ``min_confidence``); ``exact``
    groups the pair's event_pairs rows instead, the reference the kept rows are checked against.
    """
    if by not in PERIODS:
        raise ValueError(f"unknown period {by!r}; choose one of {', '.join(PERIODS)}")
    from sqlalchemy import text
    period = _PERIODS[by]
    if isinstance(period, dict):
        period = period.get(store.engine.dialect.name, period["default"])
    params = {"a": a, "b": b, "undirected": not directed, "days_only": days_only,
              "min_confidence": float(min_confidence or 0.0)}
    if getattr(store, "keeps_summaries", False) and not exact:
        head = _KEPT.format(period=period)
        params.update(zip(("a", "b"), happenings.scope(a, b, directed)), directed=directed)
    else:
        head = _HAPPENINGS.format(period=period)
    counts = head + ("SELECT period, type, count(*) AS n, sum(score) AS score_sum, "
                     "count(score) AS scored FROM p GROUP BY period, type")
    top = head + (", ranked AS (SELECT id, period, row_number() OVER (PARTITION BY period "
                  "ORDER BY reports DESC, abs(coalesce(score, 0)) DESC, date, id) AS place "
                  f"FROM p WHERE period IS NOT NULL) SELECT period, id FROM ranked "
                  f"WHERE place <= {TOP_EVENTS} ORDER BY period, place")
    cells: dict[str, list] = defaultdict(list)
    unplaced = 0
    with store.engine.connect() as conn:
        for row in conn.execute(text(counts), params):
            if row.period is None:
                unplaced += row.n
            else:
                cells[row.period].append(row)
        tops: dict[str, list[str]] = defaultdict(list)
        for row in conn.execute(text(top), params):
            tops[row.period].append(row.id)
    if not cells:
        return [], unplaced
    rows = []
    for label in periods_between(min(cells), max(cells), by):
        members = cells.get(label, [])
        counts_by_type = {t: 0 for t in PLOVER_TYPES}
        for cell in members:
            counts_by_type[cell.type] = counts_by_type.get(cell.type, 0) + cell.n
        scored = sum(cell.scored for cell in members)
        total_score = sum(cell.score_sum or 0.0 for cell in members)
        rows.append({
            "period": label, "total": sum(cell.n for cell in members), "counts": counts_by_type,
            "score_mean": round(total_score / scored, 3) if scored else None,
            "score_sum": round(total_score, 3) if scored else 0.0, "scored": scored,
            "top_events": tops.get(label, []),
        })
    return rows, unplaced


def dyad_series(store, a: str, b: str, by: str = "month", directed: bool = False,
                min_confidence: float | None = None) -> list[dict[str, Any]]:
    """The dyad's series from the store: one row per period (see :func:`series`), computed by
    the database."""
    return store_series(store, a, b, by, directed, min_confidence)[0]


# --- output files -------------------------------------------------------------

def _types_present(rows: Sequence[dict[str, Any]]) -> list[str]:
    return [t for t in PLOVER_TYPES if any(r["counts"].get(t) for r in rows)]


def write_csv(rows: Sequence[dict[str, Any]], path: Path) -> Path:
    """One line per period: counts by every PLOVER type, score mean and sum, top event ids."""
    with Path(path).open("w", newline="", encoding="utf-8") as f:
        writer = csv.writer(f)
        writer.writerow(["period", "total", *PLOVER_TYPES, "score_mean", "score_sum", "top_events"])
        for r in rows:
            writer.writerow([r["period"], r["total"], *(r["counts"].get(t, 0) for t in PLOVER_TYPES),
                             "" if r["score_mean"] is None else r["score_mean"], r["score_sum"],
                             " ".join(r["top_events"])])
    return Path(path)


def write_png(rows: Sequence[dict[str, Any]], path: Path, title: str) -> Path:
    """Stacked bars of counts by type, and the mean score as a line on a second axis."""
    import matplotlib
    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    import matplotlib.ticker

    periods = [r["period"] for r in rows]
    fig, ax = plt.subplots(figsize=(max(6.0, 0.35 * len(rows) + 3), 4.5))
    bottom = [0] * len(rows)
    for event_type in _types_present(rows):
        values = [r["counts"].get(event_type, 0) for r in rows]
        ax.bar(periods, values, bottom=bottom, label=event_type)
        bottom = [b + v for b, v in zip(bottom, values)]
    ax.set_ylabel("events (each happening once)")
    ax.set_ylim(0, max(bottom, default=0) * 1.3 + 1)
    ax.yaxis.set_major_locator(matplotlib.ticker.MaxNLocator(integer=True))
    ax.set_title(title)
    ax.tick_params(axis="x", labelrotation=60, labelsize=8)
    score_axis = ax.twinx()
    score_axis.plot(periods, [r["score_mean"] if r["score_mean"] is not None else float("nan")
                              for r in rows], color="black", marker="o", label="mean score")
    score_axis.set_ylim(-10, 10)
    score_axis.axhline(0, color="grey", linewidth=0.5)
    score_axis.set_ylabel("mean score (-10 conflict .. +10 cooperation)")
    if rows:
        ax.legend(loc="upper left", fontsize=7, ncol=2)
    fig.tight_layout()
    fig.savefig(path, dpi=100)
    plt.close(fig)
    return Path(path)


def write_html(rows: Sequence[dict[str, Any]], path: Path, title: str,
               details: dict[str, DyadEvent] | None = None) -> Path:
    """An interactive plotly chart; plotly.js is written inline, so the file works offline."""
    import plotly.graph_objects as go
    from plotly.subplots import make_subplots

    periods = [r["period"] for r in rows]
    fig = make_subplots(specs=[[{"secondary_y": True}]])
    for event_type in _types_present(rows):
        fig.add_trace(go.Bar(x=periods, y=[r["counts"].get(event_type, 0) for r in rows],
                             name=event_type), secondary_y=False)
    hover = []
    for r in rows:
        lines = [details[i].sentence[:120] if details and i in details else i for i in r["top_events"]]
        hover.append("<br>".join(lines) or "no events")
    fig.add_trace(go.Scatter(x=periods, y=[r["score_mean"] for r in rows], name="mean score",
                             mode="lines+markers", text=hover, hovertemplate="%{y}<br>%{text}"),
                  secondary_y=True)
    fig.update_layout(barmode="stack", title=title)
    fig.update_yaxes(title_text="events (each happening once)", secondary_y=False)
    fig.update_yaxes(title_text="mean score (-10 .. +10)", range=[-10, 10], secondary_y=True)
    fig.write_html(str(path), include_plotlyjs=True, full_html=True)
    return Path(path)


def write_outputs(store, a: str, b: str, prefix: str | Path, by: str = "month",
                  directed: bool = False, rows: list[dict[str, Any]] | None = None,
                  min_confidence: float | None = None) -> tuple[list[dict[str, Any]], list[Path]]:
    """Write the dyad series (``rows``, else the store's) as PREFIX.csv, PREFIX.png and
    PREFIX.html (whose points show the sentences of their top happenings)."""
    if rows is None:
        rows, _ = store_series(store, a, b, by, directed, min_confidence)
    top = {i for r in rows for i in r["top_events"]}
    details = ({e.id: e for e in dyad_events(store, a, b, directed, min_confidence, top)}
               if top else {})
    arrow = "->" if directed else "<->"
    title = f"{a} {arrow} {b} by {by}"
    prefix = Path(prefix)
    prefix.parent.mkdir(parents=True, exist_ok=True)
    paths = [write_csv(rows, prefix.with_name(prefix.name + ".csv")),
             write_png(rows, prefix.with_name(prefix.name + ".png"), title),
             write_html(rows, prefix.with_name(prefix.name + ".html"), title, details)]
    return rows, paths
