"""The eventwire database: save processed articles and query them back as plain records.

One class, :class:`Store`, over SQLAlchemy Core. It works on SQLite (a file path
or ``sqlite:///...``) and PostgreSQL (``postgresql+psycopg://...``) and migrates the
database to the newest schema with Alembic when it opens it. Query methods return
plain dicts in the shapes documented in docs/records.md, for the CLI, the REST API
and the web pages alike.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from itertools import islice
from pathlib import Path
from typing import Any

from sqlalchemy import (ColumnElement, Connection, Engine, Select, and_, create_engine, event, func,
                        or_, select, text, tuple_, union_all)
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.pool import StaticPool

from ..errors import StoreError
from ..records import Actor, ActorMention, Article, Event, Quote
from ..settings import Settings
from . import happenings, outlet_names, schema, totals

MIGRATIONS = Path(__file__).resolve().parent / "migrations"
WRITE_LOCK = 7_160_431  # PostgreSQL advisory lock key of write_transaction()
BUSY_TIMEOUT_MS = 30_000  # how long a SQLite writer waits for another process's transaction
MIGRATION_WAIT_SECONDS = 600.0  # how long opening a database waits for another one migrating it

A, AC, AA = schema.articles, schema.actors, schema.article_actors
E, EA, EK, Q = schema.events, schema.event_actors, schema.event_keys, schema.quotes

# The "article" object of the JSON record, without the (long) text: one row of articles().
ARTICLE_LIST_FIELDS = ("id", "source_path", "url", "outlet", "reprint", "reprint_of", "title",
                       "published", "published_note", "language", "story_id", "ingested_at")


class Store:
    """An eventwire database, migrated to the newest schema on open.

    ``Store("eventwire.db")``, ``Store("sqlite:///path.db")`` or
    ``Store("postgresql+psycopg://user@host:5432/db")``; ``None`` takes
    ``Settings().database_url`` (environment variable ``EVENTWIRE_DB``).
    """

    def __init__(self, url: str | None = None, migrate: bool = True, engine: Engine | None = None):
        self.url = Settings.normalise_db(url or Settings().database_url)
        try:
            self.engine: Engine = engine or _create_engine(self.url)
            if migrate:
                self.migrate()
        except SQLAlchemyError as exc:
            raise StoreError(f"cannot open the database: {exc.__class__.__name__}: {exc}",
                             origin=_display_url(self.url)) from exc

    @classmethod
    def open(cls, url: str | None = None) -> "Store":
        """Open (and migrate) the database at ``url``."""
        return cls(url)

    def migrate(self) -> None:
        """Run the Alembic migrations under eventwire/store/migrations up to head.

        A database already at head is only read. Otherwise the migration runs in one
        transaction that holds the database's write lock (SQLite ``BEGIN IMMEDIATE``,
        a PostgreSQL advisory lock), so processes opening a new database together
        create its tables once, and no descriptor of the database file is ever opened
        outside SQLite (closing one would drop SQLite's own POSIX locks).
        """
        from alembic import command
        from alembic.config import Config
        from alembic.script import ScriptDirectory

        config = Config()
        config.set_main_option("script_location", str(MIGRATIONS))
        head = ScriptDirectory.from_config(config).get_current_head()
        if self._revision() == head:
            return
        with self.write_transaction(wait_seconds=MIGRATION_WAIT_SECONDS) as connection:
            if _revision_of(connection) == head:  # another process migrated meanwhile
                return
            config.attributes["connection"] = connection
            command.upgrade(config, "head")

    def _revision(self) -> str | None:
        with self.engine.connect() as connection:
            return _revision_of(connection)

    @contextmanager
    def write_transaction(self, wait_seconds: float | None = None) -> Iterator[Connection]:
        """A transaction that holds the database's write lock from its first statement.

        Writers that read before they write (linking an article to its story) take it,
        so two processes never decide on the same stale state: on SQLite it is
        ``BEGIN IMMEDIATE`` (waiting up to the busy timeout, or ``wait_seconds``), on
        PostgreSQL a transaction-scoped advisory lock shared by every eventwire writer.
        """
        with self.engine.begin() as connection:
            if self.dialect == "sqlite":
                if wait_seconds is not None:
                    connection.exec_driver_sql(f"PRAGMA busy_timeout={int(wait_seconds * 1000)}")
                try:
                    connection.exec_driver_sql("BEGIN IMMEDIATE")
                finally:
                    if wait_seconds is not None:
                        connection.exec_driver_sql(f"PRAGMA busy_timeout={BUSY_TIMEOUT_MS}")
            elif self.dialect == "postgresql":
                connection.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": WRITE_LOCK})
            yield connection

    def close(self) -> None:
        self.engine.dispose()

    def __enter__(self) -> "Store":
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    @property
    def dialect(self) -> str:
        return self.engine.dialect.name

    @property
    def keeps_summaries(self) -> bool:
        """Whether the writers keep dyad_happenings and store_totals here: a migrated SQLite or
        PostgreSQL store, not a read-only view of Parquet files."""
        return self.dialect in ("sqlite", "postgresql")

    @property
    def safe_url(self) -> str:
        """The database URL without its password, for messages."""
        return _display_url(self.url)

    # --- writing -----------------------------------------------------------

    def save(self, article: Article) -> bool:
        """Store one article with its actors, events and quotes, in its own transaction.

        Idempotent by ``article.id`` (the content hash): an article already stored is
        left as it is and ``False`` is returned; a new one returns ``True``.
        """
        with self.engine.begin() as conn:
            return self._insert(conn, article)

    def save_many(self, articles: Iterable[Article], chunk: int = 500) -> tuple[int, int]:
        """Store many articles, ``chunk`` to a transaction, their rows inserted together: the
        bulk path (``eventwire load``, benchmarks). Same rows and the same idempotency as
        :meth:`save`; returns (new, already stored)."""
        new = existing = 0
        iterator = iter(articles)
        while batch := list(islice(iterator, chunk)):
            with self.engine.begin() as conn:
                stored = {i for part in _parts([a.id for a in batch], 500)
                          for (i,) in conn.execute(select(A.c.id).where(A.c.id.in_(part)))}
                fresh = list({a.id: a for a in batch if a.id not in stored}.values())
                existing += len(batch) - len(fresh)
                for article in fresh:
                    self._insert_article(conn, article)
                self._insert_records(conn, fresh)
                new += len(fresh)
        return new, existing

    def _insert(self, conn, article: Article) -> bool:
        if not self._insert_article(conn, article):
            return False
        self._insert_records(conn, [article])
        return True

    def _insert_article(self, conn, article: Article) -> bool:
        """The article row (False when it is there already), its outlet name resolved."""
        outlet_names.resolve(conn, article)
        inserted = conn.execute(self._insert_ignore(A, ["id"]).returning(A.c.id),
                                _article_row(article)).first()
        if inserted is None:
            return False
        renamed = outlet_names.learn(conn, article)
        if renamed:
            from ..stories.linking import refresh_articles
            refresh_articles(conn, renamed)
        return True

    def _insert_records(self, conn, articles: list[Article]) -> None:
        """Actors, events (with their actors and keys) and quotes of newly inserted articles."""
        tables = record_rows(articles)
        if tables["actors"]:
            # in id order: two PostgreSQL writers sharing actors then wait, never deadlock
            conn.execute(self._insert_ignore(AC, ["id"]), sorted(tables["actors"], key=lambda a: a["id"]))
        for name in ("article_actors", "events", "event_actors", "event_keys", "event_pairs",
                     "quotes"):
            if tables[name]:
                conn.execute(schema.metadata.tables[name].insert(), tables[name])
        happenings.insert_new(conn, tables["event_pairs"])
        totals.add(conn, len(articles), tables["events"], len(tables["quotes"]))

    def save_all(self, articles: Iterable[Article]) -> tuple[int, int]:
        """Save each article in its own transaction; return (new, already stored)."""
        new = existing = 0
        for article in articles:
            if self.save(article):
                new += 1
            else:
                existing += 1
        return new, existing

    def _insert_ignore(self, table, keys: list[str]):
        """INSERT that skips rows whose primary key already exists (SQLite and PostgreSQL)."""
        if self.dialect == "postgresql":
            from sqlalchemy.dialects.postgresql import insert
        else:
            from sqlalchemy.dialects.sqlite import insert
        return insert(table).on_conflict_do_nothing(index_elements=keys)

    # --- reading one article -------------------------------------------------

    def has_article(self, article_id: str) -> bool:
        with self.engine.connect() as conn:
            return conn.execute(select(A.c.id).where(A.c.id == article_id)).first() is not None

    def get_article(self, article_id: str) -> Article | None:
        """The full record of one article (``Article.to_dict()`` gives its JSON), or None."""
        with self.engine.connect() as conn:
            row = conn.execute(select(A).where(A.c.id == article_id)).mappings().first()
            if row is None:
                return None
            article = Article(
                id=row["id"], text=row["text"], source_path=row["source_path"], url=row["url"],
                outlet=row["outlet"], reprint=bool(row["reprint"]), title=row["title"],
                published=row["published"], published_note=row["published_note"],
                language=row["language"], removed=list(row["removed"] or []))
            article.mentions = [ActorMention(**m) for m in row["mentions"] or []]
            actor_rows = conn.execute(
                select(AC).join(AA, AA.c.actor_id == AC.c.id)
                .where(AA.c.article_id == article_id).order_by(AA.c.position, AC.c.id)).mappings()
            article.actors = [Actor(**dict(r)) for r in actor_rows]
            event_rows = conn.execute(
                select(E).where(E.c.article_id == article_id).order_by(E.c.start, E.c.id)).mappings()
            article.events = [Event.from_dict(d) for d in _event_dicts(conn, list(event_rows))]
            quote_rows = conn.execute(
                select(Q).where(Q.c.article_id == article_id).order_by(Q.c.start, Q.c.id)).mappings()
            article.quotes = [Quote.from_dict(_quote_dict(r)) for r in quote_rows]
        return article

    def article_ids(self) -> Iterator[str]:
        """Every stored article id, oldest publication first."""
        with self.engine.connect() as conn:
            ids = conn.execute(select(A.c.id).order_by(A.c.published.asc().nulls_last(), A.c.id))
            yield from (i for (i,) in ids.all())

    # --- lists with filters --------------------------------------------------

    def articles(self, outlet: str | None = None, since: str | None = None,
                 until: str | None = None, q: str | None = None, story: str | None = None,
                 limit: int | None = 50, offset: int = 0) -> list[dict[str, Any]]:
        """Articles, newest first: the "article" object without its text, plus
        ``story_id``, ``reprint_of``, ``ingested_at``, ``event_count`` and ``quote_count``."""
        where = _article_filters(outlet, since, until, q, story)
        event_count = select(func.count()).where(E.c.article_id == A.c.id).scalar_subquery()
        quote_count = select(func.count()).where(Q.c.article_id == A.c.id).scalar_subquery()
        query = (select(*(A.c[name] for name in ARTICLE_LIST_FIELDS),
                        event_count.label("event_count"), quote_count.label("quote_count"))
                 .where(*where)
                 .order_by(A.c.published.desc().nulls_last(), A.c.id))
        with self.engine.connect() as conn:
            rows = conn.execute(_page(query, limit, offset)).mappings().all()
        return [dict(r, reprint=bool(r["reprint"])) for r in rows]

    def count_articles(self, outlet: str | None = None, since: str | None = None,
                       until: str | None = None, q: str | None = None,
                       story: str | None = None) -> int:
        """How many articles ``articles()`` would list without limit and offset."""
        return self._count(select(func.count()).select_from(A).where(
            *_article_filters(outlet, since, until, q, story)))

    def events(self, actor: str | None = None, source: str | None = None,
               target: str | None = None, type: str | None = None, outlet: str | None = None,
               since: str | None = None, until: str | None = None, q: str | None = None,
               factual_only: bool = False, article_id: str | None = None,
               both_sides: bool = False, international: bool = False,
               min_confidence: float | None = None, limit: int | None = 50, offset: int = 0,
               after: str | None = None) -> list[dict[str, Any]]:
        """Events, newest first: each the event record plus ``article_id``, ``outlet``,
        ``published`` and ``title`` of its article.

        ``actor`` matches a country code, an actor id or an actor name on either side;
        ``source``/``target`` the same on one side. ``since``/``until`` (YYYY-MM-DD,
        inclusive) apply to the event date, or the article date when the event has none.
        ``min_confidence`` keeps events scored at least that confident (unscored ones stay).
        ``after`` (the ``cursor`` of the last event of the previous page, see
        :func:`event_cursor`) pages by key instead of offset: each page costs the same.
        """
        filters = dict(actor=actor, source=source, target=target, type=type, outlet=outlet,
                       since=since, until=until, q=q, factual_only=factual_only,
                       article_id=article_id, both_sides=both_sides,
                       international=international, min_confidence=min_confidence)
        with self.engine.connect() as conn:
            # with a type, the actor's range of event_keys by key, type and date is narrow already
            if limit and (actor or source or target) and not type:
                bound = _newest_bound(conn, filters, after, limit + offset)
                if bound and (not since or bound > _day(since)):
                    filters["since"] = bound
            where = _event_filters(**filters)
            if after:
                where.append(_after_cursor(after))
            query = (select(E, A.c.outlet, A.c.published, A.c.title)
                     .join(A, A.c.id == E.c.article_id).where(*where)
                     .order_by(_event_date().desc().nulls_last(), E.c.article_id, E.c.start, E.c.id))
            rows = conn.execute(_page(query, limit, offset)).mappings().all()
            return _event_dicts(conn, rows, with_article=True)

    def count_events(self, actor: str | None = None, source: str | None = None,
                     target: str | None = None, type: str | None = None, outlet: str | None = None,
                     since: str | None = None, until: str | None = None, q: str | None = None,
                     factual_only: bool = False, article_id: str | None = None,
                     both_sides: bool = False, international: bool = False,
                     min_confidence: float | None = None) -> int:
        """How many events ``events()`` would list without limit and offset.

        Filtered by one actor (or source, or target) and at most type, dates and confidence, the
        count is read from the actor's range of event_keys alone (they carry the event's type,
        date and confidence), not from the events."""
        sides = [(value, role) for value, role in ((actor, None), (source, "source"),
                                                   (target, "target")) if value]
        if (len(sides) == 1 and not (outlet or q or factual_only or article_id or both_sides
                                     or international) and self.keeps_summaries):
            return self._count(select(func.count(func.distinct(EK.c.event_id))).where(
                *_key_filters(*sides[0], type, since, until, min_confidence)))
        tables = E.join(A, A.c.id == E.c.article_id) if outlet else E
        return self._count(select(func.count()).select_from(tables)
                           .where(*_event_filters(actor, source, target, type, outlet, since,
                                                  until, q, factual_only, article_id, both_sides,
                                                  international, min_confidence)))

    def quotes(self, speaker: str | None = None, country: str | None = None,
               outlet: str | None = None, since: str | None = None, until: str | None = None,
               q: str | None = None, article_id: str | None = None,
               limit: int | None = 50, offset: int = 0) -> list[dict[str, Any]]:
        """Quotes, newest article first: each the quote record plus ``article_id``,
        ``outlet``, ``published`` and ``title``.

        ``speaker`` matches the speaker's actor id exactly or part of the speaker's
        name or text; ``country`` the speaker's country code.
        """
        where = _quote_filters(speaker, country, outlet, since, until, q, article_id)
        query = (select(Q, A.c.outlet, A.c.published, A.c.title)
                 .join(A, A.c.id == Q.c.article_id).where(*where)
                 .order_by(A.c.published.desc().nulls_last(), Q.c.article_id, Q.c.start, Q.c.id))
        with self.engine.connect() as conn:
            rows = conn.execute(_page(query, limit, offset)).mappings().all()
        return [dict(_quote_dict(r), article_id=r["article_id"], outlet=r["outlet"],
                     published=r["published"], title=r["title"]) for r in rows]

    def count_quotes(self, speaker: str | None = None, country: str | None = None,
                     outlet: str | None = None, since: str | None = None,
                     until: str | None = None, q: str | None = None,
                     article_id: str | None = None) -> int:
        """How many quotes ``quotes()`` would list without limit and offset."""
        return self._count(select(func.count()).select_from(Q.join(A, A.c.id == Q.c.article_id))
                           .where(*_quote_filters(speaker, country, outlet, since, until, q,
                                                  article_id)))

    def actors(self, country: str | None = None, kind: str | None = None, q: str | None = None,
               limit: int | None = 50, offset: int = 0) -> list[dict[str, Any]]:
        """Actors, most active first: each the actor record plus ``event_count``,
        ``quote_count`` and ``article_count``."""
        event_count = (select(func.count(func.distinct(EA.c.event_id)))
                       .where(EA.c.actor_id == AC.c.id).scalar_subquery())
        quote_count = select(func.count()).where(Q.c.speaker_actor_id == AC.c.id).scalar_subquery()
        article_count = select(func.count()).where(AA.c.actor_id == AC.c.id).scalar_subquery()
        query = (select(AC, event_count.label("event_count"), quote_count.label("quote_count"),
                        article_count.label("article_count"))
                 .where(*_actor_filters(country, kind, q))
                 .order_by(event_count.desc(), quote_count.desc(), article_count.desc(), AC.c.id))
        with self.engine.connect() as conn:
            return [dict(r) for r in conn.execute(_page(query, limit, offset)).mappings()]

    def count_actors(self, country: str | None = None, kind: str | None = None,
                     q: str | None = None) -> int:
        """How many actors ``actors()`` would list without limit and offset."""
        return self._count(select(func.count()).select_from(AC)
                           .where(*_actor_filters(country, kind, q)))

    # --- summaries -----------------------------------------------------------

    def counts(self) -> dict[str, int]:
        """Row counts: articles, outlets, actors, events, factual_events, quotes, stories.

        Articles, events and quotes come from the running totals the writers keep
        (store/totals.py) where the database has them, not from counting the tables."""
        factual = and_(~E.c.negated, ~E.c.future, ~E.c.hypothetical, ~E.c.historical)
        with self.engine.connect() as conn:
            one = lambda query: int(conn.execute(query).scalar() or 0)  # noqa: E731
            kept = totals.read(conn) if self.keeps_summaries else {}
            counted = {
                "articles": lambda: one(select(func.count()).select_from(A)),
                "outlets": lambda: one(select(func.count(func.distinct(A.c.outlet)))),
                "actors": lambda: one(select(func.count()).select_from(AC)),
                "events": lambda: one(select(func.count()).select_from(E)),
                "factual_events": lambda: one(select(func.count()).select_from(E).where(factual)),
                "quotes": lambda: one(select(func.count()).select_from(Q)),
                "stories": lambda: one(select(func.count()).select_from(schema.stories)),
            }
            return {name: kept[name] if name in kept else count() for name, count in counted.items()}

    def outlet_counts(self, limit: int | None = None) -> list[dict[str, Any]]:
        """Articles per outlet, most first: ``{"outlet", "articles"}``."""
        n = func.count().label("articles")
        query = select(A.c.outlet, n).group_by(A.c.outlet).order_by(n.desc(), A.c.outlet)
        with self.engine.connect() as conn:
            return [dict(r) for r in conn.execute(_page(query, limit, 0)).mappings()]

    def event_type_counts(self, factual_only: bool = False,
                          min_confidence: float | None = None) -> list[dict[str, Any]]:
        """Events per PLOVER type, most first: ``{"type", "events"}``."""
        n = func.count().label("events")
        query = (select(E.c.type, n).where(*_event_filters(factual_only=factual_only,
                                                           min_confidence=min_confidence))
                 .group_by(E.c.type).order_by(n.desc(), E.c.type))
        with self.engine.connect() as conn:
            return [dict(r) for r in conn.execute(query).mappings()]

    def dyads(self, limit: int | None = 10, factual_only: bool = False,
              min_confidence: float | None = None) -> list[dict[str, Any]]:
        """Most frequent (source, target) pairs, each side its country code, else actor id,
        else name: ``{"source", "target", "events"}``."""
        s, t = EA.alias("s"), EA.alias("t")
        s_key = func.coalesce(s.c.country, s.c.actor_id, s.c.name)
        t_key = func.coalesce(t.c.country, t.c.actor_id, t.c.name)
        pairs = (select(s.c.event_id, s_key.label("a"), t_key.label("b"), E.c.reciprocal)
                 .join(t, and_(t.c.event_id == s.c.event_id, t.c.role == "target"))
                 .join(E, E.c.id == s.c.event_id)
                 .where(s.c.role == "source", s_key.isnot(None), t_key.isnot(None),
                        *_event_filters(factual_only=factual_only, min_confidence=min_confidence))).subquery()
        # a reciprocal event counts in both directions
        directed = union_all(select(pairs.c.event_id, pairs.c.a.label("source"), pairs.c.b.label("target")),
                             select(pairs.c.event_id, pairs.c.b, pairs.c.a).where(pairs.c.reciprocal)
                             ).subquery()
        n = func.count(func.distinct(directed.c.event_id)).label("events")
        query = (select(directed.c.source, directed.c.target, n)
                 .group_by(directed.c.source, directed.c.target)
                 .order_by(n.desc(), directed.c.source, directed.c.target))
        with self.engine.connect() as conn:
            return [dict(r) for r in conn.execute(_page(query, limit, 0)).mappings()]

    def _count(self, query: Select) -> int:
        with self.engine.connect() as conn:
            return int(conn.execute(query).scalar() or 0)


# --- engine ------------------------------------------------------------------

def _revision_of(connection) -> str | None:
    """The Alembic revision a database is at (None for an empty one)."""
    from alembic.runtime.migration import MigrationContext
    return MigrationContext.configure(connection).get_current_revision()


def _create_engine(url: str) -> Engine:
    if not url.startswith("sqlite"):
        return create_engine(url, pool_pre_ping=True)
    path = url.split(":///", 1)[1] if ":///" in url else ""
    if path in ("", ":memory:"):
        engine = create_engine(url, poolclass=StaticPool,
                               connect_args={"check_same_thread": False})
    else:
        Path(path).expanduser().parent.mkdir(parents=True, exist_ok=True)
        engine = create_engine(url, connect_args={"check_same_thread": False})

    @event.listens_for(engine, "connect")
    def _sqlite_pragmas(dbapi_connection, _record) -> None:
        # The busy timeout first: switching a new file to WAL waits for another process
        # doing the same. Foreign keys for ON DELETE CASCADE; WAL so readers (the web
        # server) never block a writer; FULL sync so a committed article (an acknowledged
        # POST) survives a power cut, not only a crash of the process.
        cursor = dbapi_connection.cursor()
        cursor.execute(f"PRAGMA busy_timeout={BUSY_TIMEOUT_MS}")
        cursor.execute("PRAGMA foreign_keys=ON")
        if path not in ("", ":memory:"):
            _switch_to_wal(cursor)
            cursor.execute("PRAGMA synchronous=FULL")
        cursor.close()

    return engine


def _switch_to_wal(cursor) -> None:
    """WAL mode for a database file. SQLite can answer "database is locked" to this switch
    at once, without its busy handler, while another connection opens the same new file;
    so it is retried until the busy timeout."""
    import sqlite3
    import time
    deadline = time.monotonic() + BUSY_TIMEOUT_MS / 1000
    while True:
        try:
            cursor.execute("PRAGMA journal_mode=WAL")
            return
        except sqlite3.OperationalError as exc:
            if "locked" not in str(exc) or time.monotonic() > deadline:
                raise
            time.sleep(0.05)


def _display_url(url: str) -> str:
    """The URL without a password, for error messages."""
    from sqlalchemy.engine import make_url
    try:
        return make_url(url).render_as_string(hide_password=True)
    except Exception:
        return url


# --- rows <-> records ----------------------------------------------------------

RECORD_TABLES = ("articles", "actors", "article_actors", "events", "event_actors", "event_keys",
                 "event_pairs", "quotes")


def record_rows(articles: Iterable[Article]) -> dict[str, list[dict[str, Any]]]:
    """The rows articles take in each table of the store (RECORD_TABLES), as ``save`` writes
    them; also the rows of the Parquet tables of a Spark run (eventwire.spark)."""
    tables: dict[str, list[dict[str, Any]]] = {name: [] for name in RECORD_TABLES}
    actors: dict[str, dict[str, Any]] = {}
    for article in articles:
        tables["articles"].append(_article_row(article))
        own = {a.id: a for a in article.actors}
        actors.update({a.id: _actor_fields(a) for a in own.values() if a.id not in actors})
        tables["article_actors"] += [{"article_id": article.id, "actor_id": actor_id, "position": i}
                                     for i, actor_id in enumerate(own)]
        for e in article.events:
            tables["events"].append(_event_row(article.id, e, article.published))
            tables["event_actors"] += [_event_actor_row(e.id, role, i, m)
                                       for role, mentions in (("source", e.source), ("target", e.target))
                                       for i, m in enumerate(mentions)]
            tables["event_keys"] += event_key_rows(e, article.published)
            tables["event_pairs"] += event_pair_rows(e, article.published)
        tables["quotes"] += [_quote_row(article.id, q) for q in article.quotes]
    tables["actors"] = list(actors.values())
    return tables


def _article_row(article: Article) -> dict[str, Any]:
    return {
        "id": article.id, "source_path": article.source_path, "url": article.url,
        "outlet": article.outlet, "reprint": bool(article.reprint), "title": article.title,
        "published": article.published, "published_note": article.published_note,
        "language": article.language, "text": article.text, "removed": list(article.removed),
        "mentions": [_mention_fields(m) for m in getattr(article, "mentions", [])],
        "ingested_at": dt.datetime.now(dt.timezone.utc).isoformat(timespec="seconds"),
    }


def _mention_fields(m: ActorMention) -> dict[str, Any]:
    # plain attribute reads: dataclasses.asdict deep-copies and is slow on thousands of rows
    return {"text": m.text, "name": m.name, "country": m.country, "sector": m.sector,
            "actor_id": m.actor_id, "start": m.start, "end": m.end}


def _actor_fields(a: Actor) -> dict[str, Any]:
    return {"id": a.id, "name": a.name, "kind": a.kind, "country": a.country, "sector": a.sector,
            "role": a.role}


def _event_row(article_id: str, e, published: str | None = None) -> dict[str, Any]:
    return {
        "id": e.id, "article_id": article_id, "sort_date": e.date or published,
        "type": e.type, "mode": e.mode,
        "contexts": list(e.contexts), "date": e.date, "date_note": e.date_note,
        "location": ({"name": e.location.name, "country": e.location.country,
                      "geonameid": e.location.geonameid, "latitude": e.location.latitude,
                      "longitude": e.location.longitude} if e.location else None),
        "negated": e.modality.negated, "future": e.modality.future,
        "hypothetical": e.modality.hypothetical, "historical": e.modality.historical,
        "generic": e.modality.generic, "date_basis": e.date_basis, "tense": e.tense, "aspect": e.aspect,
        "reciprocal": e.reciprocal, "both_sides": e.both_sides, "international": e.international,
        "confidence": e.confidence,
        "sentence": e.evidence.sentence, "start": e.evidence.start, "end": e.evidence.end,
        "cameo": e.cameo, "score": e.score, "trigger": e.trigger,
    }


def _event_actor_row(event_id: str, role: str, position: int, m: ActorMention) -> dict[str, Any]:
    return {"event_id": event_id, "role": role, "position": position, "text": m.text,
            "name": m.name, "country": m.country, "sector": m.sector, "actor_id": m.actor_id,
            "start": m.start, "end": m.end}


def _quote_row(article_id: str, q: Quote) -> dict[str, Any]:
    sp = q.speaker
    return {
        "id": q.id, "article_id": article_id, "text": q.text, "kind": q.kind, "cue": q.cue,
        "start": q.start, "end": q.end,
        "speaker_text": sp.text if sp else None, "speaker_name": sp.name if sp else None,
        "speaker_country": sp.country if sp else None, "speaker_sector": sp.sector if sp else None,
        "speaker_actor_id": sp.actor_id if sp else None,
        "speaker_start": sp.start if sp else None, "speaker_end": sp.end if sp else None,
    }


def _mention_dict(r) -> dict[str, Any]:
    return {"text": r["text"], "name": r["name"], "country": r["country"], "sector": r["sector"],
            "actor_id": r["actor_id"], "start": r["start"], "end": r["end"]}


def _event_dicts(conn, rows, with_article: bool = False) -> list[dict[str, Any]]:
    """Event records (``Event.to_dict`` shape) for event rows, with their actors in one query."""
    sides: dict[str, dict[str, list]] = defaultdict(lambda: {"source": [], "target": []})
    ids = [r["id"] for r in rows]
    for chunk in (ids[i:i + 500] for i in range(0, len(ids), 500)):
        query = select(EA).where(EA.c.event_id.in_(chunk)).order_by(EA.c.event_id, EA.c.role,
                                                                    EA.c.position)
        for r in conn.execute(query).mappings():
            sides[r["event_id"]][r["role"]].append(_mention_dict(r))
    records = []
    for r in rows:
        record = {
            "id": r["id"], "type": r["type"], "mode": r["mode"], "contexts": list(r["contexts"] or []),
            "source": sides[r["id"]]["source"], "target": sides[r["id"]]["target"],
            "reciprocal": bool(r["reciprocal"]), "both_sides": bool(r["both_sides"]),
            "international": bool(r["international"]),
            "date": r["date"], "date_basis": r["date_basis"] or "none", "date_note": r["date_note"],
            "tense": r["tense"] or "none", "aspect": r["aspect"] or "simple", "location": r["location"],
            "modality": {"negated": bool(r["negated"]), "future": bool(r["future"]),
                         "hypothetical": bool(r["hypothetical"]),
                         "historical": bool(r["historical"]), "generic": bool(r["generic"])},
            "evidence": {"sentence": r["sentence"], "start": r["start"], "end": r["end"]},
            "cameo": r["cameo"], "score": r["score"], "trigger": r["trigger"],
            "confidence": r["confidence"],
        }
        if with_article:
            record.update(article_id=r["article_id"], outlet=r["outlet"],
                          published=r["published"], title=r["title"])
        records.append(record)
    return records


def _quote_dict(r) -> dict[str, Any]:
    speaker = None
    if any(r[k] is not None for k in ("speaker_text", "speaker_name", "speaker_actor_id")):
        speaker = {"text": r["speaker_text"], "name": r["speaker_name"],
                   "country": r["speaker_country"], "sector": r["speaker_sector"],
                   "actor_id": r["speaker_actor_id"], "start": r["speaker_start"],
                   "end": r["speaker_end"]}
    return {"id": r["id"], "text": r["text"], "kind": r["kind"], "speaker": speaker,
            "cue": r["cue"], "start": r["start"], "end": r["end"]}


# --- filters -------------------------------------------------------------------

def _contains(column, text: str) -> ColumnElement:
    """Case-insensitive substring match, with LIKE wildcards in ``text`` taken literally."""
    escaped = text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return column.ilike(f"%{escaped}%", escape="\\")


def _day(value) -> str:
    return value.isoformat() if isinstance(value, dt.date) else str(value)


def _parts(values: list, size: int) -> Iterator[list]:
    for start in range(0, len(values), size):
        yield values[start:start + size]


def _page(query: Select, limit: int | None, offset: int) -> Select:
    if limit is not None:
        query = query.limit(limit)
    return query.offset(offset) if offset else query


def _article_filters(outlet, since, until, q, story) -> list[ColumnElement]:
    where = []
    if outlet:
        where.append(func.lower(A.c.outlet) == outlet.lower())
    if since:
        where.append(A.c.published >= _day(since))
    if until:
        where.append(A.c.published <= _day(until))
    if q:
        where.append(or_(_contains(A.c.title, q), _contains(A.c.text, q)))
    if story:
        where.append(A.c.story_id == story)
    return where


def _event_date() -> ColumnElement:
    """The event date, else the article's publication date (stored, indexed)."""
    return E.c.sort_date


