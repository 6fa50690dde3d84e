"""The crawler's state in the store: sources, the fetch queue of pages, article versions.

Everything ``eventwire watch`` needs to carry on after a crash is here, written before the
next step depends on it: a discovered link is queued (``pending``) before it is fetched, a
fetched body is kept (``fetched``) until its article is stored, and a page is ``done`` only
after that. A restart fetches what is ``pending`` and processes what is ``fetched``.

Page states: pending -> fetched -> done; or failed (permanent error, or too many tries),
or skipped (robots.txt disallows it).
"""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Iterable
from typing import Any

from sqlalchemy import case, delete, func, insert, or_, select, update

from ..errors import SourceError
from ..store import schema
from . import urls
from .links import Link

S, P, V = schema.sources, schema.source_pages, schema.article_versions
KINDS = ("auto", "feed", "sitemap", "page")
PAGE_STATES = ("pending", "fetched", "done", "failed", "skipped")


def now(offset: float = 0.0) -> str:
    """A UTC time stamp, ``offset`` seconds from now, in the stored form (sortable as text)."""
    moment = dt.datetime.now(dt.timezone.utc) + dt.timedelta(seconds=offset)
    return moment.isoformat(timespec="milliseconds")


def body_hash(body: bytes) -> str:
    return hashlib.sha256(body).hexdigest()


# --- sources -------------------------------------------------------------------

def add_source(store, url: str, name: str | None = None, outlet: str | None = None,
               kind: str = "auto") -> dict[str, Any]:
    """Add a feed, sitemap or page to follow; raises SourceError (UnsafeURL) when it cannot be."""
    url = urls.checked(url)
    if kind not in KINDS:
        raise SourceError(f"unknown kind {kind!r} (one of {', '.join(KINDS)})")
    with store.engine.begin() as conn:
        existing = conn.execute(select(S.c.id).where(S.c.url == url)).scalar()
        if existing is not None:
            raise SourceError(f"already a source (id {existing})", origin=urls.redact(url))
        source_id = conn.execute(insert(S).values(
            url=url, name=name, outlet=outlet, kind=kind, added_at=now(), next_fetch_at=now(),
            errors=0, last_links=0, new_articles=0, articles=0)).inserted_primary_key[0]
    return get_source(store, source_id)


def get_source(store, key: int | str) -> dict[str, Any] | None:
    """A source by id, URL or name (case-insensitive)."""
    text = str(key).strip()
    conditions = [func.lower(S.c.name) == text.lower()]
    if text.isdigit():
        conditions.append(S.c.id == int(text))
    normal = urls.normalise(text)
    if normal:
        conditions.append(S.c.url == normal)
    with store.engine.connect() as conn:
        rows = conn.execute(select(S).where(or_(*conditions)).order_by(S.c.id)).mappings().all()
    return dict(rows[0]) if rows else None


def list_sources(store) -> list[dict[str, Any]]:
    with store.engine.connect() as conn:
        return [dict(r) for r in conn.execute(select(S).order_by(S.c.id)).mappings()]


def remove_source(store, key: int | str) -> dict[str, Any]:
    """Stop following a source. Its stored articles stay; links still waiting are dropped."""
    source = get_source(store, key)
    if source is None:
        raise SourceError(f"no source {key!r} (give its id, URL or name)")
    with store.engine.begin() as conn:
        conn.execute(delete(P).where(P.c.source_id == source["id"],
                                     P.c.state.in_(("pending", "fetched")), P.c.article_id.is_(None)))
        conn.execute(delete(S).where(S.c.id == source["id"]))
    return source


def due_sources(store, everything: bool = False) -> list[dict[str, Any]]:
    """Sources whose next fetch time has come (all of them with ``everything``)."""
    query = select(S).order_by(S.c.next_fetch_at, S.c.id)
    if not everything:
        query = query.where(or_(S.c.next_fetch_at.is_(None), S.c.next_fetch_at <= now()))
    with store.engine.connect() as conn:
        return [dict(r) for r in conn.execute(query).mappings()]


def next_due(store) -> str | None:
    """When the next source is due (None: no sources)."""
    with store.engine.connect() as conn:
        return conn.execute(select(func.min(S.c.next_fetch_at))).scalar()


def source_fetched(store, source_id: int, *, status: int | None, error: str | None,
                   interval: float, links: int = 0, kind: str | None = None,
                   etag: str | None = None, last_modified: str | None = None,
                   hash_: str | None = None, keep_validators: bool = False) -> None:
    """Record one fetch of a source and schedule the next; failures in a row back off
    (the interval doubles, up to eight times)."""
    with store.engine.begin() as conn:
        errors = conn.execute(select(S.c.errors).where(S.c.id == source_id)).scalar()
        if errors is None:
            return  # removed meanwhile
        errors = errors + 1 if error else 0
        wait = interval * min(2 ** max(errors - 1, 0), 8)
        values: dict[str, Any] = dict(last_fetch_at=now(), last_status=status, last_error=error,
                                      errors=errors, next_fetch_at=now(wait), last_links=links,
                                      new_articles=0)
        if kind:
            values["kind"] = kind
        if not keep_validators and not error:
            values.update(etag=etag, last_modified=last_modified, body_hash=hash_)
        conn.execute(update(S).where(S.c.id == source_id).values(**values))


