"""The store: idempotent saves, reopening, filtered queries, crash safety; SQLite and PostgreSQL."""

from __future__ import annotations

import os

import pytest
from sqlalchemy import create_engine, inspect, text

from eventwire.errors import StoreError
from eventwire.records import (Actor, ActorMention, Article, Event, Evidence, Location, Modality,
                               Quote, content_hash)
from eventwire.store import Store
from eventwire.store.database import event_cursor
from eventwire.store.schema import metadata

PG_URL = os.environ.get("EVENTWIRE_TEST_PG_URL")


def _wipe_postgres(url: str) -> None:
    engine = create_engine(url)
    with engine.begin() as conn:
        for table in reversed(metadata.sorted_tables):
            conn.execute(text(f'DROP TABLE IF EXISTS "{table.name}" CASCADE'))
        conn.execute(text("DROP TABLE IF EXISTS alembic_version"))
    engine.dispose()


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def db_url(request, tmp_path):
    """A fresh empty database URL: a SQLite file, or the PostgreSQL test database wiped clean."""
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'store.db'}"
        return
    if not PG_URL:
        pytest.skip("PostgreSQL tests need EVENTWIRE_TEST_PG_URL (scripts/test.sh sets it)")
    _wipe_postgres(PG_URL)
    yield PG_URL
    _wipe_postgres(PG_URL)


@pytest.fixture
def store(db_url):
    with Store(db_url) as s:
        yield s


TUR = Actor("TUR", "Turkey", "country", "TUR")
RUS = Actor("RUS", "Russia", "country", "RUS")
UKR = Actor("UKR", "Ukraine", "country", "UKR")
FM = Actor("PER:ayse-demir", "Ayse Demir", "person", "TUR", "GOV", "foreign minister")


def mention(actor: Actor, text: str, start: int) -> ActorMention:
    return ActorMention.from_actor(text, actor, start, start + len(text))


def make_article(text_: str, outlet: str, published: str, events=(), quotes=(), actors=(),
                 title: str | None = None) -> Article:
    """A hand-built processed article; event and quote ids are scoped by the article id."""
    article = Article(id=content_hash(text_), text=text_, outlet=outlet, published=published,
                      title=title or text_[:30], source_path=f"/tmp/{outlet}.txt", language="en",
                      removed=["Subscribe to our newsletter"])
    article.actors = list(actors)
    article.mentions = [mention(a, a.name, 0) for a in actors]
    for i, (type_, sources, targets, modality, date) in enumerate(events):
        start = text_.find(".", 0) + 1 if i else 0
        sentence = text_[start:].strip()
        article.events.append(Event(
            id=f"{article.id}-e{i}", type=type_, mode=None, contexts=["military"],
            source=[mention(a, a.name, 0) for a in sources],
            target=[mention(a, a.name, 0) for a in targets],
            date=date, location=Location("Ankara", "TUR", 323786, 39.9, 32.8) if i == 0 else None,
            modality=modality, evidence=Evidence(sentence, start, start + len(sentence)),
            cameo="163", score=0.8, trigger="imposed"))
    for i, (said, speaker) in enumerate(quotes):
        start = text_.find(said)
        article.quotes.append(Quote(
            id=f"{article.id}-q{i}", text=said, kind="direct",
            speaker=mention(speaker, speaker.name, 0) if speaker else None, cue="said",
            start=start, end=start + len(said)))
    return article


def sample_articles() -> list[Article]:
    return [
        make_article("Russia imposed sanctions on Ukraine on Monday. Turkey urged calm.",
                     "Wire One", "2022-03-01",
                     events=[("SANCTION", [RUS], [UKR], Modality(), "2022-02-28"),
                             ("REQUEST", [TUR], [RUS, UKR], Modality(), None)],
                     actors=[RUS, UKR, TUR]),
        make_article('Ayse Demir said "we will mediate" between Moscow and Kyiv. Turkey may '
                     "send aid to Ukraine.", "Daily Two", "2022-04-10",
                     events=[("AID", [TUR], [UKR], Modality(future=True), None)],
                     quotes=[("we will mediate", FM)], actors=[TUR, UKR, FM]),
        make_article('Russia denied attacking Ukraine. "Nothing happened," a spokesman said.',
                     "Wire One", "2021-12-05",
                     events=[("ASSAULT", [RUS], [UKR], Modality(negated=True), "2021-12-04")],
                     quotes=[("Nothing happened,", None)], actors=[RUS, UKR]),
    ]


