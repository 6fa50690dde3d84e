"""The database schema of eventwire, in one place (SQLAlchemy Core).

Works on SQLite and PostgreSQL. Changes to it go through an Alembic migration
under ``eventwire/store/migrations``.
"""

from __future__ import annotations

from sqlalchemy import (JSON, BigInteger, Boolean, Column, Float, ForeignKey, Index, Integer,
                        LargeBinary, MetaData, String, Table, Text)

metadata = MetaData()

articles = Table(
    "articles", metadata,
    Column("id", String(32), primary_key=True),  # content hash of the clean text
    Column("source_path", Text),
    Column("url", Text),
    Column("outlet", String(200), index=True),
    Column("reprint", Boolean, nullable=False, default=False),
    Column("reprint_of", String(32)),  # id of the original when this is a near-duplicate
    Column("title", Text),
    Column("published", String(10), index=True),  # YYYY-MM-DD or NULL
    Column("published_note", Text),
    Column("language", String(8)),
    Column("text", Text, nullable=False),
    Column("removed", JSON),  # boilerplate lines removed by extraction
    Column("mentions", JSON),  # actor mentions with offsets (records.ActorMention)
    Column("story_id", String(32), index=True),
    Column("ingested_at", String(32)),
    Column("link_order", Integer),  # position in the order articles were linked to stories
)

actors = Table(
    "actors", metadata,
    Column("id", String(200), primary_key=True),
    Column("name", Text, nullable=False),
    Column("kind", String(20)),
    Column("country", String(3), index=True),
    Column("sector", String(10)),
    Column("role", Text),
)

article_actors = Table(
    "article_actors", metadata,
    Column("article_id", String(32), ForeignKey("articles.id", ondelete="CASCADE"), primary_key=True),
    Column("actor_id", String(200), ForeignKey("actors.id"), primary_key=True),
    Column("position", Integer),  # order of the actor in the article record
)

events = Table(
    "events", metadata,
    Column("id", String(64), primary_key=True),
    Column("article_id", String(32), ForeignKey("articles.id", ondelete="CASCADE"), nullable=False,
           index=True),
    Column("type", String(16), nullable=False, index=True),
    Column("mode", String(40)),
    Column("contexts", JSON),
    Column("date", String(10), index=True),
    Column("date_note", Text),
    Column("location", JSON),
    Column("negated", Boolean, nullable=False, default=False),
    Column("future", Boolean, nullable=False, default=False),
    Column("hypothetical", Boolean, nullable=False, default=False),
    Column("historical", Boolean, nullable=False, default=False),
    Column("generic", Boolean, nullable=False, default=False),
    Column("date_basis", String(12)),
    Column("tense", String(12)),
    Column("aspect", String(20)),
    Column("reciprocal", Boolean, nullable=False, default=False),
    Column("both_sides", Boolean, nullable=False, default=False, index=True),
    Column("international", Boolean, nullable=False, default=False, index=True),
    Column("confidence", Float, index=True),
    Column("sentence", Text, nullable=False),
    Column("start", Integer, nullable=False),
    Column("end", Integer, nullable=False),
    Column("cameo", String(8)),
    Column("score", Float),
    Column("trigger", Text),
    Column("canonical_id", String(64), index=True),  # the merged event across reports
    # the event date, else its article's publication date: what lists sort and filter on
    Column("sort_date", String(10), index=True),
)

event_actors = Table(
    "event_actors", metadata,
    Column("event_id", String(64), ForeignKey("events.id", ondelete="CASCADE"), primary_key=True),
    Column("role", String(6), primary_key=True),  # source | target
    Column("position", Integer, primary_key=True),
    Column("text", Text),
    Column("name", Text),
    Column("country", String(3), index=True),
    Column("sector", String(10)),
    Column("actor_id", String(200), index=True),
    Column("start", Integer),  # offsets of the mention in the article text
    Column("end", Integer),
)

# Every way an event's actor can be asked for, one row each, so that actor filters and dyads
# are index range scans instead of "country or actor id or name" scans of event_actors: key is
# "c:" + country code, "i:" + actor id or "n:" + lower-cased name. A reciprocal event's actors
# are written on both sides (each acts on the other), as the event filters and dyads read it.
event_keys = Table(
    "event_keys", metadata,
    Column("event_id", String(64), ForeignKey("events.id", ondelete="CASCADE"), primary_key=True),
    Column("role", String(6), primary_key=True),  # source | target
    Column("key", Text, primary_key=True),
    Column("type", String(16), nullable=False),
    Column("sort_date", String(10)),  # the event's sort_date, so a filtered list needs no sort
    Column("confidence", Float),  # the event's confidence, so an actor's count reads no events
)

