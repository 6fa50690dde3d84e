"""Readable terminal views: one article's records, query results, and a whole database."""

from __future__ import annotations

import io
from collections.abc import Iterable
from typing import Any

from rich import box
from rich.console import Console, Group, RenderableType
from rich.rule import Rule
from rich.table import Table
from rich.text import Text

from .records import Article

EVIDENCE_CHARS = 160


def to_text(renderable: RenderableType, width: int = 110) -> str:
    """Render to plain text (no colour codes), for echoing or tests."""
    buffer = io.StringIO()
    Console(file=buffer, width=width, color_system=None, force_terminal=False,
            legacy_windows=False).print(renderable)
    return buffer.getvalue()


def actor_label(mention: dict[str, Any] | None) -> str:
    """Short label of an actor mention: its actor id, else its country, else its text."""
    if not mention:
        return "-"
    return mention.get("actor_id") or mention.get("country") or f'"{mention.get("text") or ""}"'


def actors_label(mentions: Iterable[dict[str, Any]]) -> str:
    return " + ".join(actor_label(m) for m in mentions) or "-"


def modality_label(modality: dict[str, bool]) -> str:
    flags = [name for name, on in modality.items() if on]
    return ", ".join(flags) if flags else "factual"


def shorten(text: str, limit: int = EVIDENCE_CHARS) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[:limit - 1].rstrip() + "…"


# --- tables over record dicts --------------------------------------------------

def events_table(rows: list[dict[str, Any]], title: str | None = None,
                 with_article: bool = True) -> Table:
    """Events (``Event.to_dict`` shape, optionally with article fields) as a table."""
    table = Table(title=title, box=box.SIMPLE_HEAD, show_lines=False, expand=False)
    table.add_column("date", no_wrap=True)
    table.add_column("type", style="bold")
    table.add_column("source")
    table.add_column("target")
    table.add_column("modality")
    if with_article:
        table.add_column("outlet")
    table.add_column("evidence", ratio=1)
    for e in rows:
        cells = [e.get("date") or e.get("published") or "-", e["type"], actors_label(e["source"]),
                 actors_label(e["target"]), modality_label(e["modality"])]
        if with_article:
            cells.append(e.get("outlet") or "-")
        cells.append(shorten(e["evidence"]["sentence"]))
        table.add_row(*cells)
    return table


def quotes_table(rows: list[dict[str, Any]], title: str | None = None,
                 with_article: bool = True) -> Table:
    """Quotes (``Quote.to_dict`` shape, optionally with article fields) as a table."""
    table = Table(title=title, box=box.SIMPLE_HEAD)
    table.add_column("speaker", style="bold")
    table.add_column("kind")
    if with_article:
        table.add_column("outlet")
        table.add_column("published", no_wrap=True)
    table.add_column("quote", ratio=1)
    for q in rows:
        speaker = q.get("speaker")
        who = (speaker.get("name") or speaker.get("text")) if speaker else "(unresolved)"
        cells = [who, q["kind"]]
        if with_article:
            cells += [q.get("outlet") or "-", q.get("published") or "-"]
        cells.append(shorten(q["text"]))
        table.add_row(*cells)
    return table


def actors_table(rows: list[dict[str, Any]], title: str | None = None) -> Table:
    """Actors (``Actor.to_dict`` shape, with counts when present) as a table."""
    counted = bool(rows) and "event_count" in rows[0]
    table = Table(title=title, box=box.SIMPLE_HEAD)
    for name in ("id", "name", "kind", "country", "role"):
        table.add_column(name)
    if counted:
        for name in ("events", "quotes", "articles"):
            table.add_column(name, justify="right")
    for a in rows:
        cells = [a["id"], a["name"], a.get("kind") or "-", a.get("country") or "-",
                 a.get("role") or "-"]
        if counted:
            cells += [str(a["event_count"]), str(a["quote_count"]), str(a["article_count"])]
        table.add_row(*cells)
    return table


def counts_table(rows: list[dict[str, Any]], key: str, value: str, title: str) -> Table:
    table = Table(title=title, box=box.SIMPLE_HEAD)
    table.add_column(key)
    table.add_column(value, justify="right")
    for row in rows:
        table.add_row(str(row[key] if row[key] is not None else "(unknown)"), str(row[value]))
    return table