def update_source_note(store, source_id: int, note: str) -> None:
    """A problem worth showing that did not stop the fetch (e.g. XML read leniently)."""
    with store.engine.begin() as conn:
        conn.execute(update(S).where(S.c.id == source_id).values(last_error=note[:500]))


# --- the page queue --------------------------------------------------------------

def enqueue_links(store, source: dict[str, Any], links: Iterable[Link], limit: int) -> int:
    """Queue links not seen before, and links seen before whose stamp changed (an updated
    article); return how many were queued. At most ``limit`` per call, in the order given."""
    links = list(links)
    queued = 0
    stamp_now = now()
    with store.engine.begin() as conn:
        for start in range(0, len(links), 500):
            chunk = links[start:start + 500]
            known = {r.url: r for r in conn.execute(
                select(P.c.id, P.c.url, P.c.stamp, P.c.state, P.c.kind)
                .where(P.c.url.in_([l.url for l in chunk])))}
            fresh = []
            for link in chunk:
                if queued >= limit:
                    break
                row = known.get(link.url)
                if row is None:
                    fresh.append(dict(url=link.url, source_id=source["id"], kind="article",
                                      state="pending", title=link.title, published=link.published,
                                      stamp=link.stamp, outlet=link.outlet,
                                      discovered_at=stamp_now, due_at=stamp_now, attempts=0))
                    known[link.url] = None  # a URL twice in one list is queued once
                    queued += 1
                elif (row is not None and row.kind == "article" and link.stamp
                      and link.stamp != row.stamp and row.state in ("done", "failed")):
                    conn.execute(update(P).where(P.c.id == row.id).values(
                        state="pending", stamp=link.stamp, title=link.title or P.c.title,
                        due_at=stamp_now, attempts=0, error=None))
                    queued += 1
            if fresh:
                conn.execute(insert(P), fresh)
            if queued >= limit:
                break
    return queued


def page_row(store, url: str) -> dict[str, Any] | None:
    with store.engine.connect() as conn:
        row = conn.execute(select(P).where(P.c.url == url)).mappings().first()
    return dict(row) if row else None


def ensure_page(store, source: dict[str, Any], url: str, kind: str = "article") -> dict[str, Any]:
    """The queue row of ``url`` (a page source's own URL, a child sitemap), made if missing."""
    row = page_row(store, url)
    if row is None:
        with store.engine.begin() as conn:
            conn.execute(insert(P).values(url=url, source_id=source["id"], kind=kind, state="done",
                                          discovered_at=now(), attempts=0))
        row = page_row(store, url)
    return row


def pending_pages(store, exclude: set[int], limit: int = 5000) -> list[dict[str, Any]]:
    """Pages due for fetching, oldest first (without bodies)."""
    columns = [c for c in P.c if c.name != "body"]
    query = (select(*columns, S.c.outlet.label("source_outlet"))
             .select_from(P.outerjoin(S, S.c.id == P.c.source_id))
             .where(P.c.state == "pending", P.c.kind == "article",
                    or_(P.c.due_at.is_(None), P.c.due_at <= now()))
             .order_by(P.c.due_at, P.c.id).limit(limit + len(exclude)))
    with store.engine.connect() as conn:
        rows = [dict(r) for r in conn.execute(query).mappings() if r["id"] not in exclude]
    return rows[:limit]


def update_page(store, page_id: int, **values: Any) -> None:
    with store.engine.begin() as conn:
        conn.execute(update(P).where(P.c.id == page_id).values(**values))


def page_fetched(store, page_id: int, *, body: bytes, final_url: str, status: int | None,
                 content_type: str | None, etag: str | None, last_modified: str | None) -> None:
    """Keep a fetched body until its article is stored (what a crash must not lose)."""
    update_page(store, page_id, state="fetched", body=body, body_hash=body_hash(body),
                final_url=final_url, status=status, content_type=content_type, etag=etag,
                last_modified=last_modified, fetched_at=now(), error=None)


def fetched_page_ids(store) -> list[int]:
    with store.engine.connect() as conn:
        return list(conn.execute(select(P.c.id).where(P.c.state == "fetched").order_by(P.c.id))
                    .scalars())


def load_fetched(store, ids: list[int]) -> list[dict[str, Any]]:
    """Fetched pages with their bodies and their source's outlet, in the order of ``ids``."""
    query = (select(P, S.c.outlet.label("source_outlet"))
             .select_from(P.outerjoin(S, S.c.id == P.c.source_id))
             .where(P.c.id.in_(ids), P.c.state == "fetched"))
    with store.engine.connect() as conn:
        rows = {r["id"]: dict(r) for r in conn.execute(query).mappings()}
    return [rows[i] for i in ids if i in rows]