def actor_keys(value: str) -> list[str]:
    """The event_keys an actor filter value matches: the country code, actor id or name."""
    return list(dict.fromkeys(["c:" + value.upper(), "i:" + value, "n:" + value.lower()]))


def event_key_rows(event: Event, published: str | None = None) -> list[dict[str, Any]]:
    """The event_keys rows of an event: each actor under its country, id and lower-cased name;
    a reciprocal event's actors on both sides."""
    found: dict[tuple[str, str], None] = {}
    for role, mentions in (("source", event.source), ("target", event.target)):
        roles = ("source", "target") if event.reciprocal else (role,)
        for m in mentions:
            keys = [k for k in (m.country and "c:" + m.country, m.actor_id and "i:" + m.actor_id,
                                m.name and "n:" + m.name.lower()) if k]
            found.update(dict.fromkeys((r, k) for r in roles for k in keys))
    sort_date = event.date or published
    return [{"event_id": event.id, "role": role, "key": key, "type": event.type,
             "sort_date": sort_date, "confidence": event.confidence} for role, key in found]


def event_pair_rows(event: Event, published: str | None = None) -> list[dict[str, Any]]:
    """The event_pairs rows of an event: each (source, target) pair of its actors by country
    code and actor id; a reciprocal event's pairs also the other way round."""
    found: dict[tuple[str, str], dict[str, Any]] = {}
    m = event.modality
    directions = [(event.source, event.target, True)]
    if event.reciprocal:
        directions.append((event.target, event.source, False))
    for firsts, seconds, forward in directions:
        for s in firsts:
            for t in seconds:
                for a in dict.fromkeys(k for k in (s.country, s.actor_id) if k):
                    for b in dict.fromkeys(k for k in (t.country, t.actor_id) if k):
                        if (a, b) not in found or forward:
                            found[(a, b)] = {
                                "a": a, "b": b, "event_id": event.id, "type": event.type,
                                "sort_date": event.date or published, "score": event.score,
                                "happened": not (m.negated or m.future or m.hypothetical),
                                "reciprocal": bool(event.reciprocal), "forward": forward,
                                "confidence": event.confidence, "canonical_id": None}
    return list(found.values())


