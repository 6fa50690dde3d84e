"""Read queries the store does not offer yet, for the web: canonical reports, actor profiles,
dyad series, the timeline and stories.

Built with SQLAlchemy Core, so every value reaches the database as a bound parameter. An
actor key is an actor id (``IGO:NATO``) or a country code (``TUR``, matching every actor of
that country), as in ``Store.events(actor=...)``.
"""

from __future__ import annotations

from collections import defaultdict
from typing import Any

from sqlalchemy import and_, case, func, or_, select
from sqlalchemy.engine import Connection

from ..store.schema import actors, articles, canonical_events, event_actors, events, quotes, stories

# PLOVER's four quad classes, the usual way to sum events into cooperation and conflict.
QUAD_CLASS: dict[str, str] = {
    **dict.fromkeys(("AGREE", "CONSULT", "SUPPORT", "CONCEDE", "REQUEST"), "verbal cooperation"),
    **dict.fromkeys(("COOPERATE", "AID", "RETREAT"), "material cooperation"),
    **dict.fromkeys(("ACCUSE", "REJECT", "THREATEN", "PROTEST"), "verbal conflict"),
    **dict.fromkeys(("SANCTION", "MOBILIZE", "COERCE", "ASSAULT"), "material conflict"),
}
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


def canonical_event(conn: Connection, canonical_id: str) -> dict[str, Any] | None:
    """A merged event: its canonical row (when stored) and the (event id, article id) of each report."""
    reports = conn.execute(select(events.c.id, events.c.article_id)
                           .where(events.c.canonical_id == canonical_id)
                           .order_by(events.c.date, events.c.id)).all()
    row = conn.execute(select(canonical_events)
                       .where(canonical_events.c.id == canonical_id)).mappings().first()
    if row is None and not reports:
        return None
    out = dict(row) if row else {"id": canonical_id}
    out["reports"] = [{"event_id": e, "article_id": a} for e, a in reports]
    return out


# --- actors -----------------------------------------------------------------------------------

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


def actor_series(conn: Connection, key: str, by: str = "month") -> list[dict[str, Any]]:
    """Events per period (event date, else article date) with the actor as source and as target."""
    period = _period(event_date(), by)
    rows = conn.execute(
        select(period.label("period"), event_actors.c.role, func.count(func.distinct(events.c.id)))
        .select_from(event_actors.join(events, events.c.id == event_actors.c.event_id)
                     .join(articles, articles.c.id == events.c.article_id))
        .where(is_actor(event_actors, key), event_date().is_not(None))
        .group_by(period, event_actors.c.role).order_by(period)).all()
    series: dict[str, dict[str, int]] = defaultdict(lambda: {"source": 0, "target": 0})
    for p, role, n in rows:
        if role in ("source", "target"):
            series[p][role] = n
    return [{"period": p, **v} for p, v in sorted(series.items())]


# --- dyads and timeline -----------------------------------------------------------------------

def event_date():
    """The date an event is placed at: its own date, else its article's (as ``Store.events``)."""
    return func.coalesce(events.c.date, articles.c.published)


def _period(column, by: str):
    """The period label of a YYYY-MM-DD column: the day, the month (YYYY-MM) or the year."""
    return func.substr(column, 1, {"day": 10, "month": 7, "year": 4}[by])


