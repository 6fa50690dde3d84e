"""One name per outlet across the store.

An article whose page names its site and shows its domain ("Northern Ledger" at
northernledger.example) makes the domain an alias of the name: articles stored under the
bare domain before are renamed, and those that come later take the name.
"""

from __future__ import annotations

from sqlalchemy import select, update

from ..records import Article
from . import schema

A, OA = schema.articles, schema.outlet_aliases


def resolve(conn, article: Article) -> None:
    """Give an article known only by its domain the name that domain is an alias of."""
    if not article.outlet or article.outlet != article.outlet_domain:
        return
    name = conn.execute(select(OA.c.outlet).where(OA.c.alias == article.outlet)).scalar()
    if name:
        article.outlet = name


def learn(conn, article: Article) -> list[str]:
    """Keep the article's domain as an alias of its outlet's name; rename the articles stored
    under the domain. Returns the ids of the renamed articles."""
    domain, name = article.outlet_domain, article.outlet
    if not domain or not name or name == domain:
        return []
    # insert-if-absent, so that two writers naming one site at once do not collide
    if conn.dialect.name == "postgresql":
        from sqlalchemy.dialects.postgresql import insert
    else:
        from sqlalchemy.dialects.sqlite import insert
    conn.execute(insert(OA).values(alias=domain, outlet=name).on_conflict_do_nothing())
    known = conn.execute(select(OA.c.outlet).where(OA.c.alias == domain)).scalar()
    if known != name:
        return []  # the first name a domain was given stays its name
    renamed = [i for (i,) in conn.execute(select(A.c.id).where(A.c.outlet == domain))]
    if renamed:
        conn.execute(update(A).where(A.c.outlet == domain).values(outlet=name))
    return renamed