def _actor_side(value: str, role: str | None, type: str | None = None, since=None,
                until=None) -> ColumnElement:
    """The event has an actor matching ``value`` (on ``role``'s side, or either): an index
    range of event_keys, narrowed by the type and dates the list is filtered on too."""
    return E.c.id.in_(select(EK.c.event_id).where(*_key_filters(value, role, type, since, until)))


def _key_filters(value: str, role: str | None, type: str | None = None, since=None, until=None,
                 min_confidence: float | None = None) -> list[ColumnElement]:
    """event_keys rows of an actor matching ``value`` (on ``role``'s side, or either), of a type,
    dates and confidence (unscored events stay) as the event filters take them."""
    where = [EK.c.key.in_(actor_keys(value))]
    if role:
        where.append(EK.c.role == role)
    if type:
        where.append(EK.c.type == type.upper())
    if since:
        where.append(EK.c.sort_date >= _day(since))
    if until:
        where.append(EK.c.sort_date <= _day(until))
    if min_confidence:
        where.append(or_(EK.c.confidence.is_(None), EK.c.confidence >= float(min_confidence)))
    return where


def _newest_bound(conn, filters: dict[str, Any], after: str | None, wanted: int) -> str | None:
    """A date that the ``wanted`` newest events of an actor-filtered list are all on or after,
    found cheaply: the list reads the actor's event_keys from that date on only, not all of
    them before sorting (a busy actor has a hundred thousand).

    Each (key, side) of the actor is a range of event_keys in date order whose rows are
    distinct events; the date of the ``wanted``-th match (all filters applied) in any one of
    them has ``wanted`` matches on or after it, so the newest ``wanted`` are there too.
    """
    value, role = next((filters[name], side) for name, side in
                       (("actor", None), ("source", "source"), ("target", "target"))
                       if filters[name])
    driver = "actor" if role is None else role
    rest = _event_filters(**{**filters, driver: None})
    newest = None
    if after:
        newest = _cursor_date(after)
        if newest is None:  # past the dated events: the rest are undated
            return None
        rest.append(_after_cursor(after))
    tables = EK.join(E, E.c.id == EK.c.event_id)
    if filters["outlet"]:
        tables = tables.join(A, A.c.id == E.c.article_id)
    bounds = []
    for key in actor_keys(value):
        for side in (role,) if role else ("source", "target"):
            probe = (select(EK.c.sort_date).select_from(tables)
                     .where(EK.c.key == key, EK.c.role == side, EK.c.sort_date.isnot(None), *rest)
                     .order_by(EK.c.sort_date.desc()).offset(wanted - 1).limit(1))
            if newest:
                probe = probe.where(EK.c.sort_date <= newest)
            if filters["since"]:
                probe = probe.where(EK.c.sort_date >= _day(filters["since"]))
            if filters["until"]:
                probe = probe.where(EK.c.sort_date <= _day(filters["until"]))
            found = conn.execute(probe).scalar()
            if found is not None:
                bounds.append(found)
    return max(bounds, default=None)


