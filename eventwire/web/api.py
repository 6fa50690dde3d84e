"""REST API under /api: read endpoints over the store (open) and article submission (token)."""

from __future__ import annotations

import datetime as dt
import threading
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Depends, HTTPException, Query, Request, Response
from pydantic import BaseModel, BeforeValidator, Field, StringConstraints, model_validator
from pydantic_core import PydanticCustomError

from .. import pipeline, stories, validation
from ..events import confidence
from ..records import Article, ProcessingError, RawDocument
from . import queries
from .security import reject_unknown_query, require_write_token

MAX_PAGE_SIZE = 500
DEFAULT_PAGE_SIZE = 50

router = APIRouter(prefix="/api", dependencies=[Depends(reject_unknown_query)])

Limit = Annotated[int, Query(ge=1, le=MAX_PAGE_SIZE, description=f"page size (1-{MAX_PAGE_SIZE})")]
Offset = Annotated[int, Query(ge=0, le=10_000_000, description="records to skip")]
# an empty form field ("since=") means "no filter", not a malformed value
EmptyIsNone = BeforeValidator(lambda value: value if value not in ("", None) else None)


def _api_day(value: Any) -> Any:
    """A date filter checked as the CLI checks it (same message)."""
    if value in ("", None) or isinstance(value, dt.date):
        return value or None
    try:
        return validation.day("", value)
    except validation.InvalidFilter as exc:
        raise PydanticCustomError("date_format", exc.problem) from None


Day = BeforeValidator(_api_day)
Since = Annotated[dt.date | None, Day, Query(description="first date, YYYY-MM-DD (inclusive)")]
Until = Annotated[dt.date | None, Day, Query(description="last date, YYYY-MM-DD (inclusive)")]
Short = Annotated[str, StringConstraints(max_length=200)]
Text = Annotated[Short | None, EmptyIsNone, Query(description="text search (substring)")]
Key = Annotated[Short | None, EmptyIsNone, Query()]
Period = Annotated[Literal["day", "week", "month"], Query(description="period of the series")]
CalendarPeriod = Annotated[Literal["day", "month", "year"], Query(description="period of the series")]


class Reader:
    """Runs each read query on a pooled connection of its own and returns its rows buffered.

    A request never holds a connection while the store opens another, so concurrent
    requests cannot starve the connection pool.
    """

    def __init__(self, engine):
        self.engine = engine

    def execute(self, statement):
        with self.engine.connect() as conn:
            return conn.execute(statement).freeze()()


def connection(request: Request) -> Reader:
    """The reader of the store for one request."""
    return Reader(request.app.state.store.engine)


def get_store(request: Request):
    return request.app.state.store


Conn = Annotated[Reader, Depends(connection)]
StoreDep = Annotated[Any, Depends(get_store)]


def page(total: int, items: list[Any], limit: int, offset: int) -> dict[str, Any]:
    """The envelope of every list response."""
    return {"total": total, "limit": limit, "offset": offset, "items": items}


def check_type(value: str | None) -> str | None:
    """A PLOVER type (any case), or 422 listing the valid ones."""
    try:
        return validation.plover_type(value)
    except validation.InvalidFilter as exc:
        raise HTTPException(422, exc.message) from None


def check_range(since: dt.date | None, until: dt.date | None) -> None:
    try:
        validation.date_range(since, until)
    except validation.InvalidFilter as exc:
        raise HTTPException(422, exc.message) from None


MinConfidence = Annotated[float | None, Query(
    ge=0.0, le=1.0, description="show events at least this confident; default: the model's threshold; "
                                "0 shows every candidate")]


def shown(min_confidence: float | None) -> float:
    """The confidence an event needs to be shown: the one asked for, else the model's threshold."""
    return confidence.threshold() if min_confidence is None else min_confidence