# --- one article -----------------------------------------------------------------

def article_renderable(article: Article) -> RenderableType:
    """One processed article: its metadata, events, quotes and actors."""
    record = article.to_dict()
    meta = record["article"]
    header = Text()
    header.append(meta.get("title") or "(untitled)", style="bold")
    header.append(f"\n{meta.get('outlet') or 'unknown outlet'} | "
                  f"{meta.get('published') or 'undated'} | id {meta['id']}")
    if meta.get("reprint"):
        header.append(" | reprint")
    if meta.get("source_path") or meta.get("url"):
        header.append(f"\n{meta.get('url') or meta.get('source_path')}")
    parts: list[RenderableType] = [Rule(), header]
    parts.append(events_table(record["events"], title=f"events ({len(record['events'])})",
                              with_article=False) if record["events"]
                 else Text("no events"))
    parts.append(quotes_table(record["quotes"], title=f"quotes ({len(record['quotes'])})",
                              with_article=False) if record["quotes"]
                 else Text("no quotes"))
    parts.append(Text("actors: " + (", ".join(f"{a['name']} ({a['id']})" for a in record["actors"])
                                    or "none")))
    return Group(*parts)


def article_table(article: Article, width: int = 110) -> str:
    """Plain-text view of one processed article (``eventwire process --format table``)."""
    return to_text(article_renderable(article), width)


# --- a whole database ----------------------------------------------------------------

def database_renderable(store, samples: int = 8) -> RenderableType:
    """What a database holds: counts, outlets, event types, dyads, sample events and quotes,
    and the most active actors."""
    counts = store.counts()
    summary = Text()
    summary.append("eventwire database\n", style="bold")
    summary.append(
        f"{counts['articles']} articles from {counts['outlets']} outlets | {counts['events']} events "
        f"({counts['factual_events']} factual) | {counts['quotes']} quotes | "
        f"{counts['actors']} actors | {counts['stories']} stories")
    factual = {r["type"]: r["events"] for r in store.event_type_counts(factual_only=True)}
    types = Table(title="event types", box=box.SIMPLE_HEAD)
    types.add_column("type")
    types.add_column("events", justify="right")
    types.add_column("factual", justify="right")
    for row in store.event_type_counts():
        types.add_row(row["type"], str(row["events"]), str(factual.get(row["type"], 0)))
    dyads = Table(title="top dyads (factual events)", box=box.SIMPLE_HEAD)
    for name in ("source", "target"):
        dyads.add_column(name)
    dyads.add_column("events", justify="right")
    for row in store.dyads(limit=10, factual_only=True):
        dyads.add_row(row["source"], row["target"], str(row["events"]))
    events = _one_per(store.events(factual_only=True, limit=500), "type", samples)
    quotes = store.quotes(limit=500)
    resolved = [q for q in quotes if q["speaker"] and q["speaker"].get("actor_id")]
    quotes = _one_per(resolved or [q for q in quotes if q["speaker"]], "article_id", samples)
    actors = store.actors(limit=12)
    return Group(
        summary,
        counts_table(store.outlet_counts(), "outlet", "articles", "articles per outlet"),
        types if factual or counts["events"] else Text("\nno events stored"),
        dyads if factual else Text("no factual events between two actors"),
        events_table(events, title="sample events, with the sentence each was read from")
        if events else Text("no factual events to show"),
        quotes_table(quotes, title="sample quotes, with their speakers")
        if quotes else Text("no quotes with a speaker to show"),
        actors_table(actors, title="most active actors") if actors else Text("no actors stored"),
    )


def database_report(store, width: int = 110) -> str:
    """Plain-text report of a database (``eventwire demo``)."""
    return to_text(database_renderable(store), width)


def _one_per(rows: list[dict[str, Any]], key, limit: int) -> list[dict[str, Any]]:
    """Up to ``limit`` rows, at most one per value of ``key`` (a field name or a function)."""
    get = key if callable(key) else (lambda row: row[key])
    seen, picked = set(), []
    for row in rows:
        value = get(row)
        if value not in seen:
            seen.add(value)
            picked.append(row)
        if len(picked) == limit:
            break
    return picked