def event_cursor(record: dict[str, Any]) -> str:
    """The keyset cursor of an event record of ``Store.events``: pass it as ``after``."""
    import base64
    import json
    key = [record.get("sort_date") or record.get("date") or record.get("published"),
           record["article_id"], record["evidence"]["start"], record["id"]]
    return base64.urlsafe_b64encode(json.dumps(key).encode()).decode().rstrip("=")


def _read_cursor(cursor: str) -> tuple[str | None, str, int, str]:
    """(date, article id, start, event id) of a cursor of :func:`event_cursor`."""
    import base64
    import binascii
    import json
    try:
        date, article, start, event_id = json.loads(
            base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)))
    except (ValueError, TypeError, binascii.Error):
        raise ValueError(f"not a cursor of this event list: {cursor!r}") from None
    return date, article, start, event_id


def _cursor_date(cursor: str) -> str | None:
    return _read_cursor(cursor)[0]


def _after_cursor(cursor: str) -> ColumnElement:
    """Events after the cursor's event in the list order (date newest first, undated last)."""
    date, article, start, event_id = _read_cursor(cursor)
    later = tuple_(E.c.article_id, E.c.start, E.c.id) > tuple_(article, start, event_id)
    if date is None:
        return and_(E.c.sort_date.is_(None), later)
    return or_(E.c.sort_date < date, E.c.sort_date.is_(None), and_(E.c.sort_date == date, later))