def event_filters(actor: Key = None, source: Key = None, target: Key = None,
                  type: Annotated[Short | None, EmptyIsNone, Query(description="a PLOVER type")] = None,
                  outlet: Key = None, since: Since = None, until: Until = None, q: Text = None,
                  factual_only: bool = False, article_id: Key = None,
                  both_sides: Annotated[bool, Query(description="only events with source and target known")] = False,
                  international: Annotated[bool, Query(description="only events between different countries")] = False,
                  min_confidence: MinConfidence = None,
                  ) -> dict[str, Any]:
    """Event filters from the query string, as keyword arguments of ``Store.events``.

    ``actor``, ``source`` and ``target`` take an actor id (``IGO:NATO``), a country code
    (``TUR``) or an actor name; a reciprocal event matches either way round. Dates apply to the
    event date, else the article date.
    """
    check_range(since, until)
    return {"actor": actor, "source": source, "target": target, "type": check_type(type),
            "outlet": outlet, "since": since, "until": until, "q": q, "factual_only": factual_only,
            "article_id": article_id, "both_sides": both_sides, "international": international,
            "min_confidence": shown(min_confidence)}


EventFilters = Annotated[dict[str, Any], Depends(event_filters)]


def events_page(store, conn: Reader, filters: dict[str, Any], limit: int,
                offset: int, after: str | None = None) -> dict[str, Any]:
    """A page of events with their canonical ids and report counts, and the ``next`` cursor."""
    from ..store.database import event_cursor
    total = store.count_events(**filters)
    try:
        rows = store.events(**filters, limit=limit, offset=offset, after=after)
    except ValueError as exc:
        raise HTTPException(422, str(exc)) from None
    items = queries.add_reports(conn, rows)
    return {**page(total, items, limit, offset),
            "next": event_cursor(items[-1]) if len(items) == limit else None}


def article_record(conn: Reader, article: Article, include_removed: bool) -> dict[str, Any]:
    """The documented record of an article, with its story and its events' canonical ids."""
    record = article.to_dict(include_removed=include_removed)
    record["article"]["story_id"] = queries.article_story(conn, article.id)
    queries.add_reports(conn, record["events"])
    return record


@router.get("/counts", tags=["overview"])
def get_counts(store: StoreDep) -> dict[str, int]:
    """How many articles, outlets, actors, events, quotes and stories the store holds."""
    return store.counts()


@router.get("/events", tags=["events"])
def list_events(store: StoreDep, conn: Conn, filters: EventFilters,
                limit: Limit = DEFAULT_PAGE_SIZE, offset: Offset = 0,
                after: Annotated[str | None, Query(max_length=400, description=(
                    "the `next` of the previous page: page by key, each page as fast as the first"
                ))] = None) -> dict[str, Any]:
    """Events, newest first, filtered by actor (either side), source, target, type, outlet,
    dates and text; each with ``canonical_id`` and how many ``reports`` share it. Page with
    ``after`` = the previous page's ``next`` (keyset), or with ``offset``."""
    return events_page(store, conn, filters, limit, offset, after)


@router.get("/events/{event_id}", tags=["events"])
def get_event(store: StoreDep, conn: Conn, event_id: str) -> dict[str, Any]:
    """One event with its actors, evidence and article."""
    article_id = queries.event_article(conn, event_id)
    found = [e for e in store.events(article_id=article_id, limit=None) if e["id"] == event_id] \
        if article_id else []
    if not found:
        raise HTTPException(404, f"no event with id {event_id!r}")
    return queries.add_reports(conn, found)[0]


@router.get("/canonical-events/{canonical_id}", tags=["events"])
def get_canonical_event(store: StoreDep, canonical_id: str) -> dict[str, Any]:
    """One event as merged across reports (eventwire.stories), with every report of it."""
    merged = stories.canonical_event(store, canonical_id)
    if merged is None:
        raise HTTPException(404, f"no canonical event with id {canonical_id!r}")
    return merged


