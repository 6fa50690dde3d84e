"""The happenings of each pair of actors, kept ready for dyad series (table dyad_happenings).

A dyad series counts happenings: the events of a pair that happened, each canonical event
once, with its type, its date (the canonical date, else the earliest of its events), the mean
score of its events and its number of reports (eventwire.stories.dyads). Grouping a busy
pair's event_pairs rows by happening at query time costs a pass over all of them with a
DISTINCT, a GROUP BY and a join; this table holds the groups already made, so a series is
one index range of finished rows.

Which events of a happening count depends on the confidence asked for (events at or above
``min_confidence``, unscored ones always). A happening therefore has one row per distinct
confidence of its events, each valid for a range of thresholds: row ``level`` holds the events
scored at least ``upto`` (and the unscored ones) and answers every ``min_confidence`` in
``(above, upto]`` (None: unbounded). A lone event has one row, so any threshold is answered
exactly, the model's default and ``--all-candidates`` alike.

Each pair is kept twice: ``directed`` (rows a -> b, a reciprocal event also b -> a), and
undirected under the pair's sides in sorted order (either way round, each event once).
Writers call :func:`refresh` with the ids of the events and canonical events they changed
(saving articles, linking, loading Spark output); :func:`rebuild` recomputes the table.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from typing import Any

from sqlalchemy import Float, and_, case, cast, delete, false, func, literal, null, select, true

from . import schema

H, P, C = schema.dyad_happenings, schema.event_pairs, schema.canonical_events
PAGE = 1000  # ids to an IN list


def scope(a: str, b: str, directed: bool) -> tuple[str, str]:
    """The (a, b) a pair's rows are kept under: as given when directed, else sorted."""
    return (a, b) if directed else (min(a, b), max(a, b))


def happening_rows(pairs: Iterable[dict[str, Any]],
                   canonical: dict[str, tuple[str | None, int | None]] | None = None
                   ) -> list[dict[str, Any]]:
    """The dyad_happenings rows of event_pairs rows (all rows of each happening among them).

    ``canonical`` maps a canonical event id to its (date, article_count); rows of events that
    did not happen are left out, as the dyad series leaves them out.
    """
    canonical = canonical or {}
    # (a, b, directed, happening) -> event id -> (type, sort_date, score, confidence)
    groups: dict[tuple, dict[str, tuple]] = defaultdict(dict)
    merged: set[str] = set()  # happenings that are canonical events
    for p in pairs:
        if not p["happened"]:
            continue
        member = (p["type"], p["sort_date"], p["score"], p["confidence"])
        happening = p["canonical_id"] or p["event_id"]
        if p["canonical_id"]:
            merged.add(happening)
        for directed in (True, False):
            a, b = scope(p["a"], p["b"], directed)
            groups[(a, b, directed, happening)][p["event_id"]] = member
    rows = []
    for (a, b, directed, happening), members in groups.items():
        c_date, c_reports = canonical.get(happening, (None, None)) if happening in merged \
            else (None, None)
        for level, (above, upto, chosen) in enumerate(_levels(list(members.values()))):
            scores = [m[2] for m in chosen if m[2] is not None]
            dates = [m[1] for m in chosen if m[1] is not None]
            rows.append({
                "a": a, "b": b, "directed": directed, "happening": happening, "level": level,
                "above": above, "upto": upto, "type": min(m[0] for m in chosen),
                "date": c_date or min(dates, default=None),
                "score": sum(scores) / len(scores) if scores else None,
                "reports": c_reports or len(chosen)})
    return rows


def _levels(members: list[tuple]) -> list[tuple[float | None, float | None, list[tuple]]]:
    """(above, upto, members kept) for each range of thresholds with its own set of members:
    a threshold t keeps the unscored members and those scored >= t."""
    unscored = [m for m in members if m[3] is None]
    scored = sorted((m for m in members if m[3] is not None), key=lambda m: -m[3])
    cuts = sorted({m[3] for m in scored}, reverse=True)
    out = []
    if unscored:  # thresholds above every score keep the unscored members alone
        out.append((cuts[0] if cuts else None, None, unscored))
    for i, cut in enumerate(cuts):
        above = cuts[i + 1] if i + 1 < len(cuts) else None
        out.append((above, cut, unscored + [m for m in scored if m[3] >= cut]))
    return out