# Every (source, target) pair of an event, by country code or actor id as a dyad names its
# sides, with what a dyad series needs, so that a pair's series is one index range: a
# reciprocal event also runs target -> source. canonical_id follows events.canonical_id.
event_pairs = Table(
    "event_pairs", metadata,
    Column("a", String(200), primary_key=True),
    Column("b", String(200), primary_key=True),
    Column("event_id", String(64), ForeignKey("events.id", ondelete="CASCADE"), primary_key=True,
           index=True),
    Column("type", String(16), nullable=False),
    Column("sort_date", String(10)),
    Column("score", Float),
    Column("happened", Boolean, nullable=False),  # not negated, planned or hypothetical
    Column("reciprocal", Boolean, nullable=False),
    Column("forward", Boolean, nullable=False),  # a is a source as written (not only by reciprocity)
    Column("confidence", Float),
    Column("canonical_id", String(64)),
    sqlite_with_rowid=False,  # rows kept in key order: a pair's rows are read in one sweep
)

# The happenings of each pair as a dyad series counts them, grouped in advance (store/happenings.py):
# one row per pair, direction scope, happening (canonical event, else lone event) and range of
# confidence thresholds with its own events. Directed rows run a -> b; undirected rows have the
# pair's sides in sorted order. Kept up to date by every writer of event_pairs and canonical events.
dyad_happenings = Table(
    "dyad_happenings", metadata,
    Column("a", String(200), primary_key=True),
    Column("b", String(200), primary_key=True),
    Column("directed", Boolean, primary_key=True),
    Column("happening", String(64), primary_key=True),
    Column("level", Integer, primary_key=True, autoincrement=False),
    Column("above", Float),  # the row answers min_confidence > above (None: no lower bound)
    Column("upto", Float),  # ... and <= upto (None: no upper bound)
    Column("type", String(16), nullable=False),
    Column("date", String(10)),  # the canonical date, else the earliest of its events
    Column("score", Float),  # mean score of its events
    Column("reports", Integer, nullable=False),  # articles of the canonical event, else events
    sqlite_with_rowid=False,  # a pair's rows kept together: its series is one sweep
)

quotes = Table(
    "quotes", metadata,
    Column("id", String(64), primary_key=True),
    Column("article_id", String(32), ForeignKey("articles.id", ondelete="CASCADE"), nullable=False,
           index=True),
    Column("text", Text, nullable=False),
    Column("kind", String(10)),
    Column("cue", Text),
    Column("start", Integer),
    Column("end", Integer),
    Column("speaker_text", Text),
    Column("speaker_name", Text),
    Column("speaker_country", String(3), index=True),
    Column("speaker_sector", String(10)),
    Column("speaker_actor_id", String(200), index=True),
    Column("speaker_start", Integer),
    Column("speaker_end", Integer),
)

stories = Table(
    "stories", metadata,
    Column("id", String(32), primary_key=True),
    Column("title", Text),
    Column("first_date", String(10)),
    Column("last_date", String(10)),
    Column("article_count", Integer, default=0),
    Column("outlet_count", Integer, default=0),
    Column("centroid", LargeBinary),  # serialised representation for online clustering
)

canonical_events = Table(
    "canonical_events", metadata,
    Column("id", String(64), primary_key=True),
    Column("type", String(16), nullable=False, index=True),
    Column("date", String(10), index=True),
    Column("source_key", Text),  # sorted actor ids or countries of the sources
    Column("target_key", Text),
    Column("article_count", Integer, default=0),
    Column("outlet_count", Integer, default=0),
    Column("first_reported", String(10)),
    Column("last_reported", String(10)),
    Column("story_id", String(32), index=True),
)

article_signatures = Table(
    "article_signatures", metadata,
    Column("article_id", String(32), ForeignKey("articles.id", ondelete="CASCADE"), primary_key=True),
    Column("minhash", LargeBinary, nullable=False),  # datasketch MinHash hash values
)

story_terms = Table(
    "story_terms", metadata,  # document frequencies of hashed terms, for online TF-IDF (stories)
    Column("term", Integer, primary_key=True, autoincrement=False),  # -1 holds the document count
    Column("df", Integer, nullable=False, default=0),
)

Index("ix_events_type_date", events.c.type, events.c.date)
Index("ix_event_keys_key_type_date", event_keys.c.key, event_keys.c.type, event_keys.c.sort_date)
# an actor's events newest first, a page at a time (Store.events bounds its scan by date), and
# how many an actor has at a confidence, from this index alone (Store.count_events)
Index("ix_event_keys_key_role_date", event_keys.c.key, event_keys.c.role, event_keys.c.sort_date,
      event_keys.c.event_id, event_keys.c.confidence)