@router.get("/articles", tags=["articles"])
def list_articles(store: StoreDep, outlet: Key = None, since: Since = None, until: Until = None,
                  q: Text = None, story: Key = None, limit: Limit = DEFAULT_PAGE_SIZE,
                  offset: Offset = 0) -> dict[str, Any]:
    """Articles (without their text), newest first, filtered by outlet, dates, text and story."""
    check_range(since, until)
    filters = {"outlet": outlet, "since": since, "until": until, "q": q, "story": story}
    return page(store.count_articles(**filters), store.articles(**filters, limit=limit, offset=offset),
                limit, offset)


@router.get("/articles/{article_id}", tags=["articles"])
def get_article(store: StoreDep, conn: Conn, article_id: str, removed: bool = False) -> dict[str, Any]:
    """The documented record of one article; ``removed=true`` adds the boilerplate lines dropped."""
    article = store.get_article(article_id)
    if article is None:
        raise HTTPException(404, f"no article with id {article_id!r}")
    return article_record(conn, article, include_removed=removed)


class ArticleIn(BaseModel):
    """An article to process: its text or its HTML, and what is known about it."""

    text: str | None = None
    html: str | None = None
    url: str | None = Field(None, max_length=2000)
    title: str | None = Field(None, max_length=2000)
    published: dt.date | None = None
    outlet: str | None = Field(None, max_length=200)

    @model_validator(mode="after")
    def _has_content(self) -> "ArticleIn":
        if not (self.text or "").strip() and not (self.html or "").strip():
            raise ValueError("give the article as 'text' or 'html'")
        return self


_processing = threading.Lock()  # one article through the spaCy pipeline at a time


@router.post("/articles", tags=["articles"], dependencies=[Depends(require_write_token)],
             openapi_extra={"requestBody": {"content": {
                 "application/json": {"schema": ArticleIn.model_json_schema()},
                 "text/plain": {"schema": {"type": "string"}},
                 "text/html": {"schema": {"type": "string"}}}}})
async def submit_article(request: Request, response: Response) -> dict[str, Any]:
    """Process an article (JSON, plain text or HTML body) and store it; idempotent on content.

    Answers 201 with ``created: true`` for a new article, 200 with ``created: false`` and the same
    id when the same content was stored before.
    """
    body = await request.body()
    kind = request.headers.get("content-type", "application/json").split(";")[0].strip().lower()
    try:
        decoded = body.decode("utf-8")
    except UnicodeDecodeError:
        raise HTTPException(415, "the request body is not UTF-8 text") from None
    if kind == "application/json":
        try:
            article_in = ArticleIn.model_validate_json(decoded or "{}")
        except ValueError as exc:
            raise HTTPException(422, f"invalid article: {_first_error(exc)}") from None
    elif kind in ("text/plain", "text/html"):
        field = "html" if kind == "text/html" else "text"
        try:
            article_in = ArticleIn(**{field: decoded})
        except ValueError as exc:
            raise HTTPException(422, f"invalid article: {_first_error(exc)}") from None
    else:
        raise HTTPException(415, f"unsupported content type {kind!r}: send application/json, "
                                 "text/plain or text/html")
    from starlette.concurrency import run_in_threadpool
    article = await run_in_threadpool(_process_and_save, request, article_in)
    article_obj, created = article
    response.status_code = 201 if created else 200
    return {"id": article_obj.id, "created": created, "events": len(article_obj.events),
            "quotes": len(article_obj.quotes), "actors": len(article_obj.actors),
            "href": f"/api/articles/{article_obj.id}"}


def _process_and_save(request: Request, article_in: ArticleIn) -> tuple[Article, bool]:
    settings = request.app.state.settings
    raw = RawDocument(origin=article_in.url or "POST /api/articles", text=article_in.text,
                      html=article_in.html if not article_in.text else None, url=article_in.url,
                      title=article_in.title, outlet=article_in.outlet,
                      published=article_in.published.isoformat() if article_in.published else None)
    with _processing:
        result = next(pipeline.process_documents([raw], settings))
    if isinstance(result, ProcessingError):
        raise HTTPException(422, f"the article could not be processed: {result.code} {result.reason}")
    store = request.app.state.store
    created = store.save(result)
    stories.link_article(store, result)  # reprint, story, canonical events; no-op when linked
    return result, bool(created)