# --- saving ------------------------------------------------------------------

def test_save_is_idempotent_by_content_hash(store):
    first = sample_articles()[0]
    assert store.save(first) is True
    before = store.counts()
    assert store.save(first) is False
    assert store.save(sample_articles()[0]) is False  # same text processed again
    assert store.counts() == before
    assert before["articles"] == 1 and before["events"] == 2 and before["actors"] == 3


def test_save_many_stores_what_save_stores(db_url, tmp_path):
    with Store(f"sqlite:///{tmp_path / 'one_by_one.db'}") as one, Store(db_url) as bulk:
        assert one.save_all(sample_articles()) == (3, 0)
        assert bulk.save_many(sample_articles()[:1]) == (1, 0)
        assert bulk.save_many(sample_articles(), chunk=2) == (2, 1)
        assert bulk.counts() == one.counts()
        for article in sample_articles():
            assert bulk.get_article(article.id).to_dict() == one.get_article(article.id).to_dict()
        assert bulk.events(actor="Ukraine", limit=None) == one.events(actor="Ukraine", limit=None)


def test_shared_actors_are_stored_once(store):
    assert store.save_all(sample_articles()) == (3, 0)
    assert store.counts()["actors"] == 4
    assert store.save_all(sample_articles()) == (0, 3)


def test_reopen_gives_back_the_same_record(db_url):
    articles = sample_articles()
    with Store(db_url) as store:
        store.save_all(articles)
    with Store(db_url) as reopened:  # migrations run again and change nothing
        for article in articles:
            got = reopened.get_article(article.id)
            assert got is not None
            assert got.to_dict(include_removed=True) == article.to_dict(include_removed=True)
        assert reopened.get_article("0000000000000000") is None


def test_a_failing_article_leaves_no_partial_rows(store):
    good, bad = sample_articles()[:2]
    bad.events.append(bad.events[0])  # duplicate event id: the insert fails inside the transaction
    assert store.save(good)
    with pytest.raises(Exception):
        store.save(bad)
    assert not store.has_article(bad.id)
    assert store.count_events(article_id=bad.id) == 0
    assert store.counts()["articles"] == 1


def test_crash_mid_batch_keeps_what_was_committed(db_url):
    articles = sample_articles()

    def crashing():
        yield articles[0]
        yield articles[1]
        raise RuntimeError("worker killed")

    with Store(db_url) as store, pytest.raises(RuntimeError):
        store.save_all(crashing())
    with Store(db_url) as reopened:
        assert reopened.counts()["articles"] == 2
        assert reopened.has_article(articles[1].id) and not reopened.has_article(articles[2].id)
        assert reopened.save_all(articles) == (1, 2)  # the rerun only adds what is missing


def test_plain_file_path_is_accepted(tmp_path):
    with Store(str(tmp_path / "sub" / "plain.db")) as store:
        store.save(sample_articles()[0])
    assert (tmp_path / "sub" / "plain.db").exists()
    assert Store(f"sqlite:///{tmp_path / 'sub' / 'plain.db'}").counts()["articles"] == 1


def test_unreachable_database_is_a_store_error():
    with pytest.raises(StoreError, match="E005"):
        Store("postgresql+psycopg://nobody:secret@127.0.0.1:1/none")


def _open_and_count(url: str) -> int:
    with Store(url) as store:
        return store.counts()["articles"]


def test_processes_opening_a_fresh_database_together_all_succeed(db_url):
    """Several server workers may open (and so migrate) a new database at the same moment."""
    from concurrent.futures import ThreadPoolExecutor

    with ThreadPoolExecutor(4) as pool:  # each Store has its own engine and connections
        assert list(pool.map(_open_and_count, [db_url] * 4)) == [0, 0, 0, 0]


def test_migrated_schema_matches_schema_module(store):
    """Every table and column of schema.py exists after the migrations (else: add a migration)."""
    inspector = inspect(store.engine)
    for table in metadata.sorted_tables:
        columns = {c["name"] for c in inspector.get_columns(table.name)}
        assert columns == {c.name for c in table.columns}, table.name


