"""The stories stage over the store: link each saved article to its original, its story and its
canonical events, incrementally, and rebuild all of it from scratch when asked.

Per process, the LSH index of reprint signatures and the term document frequencies are loaded
once from ``article_signatures`` and ``story_terms`` and then kept up to date in memory; stories
and canonical events are read from their tables for the time window of each article.
"""

from __future__ import annotations

import time
import weakref
from collections import Counter, deque
from dataclasses import dataclass, field
from typing import Any

import numpy as np
from sqlalchemy import delete, func, insert, select, update

from ..records import Article
from ..store import happenings, schema
from . import clusters, merge, reprints
from .representations import HashedTfidf

A, E, EA, AA, AC = schema.articles, schema.events, schema.event_actors, schema.article_actors, schema.actors
S, C, SIG, T = schema.stories, schema.canonical_events, schema.article_signatures, schema.story_terms
P = schema.event_pairs
DOCUMENTS = -1  # story_terms row holding the number of documents seen


@dataclass
class Link:
    """What linking decided for one article."""

    article_id: str
    reprint_of: str | None
    story_id: str | None
    new_story: bool = False
    canonical: dict[str, str] = field(default_factory=dict)  # event id -> canonical event id


class LinkState:
    """The in-memory part of linking for one database: reprint index and term frequencies."""

    def __init__(self, engine):
        self.seconds: Counter = Counter()  # time spent per linking step, for bench/stories_scaling.py
        self.index = reprints.ReprintIndex()
        self.tfidf = HashedTfidf()
        self.clusterer = clusters.StoryClusterer(self.tfidf)
        self.recent_undated: deque[str] = deque(maxlen=clusters.RECENT_UNDATED_STORIES)
        with engine.connect() as conn:
            # undated stories hold only undated articles: those most recently ingested
            recent = conn.execute(
                select(A.c.story_id).where(A.c.published.is_(None), A.c.story_id.isnot(None))
                .order_by(A.c.ingested_at.desc()).limit(clusters.RECENT_UNDATED_STORIES)).all()
            self.recent_undated.extend(reversed([story_id for (story_id,) in recent]))
            rows = conn.execute(
                select(SIG.c.article_id, SIG.c.minhash, A.c.published, A.c.reprint_of)
                .join(A, A.c.id == SIG.c.article_id)
                .order_by(A.c.published.asc().nulls_last(), A.c.ingested_at, A.c.id))
            for article_id, blob, published, reprint_of in rows:
                self.index.add(article_id, reprints.from_bytes(blob), published, reprint_of)
            rows = conn.execute(select(T.c.term, T.c.df)).all()
            counts = {term: df for term, df in rows if 0 <= term < self.tfidf.n_features}
            self.tfidf.load_counts(np.fromiter(counts.keys(), dtype=np.int64, count=len(counts)),
                                   np.fromiter(counts.values(), dtype=np.int64, count=len(counts)),
                                   next((df for term, df in rows if term == DOCUMENTS), 0))


_STATES: "weakref.WeakKeyDictionary[Any, LinkState]" = weakref.WeakKeyDictionary()


def state_of(store) -> LinkState:
    """The linking state of a store in this process (loaded on first use)."""
    return _state(store)


def _state(store) -> LinkState:
    if store.engine not in _STATES:
        _STATES[store.engine] = LinkState(store.engine)
    return _STATES[store.engine]


def _count_terms(conn, terms: list[int]) -> None:
    """Add one to the document frequency of each term (insert or update, SQLite and PostgreSQL).

    Runs through the driver's executemany: several hundred rows per article, so building
    them as SQLAlchemy parameters would cost more than the clustering itself.
    """
    mark = "?" if conn.dialect.paramstyle == "qmark" else "%s"
    conn.exec_driver_sql(
        f"INSERT INTO story_terms (term, df) VALUES ({mark}, 1) "
        "ON CONFLICT (term) DO UPDATE SET df = story_terms.df + 1", [(t,) for t in terms])


def link_article(store, article: Article) -> Link:
    """Link a saved article: reprint of which original, which story, which canonical events.

    Called once per article right after ``Store.save``; calling it again is a no-op.
    """
    state = _state(store)
    with store.write_transaction() as conn:
        linked = conn.execute(select(A.c.story_id, A.c.reprint_of).where(A.c.id == article.id)).first()
        if linked is None:
            raise ValueError(f"article {article.id} is not in the store: save it before linking")
        if linked.story_id is not None:
            done = conn.execute(select(E.c.id, E.c.canonical_id).where(
                E.c.article_id == article.id, E.c.canonical_id.isnot(None))).all()
            return Link(article.id, linked.reprint_of, linked.story_id, False, dict(done))
        started = time.perf_counter()
        last = conn.execute(select(func.max(A.c.link_order))).scalar() or 0
        conn.execute(update(A).where(A.c.id == article.id).values(link_order=last + 1))
        reprint_of = _link_reprint(conn, state, article)
        reprinted = time.perf_counter()
        story_id, new = _link_story(store, conn, state, article, reprint_of)
        clustered = time.perf_counter()
        canonical = _link_events(conn, article, reprint_of, story_id)
        merged = time.perf_counter()
    state.seconds.update({"reprints": reprinted - started, "stories": clustered - reprinted,
                          "events": merged - clustered})
    return Link(article.id, reprint_of, story_id, new, canonical)


