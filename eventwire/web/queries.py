"""Read queries the store does not offer (yet), for the web: report counts of events, actor
profiles and series, the timeline, and a faster actor list.

Built with SQLAlchemy Core, so every value reaches the database as a bound parameter. An
actor key is an actor id (``IGO:NATO``) or a country code (``TUR``, matching every actor of
that country), as in ``Store.events(actor=...)``.
"""

from __future__ import annotations

from collections import defaultdict
from typing import Any

from sqlalchemy import and_, case, func, or_, select
from sqlalchemy.engine import Connection

from ..records import QUAD_CLASS
from ..store.schema import actors, article_actors, articles, event_actors, events, quotes

COOPERATION = tuple(t for t, q in QUAD_CLASS.items() if q.endswith("cooperation"))
CONFLICT = tuple(t for t, q in QUAD_CLASS.items() if q.endswith("conflict"))


def is_actor(column_table, key: str):
    """The actor row (of event_actors or an alias) is ``key``: its actor id or its country."""
    return or_(column_table.c.actor_id == key, column_table.c.country == key.upper())


# --- events across reports --------------------------------------------------------------------

def add_reports(conn: Connection, records: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Add ``canonical_id`` and ``reports`` (how many reports share it) to event records."""
    ids = [r["id"] for r in records]
    canonical: dict[str, str | None] = {}
    for chunk in (ids[i:i + 500] for i in range(0, len(ids), 500)):
        canonical.update(conn.execute(select(events.c.id, events.c.canonical_id)
                                      .where(events.c.id.in_(chunk))).all())
    wanted = {c for c in canonical.values() if c}
    reports: dict[str, int] = {}
    if wanted:
        reports = dict(conn.execute(select(events.c.canonical_id, func.count())
                                    .where(events.c.canonical_id.in_(wanted))
                                    .group_by(events.c.canonical_id)).all())
    for record in records:
        cid = canonical.get(record["id"])
        record["canonical_id"] = cid
        record["reports"] = reports.get(cid, 1) if cid else 1
    return records


def event_article(conn: Connection, event_id: str) -> str | None:
    """The id of the article an event was read from."""
    return conn.execute(select(events.c.article_id).where(events.c.id == event_id)).scalar()


# --- actors -----------------------------------------------------------------------------------

def list_actors(conn: Connection, *, q: str | None = None, kind: str | None = None,
                country: str | None = None, limit: int, offset: int) -> list[dict[str, Any]]:
    """A page of actors, most active first, with event, quote and article counts (the rows of
    ``Store.actors``), counted by grouping each table once instead of once per actor."""
    ev = (select(event_actors.c.actor_id, func.count(func.distinct(event_actors.c.event_id)).label("n"))
          .group_by(event_actors.c.actor_id).subquery())
    qu = (select(quotes.c.speaker_actor_id.label("actor_id"), func.count().label("n"))
          .group_by(quotes.c.speaker_actor_id).subquery())
    ar = (select(article_actors.c.actor_id, func.count().label("n"))
          .group_by(article_actors.c.actor_id).subquery())
    n_events, n_quotes, n_articles = (func.coalesce(t.c.n, 0) for t in (ev, qu, ar))
    cond = []
    if q:
        cond.append(or_(actors.c.name.ilike(_like(q), escape="\\"), actors.c.id.ilike(_like(q), escape="\\")))
    if kind:
        cond.append(actors.c.kind == kind.lower())
    if country:
        cond.append(actors.c.country == country.upper())
    rows = conn.execute(
        select(actors, n_events.label("event_count"), n_quotes.label("quote_count"),
               n_articles.label("article_count"))
        .outerjoin(ev, ev.c.actor_id == actors.c.id).outerjoin(qu, qu.c.actor_id == actors.c.id)
        .outerjoin(ar, ar.c.actor_id == actors.c.id).where(*cond)
        .order_by(n_events.desc(), n_quotes.desc(), n_articles.desc(), actors.c.id)
        .limit(limit).offset(offset)).mappings().all()
    return [dict(r) for r in rows]


def actor_names(conn: Connection, keys: list[str]) -> dict[str, str]:
    """key -> the actor's name (the key itself when the store has no actor by that id)."""
    found = dict(conn.execute(select(actors.c.id, actors.c.name).where(actors.c.id.in_(keys))).all())
    return {key: found.get(key, key) for key in keys}


def _like(text: str) -> str:
    """A LIKE pattern matching ``text`` anywhere, its wildcards taken literally."""
    return "%" + text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"


def get_actor(conn: Connection, key: str) -> dict[str, Any] | None:
    """An actor (or a country code seen in events): its record, events by role and type,
    partners and number of quotes; None when the store has never seen it."""
    row = conn.execute(select(actors).where(actors.c.id == key)).mappings().first()
    if row is not None:
        out = dict(row)
    else:
        count = conn.execute(select(func.count()).select_from(event_actors).where(
            event_actors.c.country == key.upper())).scalar_one()
        if not count:
            return None
        out = {"id": key.upper(), "name": key.upper(), "kind": "country", "country": key.upper(),
               "sector": None, "role": None}
    match = is_actor(event_actors, key)
    by_role = conn.execute(select(event_actors.c.role, events.c.type,
                                  func.count(func.distinct(events.c.id)))
                           .join(events, events.c.id == event_actors.c.event_id).where(match)
                           .group_by(event_actors.c.role, events.c.type)).all()
    out["events_by_role"] = {"source": {}, "target": {}}
    for role, etype, n in by_role:
        if role in out["events_by_role"]:
            out["events_by_role"][role][etype] = n
    out["partners"] = actor_partners(conn, key)
    out["quote_count"] = conn.execute(select(func.count()).select_from(quotes).where(
        or_(quotes.c.speaker_actor_id == key, quotes.c.speaker_country == key.upper()))).scalar_one()
    return out


def actor_partners(conn: Connection, key: str, limit: int = 20) -> list[dict[str, Any]]:
    """The actors on the other side of this actor's events (by country, else actor id), most first."""
    me, other = event_actors.alias("me"), event_actors.alias("other")
    other_key = func.coalesce(other.c.country, other.c.actor_id)
    n = func.count(func.distinct(me.c.event_id))
    rows = conn.execute(
        select(other_key.label("partner"), func.max(other.c.name).label("name"), n.label("n"))
        .select_from(me.join(other, and_(other.c.event_id == me.c.event_id, other.c.role != me.c.role)))
        .where(is_actor(me, key), other_key.is_not(None), other_key != key, other_key != key.upper())
        .group_by(other_key).order_by(n.desc(), other_key).limit(limit)).all()
    return [{"id": r.partner, "name": r.name or r.partner, "events": r.n} for r in rows]


def actor_series(conn: Connection, key: str, by: str = "month") -> dict[str, Any]:
    """Events per period (event date, else article date) with the actor as source and as target,
    every period from the first to the last (empty ones as zero), and ``unplaced``: how many of
    its events have no date precise enough to be placed in a period."""
    period = _period(event_date(), by)
    placed = _placed(by)
    rows = conn.execute(
        select(period.label("period"), event_actors.c.role, func.count(func.distinct(events.c.id)))
        .select_from(event_actors.join(events, events.c.id == event_actors.c.event_id))
        .where(is_actor(event_actors, key), placed)
        .group_by(period, event_actors.c.role).order_by(period)).all()
    series: dict[str, dict[str, int]] = defaultdict(lambda: {"source": 0, "target": 0})
    for p, role, n in rows:
        if role in ("source", "target"):
            series[p][role] = n
    unplaced = conn.execute(
        select(func.count(func.distinct(events.c.id)))
        .select_from(event_actors.join(events, events.c.id == event_actors.c.event_id))
        .where(is_actor(event_actors, key), ~placed)).scalar_one()
    points = [{"period": p, **series.get(p, {"source": 0, "target": 0}),
               "events": sum(series.get(p, {}).values())} for p in _all_periods(series, by)]
    return {"by": by, "points": points, "unplaced": unplaced}


# --- timeline -----------------------------------------------------------------------------

_PRECISION = {"day": 10, "month": 7, "year": 4}


def event_date():
    """The date an event is placed at: its own date, else its article's (as ``Store.events``)."""
    return events.c.sort_date


def _period(column, by: str):
    """The period label of a YYYY-MM-DD column: the day, the month (YYYY-MM) or the year."""
    return func.substr(column, 1, _PRECISION[by])


def _placed(by: str):
    """Events whose date is precise enough for a period of ``by`` ("2014" is no month)."""
    return and_(event_date().is_not(None), func.length(event_date()) >= _PRECISION[by])


def _all_periods(found, by: str) -> list[str]:
    """Every period from the first to the last found, for a time axis without holes."""
    from ..stories.dyads import periods_between
    labels = sorted(found)
    return periods_between(labels[0], labels[-1], by) if labels else []


def timeline(conn: Connection, by: str = "month") -> dict[str, Any]:
    """Events per period (event date, else article date), split into cooperation and conflict;
    every period from the first to the last (empty ones as zero), and ``unplaced``: events
    without a date precise enough for a period."""
    period = _period(event_date(), by)
    coop = func.sum(case((events.c.type.in_(COOPERATION), 1), else_=0))
    conf = func.sum(case((events.c.type.in_(CONFLICT), 1), else_=0))
    rows = conn.execute(select(period.label("period"), func.count().label("events"),
                               coop.label("cooperation"), conf.label("conflict"))
                        .where(_placed(by)).group_by(period).order_by(period)).all()
    found = {r.period: {"events": r.events, "cooperation": int(r.cooperation or 0),
                        "conflict": int(r.conflict or 0)} for r in rows}
    zero = {"events": 0, "cooperation": 0, "conflict": 0}
    unplaced = conn.execute(select(func.count()).select_from(events).where(~_placed(by))).scalar_one()
    return {"by": by, "points": [{"period": p, **found.get(p, zero)} for p in _all_periods(found, by)],
            "unplaced": unplaced}


def article_story(conn: Connection, article_id: str) -> str | None:
    return conn.execute(select(articles.c.story_id).where(articles.c.id == article_id)).scalar()


def canonical_ids(conn: Connection, event_ids: list[str]) -> dict[str, str]:
    """event id -> canonical id, for the events that have one."""
    out: dict[str, str] = {}
    for chunk in (event_ids[i:i + 500] for i in range(0, len(event_ids), 500)):
        out.update((e, c) for e, c in conn.execute(
            select(events.c.id, events.c.canonical_id)
            .where(events.c.id.in_(chunk), events.c.canonical_id.is_not(None))).all())
    return out
