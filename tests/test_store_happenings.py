"""dyad_happenings: the series read from the happenings kept by the writers equal the exact query
over event_pairs, on the demo corpus and on edge cases (canonical events with mixed confidences,
unscored events, reciprocal acts), after saving, linking, rebuilding and migrating; SQLite and
PostgreSQL."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import select

from eventwire import ingest, pipeline
from eventwire.events import confidence
from eventwire.records import Article, Modality
from eventwire.store import Store, happenings, schema
from eventwire.stories import dyads, link_article
from eventwire.stories.linking import rebuild as rebuild_stories

from test_store import RUS, TUR, UKR, db_url, make_article  # noqa: F401 (db_url: fixture)

DEMO = Path(__file__).resolve().parent.parent / "examples" / "corpus"


@pytest.fixture(scope="module")
def demo(settings) -> list[Article]:
    return [r for r in pipeline.process_documents(ingest.read_paths([str(DEMO)], settings), settings)
            if isinstance(r, Article)]


def kept_rows(store: Store) -> list[tuple]:
    """The table's rows, scores rounded (a mean may differ in its last bit by summing order)."""
    H = schema.dyad_happenings
    with store.engine.connect() as conn:
        return sorted((r.a, r.b, bool(r.directed), r.happening, r.level, r.above, r.upto, r.type,
                       r.date, None if r.score is None else round(r.score, 9), r.reports)
                      for r in conn.execute(select(H)))


def rebuilt_rows(store: Store) -> list[tuple]:
    with store.engine.begin() as conn:
        happenings.rebuild(conn)
    return kept_rows(store)


def pairs_of(store: Store) -> list[tuple[str, str]]:
    P = schema.event_pairs
    with store.engine.connect() as conn:
        return sorted({(r.a, r.b) for r in conn.execute(select(P.c.a, P.c.b))})


def same_series(store: Store, a: str, b: str, by: str, directed: bool, min_confidence,
                days_only: bool = False) -> None:
    kept = dyads.store_series(store, a, b, by, directed, min_confidence, days_only)
    exact = dyads.store_series(store, a, b, by, directed, min_confidence, days_only, exact=True)
    assert _rounded(kept) == _rounded(exact), (a, b, by, directed, min_confidence)


def _rounded(result):
    rows, unplaced = result
    return [{**r, "score_mean": r["score_mean"] and round(r["score_mean"], 6),
             "score_sum": round(r["score_sum"], 6)} for r in rows], unplaced