def link_stored(store, article_id: str) -> Link | None:
    """Link an article already in the store if it is not linked yet (a run stopped between
    saving and linking it); None when it is linked already."""
    with store.engine.connect() as conn:
        linked = conn.execute(select(A.c.story_id).where(A.c.id == article_id)).scalar()
    if linked is not None:
        return None
    article = store.get_article(article_id)
    return link_article(store, article) if article is not None else None


def _link_reprint(conn, state: LinkState, article: Article) -> str | None:
    minhash = reprints.signature(article.text)
    changes = state.index.link(article.id, minhash, article.published)
    if minhash is not None:
        conn.execute(insert(SIG), {"article_id": article.id, "minhash": reprints.to_bytes(minhash)})
    for article_id, original in changes.items():
        values: dict[str, Any] = {"reprint_of": original}
        if original is not None:
            values["reprint"] = True
        conn.execute(update(A).where(A.c.id == article_id).values(**values))
    return changes.get(article.id)


def _link_story(store, conn, state: LinkState, article: Article,
                reprint_of: str | None) -> tuple[str, bool]:
    tfidf = state.tfidf
    vector = tfidf.encode([article])[0]
    tfidf.observe(vector)
    _count_terms(conn, [int(t) for t in vector.indices] + [DOCUMENTS])
    story_id = None
    if reprint_of is not None:
        story_id = conn.execute(select(A.c.story_id).where(A.c.id == reprint_of)).scalar()
    new = False
    if story_id is None:
        candidates = _candidate_stories(conn, state, article)
        best, score = state.clusterer.best(article, vector, candidates)
        if best is None or score < state.clusterer.threshold_for(article):
            story = clusters.Story(id=clusters.story_id_for(article.id), centroid=None,
                                   title=article.title)
            new = True
        else:
            story = best
        state.clusterer.join(story, article, vector)
        row = {"title": story.title, "centroid": tfidf.dumps(story.centroid)}
        if new:
            conn.execute(insert(S).values(id=story.id, article_count=0, outlet_count=0, **row))
            if not article.published:
                state.recent_undated.append(story.id)
        else:
            conn.execute(update(S).where(S.c.id == story.id).values(**row))
        story_id = story.id
    conn.execute(update(A).where(A.c.id == article.id).values(story_id=story_id))
    _refresh_story(conn, story_id)
    return story_id, new


def _candidate_stories(conn, state: LinkState, article: Article) -> list[clusters.Story]:
    """Stories open to the article: within the clustering window of its date."""
    date = clusters.parse_date(article.published)
    columns = (S.c.id, S.c.title, S.c.first_date, S.c.last_date, S.c.article_count, S.c.centroid)
    if date is None:
        dated = (select(*columns).where(S.c.first_date.isnot(None))
                 .order_by(S.c.last_date.desc()).limit(clusters.CANDIDATES_WITHOUT_DATE))
    else:
        window = state.clusterer.window
        dated = select(*columns).where(S.c.first_date <= (date + window).isoformat(),
                                       S.c.last_date >= (date - window).isoformat())
    undated = select(*columns).where(S.c.first_date.is_(None), S.c.id.in_(list(state.recent_undated)))
    stories = {}
    for row in [*conn.execute(dated), *conn.execute(undated)]:
        if row.centroid is None:
            continue
        stories[row.id] = clusters.Story(id=row.id, centroid=state.tfidf.loads(row.centroid),
                                         first_date=row.first_date, last_date=row.last_date,
                                         size=row.article_count or 0, title=row.title)
    if not stories:
        return []
    ids = list(stories)
    for story_id, actor_id in conn.execute(
            select(A.c.story_id, AA.c.actor_id).join(AA, AA.c.article_id == A.c.id)
            .join(AC, AC.c.id == AA.c.actor_id)
            .where(A.c.story_id.in_(ids), AC.c.kind != "country")):
        stories[story_id].actors[actor_id] += 1
    for story_id, date_ in conn.execute(
            select(A.c.story_id, E.c.date).join(E, E.c.article_id == A.c.id)
            .where(A.c.story_id.in_(ids), E.c.date.isnot(None), ~E.c.negated, ~E.c.future,
                   ~E.c.hypothetical, ~E.c.historical)):
        stories[story_id].event_dates.add(date_)
    return list(stories.values())


def _refresh_story(conn, story_id: str) -> None:
    """Recompute a story's dates and counts from its articles (reprints not counted)."""
    rows = conn.execute(select(A.c.id, A.c.outlet, A.c.published, A.c.reprint_of)
                        .where(A.c.story_id == story_id)).all()
    members = {r.id for r in rows}
    counted = [r for r in rows if not (r.reprint_of and r.reprint_of in members)]
    dates = [r.published for r in rows if r.published]
    conn.execute(update(S).where(S.c.id == story_id).values(
        article_count=len(counted), outlet_count=len({r.outlet or f"article:{r.id}" for r in counted}),
        first_date=min(dates, default=None), last_date=max(dates, default=None)))


