"""Readable terminal views: one article's records, query results, and a whole database."""

from __future__ import annotations

import io
import os
import sys
from collections.abc import Iterable
from typing import Any

from rich import box
from rich.console import Console, Group, RenderableType
from rich.padding import Padding
from rich.rule import Rule
from rich.table import Table
from rich.text import Text

from .records import Article

EVIDENCE_CHARS = 300
PIPE_WIDTH = 160  # width of tables written to a pipe or file (no terminal to measure)


def console(stderr: bool = False) -> Console:
    """A console as wide as the terminal; PIPE_WIDTH (or $COLUMNS) when output goes elsewhere."""
    stream = sys.stderr if stderr else sys.stdout
    width = None if stream.isatty() else int(os.environ.get("COLUMNS") or PIPE_WIDTH)
    return Console(file=stream, width=width, stderr=stderr)


WIDE = 120  # below this many columns, records are listed one paragraph each instead of tabled


class Adaptive:
    """A table on a wide console, a list of paragraphs on a narrow one: a sentence squeezed
    into a column a few words wide is not readable."""

    def __init__(self, wide: RenderableType, narrow: RenderableType, min_width: int = WIDE):
        self.wide, self.narrow, self.min_width = wide, narrow, min_width

    def __rich_console__(self, console: Console, options):
        yield self.wide if options.max_width >= self.min_width else self.narrow


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
    table = Table(title=title, box=box.SIMPLE_HEAD, show_lines=False, expand=True)
    table.add_column("date", no_wrap=True)
    table.add_column("type", style="bold", no_wrap=True)
    # narrow columns for the codes, so the sentence (what is read) gets the width
    table.add_column("source", max_width=16, overflow="fold")
    table.add_column("target", max_width=16, overflow="fold")
    table.add_column("modality", max_width=12)
    if with_article:
        table.add_column("outlet", max_width=16)
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
    table = Table(title=title, box=box.SIMPLE_HEAD, expand=True)
    table.add_column("speaker", style="bold", max_width=20)
    table.add_column("kind", no_wrap=True)
    if with_article:
        table.add_column("outlet", max_width=18)
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


def actors_table(rows: list[dict[str, Any]], title: str | None = None,
                 compact: bool = False) -> Table:
    """Actors (``Actor.to_dict`` shape, with counts when present) as a table;
    ``compact`` keeps only id, name and the counts."""
    counted = bool(rows) and "event_count" in rows[0]
    table = Table(title=title, box=box.SIMPLE_HEAD)
    table.add_column("id", no_wrap=True)
    table.add_column("name", ratio=1, min_width=14)
    if not compact:
        table.add_column("kind", no_wrap=True)
        table.add_column("country", no_wrap=True)
        table.add_column("role", ratio=1, min_width=10)
    if counted:
        for name in ("events", "quotes", "articles"):
            table.add_column(name, justify="right", no_wrap=True)
    for a in rows:
        cells = [a["id"], a["name"]]
        if not compact:
            # a role tells about a person ("foreign minister"); on a country or an institution it
            # is only the word first seen beside it ("side", "officials")
            role = a.get("role") if a.get("kind") == "person" else None
            cells += [a.get("kind") or "-", a.get("country") or "-", role or "-"]
        if counted:
            cells += [str(a["event_count"]), str(a["quote_count"]), str(a["article_count"])]
        table.add_row(*cells)
    return table


def events_list(rows: list[dict[str, Any]], title: str) -> RenderableType:
    """Events one paragraph each: date, type, dyad, modality, outlet, then the evidence sentence."""
    parts: list[RenderableType] = [Text(title, style="bold")]
    for e in rows:
        line = Text(f"\n{e.get('date') or e.get('published') or 'undated'}  ")
        line.append(e["type"], style="bold")
        line.append(f"  {actors_label(e['source'])} -> {actors_label(e['target'])}"
                    f"  ({modality_label(e['modality'])})  {e.get('outlet') or ''}")
        parts += [line, Padding(Text(shorten(e["evidence"]["sentence"], 300), style="italic"),
                                (0, 0, 0, 4))]
    return Group(*parts)


