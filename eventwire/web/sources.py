"""The Sources page and ``/api/sources``: what ``eventwire watch`` follows and how it went."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request

from .. import sources
from .api import StoreDep

router = APIRouter()


@router.get("/api/sources", tags=["sources"])
def list_sources(store: StoreDep) -> list[dict[str, Any]]:
    """Each source followed: last fetch, HTTP status, links queued, new and total articles,
    pages pending / fetched / done / failed / skipped, and the last error (credentials hidden)."""
    return sources.status(store)


@router.get("/api/sources/pages", tags=["sources"])
def recent_pages(store: StoreDep, source: int | None = None, limit: int = 50) -> list[dict[str, Any]]:
    """The latest pages fetched (or failed, or disallowed), newest first, with their article."""
    return sources.recent_pages(store, source_id=source, limit=max(1, min(limit, 500)))


@router.get("/sources", include_in_schema=False)
def sources_page(request: Request, store: StoreDep):
    from .pages import render
    return render(request, "sources.html", sources=sources.status(store),
                  pages=sources.recent_pages(store, limit=50))
