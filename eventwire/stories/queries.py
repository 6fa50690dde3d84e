"""Read stories and canonical events back from the store as plain dicts (CLI, API, web pages)."""

from __future__ import annotations

from collections import defaultdict
from typing import Any

from sqlalchemy import func, select

from ..store import schema
from .linking import canonical_from_rows

A, E, S, C = schema.articles, schema.events, schema.stories, schema.canonical_events
STORY_FIELDS = ("id", "title", "first_date", "last_date", "article_count", "outlet_count")


def stories(store, since: str | None = None, until: str | None = None, outlet: str | None = None,
            min_articles: int = 1, limit: int | None = 50, offset: int = 0) -> list[dict[str, Any]]:
    """Stories, latest first: id, title, first/last date, article and outlet counts, outlets.

    ``since``/``until`` (YYYY-MM-DD) keep stories whose dates overlap that range;
    ``min_articles`` hides stories told by fewer articles (reprints not counted).
    """
    query = select(*(S.c[f] for f in STORY_FIELDS)).where(S.c.article_count >= min_articles)
    if since:
        query = query.where(S.c.last_date >= since)
    if until:
        query = query.where(S.c.first_date <= until)
    if outlet:
        query = query.where(S.c.id.in_(select(A.c.story_id).where(A.c.outlet == outlet)))
    query = query.order_by(S.c.last_date.desc().nulls_last(), S.c.article_count.desc(), S.c.id)
    if limit is not None:
        query = query.limit(limit).offset(offset)
    with store.engine.connect() as conn:
        rows = [dict(r) for r in conn.execute(query).mappings()]
        outlets: dict[str, set[str]] = defaultdict(set)
        ids = [r["id"] for r in rows]
        if ids:
            for story_id, name in conn.execute(select(A.c.story_id, A.c.outlet).where(
                    A.c.story_id.in_(ids), A.c.outlet.isnot(None)).distinct()):
                outlets[story_id].add(name)
    for row in rows:
        row["outlets"] = sorted(outlets[row["id"]])
    return rows


def count_stories(store, min_articles: int = 1) -> int:
    with store.engine.connect() as conn:
        return int(conn.execute(select(func.count()).select_from(S)
                                .where(S.c.article_count >= min_articles)).scalar() or 0)


def story(store, story_id: str) -> dict[str, Any] | None:
    """One story: its fields, its articles grouped by outlet, and its canonical events."""
    with store.engine.connect() as conn:
        head = conn.execute(select(*(S.c[f] for f in STORY_FIELDS)).where(S.c.id == story_id)
                            ).mappings().first()
        if head is None:
            return None
        out = dict(head)
        articles = conn.execute(
            select(A.c.id, A.c.title, A.c.outlet, A.c.published, A.c.url, A.c.reprint_of)
            .where(A.c.story_id == story_id)
            .order_by(A.c.published.asc().nulls_last(), A.c.ingested_at, A.c.id)).mappings().all()
        out["articles"] = [dict(a) for a in articles]
        by_outlet: dict[str, list[dict[str, Any]]] = defaultdict(list)
        for a in out["articles"]:
            by_outlet[a["outlet"] or "(unknown outlet)"].append(a)
        out["by_outlet"] = dict(by_outlet)
        canonical_ids = [c for (c,) in conn.execute(
            select(E.c.canonical_id).join(A, A.c.id == E.c.article_id)
            .where(A.c.story_id == story_id, E.c.canonical_id.isnot(None)).distinct())]
        events = [canonical_event_dict(canonical_from_rows(conn, c)) for c in canonical_ids]
    out["canonical_events"] = sorted(events, key=lambda e: (e["date"] or "", -e["article_count"], e["id"]))
    return out


def canonical_event(store, canonical_id: str) -> dict[str, Any] | None:
    """One canonical event with every mention (article, outlet, date, evidence sentence)."""
    with store.engine.connect() as conn:
        if conn.execute(select(C.c.id).where(C.c.id == canonical_id)).first() is None:
            return None
        return canonical_event_dict(canonical_from_rows(conn, canonical_id))


def canonical_event_dict(canonical) -> dict[str, Any]:
    return {
        "id": canonical.id, "type": canonical.type, "date": canonical.date,
        "source_key": canonical.source_key, "target_key": canonical.target_key,
        "article_count": canonical.article_count, "outlet_count": canonical.outlet_count,
        "first_reported": canonical.first_reported, "last_reported": canonical.last_reported,
        "score": canonical.score,
        "mentions": [{"event_id": m.event_id, "article_id": m.article_id, "outlet": m.outlet,
                      "published": m.reported, "reprint_of": m.reprint_of, "sentence": m.sentence,
                      "historical": m.historical} for m in canonical.mentions],
    }