def page_stored(store, page: dict[str, Any], article_id: str, new: bool) -> int | None:
    """A page's article is in the store: mark it done, count it for its source, and when
    the article differs from the page's previous one record it as the page's next version.
    Returns the version number recorded, or None when the article is the same as before."""
    stamp = now()
    with store.engine.begin() as conn:
        conn.execute(update(P).where(P.c.id == page["id"]).values(
            state="done", body=None, article_id=article_id, error=None))
        if new and page["source_id"] is not None:
            conn.execute(update(S).where(S.c.id == page["source_id"]).values(
                new_articles=S.c.new_articles + 1, articles=S.c.articles + 1))
        previous = page.get("article_id")
        if previous == article_id:
            return None
        latest = conn.execute(select(func.max(V.c.version)).where(V.c.page_id == page["id"])).scalar()
        if latest is not None and conn.execute(select(V.c.article_id).where(
                V.c.page_id == page["id"], V.c.version == latest)).scalar() == article_id:
            return None  # already recorded before a crash
        version = (latest or 0) + 1
        conn.execute(insert(V).values(page_id=page["id"], version=version, article_id=article_id,
                                      previous_id=previous, stored_at=stamp))
    return version


# --- reading -------------------------------------------------------------------------

def status(store) -> list[dict[str, Any]]:
    """Each source with its queue: pages pending, fetched, done, failed and skipped."""
    counts = {state: func.sum(case((P.c.state == state, 1), else_=0)).label(state)
              for state in PAGE_STATES}
    per_source = (select(P.c.source_id, *counts.values()).where(P.c.kind == "article")
                  .group_by(P.c.source_id).subquery())
    query = (select(S, *(func.coalesce(per_source.c[state], 0).label(state) for state in PAGE_STATES))
             .select_from(S.outerjoin(per_source, per_source.c.source_id == S.c.id))
             .order_by(S.c.id))
    with store.engine.connect() as conn:
        rows = [dict(r) for r in conn.execute(query).mappings()]
    for row in rows:
        row["url"] = urls.redact(row["url"])
        for name in ("etag", "last_modified", "body_hash"):
            row.pop(name, None)
    return rows


def recent_pages(store, source_id: int | None = None, limit: int = 50) -> list[dict[str, Any]]:
    """The latest pages fetched or failed, newest first, with their article's title."""
    A = schema.articles
    query = (select(P.c.id, P.c.url, P.c.source_id, P.c.state, P.c.status, P.c.error,
                    P.c.fetched_at, P.c.article_id, P.c.title.label("feed_title"),
                    A.c.title, A.c.outlet,
                    select(func.max(V.c.version)).where(V.c.page_id == P.c.id)
                    .scalar_subquery().label("versions"))
             .select_from(P.outerjoin(A, A.c.id == P.c.article_id))
             .where(P.c.kind == "article", P.c.state.in_(("done", "failed", "skipped")))
             .order_by(P.c.fetched_at.desc().nulls_last(), P.c.id.desc()).limit(limit))
    if source_id is not None:
        query = query.where(P.c.source_id == source_id)
    with store.engine.connect() as conn:
        rows = [dict(r) for r in conn.execute(query).mappings()]
    for row in rows:
        row["url"] = urls.redact(row["url"])
    return rows


def versions(store, article_id: str) -> list[dict[str, Any]]:
    """Every version of the page(s) an article was read from, oldest first:
    ``{"url", "version", "article_id", "previous_id", "stored_at"}``."""
    with store.engine.connect() as conn:
        pages = select(V.c.page_id).where(V.c.article_id == article_id)
        rows = conn.execute(
            select(P.c.url, V.c.version, V.c.article_id, V.c.previous_id, V.c.stored_at)
            .join(P, P.c.id == V.c.page_id).where(V.c.page_id.in_(pages))
            .order_by(P.c.url, V.c.version)).mappings().all()
    return [dict(r, url=urls.redact(r["url"])) for r in rows]


def queue_counts(store) -> dict[str, int]:
    with store.engine.connect() as conn:
        rows = conn.execute(select(P.c.state, func.count()).where(P.c.kind == "article")
                            .group_by(P.c.state)).all()
    counts = {state: 0 for state in PAGE_STATES}
    counts.update({state: int(n) for state, n in rows})
    return counts


def retry_later(store, page: dict[str, Any], error: str, status: int | None, wait: float,
                max_attempts: int) -> bool:
    """A transient failure: try again in a later pass, or give up after ``max_attempts``.
    Returns True when the page is now failed for good."""
    attempts = (page.get("attempts") or 0) + 1
    failed = attempts >= max_attempts
    update_page(store, page["id"], attempts=attempts, error=error, status=status, fetched_at=now(),
                state="failed" if failed else "pending", due_at=now(wait))
    return failed

