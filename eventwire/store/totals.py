"""Running totals of the largest tables (table store_totals), for the overview's counts.

Counting a million events (or the factual ones) reads a whole index each time the overview
is asked for; the writers that insert articles, events and quotes add what they inserted to
these totals in the same transaction instead, so the overview reads a few rows. Nothing in
eventwire deletes articles; :func:`recount` sets the totals from the tables again.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import and_, func, select, update

from . import schema

T, A, E, Q = schema.store_totals, schema.articles, schema.events, schema.quotes
NAMES = ("articles", "events", "factual_events", "quotes")


def factual(event_row: dict[str, Any]) -> bool:
    """An event the overview counts as factual: not negated, planned, hypothetical or past."""
    return not (event_row["negated"] or event_row["future"] or event_row["hypothetical"]
                or event_row["historical"])


def add(conn, articles: int, events: list[dict[str, Any]], quotes: int) -> None:
    """Add newly inserted rows (``events``: their events table rows) to the totals."""
    changes = {"articles": articles, "events": len(events),
               "factual_events": sum(1 for e in events if factual(e)), "quotes": quotes}
    for name in NAMES:  # always in this order: concurrent writers wait, never deadlock
        if changes[name]:
            conn.execute(update(T).where(T.c.name == name).values(value=T.c.value + changes[name]))


def read(conn) -> dict[str, int]:
    """The totals by name."""
    return {name: int(value) for name, value in conn.execute(select(T.c.name, T.c.value))}


def recount(conn) -> dict[str, int]:
    """Set every total from the tables (after a migration, or to repair them)."""
    flags = and_(~E.c.negated, ~E.c.future, ~E.c.hypothetical, ~E.c.historical)
    values = {
        "articles": select(func.count()).select_from(A),
        "events": select(func.count()).select_from(E),
        "factual_events": select(func.count()).select_from(E).where(flags),
        "quotes": select(func.count()).select_from(Q),
    }
    out = {name: int(conn.execute(query).scalar() or 0) for name, query in values.items()}
    conn.execute(T.delete())
    conn.execute(T.insert(), [{"name": name, "value": value} for name, value in out.items()])
    return out