def _first_error(exc: Exception) -> str:
    errors = getattr(exc, "errors", None)
    if callable(errors):
        first = errors()[0]
        where = ".".join(str(p) for p in first.get("loc", ()))
        return f"{where}: {first.get('msg')}" if where else str(first.get("msg"))
    return str(exc)


@router.get("/quotes", tags=["quotes"])
def list_quotes(store: StoreDep, speaker: Key = None, country: Key = None, outlet: Key = None,
                since: Since = None, until: Until = None, q: Text = None, article_id: Key = None,
                limit: Limit = DEFAULT_PAGE_SIZE, offset: Offset = 0) -> dict[str, Any]:
    """Quotes with their speakers, filtered by speaker (actor id or part of the name), speaker
    country, outlet, article dates and text."""
    check_range(since, until)
    filters = {"speaker": speaker, "country": country, "outlet": outlet, "since": since,
               "until": until, "q": q, "article_id": article_id}
    return page(store.count_quotes(**filters), store.quotes(**filters, limit=limit, offset=offset),
                limit, offset)


@router.get("/actors", tags=["actors"])
def list_actors(store: StoreDep, conn: Conn, q: Text = None, kind: Key = None, country: Key = None,
                limit: Limit = DEFAULT_PAGE_SIZE, offset: Offset = 0) -> dict[str, Any]:
    """Canonical actors, the most active first, with their event, quote and article counts."""
    filters = {"q": q, "kind": kind, "country": country}
    return page(store.count_actors(**filters), queries.list_actors(conn, **filters, limit=limit,
                                                                   offset=offset), limit, offset)


@router.get("/actors/{actor_id}", tags=["actors"])
def get_actor(conn: Conn, actor_id: str, by: CalendarPeriod = "month") -> dict[str, Any]:
    """One actor (or a country code): events by role and type, the series over time, partners."""
    actor = queries.get_actor(conn, actor_id)
    if actor is None:
        raise HTTPException(404, f"no actor with id {actor_id!r}")
    series = queries.actor_series(conn, actor_id, by)
    actor["series"], actor["unplaced"] = series["points"], series["unplaced"]
    return actor


@router.get("/dyads", tags=["dyads"])
def top_dyads(store: StoreDep, limit: Annotated[int, Query(ge=1, le=100)] = 20,
              factual_only: bool = False, min_confidence: MinConfidence = None) -> dict[str, Any]:
    """The most frequent source-target pairs (countries, else actor ids); a reciprocal event
    counts both ways."""
    items = store.dyads(limit=limit, factual_only=factual_only, min_confidence=shown(min_confidence))
    return page(len(items), items, limit, 0)


@router.get("/dyads/{a}/{b}", tags=["dyads"])
def dyad(store: StoreDep, a: str, b: str, by: Period = "month", directed: bool = False,
         min_confidence: MinConfidence = None,
         events: Annotated[Literal["top", "all"], Query(description=(
             "which happenings to list: the top ones of each period (fast at any size) or all"))
         ] = "top") -> dict[str, Any]:
    """Relations between two actors (ids or country codes) over time: per period the happenings
    by PLOVER type, cooperation and conflict, the mean score, and the happenings behind it."""
    return dyad_data(store, a, b, by, directed, shown(min_confidence), every=events == "all")


def dyad_data(store, a: str, b: str, by: str, directed: bool,
              min_confidence: float | None = None, every: bool = False) -> dict[str, Any]:
    """The dyad series of eventwire.stories, computed by the database, with cooperation/conflict
    sums, and the happenings behind it (those of each period's ``top_events``, or all)."""
    from ..stories.dyads import period_of
    # only day-precise dates can be placed in a day/week/month period ("2014" cannot): the
    # others are counted as ``unplaced``, not dropped without a word
    rows, unplaced = stories.store_series(store, a, b, by, directed, min_confidence, days_only=True)
    for row in rows:
        row["cooperation"] = sum(n for t, n in row["counts"].items() if t in queries.COOPERATION)
        row["conflict"] = sum(n for t, n in row["counts"].items() if t in queries.CONFLICT)
    wanted = None if every else {i for row in rows for i in row["top_events"]}
    listed = [h for h in stories.dyad_events(store, a, b, directed, min_confidence, wanted)
              if _is_day(h.date)]
    events = [{**h.__dict__, "period": period_of(h.date, by)}
              for h in sorted(listed, key=lambda h: (h.date, h.id))]
    return {"a": a, "b": b, "by": by, "directed": directed,
            "total": sum(row["total"] for row in rows), "unplaced": unplaced, "series": rows,
            "events": events}