def valid_for(min_confidence: float | None):
    """The condition that picks each happening's row for ``min_confidence`` (None: 0)."""
    t = float(min_confidence or 0.0)
    return ((H.c.above.is_(None) | (H.c.above < t)) & (H.c.upto.is_(None) | (H.c.upto >= t)))


def insert_new(conn, pair_rows: list[dict[str, Any]]) -> None:
    """Rows for the event_pairs rows of newly stored events that are no canonical event's
    yet (``Store.save``): their happenings are theirs alone."""
    rows = happening_rows(p for p in pair_rows if p["canonical_id"] is None)
    if rows:
        conn.execute(H.insert(), rows)
    linked = {p["event_id"] for p in pair_rows if p["canonical_id"] is not None}
    if linked:
        refresh(conn, linked)


def refresh(conn, ids: Iterable[str], clear: bool = True) -> None:
    """Recompute the rows of the happenings of ``ids`` (event ids and canonical event ids)
    from event_pairs and canonical_events, after a writer changed them."""
    ids = set(ids)
    if not ids:
        return
    for part in _parts(sorted(ids)):  # an event linked to a canonical event is that happening
        ids.update(c for (c,) in conn.execute(select(P.c.canonical_id).where(P.c.event_id.in_(part)))
                   if c is not None)
    happenings = sorted(ids)
    for part in _parts(happenings):
        if clear:
            conn.execute(delete(H).where(H.c.happening.in_(part)))
        # one query per index (rather than an OR of both), rows merged by their key
        found: dict[tuple, dict[str, Any]] = {}
        for match in (P.c.event_id.in_(part),
                      and_(P.c.canonical_id.isnot(None), P.c.canonical_id.in_(part))):
            found.update(((r["a"], r["b"], r["event_id"]), dict(r))
                         for r in conn.execute(select(P).where(match)).mappings())
        wanted = set(part)
        pairs = [p for p in found.values() if (p["canonical_id"] or p["event_id"]) in wanted]
        canonical = {r.id: (r.date, r.article_count) for r in conn.execute(
            select(C.c.id, C.c.date, C.c.article_count).where(C.c.id.in_(part)))}
        rows = happening_rows(pairs, canonical)
        if rows:
            conn.execute(H.insert(), rows)


def rebuild(conn, page: int = 5000) -> int:
    """Recompute the whole table from event_pairs and canonical_events; returns its rows.

    An event of no canonical event is a happening of its own with one row per scope (its
    date, type and score; valid up to its confidence): those rows are written by two
    INSERT ... SELECT, the sides of an undirected pair ordered by code point as
    :func:`scope` orders them. Canonical events go through :func:`refresh`, a page at a time.
    """
    conn.execute(delete(H))
    lone = and_(P.c.canonical_id.is_(None), P.c.happened)
    first = P.c.a <= P.c.b
    if conn.dialect.name == "postgresql":  # the database's collation may not be code point order
        first = P.c.a.collate("C") <= P.c.b
    columns = ["a", "b", "directed", "happening", "level", "above", "upto", "type", "date",
               "score", "reports"]
    fixed = (literal(0), cast(null(), Float), P.c.confidence, P.c.type, P.c.sort_date, P.c.score, literal(1))
    conn.execute(H.insert().from_select(columns, select(
        P.c.a, P.c.b, true(), P.c.event_id, *fixed).where(lone)))
    conn.execute(H.insert().from_select(columns, select(
        case((first, P.c.a), else_=P.c.b), case((first, P.c.b), else_=P.c.a), false(),
        P.c.event_id, *fixed).where(lone).distinct()))
    last = ""
    while True:  # canonical events, a page at a time
        ids = [i for (i,) in conn.execute(select(P.c.canonical_id).distinct().where(
            P.c.canonical_id.isnot(None), P.c.canonical_id > last)
            .order_by(P.c.canonical_id).limit(page))]
        if not ids:
            break
        refresh(conn, ids, clear=False)
        last = ids[-1]
    return int(conn.execute(select(func.count()).select_from(H)).scalar() or 0)


def _parts(values: list[str]) -> Iterable[list[str]]:
    for start in range(0, len(values), PAGE):
        yield values[start:start + PAGE]
