"""store_totals: the overview's counts kept by the writers equal the tables counted, after save,
save_many (with articles stored already) and a recount; SQLite and PostgreSQL."""

from __future__ import annotations

from sqlalchemy import func, select

from eventwire.store import Store, schema, totals

from test_store import sample_articles
from test_store_happenings import db_url, mixed_confidence_articles  # noqa: F401 (fixture)


def counted(store: Store) -> dict[str, int]:
    E = schema.events
    factual = ~E.c.negated & ~E.c.future & ~E.c.hypothetical & ~E.c.historical
    with store.engine.connect() as conn:
        one = lambda query: conn.execute(query).scalar()  # noqa: E731
        return {"articles": one(select(func.count()).select_from(schema.articles)),
                "events": one(select(func.count()).select_from(E)),
                "factual_events": one(select(func.count()).select_from(E).where(factual)),
                "quotes": one(select(func.count()).select_from(schema.quotes))}


def test_totals_follow_every_save(db_url):  # noqa: F811
    with Store(db_url) as store:
        assert {k: store.counts()[k] for k in totals.NAMES} == counted(store) == dict.fromkeys(totals.NAMES, 0)
        first, *rest = sample_articles()
        store.save(first)
        store.save(first)  # already stored: nothing added
        assert {k: store.counts()[k] for k in totals.NAMES} == counted(store)
        store.save_many(rest + [first] + mixed_confidence_articles(), chunk=2)
        kept = {k: store.counts()[k] for k in totals.NAMES}
        assert kept == counted(store)
        assert kept["events"] == 11 and kept["factual_events"] == 8 and kept["quotes"] == 2
        with store.engine.begin() as conn:
            assert totals.recount(conn) == kept
