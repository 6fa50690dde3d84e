"""Terminal tables of the sources and their status (``eventwire sources list/status``)."""

from __future__ import annotations

from typing import Any

from rich import box
from rich.table import Table

from ..report import shorten
from . import urls


def sources_table(rows: list[dict[str, Any]]) -> Table:
    """Sources: id, name, kind, outlet and URL (credentials hidden)."""
    table = Table(box=box.SIMPLE_HEAD)
    for name in ("id", "name", "kind", "outlet", "url", "added"):
        table.add_column(name)
    for r in rows:
        table.add_row(str(r["id"]), r["name"] or "-", r["kind"], r["outlet"] or "-",
                      urls.redact(r["url"]), (r["added_at"] or "")[:19])
    return table


def status_table(rows: list[dict[str, Any]]) -> Table:
    """Per source: last fetch, HTTP status, links, new and total articles, queue, errors."""
    table = Table(box=box.SIMPLE_HEAD)
    for name in ("id", "name", "kind", "last fetch", "HTTP", "links", "new", "articles",
                 "queued", "failed", "next fetch", "error"):
        table.add_column(name, justify="right" if name in ("HTTP", "links", "new", "articles",
                                                           "queued", "failed") else "left")
    for r in rows:
        error = r["last_error"] or ""
        if r["errors"]:
            error = f"{r['errors']} in a row: {error}"
        table.add_row(str(r["id"]), r["name"] or shorten(r["url"], 40), r["kind"],
                      (r["last_fetch_at"] or "never")[:19], str(r["last_status"] or "-"),
                      str(r["last_links"]), str(r["new_articles"]), str(r["articles"]),
                      str(r["pending"] + r["fetched"]), str(r["failed"]),
                      (r["next_fetch_at"] or "")[:19], shorten(error, 80))
    return table