def _is_day(value: str | None) -> bool:
    try:
        dt.date.fromisoformat((value or "")[:10])
    except ValueError:
        return False
    return len(value or "") >= 10


@router.get("/stories", tags=["stories"])
def list_stories(store: StoreDep, since: Since = None, until: Until = None, outlet: Key = None,
                 min_articles: Annotated[int, Query(ge=1, le=1000)] = 1,
                 limit: Limit = DEFAULT_PAGE_SIZE, offset: Offset = 0) -> dict[str, Any]:
    """Stories (articles clustered across outlets), latest first, with their outlets."""
    check_range(since, until)
    items = stories.stories(store, since=since and since.isoformat(), until=until and until.isoformat(),
                            outlet=outlet, min_articles=min_articles, limit=limit, offset=offset)
    total = stories.count_stories(store, min_articles=min_articles) \
        if not (since or until or outlet) else _count_all_stories(store, since, until, outlet, min_articles)
    return page(total, items, limit, offset)


def _count_all_stories(store, since, until, outlet, min_articles) -> int:
    return len(stories.stories(store, since=since and since.isoformat(),
                               until=until and until.isoformat(), outlet=outlet,
                               min_articles=min_articles, limit=None))


@router.get("/stories/{story_id}", tags=["stories"])
def get_story(store: StoreDep, story_id: str) -> dict[str, Any]:
    """One story: its articles by outlet and its canonical events."""
    story = stories.story(store, story_id)
    if story is None:
        raise HTTPException(404, f"no story with id {story_id!r}")
    return story


@router.get("/stories/{story_id}/compare", tags=["stories"])
def compare_story(store: StoreDep, conn: Conn, story_id: str) -> dict[str, Any]:
    """The outlets of a story side by side: what each reported, whom it quoted, its contested
    terms, distinctive words, tone by actor, and the events the others reported but it did not."""
    story = stories.story(store, story_id)
    if story is None:
        raise HTTPException(404, f"no story with id {story_id!r}")
    return outlet_comparison(store, conn, story)


def outlet_comparison(store, conn: Reader, story: dict[str, Any]) -> dict[str, Any]:
    """Per outlet of a story: its articles, its events and its framing (eventwire.framing).
    Reprints are left out: they would count one outlet's words twice."""
    from .. import framing

    originals = [a["id"] for a in story["articles"] if not a["reprint_of"]]
    loaded = [article for article in (store.get_article(i) for i in originals) if article]
    canonical = queries.canonical_ids(conn, [e.id for a in loaded for e in a.events])
    report = framing.compare_outlets(
        loaded, scope=f"story {story['id']}",
        event_id_key=lambda e: canonical.get(e.id) or framing.event_key(e))
    outlets = []
    for entry in report.outlets:
        mine = [a for a in loaded if (a.outlet or "(unknown outlet)") == entry.outlet]
        events = [dict(e.to_dict(), article_id=a.id, canonical_id=canonical.get(e.id))
                  for a in mine for e in a.events]
        outlets.append({"outlet": entry.outlet,
                        "articles": [{"id": a.id, "title": a.title, "published": a.published,
                                      "url": a.url} for a in mine],
                        "events": events, "framing": entry.to_dict()})
    head = {k: v for k, v in story.items() if k not in ("articles", "by_outlet", "canonical_events")}
    return {"story": head, "reprints": [a for a in story["articles"] if a["reprint_of"]],
            "outlets": outlets}
