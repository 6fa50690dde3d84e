"""Server-rendered HTML pages: overview, events, articles, actors, dyads, stories, quotes.

Pages read through the same functions as the REST API; templates autoescape everything, and
article text is marked up by :mod:`eventwire.web.markup` from escaped segments.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Any
from urllib.parse import quote, urlencode

import jinja2
from fastapi import APIRouter, Depends, HTTPException, Query, Request
from fastapi.responses import HTMLResponse, RedirectResponse
from fastapi.templating import Jinja2Templates

from ..records import PLOVER_TYPES
from . import queries
from .api import (DEFAULT_PAGE_SIZE, CalendarPeriod, Conn, EventFilters, Key, MinConfidence, Offset, Period,
                  Since, StoreDep, Text, Until, article_record, check_range, dyad_data, events_page,
                  outlet_comparison, shown)
from .markup import article_spans, highlight
from .security import record_query_names, web_link

HERE = Path(__file__).resolve().parent
PageSize = Annotated[int, Query(ge=1, le=200)]


def path_segment(value: Any) -> str:
    """A value made safe as one URL path segment (actor ids hold ':' and may hold anything)."""
    return quote(str(value), safe="")


def actor_href(key: str) -> str:
    return f"/actors/{path_segment(key)}"


def plural(count: int | None, noun: str) -> str:
    """ "1 event", "2 events" (``noun`` in the singular)."""
    count = count or 0
    return f"{count} {noun if count == 1 else noun + 's'}"


def _environment() -> jinja2.Environment:
    env = jinja2.Environment(loader=jinja2.FileSystemLoader(HERE / "templates"), autoescape=True,
                             undefined=jinja2.StrictUndefined, trim_blocks=True, lstrip_blocks=True)
    env.filters["seg"] = path_segment
    env.filters["plural"] = plural
    env.filters["web_link"] = web_link
    env.globals["actor_href"] = actor_href
    env.globals["quad_class"] = queries.QUAD_CLASS
    return env


templates = Jinja2Templates(env=_environment())
router = APIRouter(include_in_schema=False, default_response_class=HTMLResponse,
                   dependencies=[Depends(record_query_names)])


def render(request: Request, name: str, **context: Any) -> HTMLResponse:
    return templates.TemplateResponse(request, name, {"page_name": name.removesuffix(".html"), **context})


def pager(request: Request, total: int, limit: int, offset: int) -> dict[str, Any]:
    """Links to the previous and next pages, keeping every other query parameter."""
    params = {k: v for k, v in request.query_params.items() if k not in ("offset", "limit")}

    def link(new_offset: int) -> str:
        return "?" + urlencode({**params, "limit": limit, "offset": new_offset})

    return {"total": total, "first": offset + 1 if total else 0, "last": min(offset + limit, total),
            "prev": link(max(0, offset - limit)) if offset > 0 else None,
            "next": link(offset + limit) if offset + limit < total else None}


def chart(kind: str, **data: Any) -> dict[str, Any]:
    """A chart description read by static/charts.js (data only, never code)."""
    return {"kind": kind, **data}


def _series_chart(kind: str, series: dict[str, Any]) -> dict[str, Any]:
    """A time chart: its points (every period, empty ones as zero), its period, and how many
    events have no date precise enough to be on it."""
    return chart(kind, series=series["points"], by=series["by"], unplaced=series["unplaced"])


@router.get("/")
def overview(request: Request, store: StoreDep, conn: Conn):
    latest = events_page(store, conn, {"min_confidence": shown(None)}, 10, 0)["items"]
    return render(request, "overview.html", counts=store.counts(), latest=latest,
                  dyads=store.dyads(limit=10, min_confidence=shown(None)),
                  timeline=_series_chart("timeline", queries.timeline(conn, "month")))


@router.get("/events")
def events_list(request: Request, store: StoreDep, conn: Conn, filters: EventFilters,
                limit: PageSize = DEFAULT_PAGE_SIZE, offset: Offset = 0):
    result = events_page(store, conn, filters, limit, offset)
    return render(request, "events.html", events=result["items"], f=filters, types=PLOVER_TYPES,
                  outlets=[o["outlet"] for o in store.outlet_counts() if o["outlet"]],
                  pager=pager(request, result["total"], limit, offset))


@router.get("/events/{event_id}")
def event_page(store: StoreDep, conn: Conn, event_id: str):
    """An event is shown where it was read: its sentence, marked in its article. A merged
    (canonical) event id leads to the list of its reports."""
    article_id = queries.event_article(conn, event_id)
    if article_id is None:
        from .. import stories
        if stories.canonical_event(store, event_id) is not None:
            return RedirectResponse(f"/canonical/{path_segment(event_id)}", 303)
        raise HTTPException(404, f"no event with id {event_id!r}")
    return RedirectResponse(f"/articles/{path_segment(article_id)}#ev-{path_segment(event_id)}", 303)


@router.get("/canonical/{canonical_id}")
def canonical_page(request: Request, store: StoreDep, canonical_id: str):
    """Every report of one event, across articles and outlets."""
    from .. import stories
    merged = stories.canonical_event(store, canonical_id)
    if merged is None:
        raise HTTPException(404, f"no canonical event with id {canonical_id!r}")
    return render(request, "canonical.html", merged=merged)


@router.get("/articles")
def articles_list(request: Request, store: StoreDep, outlet: Key = None, since: Since = None,
                  until: Until = None, q: Text = None, story: Key = None,
                  limit: PageSize = DEFAULT_PAGE_SIZE, offset: Offset = 0):
    check_range(since, until)
    filters = {"outlet": outlet, "since": since, "until": until, "q": q, "story": story}
    items = store.articles(**filters, limit=limit, offset=offset)
    return render(request, "articles.html", articles=items, params=filters,
                  outlets=[o["outlet"] for o in store.outlet_counts() if o["outlet"]],
                  pager=pager(request, store.count_articles(**filters), limit, offset))


@router.get("/articles/{article_id}")
def article_page(request: Request, store: StoreDep, conn: Conn, article_id: str,
                 removed: bool = False):
    article = store.get_article(article_id)
    if article is None:
        raise HTTPException(404, f"no article with id {article_id!r}")
    record = article_record(conn, article, include_removed=True)
    mentions = [m.to_dict() for m in getattr(article, "mentions", None) or []]
    body = highlight(article.text, article_spans(record, mentions, actor_href))
    return render(request, "article.html", record=record, a=record["article"], body=body,
                  show_removed=removed)


@router.get("/actors")
def actors_list(request: Request, store: StoreDep, conn: Conn, q: Text = None, country: Key = None,
                limit: PageSize = DEFAULT_PAGE_SIZE, offset: Offset = 0):
    items = queries.list_actors(conn, q=q, country=country, limit=limit, offset=offset)
    return render(request, "actors.html", actors=items, q=q,
                  pager=pager(request, store.count_actors(q=q, country=country), limit, offset))


@router.get("/actors/{actor_id}")
def actor_page(request: Request, store: StoreDep, conn: Conn, actor_id: str,
               by: CalendarPeriod = "month"):
    actor = queries.get_actor(conn, actor_id)
    if actor is None:
        raise HTTPException(404, f"no actor with id {actor_id!r}")
    as_source = events_page(store, conn, {"source": actor["id"]}, 15, 0)
    as_target = events_page(store, conn, {"target": actor["id"]}, 15, 0)
    speaker = {"country": actor["id"]} if actor["kind"] == "country" and not actor.get("sector") \
        else {"speaker": actor["id"]}
    said = store.quotes(**speaker, limit=15)
    return render(request, "actor.html", actor=actor, as_source=as_source, as_target=as_target,
                  quotes=said, quote_total=store.count_quotes(**speaker), speaker=speaker,
                  chart=_series_chart("actor", queries.actor_series(conn, actor_id, by)))


@router.get("/dyads/{a}/{b}")
def dyad_page(request: Request, store: StoreDep, conn: Conn, a: str, b: str, by: Period = "month",
              directed: bool = False, min_confidence: MinConfidence = None):
    data = dyad_data(store, a, b, by, directed, shown(min_confidence))
    by_period: dict[str, list[dict]] = {}
    for happening in data["events"]:
        by_period.setdefault(happening["period"], []).append(happening)
    points = [{k: row[k] for k in ("period", "total", "cooperation", "conflict", "score_mean", "scored")}
              for row in data["series"]]
    return render(request, "dyad.html", a=a, b=b, data=data, by_period=by_period,
                  names=queries.actor_names(conn, [a, b]),
                  chart=chart("dyad", series=points, by=data["by"], unplaced=data["unplaced"]))


@router.get("/stories")
def stories_list(request: Request, store: StoreDep, min_articles: Annotated[int, Query(ge=1, le=1000)] = 1,
                 limit: PageSize = DEFAULT_PAGE_SIZE, offset: Offset = 0):
    from .. import stories
    items = stories.stories(store, min_articles=min_articles, limit=limit, offset=offset)
    total = stories.count_stories(store, min_articles=min_articles)
    return render(request, "stories.html", stories=items, min_articles=min_articles,
                  pager=pager(request, total, limit, offset))


@router.get("/stories/{story_id}")
def story_page(request: Request, store: StoreDep, conn: Conn, story_id: str):
    from .. import stories
    story = stories.story(store, story_id)
    if story is None:
        raise HTTPException(404, f"no story with id {story_id!r}")
    return render(request, "story.html", story=story, comparison=outlet_comparison(store, conn, story))


@router.get("/quotes")
def quotes_list(request: Request, store: StoreDep, speaker: Key = None, country: Key = None,
                outlet: Key = None, since: Since = None, until: Until = None, q: Text = None,
                limit: PageSize = DEFAULT_PAGE_SIZE, offset: Offset = 0):
    check_range(since, until)
    filters = {"speaker": speaker, "country": country, "outlet": outlet, "since": since,
               "until": until, "q": q}
    return render(request, "quotes.html", quotes=store.quotes(**filters, limit=limit, offset=offset),
                  outlets=[o["outlet"] for o in store.outlet_counts() if o["outlet"]], params=filters,
                  pager=pager(request, store.count_quotes(**filters), limit, offset))