def test_linking_reads_the_next_link_order_from_an_index(tmp_path):
    """Each linked article takes max(link_order) + 1: a scan of the articles (and their texts)
    would make linking cost grow with the store."""
    with Store(f"sqlite:///{tmp_path / 'store.db'}") as store, store.engine.connect() as conn:
        plan = " ".join(str(row[-1]) for row in conn.exec_driver_sql(
            "EXPLAIN QUERY PLAN SELECT max(link_order) FROM articles"))
    assert "ix_articles_link_order" in plan, plan


# --- queries -----------------------------------------------------------------

@pytest.fixture
def filled(store):
    store.save_all(sample_articles())
    return store


def _types(rows) -> list[str]:
    return [r["type"] for r in rows]


def test_events_by_actor_on_either_side(filled):
    assert sorted(_types(filled.events(actor="TUR"))) == ["AID", "REQUEST"]
    assert sorted(_types(filled.events(actor="tur"))) == ["AID", "REQUEST"]
    assert sorted(_types(filled.events(actor="Ukraine"))) == ["AID", "ASSAULT", "REQUEST", "SANCTION"]
    assert filled.count_events(actor="UKR") == 4
    assert filled.events(actor="FRA") == []


def test_events_by_source_target_and_type(filled):
    assert sorted(_types(filled.events(source="RUS"))) == ["ASSAULT", "SANCTION"]
    assert sorted(_types(filled.events(target="RUS"))) == ["REQUEST"]
    assert _types(filled.events(source="RUS", target="UKR", type="sanction")) == ["SANCTION"]
    assert filled.count_events(type="COERCE") == 0


def test_events_by_outlet_dates_text_and_modality(filled):
    assert sorted(_types(filled.events(outlet="wire one"))) == ["ASSAULT", "REQUEST", "SANCTION"]
    # the event date counts, else the article's: SANCTION happened 2022-02-28
    assert sorted(_types(filled.events(since="2022-03-01"))) == ["AID", "REQUEST"]
    assert sorted(_types(filled.events(until="2022-02-28"))) == ["ASSAULT", "SANCTION"]
    assert _types(filled.events(q="IMPOSED")) == ["SANCTION"]
    assert sorted(_types(filled.events(factual_only=True))) == ["REQUEST", "SANCTION"]
    assert filled.count_events(factual_only=True) == 2


def test_event_rows_carry_record_and_article(filled):
    row = filled.events(type="SANCTION")[0]
    assert row["outlet"] == "Wire One" and row["published"] == "2022-03-01"
    assert row["source"][0]["actor_id"] == "RUS" and row["target"][0]["country"] == "UKR"
    assert row["location"]["name"] == "Ankara"
    assert row["modality"] == {"negated": False, "future": False, "hypothetical": False,
                               "historical": False, "generic": False}
    article = filled.get_article(row["article_id"])
    assert article.text[row["evidence"]["start"]:row["evidence"]["end"]] == row["evidence"]["sentence"]


def test_events_newest_first_with_pagination(filled):
    everything = filled.events(limit=None)
    assert len(everything) == 4 == filled.count_events()
    dates = [r["date"] or r["published"] for r in everything]
    assert dates == sorted(dates, reverse=True)
    pages = filled.events(limit=2) + filled.events(limit=2, offset=2)
    assert [r["id"] for r in pages] == [r["id"] for r in everything]