def quotes_list(rows: list[dict[str, Any]], title: str) -> RenderableType:
    """Quotes one paragraph each: speaker (and who it resolves to), outlet, then the quote."""
    parts: list[RenderableType] = [Text(title, style="bold")]
    for q in rows:
        speaker = q.get("speaker") or {}
        line = Text("\n")
        line.append(speaker.get("text") or "(unresolved)", style="bold")
        resolved = speaker.get("name") or speaker.get("actor_id")
        if resolved and resolved != speaker.get("text"):
            line.append(f" = {resolved} ({speaker.get('actor_id') or speaker.get('country')})")
        line.append(f"  [{q['kind']}, {q.get('outlet') or 'unknown outlet'}, "
                    f"{q.get('published') or 'undated'}]")
        quote = "\u201c" + shorten(q["text"].strip(" ,"), 300) + "\u201d"
        parts += [line, Padding(Text(quote, style="italic"), (0, 0, 0, 4))]
    return Group(*parts)


def events_view(rows: list[dict[str, Any]], title: str | None = None,
                with_article: bool = True) -> RenderableType:
    """Events as a table, or as paragraphs on a narrow console."""
    return Adaptive(events_table(rows, title, with_article), events_list(rows, title or ""))


def quotes_view(rows: list[dict[str, Any]], title: str | None = None,
                with_article: bool = True) -> RenderableType:
    """Quotes as a table, or as paragraphs on a narrow console."""
    return Adaptive(quotes_table(rows, title, with_article), quotes_list(rows, title or ""))


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
    parts.append(events_view(record["events"], title=f"events ({len(record['events'])})",
                             with_article=False) if record["events"]
                 else Text("no events"))
    parts.append(quotes_view(record["quotes"], title=f"quotes ({len(record['quotes'])})",
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
    from .events.confidence import threshold
    factual = {r["type"]: r["events"] for r in store.event_type_counts(factual_only=True, min_confidence=threshold())}
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
    for row in store.dyads(limit=10, factual_only=True, min_confidence=threshold()):
        dyads.add_row(row["source"], row["target"], str(row["events"]))
    events = store.events(factual_only=True, min_confidence=threshold(), limit=1000)
    dyadic = [e for e in events if e["source"] and e["target"]]
    events = _sample(dyadic or events, ("type", "article_id"), samples)
    quotes = store.quotes(limit=1000)
    resolved = [q for q in quotes if q["speaker"] and q["speaker"].get("actor_id")]
    quotes = _sample(resolved or [q for q in quotes if q["speaker"]],
                     ("article_id", lambda q: q["speaker"]["actor_id"]), samples)
    actors = store.actors(limit=12)
    return Group(
        summary,
        counts_table(store.outlet_counts(), "outlet", "articles", "articles per outlet"),
        types if factual or counts["events"] else Text("\nno events stored"),
        dyads if factual else Text("no factual events between two actors"),
        events_list(events, "sample events, with the sentence each was read from")
        if events else Text("no factual events to show"),
        quotes_list(quotes, "sample quotes, with their speakers")
        if quotes else Text("no quotes with a speaker to show"),
        actors_table(actors, title="most active actors", compact=True) if actors else Text("no actors stored"),
    )


def database_report(store, width: int = 110) -> str:
    """Plain-text report of a database (``eventwire demo``)."""
    return to_text(database_renderable(store), width)


def _sample(rows: list[dict[str, Any]], keys: tuple, limit: int) -> list[dict[str, Any]]:
    """Up to ``limit`` rows, no two sharing a value of any key (a field name or a function)."""
    getters = [key if callable(key) else (lambda row, key=key: row[key]) for key in keys]
    seen: list[set] = [set() for _ in getters]
    picked = []
    for row in rows:
        values = [get(row) for get in getters]
        if any(value in taken for value, taken in zip(values, seen)):
            continue
        for value, taken in zip(values, seen):
            taken.add(value)
        picked.append(row)
        if len(picked) == limit:
            break
    return picked