# events of canonical events only: in a store not (yet) linked every canonical_id is NULL, and
# the statistics of a full index would make the planner scan rather than look up
Index("ix_event_pairs_canonical", event_pairs.c.canonical_id,
      sqlite_where=event_pairs.c.canonical_id.isnot(None),
      postgresql_where=event_pairs.c.canonical_id.isnot(None))
Index("ix_dyad_happenings_happening", dyad_happenings.c.happening)
# the overview's count of factual events reads this index alone, not the (wide) events rows
Index("ix_events_modality", events.c.negated, events.c.future, events.c.hypothetical,
      events.c.historical, events.c.generic)
Index("ix_article_actors_actor", article_actors.c.actor_id)
Index("ix_stories_dates", stories.c.first_date, stories.c.last_date)
# linking: an undated article is compared with the latest stories; a report finds the
# canonical events of its type and actors
Index("ix_stories_last_date", stories.c.last_date)
# linking gives each article the next link order: max() must not scan the articles (and texts)
Index("ix_articles_link_order", articles.c.link_order)
Index("ix_canonical_events_key", canonical_events.c.type, canonical_events.c.source_key,
      canonical_events.c.target_key)

store_totals = Table(
    "store_totals", metadata,  # running row counts of the largest tables (store/totals.py)
    Column("name", String(40), primary_key=True),  # articles | events | factual_events | quotes
    Column("value", BigInteger, nullable=False),
)

outlet_aliases = Table(
    "outlet_aliases", metadata,  # a site's web domain -> the name its articles give it
    Column("alias", String(200), primary_key=True),
    Column("outlet", String(200), nullable=False),
)

# --- sources: what `eventwire watch` follows, its fetch queue and page versions ---

sources = Table(
    "sources", metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("url", Text, nullable=False, unique=True),
    Column("name", Text),
    Column("outlet", String(200)),
    Column("kind", String(10), nullable=False, default="auto"),  # auto | feed | sitemap | page
    Column("added_at", String(32)),
    Column("etag", Text),  # conditional GET of the source document
    Column("last_modified", Text),
    Column("body_hash", String(64)),  # the last body read: an unchanged body is not parsed again
    Column("next_fetch_at", String(32), index=True),
    Column("last_fetch_at", String(32)),
    Column("last_status", Integer),  # HTTP status of the last fetch (None: no response)
    Column("last_error", Text),
    Column("errors", Integer, nullable=False, default=0),  # failed fetches in a row
    Column("last_links", Integer, nullable=False, default=0),  # links queued by the last fetch
    Column("new_articles", Integer, nullable=False, default=0),  # stored since the last fetch
    Column("articles", Integer, nullable=False, default=0),  # stored from this source in all
)

source_pages = Table(
    "source_pages", metadata,  # the fetch queue and what became of each URL
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("url", Text, nullable=False, unique=True),
    Column("source_id", Integer, ForeignKey("sources.id", ondelete="SET NULL"), index=True),
    Column("kind", String(10), nullable=False, default="article"),  # article | sitemap
    Column("state", String(10), nullable=False, index=True),  # pending|fetched|done|failed|skipped
    Column("title", Text),  # from the feed or sitemap
    Column("published", String(40)),
    Column("stamp", Text),  # the entry's updated / lastmod: a new stamp means a new version
    Column("outlet", String(200)),  # a news sitemap's publication name
    Column("discovered_at", String(32)),
    Column("due_at", String(32), index=True),  # not fetched before this time (retries)
    Column("attempts", Integer, nullable=False, default=0),
    Column("fetched_at", String(32)),
    Column("status", Integer),
    Column("error", Text),
    Column("etag", Text),
    Column("last_modified", Text),
    Column("body_hash", String(64)),
    Column("final_url", Text),
    Column("content_type", Text),
    Column("body", LargeBinary),  # kept only between fetching and processing (state fetched)
    Column("article_id", String(32), index=True),  # the current version's article
)

article_versions = Table(
    "article_versions", metadata,  # each article a watched page became, oldest first
    Column("page_id", Integer, ForeignKey("source_pages.id", ondelete="CASCADE"), primary_key=True),
    Column("version", Integer, primary_key=True),
    Column("article_id", String(32), nullable=False, index=True),
    Column("previous_id", String(32)),  # the article this version replaced
    Column("stored_at", String(32)),
)