def test_keyset_pages_follow_the_list_order(store):
    articles = sample_articles()
    # an undated event and events sharing a date, so every part of the order is crossed
    articles.append(make_article("Turkey and Russia met in Sochi. They met again in Ankara.",
                                 "Daily Two", None,
                                 events=[("CONSULT", [TUR], [RUS], Modality(), None),
                                         ("CONSULT", [RUS], [TUR], Modality(), None)]))
    articles.append(make_article("Ukraine asked Turkey for aid. Russia accused Ukraine.",
                                 "Wire One", "2022-02-28",
                                 events=[("REQUEST", [UKR], [TUR], Modality(), None),
                                         ("ACCUSE", [RUS], [UKR], Modality(), None)]))
    store.save_all(articles)
    everything = store.events(limit=None)
    assert len(everything) == 8 and everything[-1]["published"] is None
    for size in (1, 2, 3):
        seen, cursor = [], None
        while page := store.events(limit=size, after=cursor):
            seen += [r["id"] for r in page]
            cursor = event_cursor(page[-1])
        assert seen == [r["id"] for r in everything]
    first = store.events(actor="UKR", limit=1)
    rest = store.events(actor="UKR", limit=None, after=event_cursor(first[0]))
    assert [r["id"] for r in first + rest] == [r["id"] for r in store.events(actor="UKR", limit=None)]
    with pytest.raises(ValueError, match="not a cursor"):
        store.events(after="not-a-cursor")


def test_actor_pages_bounded_by_date_are_the_pages_of_the_whole_list(store):
    """An actor-filtered page reads the actor's events from a date found by a probe: every
    page, by offset or by key, is the slice of the unbounded list."""
    articles = sample_articles()
    for day in range(1, 8):  # shared dates, undated events, both sides, a reciprocal act
        text_ = f"Turkey and Russia talked on day {day}. Russia warned Turkey on day {day}."
        article = make_article(text_, "Wire One" if day % 2 else "Daily Two",
                               f"2022-05-0{day // 2 + 1}" if day < 7 else None,
                               events=[("CONSULT", [TUR], [RUS], Modality(), None),
                                       ("THREATEN", [RUS], [TUR, UKR], Modality(), None)])
        article.events[0].reciprocal = day == 3
        article.events[1].confidence = day / 10
        articles.append(article)
    store.save_all(articles)
    filters = [{"actor": "TUR"}, {"actor": "Russia"}, {"source": "RUS"}, {"target": "tur"},
               {"actor": "TUR", "type": "THREATEN"}, {"actor": "RUS", "min_confidence": 0.35},
               {"actor": "TUR", "outlet": "Wire One"}, {"source": "RUS", "target": "UKR"},
               {"actor": "UKR", "since": "2022-05-02", "until": "2022-05-03"},
               {"target": "TUR", "type": "THREATEN", "min_confidence": 0.45, "until": "2022-05-03"},
               {"actor": "ukraine", "min_confidence": 0.55}, {"source": "TUR", "type": "CONSULT"}]
    for f in filters:
        whole = [r["id"] for r in store.events(**f, limit=None)]
        assert whole, f
        # a count read from event_keys alone where the filters allow it, from events otherwise
        assert store.count_events(**f) == len(whole), f
        for size in (1, 2, 3, 5):
            for offset in (0, 1, 4):
                page = store.events(**f, limit=size, offset=offset)
                assert [r["id"] for r in page] == whole[offset:offset + size], (f, size, offset)
            seen, cursor = [], None
            while page := store.events(**f, limit=size, after=cursor):
                seen += [r["id"] for r in page]
                cursor = event_cursor(page[-1])
            assert seen == whole, (f, size)


def test_a_reciprocal_event_acts_on_both_sides_in_filters(store):
    article = make_article("Turkey and Russia held talks in Sochi on Monday.", "Wire One", "2022-05-02",
                           events=[("CONSULT", [TUR], [RUS], Modality(), None)])
    article.events[0].reciprocal = True
    store.save(article)
    for side in ("TUR", "RUS", "Russia", "tur"):
        assert store.count_events(source=side) == store.count_events(target=side) == 1
        assert store.count_events(actor=side, type="CONSULT", since="2022-05-01") == 1
    assert store.count_events(actor="TUR", type="CONSULT", since="2022-05-03") == 0