def _event_filters(actor=None, source=None, target=None, type=None, outlet=None, since=None,
                   until=None, q=None, factual_only=False, article_id=None, both_sides=False,
                   international=False, min_confidence=None) -> list[ColumnElement]:
    where = []
    if min_confidence:  # events never scored (no model) stay visible
        where.append(or_(E.c.confidence.is_(None), E.c.confidence >= float(min_confidence)))
    # event_keys hold a reciprocal event's actors on both sides: its target acts on its source
    for value, role in ((actor, None), (source, "source"), (target, "target")):
        if value:
            where.append(_actor_side(value, role, type, since, until))
    if both_sides:
        where.append(E.c.both_sides)
    if international:
        where.append(E.c.international)
    if type:
        where.append(E.c.type == type.upper())
    if outlet:
        where.append(func.lower(A.c.outlet) == outlet.lower())
    if since:
        where.append(_event_date() >= _day(since))
    if until:
        where.append(_event_date() <= _day(until))
    if q:
        where.append(_contains(E.c.sentence, q))
    if factual_only:
        where.extend([~E.c.negated, ~E.c.future, ~E.c.hypothetical, ~E.c.historical, ~E.c.generic])
    if article_id:
        where.append(E.c.article_id == article_id)
    return where


def _quote_filters(speaker, country, outlet, since, until, q, article_id) -> list[ColumnElement]:
    where = []
    if speaker:
        where.append(or_(Q.c.speaker_actor_id == speaker, _contains(Q.c.speaker_name, speaker),
                         _contains(Q.c.speaker_text, speaker)))
    if country:
        where.append(Q.c.speaker_country == country.upper())
    if outlet:
        where.append(func.lower(A.c.outlet) == outlet.lower())
    if since:
        where.append(A.c.published >= _day(since))
    if until:
        where.append(A.c.published <= _day(until))
    if q:
        where.append(_contains(Q.c.text, q))
    if article_id:
        where.append(Q.c.article_id == article_id)
    return where


def _actor_filters(country, kind, q) -> list[ColumnElement]:
    where = []
    if country:
        where.append(AC.c.country == country.upper())
    if kind:
        where.append(AC.c.kind == kind.lower())
    if q:
        where.append(or_(_contains(AC.c.name, q), _contains(AC.c.id, q)))
    return where