def refresh_articles(conn, article_ids: list[str]) -> None:
    """Recount the stories and canonical events of these articles (after their outlet changed)."""
    if not article_ids:
        return
    story_ids = {s for (s,) in conn.execute(select(A.c.story_id).where(
        A.c.id.in_(article_ids), A.c.story_id.isnot(None)))}
    for story_id in story_ids:
        _refresh_story(conn, story_id)
    canonical = {c for (c,) in conn.execute(select(E.c.canonical_id).where(
        E.c.article_id.in_(article_ids), E.c.canonical_id.isnot(None)))}
    for canonical_id in canonical:
        _refresh_canonical(conn, canonical_id)
    happenings.refresh(conn, canonical)  # their report counts may have changed


def _link_events(conn, article: Article, reprint_of: str | None, story_id: str | None) -> dict[str, str]:
    out: dict[str, str] = {}
    for event in article.events:
        if not merge.mergeable(event):
            continue
        event_type, source_key, target_key = merge.event_key(event)
        historical = event.modality.historical
        event_date = event.date if (event.date or historical) else article.published
        candidates = conn.execute(select(C.c.id, C.c.date).where(
            C.c.type == event_type, C.c.source_key == source_key, C.c.target_key == target_key)).all()
        chosen = merge.choose(candidates, event_date, article.published, historical)
        if chosen is None:
            canonical_id = merge.canonical_id_for(event.id)
            conn.execute(insert(C).values(id=canonical_id, type=event_type, date=event_date,
                                          source_key=source_key, target_key=target_key,
                                          story_id=story_id, article_count=0, outlet_count=0))
        else:
            canonical_id = chosen.id
        conn.execute(update(E).where(E.c.id == event.id).values(canonical_id=canonical_id))
        conn.execute(update(P).where(P.c.event_id == event.id).values(canonical_id=canonical_id))
        out[event.id] = canonical_id
    for canonical_id in set(out.values()):
        _refresh_canonical(conn, canonical_id)
    # the events' own happenings give way to their canonical events' in dyad series
    happenings.refresh(conn, set(out) | set(out.values()))
    return out


def canonical_from_rows(conn, canonical_id: str) -> merge.CanonicalEvent:
    """A canonical event with its mentions, read from the store."""
    head = conn.execute(select(C).where(C.c.id == canonical_id)).mappings().first()
    canonical = merge.CanonicalEvent(head["id"], head["type"], head["date"], head["source_key"] or "",
                                     head["target_key"] or "", head["story_id"])
    rows = conn.execute(
        select(E.c.id, E.c.article_id, E.c.sentence, E.c.score, E.c.historical, A.c.outlet,
               A.c.published, A.c.reprint_of)
        .join(A, A.c.id == E.c.article_id).where(E.c.canonical_id == canonical_id)
        .order_by(A.c.published.asc().nulls_last(), E.c.article_id, E.c.start)).all()
    canonical.mentions = [merge.Mention(r.id, r.article_id, r.outlet, r.published, r.reprint_of,
                                        r.sentence, r.score, bool(r.historical)) for r in rows]
    return canonical


def _refresh_canonical(conn, canonical_id: str) -> None:
    canonical = canonical_from_rows(conn, canonical_id)
    conn.execute(update(C).where(C.c.id == canonical_id).values(
        article_count=canonical.article_count, outlet_count=canonical.outlet_count,
        first_reported=canonical.first_reported, last_reported=canonical.last_reported))


def rebuild(store) -> dict[str, int]:
    """Recompute reprints, stories and canonical events of the whole store.

    Articles are linked again in the order they were first linked (articles never linked
    follow, oldest first): the online clustering then makes the same stories with the same
    ids, so links to a story survive a rebuild.
    """
    with store.write_transaction() as conn:
        ids = [i for (i,) in conn.execute(select(A.c.id).order_by(
            A.c.link_order.asc().nulls_last(), A.c.published.asc().nulls_last(), A.c.ingested_at,
            A.c.id))]
        for table in (SIG, T, S, C):
            conn.execute(delete(table))
        conn.execute(update(A).where(A.c.reprint_of.isnot(None)).values(reprint=False))
        conn.execute(update(A).values(story_id=None, reprint_of=None, link_order=None))
        conn.execute(update(E).values(canonical_id=None))
        conn.execute(update(P).values(canonical_id=None))
        happenings.rebuild(conn)  # every event its own happening until linked again
    _STATES.pop(store.engine, None)
    reprint_count = 0
    for article_id in ids:
        article = store.get_article(article_id)
        if link_article(store, article).reprint_of:
            reprint_count += 1
    with store.engine.connect() as conn:
        stories = conn.execute(select(func.count()).select_from(S)).scalar() or 0
        canonical = conn.execute(select(func.count()).select_from(C)).scalar() or 0
        reprint_count = conn.execute(select(func.count()).select_from(A)
                                     .where(A.c.reprint_of.isnot(None))).scalar() or 0
    return {"articles": len(ids), "reprints": reprint_count, "stories": stories,
            "canonical_events": canonical}