def test_demo_corpus_series_equal_the_exact_query(db_url, demo):
    with Store(db_url) as store:
        for article in demo:
            store.save(article)
            link_article(store, article)
        pairs = pairs_of(store)
        assert len(pairs) > 20
        shown = confidence.threshold()
        for a, b in pairs:  # every pair, as the API asks by default and for every candidate
            for min_confidence in (shown, None):
                same_series(store, a, b, "month", False, min_confidence, days_only=True)
        with store.engine.connect() as conn:
            scores = sorted({c for (c,) in conn.execute(select(schema.events.c.confidence))
                             if c is not None})
        thresholds = [0.0, scores[0], scores[len(scores) // 2], scores[-1], scores[-1] + 0.01, 0.77]
        busiest = [(d["source"], d["target"]) for d in store.dyads(limit=6, min_confidence=0)]
        for a, b in busiest:
            for by in dyads.PERIODS:
                for directed in (False, True):
                    for min_confidence in thresholds:
                        same_series(store, a, b, by, directed, min_confidence)
                        same_series(store, b, a, by, directed, min_confidence)
        for a, b in busiest:  # the happenings listed for a series' top events: those of all
            for directed in (False, True):
                rows, _ = dyads.store_series(store, a, b, "month", directed, shown)
                top = {i for r in rows for i in r["top_events"]}
                listed = dyads.dyad_events(store, a, b, directed, shown, top)
                every = dyads.dyad_events(store, a, b, directed, shown)
                assert sorted(map(repr, listed)) == sorted(repr(e) for e in every if e.id in top)
                assert {e.id for e in listed} == top
        # kept up to date by saving and linking: the same rows as recomputed from scratch
        assert kept_rows(store) == rebuilt_rows(store)
        rebuild_stories(store)
        assert kept_rows(store) == rebuilt_rows(store)
        for a, b in busiest:
            same_series(store, a, b, "month", False, shown)


def mixed_confidence_articles() -> list[Article]:
    """One meeting reported four times (one canonical event) with different confidences, one of
    them unscored; a reciprocal consultation; a lone threat; a negated attack."""
    texts = ["Turkey and Russia met in Ankara on Monday.", "Turkish and Russian envoys met in Ankara.",
             "Ankara hosted talks between Turkey and Russia.", "Turkey met Russia in Ankara."]
    articles = []
    for i, (text, score) in enumerate(zip(texts, (0.9, 0.4, None, 0.4))):
        article = make_article(text, f"Wire {i}", "2022-05-0" + str(2 + i),
                               events=[("CONSULT", [TUR], [RUS], Modality(), "2022-05-02")],
                               actors=[TUR, RUS])
        article.events[0].confidence = score
        article.events[0].score = 1.0 + i
        articles.append(article)
    joint = make_article("Russia and Turkey agreed to talk again in June.", "Wire 4", "2022-06-01",
                         events=[("AGREE", [RUS], [TUR], Modality(), None)], actors=[TUR, RUS])
    joint.events[0].reciprocal = True
    joint.events[0].confidence = 0.6
    threat = make_article("Russia threatened Ukraine.", "Wire 5", "2022-06-03",
                          events=[("THREATEN", [RUS], [UKR], Modality(), "2022-06-03"),
                                  ("ASSAULT", [RUS], [UKR], Modality(negated=True), "2022-06-03")],
                          actors=[RUS, UKR])
    threat.events[0].confidence = 0.2
    return articles + [joint, threat]


def test_edge_cases_at_every_threshold(db_url):
    with Store(db_url) as store:
        for article in mixed_confidence_articles():
            store.save(article)
            link_article(store, article)
        with store.engine.connect() as conn:
            merged = {c for (c,) in conn.execute(select(schema.events.c.canonical_id))}
        assert len(merged) == 4  # the four reports of the meeting are one happening
        for min_confidence in (None, 0.0, 0.2, 0.3, 0.4, 0.41, 0.6, 0.61, 0.9, 0.95, 1.0):
            for a, b in (("TUR", "RUS"), ("RUS", "TUR"), ("RUS", "UKR"), ("UKR", "RUS")):
                for directed in (False, True):
                    for by in dyads.PERIODS:
                        same_series(store, a, b, by, directed, min_confidence)
        month = {t: dyads.store_series(store, "TUR", "RUS", "month", False, t)[0] for t in (0, 0.5, 0.95)}
        # every report at 0: one meeting, mean of its scores 1..4; at 0.5 the 0.9 one and the
        # unscored one remain (scores 1 and 3); above every score only the unscored one
        assert month[0][0]["counts"]["CONSULT"] == 1 and month[0][0]["score_sum"] == 2.5
        assert month[0.5][0]["score_sum"] == 2.0 and month[0.95][0]["score_sum"] == 3.0
        # the reciprocal agreement counts once undirected and from either side directed
        assert month[0.5][1]["counts"]["AGREE"] == 1
        for a, b in (("TUR", "RUS"), ("RUS", "TUR")):
            june = dyads.store_series(store, a, b, "month", True, 0.5)[0][-1]
            assert june["period"] == "2022-06" and june["counts"]["AGREE"] == 1
        assert dyads.store_series(store, "RUS", "UKR", "month", False, 0.3) == ([], 0)
        assert dyads.store_series(store, "RUS", "UKR", "month", False, 0.2)[0][0]["total"] == 1
        assert kept_rows(store) == rebuilt_rows(store)


def test_save_many_keeps_what_save_keeps(db_url, tmp_path):
    with Store(f"sqlite:///{tmp_path / 'one.db'}") as one, Store(db_url) as bulk:
        for article in mixed_confidence_articles():
            one.save(article)
        bulk.save_many(mixed_confidence_articles(), chunk=3)
        assert kept_rows(bulk) == kept_rows(one) == rebuilt_rows(one)


def test_migration_fills_the_table_from_stored_events(db_url):
    from alembic import command
    from alembic.config import Config

    from eventwire.store.database import MIGRATIONS
    with Store(db_url) as store:
        for article in mixed_confidence_articles():
            store.save(article)
            link_article(store, article)
        before = kept_rows(store)
        config = Config()
        config.set_main_option("script_location", str(MIGRATIONS))
        with store.engine.begin() as conn:
            config.attributes["connection"] = conn
            command.downgrade(config, "0007")
    with Store(db_url) as store:  # upgraded again on open
        assert kept_rows(store) == before and len(before) > 10
        assert store.counts()["events"] == 7 and store.counts()["factual_events"] == 6