def test_event_keys_are_filled_for_events_stored_before_them(db_url):
    """Migration 0007 fills event_keys from the actors of events already stored."""
    from alembic import command
    from alembic.config import Config

    from eventwire.store.database import MIGRATIONS, event_key_rows
    articles = sample_articles()
    articles[0].events[1].reciprocal = True
    with Store(db_url) as store:
        store.save_all(articles)
        config = Config()
        config.set_main_option("script_location", str(MIGRATIONS))
        with store.engine.begin() as conn:
            config.attributes["connection"] = conn
            command.downgrade(config, "0006")
    with Store(db_url) as store, store.engine.connect() as conn:  # upgraded again on open
        stored = {tuple(r) for r in conn.execute(text(
            "SELECT event_id, role, key, type, sort_date FROM event_keys"))}
    expected = {(r["event_id"], r["role"], r["key"], r["type"], r["sort_date"])
                for a in articles for e in a.events for r in event_key_rows(e, a.published)}
    assert stored == expected
    # the reciprocal REQUEST (Turkey -> Russia, Ukraine) holds its targets as sources too
    assert (articles[0].events[1].id, "source", "n:ukraine", "REQUEST", "2022-03-01") in stored


def test_quotes_filters(filled):
    assert [q["text"] for q in filled.quotes(speaker="demir")] == ["we will mediate"]
    assert [q["text"] for q in filled.quotes(speaker="PER:ayse-demir")] == ["we will mediate"]
    assert filled.quotes(country="tur")[0]["speaker"]["name"] == "Ayse Demir"
    assert filled.count_quotes() == 2
    assert filled.count_quotes(outlet="Wire One") == 1
    assert filled.quotes(until="2021-12-31")[0]["speaker"] is None
    assert filled.quotes(q="nothing")[0]["outlet"] == "Wire One"


def test_actors_with_counts(filled):
    rows = {r["id"]: r for r in filled.actors(limit=None)}
    assert rows["UKR"]["event_count"] == 4 and rows["UKR"]["article_count"] == 3
    assert rows["PER:ayse-demir"]["quote_count"] == 1 and rows["PER:ayse-demir"]["event_count"] == 0
    assert [r["id"] for r in filled.actors(kind="person")] == ["PER:ayse-demir"]
    assert [r["id"] for r in filled.actors(country="TUR")] == ["TUR", "PER:ayse-demir"]
    assert [r["id"] for r in filled.actors(q="russ")] == ["RUS"]
    assert filled.count_actors() == 4


def test_articles_filters_and_summaries(filled):
    rows = filled.articles()
    assert [r["published"] for r in rows] == ["2022-04-10", "2022-03-01", "2021-12-05"]
    assert rows[0]["event_count"] == 1 and rows[0]["quote_count"] == 1 and "text" not in rows[0]
    assert filled.count_articles(outlet="Wire One") == 2
    assert filled.count_articles(since="2022-01-01", until="2022-03-31") == 1
    assert filled.count_articles(q="mediate") == 1
    assert filled.counts() == {"articles": 3, "outlets": 2, "actors": 4, "events": 4,
                               "factual_events": 2, "quotes": 2, "stories": 0}
    assert filled.outlet_counts()[0] == {"outlet": "Wire One", "articles": 2}
    assert filled.event_type_counts(factual_only=True) == [{"type": "REQUEST", "events": 1},
                                                          {"type": "SANCTION", "events": 1}]
    dyads = filled.dyads()
    assert dyads[0] == {"source": "RUS", "target": "UKR", "events": 2}
    assert {"source": "TUR", "target": "RUS", "events": 1} in dyads


def test_like_wildcards_are_literal(filled):
    assert filled.count_articles(q="%") == 0
    assert filled.count_events(q="_") == 0


def test_a_domain_becomes_an_alias_of_the_name_an_article_gives_it(store):
    """One name per outlet: articles stored under a site's bare domain take the name another
    article gives that site, before or after it; the domain is kept as an alias."""
    def site_article(text_: str, outlet: str) -> Article:
        article = make_article(text_, outlet, "2025-03-03")
        article.outlet_domain = "coastweekly.example"
        return article

    store.save(site_article("Fishing talks resume in Oslo.", "coastweekly.example"))
    store.save(site_article("Chile and Norway sign a memorandum.", "Coast Weekly"))
    store.save(site_article("Quotas are cut for the spring.", "coastweekly.example"))
    assert {row["outlet"]: row["articles"] for row in store.outlet_counts()} == {"Coast Weekly": 3}
    with store.engine.connect() as conn:
        aliases = conn.execute(text("SELECT alias, outlet FROM outlet_aliases")).all()
    assert [tuple(a) for a in aliases] == [("coastweekly.example", "Coast Weekly")]