def dyad_series(conn: Connection, a: str, b: str, by: str = "month",
                directed: bool = False) -> dict[str, Any]:
    """Cooperation and conflict between two actors per period, with the events behind each point.

    Undirected by default (events either way count); ``directed`` keeps only ``a`` -> ``b``.
    Events are placed at their date, else their article's; events with neither are left out.
    """
    src, tgt = event_actors.alias("src"), event_actors.alias("tgt")

    def pair(x: str, y: str):
        return and_(is_actor(src, x), is_actor(tgt, y))

    direction = pair(a, b) if directed else or_(pair(a, b), pair(b, a))
    matched = (select(src.c.event_id)
               .join(tgt, and_(tgt.c.event_id == src.c.event_id, tgt.c.role == "target"))
               .where(src.c.role == "source", direction))
    period = _period(event_date(), by)
    rows = conn.execute(select(period.label("period"), events.c.id, events.c.type)
                        .join(articles, articles.c.id == events.c.article_id)
                        .where(events.c.id.in_(matched), event_date().is_not(None))
                        .order_by(period, events.c.id)).all()
    points: dict[str, dict[str, Any]] = {}
    for p, event_id, etype in rows:
        point = points.setdefault(p, {"period": p, "cooperation": 0, "conflict": 0,
                                      "by_type": {}, "events": []})
        quad = QUAD_CLASS.get(etype, "")
        if quad.endswith("cooperation"):
            point["cooperation"] += 1
        elif quad.endswith("conflict"):
            point["conflict"] += 1
        point["by_type"][etype] = point["by_type"].get(etype, 0) + 1
        point["events"].append(event_id)
    series = list(points.values())
    for point in series:
        point["net"] = point["cooperation"] - point["conflict"]
    return {"a": a, "b": b, "by": by, "directed": directed,
            "total": sum(len(p["events"]) for p in series), "series": series}


def timeline(conn: Connection, by: str = "month") -> list[dict[str, Any]]:
    """Events per period (event date, else article date), split into cooperation and conflict."""
    period = _period(event_date(), by)
    coop = func.sum(case((events.c.type.in_(COOPERATION), 1), else_=0))
    conf = func.sum(case((events.c.type.in_(CONFLICT), 1), else_=0))
    rows = conn.execute(select(period.label("period"), func.count().label("events"),
                               coop.label("cooperation"), conf.label("conflict"))
                        .join(articles, articles.c.id == events.c.article_id)
                        .where(event_date().is_not(None)).group_by(period).order_by(period)).all()
    return [{"period": r.period, "events": r.events, "cooperation": int(r.cooperation or 0),
             "conflict": int(r.conflict or 0)} for r in rows]


# --- stories ----------------------------------------------------------------------------------

STORY_FIELDS = (stories.c.id, stories.c.title, stories.c.first_date, stories.c.last_date,
                stories.c.article_count, stories.c.outlet_count)


def _like(text: str) -> str:
    return "%" + text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"


def list_stories(conn: Connection, *, q: str | None = None, min_outlets: int = 0,
                 limit: int, offset: int) -> tuple[int, list[dict[str, Any]]]:
    """One page of stories, those told by the most outlets first, and the total."""
    cond = []
    if q:
        cond.append(stories.c.title.ilike(_like(q), escape="\\"))
    if min_outlets:
        cond.append(stories.c.outlet_count >= min_outlets)
    total = conn.execute(select(func.count()).select_from(stories).where(*cond)).scalar_one()
    rows = conn.execute(select(*STORY_FIELDS).where(*cond)
                        .order_by(stories.c.outlet_count.desc(), stories.c.article_count.desc(),
                                  stories.c.last_date.desc(), stories.c.id)
                        .limit(limit).offset(offset)).mappings().all()
    return total, [dict(r) for r in rows]


def get_story(conn: Connection, story_id: str) -> dict[str, Any] | None:
    """A story's record and the ids of its articles (reprints marked), by outlet then date."""
    row = conn.execute(select(*STORY_FIELDS).where(stories.c.id == story_id)).mappings().first()
    if row is None:
        return None
    story = dict(row)
    story["articles"] = [dict(r) for r in conn.execute(
        select(articles.c.id, articles.c.outlet, articles.c.title, articles.c.published,
               articles.c.url, articles.c.reprint, articles.c.reprint_of)
        .where(articles.c.story_id == story_id)
        .order_by(articles.c.outlet, articles.c.published, articles.c.id)).mappings()]
    return story


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
