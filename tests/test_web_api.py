"""The REST API over a store built by the real pipeline, on SQLite and on PostgreSQL."""

from __future__ import annotations

import hmac
import os
import uuid

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import create_engine, text

from eventwire.events.confidence import threshold
from eventwire.records import PLOVER_TYPES
from eventwire.store.database import Store
from eventwire.web import create_app
from eventwire.web.api import MAX_PAGE_SIZE
from eventwire.web.security import MAX_BODY_BYTES

from web_articles import ARTICLES, fill_store, processed_articles

TOKEN = "test-token-1234"
EVENT_KEYS = {"id", "type", "mode", "contexts", "source", "target", "reciprocal", "both_sides",
              "international", "date", "date_basis", "date_note", "tense", "aspect", "location",
              "modality", "evidence", "cameo", "score", "trigger", "confidence"}
QUOTE_KEYS = {"id", "text", "kind", "speaker", "cue", "start", "end"}


@pytest.fixture(scope="session")
def web_articles(settings):
    return processed_articles(settings)


@pytest.fixture(scope="module", params=["sqlite", "postgresql"])
def store(request, tmp_path_factory, web_articles):
    """A store holding the hand-written articles, on each database."""
    if request.param == "sqlite":
        url = f"sqlite:///{tmp_path_factory.mktemp('web') / 'web.db'}"
        schema = None
    else:
        base = os.environ.get("EVENTWIRE_TEST_PG_URL")
        if not base:
            pytest.skip("EVENTWIRE_TEST_PG_URL is not set (scripts/test.sh starts a PostgreSQL for it)")
        # a schema of its own, so other tests sharing the database do not change the counts
        schema = f"web_{uuid.uuid4().hex[:8]}"
        with create_engine(base).begin() as conn:
            conn.execute(text(f'CREATE SCHEMA "{schema}"'))
        url = f"{base}{'&' if '?' in base else '?'}options=-csearch_path%3D{schema}"
    store = Store(url)
    fill_store(store, web_articles)
    yield store
    store.close()
    if schema:
        with create_engine(os.environ["EVENTWIRE_TEST_PG_URL"]).begin() as conn:
            conn.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))


@pytest.fixture(scope="module")
def client(store, settings):
    return TestClient(create_app(settings, token=TOKEN, store=store), base_url="http://127.0.0.1")


@pytest.fixture(scope="module")
def readonly_client(store, settings):
    return TestClient(create_app(settings, token="", store=store), base_url="http://127.0.0.1")


def test_counts_match_the_articles(client, web_articles):
    counts = client.get("/api/counts").json()
    assert counts["articles"] == len(ARTICLES)
    assert counts["outlets"] == len({a["outlet"] for a in ARTICLES})
    assert counts["events"] == sum(len(a.events) for a in web_articles) > 0
    assert counts["quotes"] == sum(len(a.quotes) for a in web_articles) > 0


def test_events_list_has_record_shape_and_total(client, web_articles):
    body = client.get("/api/events").json()
    assert set(body) == {"total", "limit", "offset", "items", "next"}
    # by default the events at or above the model's threshold; min_confidence=0 shows all
    shown = [e for a in web_articles for e in a.events if e.confidence is None or e.confidence >= threshold()]
    assert body["total"] == len(shown)
    assert client.get("/api/events?min_confidence=0").json()["total"] == sum(len(a.events) for a in web_articles)
    event = body["items"][0]
    assert EVENT_KEYS <= set(event)
    assert {"article_id", "canonical_id", "reports", "outlet", "published", "title"} <= set(event)
    assert event["type"] in PLOVER_TYPES
    # the evidence points into the clean article text
    article = client.get(f"/api/articles/{event['article_id']}").json()["article"]
    start, end = event["evidence"]["start"], event["evidence"]["end"]
    assert article["text"][start:end] == event["evidence"]["sentence"]


def test_events_page_by_key_with_next(client):
    # every candidate, so that the demo articles fill several pages whatever the model shows
    everything = [e["id"] for e in client.get("/api/events?limit=500&min_confidence=0").json()["items"]]
    seen, url = [], "/api/events?limit=7&min_confidence=0"
    while True:
        body = client.get(url).json()
        seen += [e["id"] for e in body["items"]]
        if body["next"] is None:
            break
        url = f"/api/events?limit=7&min_confidence=0&after={body['next']}"
    assert seen == everything and len(everything) > 7
    assert client.get("/api/events?after=%21%21").status_code == 422


def test_events_are_ordered_newest_first(client):
    dates = [e["date"] or e["published"] for e in client.get("/api/events?limit=500").json()["items"]]
    assert dates == sorted(dates, reverse=True)


def test_pagination_walks_every_event_once(client):
    total = client.get("/api/events").json()["total"]
    seen = []
    for offset in range(0, total, 2):
        body = client.get(f"/api/events?limit=2&offset={offset}").json()
        assert body["total"] == total and body["limit"] == 2 and body["offset"] == offset
        seen.extend(e["id"] for e in body["items"])
    assert len(seen) == len(set(seen)) == total


def test_filter_by_actor_outlet_type_dates_and_text(client, web_articles):
    # the default views: events at or above the model's threshold
    all_events = [e for a in web_articles for e in a.events if e.confidence is None or e.confidence >= threshold()]

    def actors_of(e):
        return {m.country for m in e.source + e.target} | {m.actor_id for m in e.source + e.target}

    by_actor = client.get("/api/events?actor=RUS&limit=500").json()
    assert by_actor["total"] == sum(1 for e in all_events if "RUS" in actors_of(e)) > 0
    as_source = client.get("/api/events?source=TUR&limit=500").json()
    # a reciprocal event's target acts on its source too
    assert all(any("TUR" in (m["country"], m["actor_id"])
                   for m in e["source"] + (e["target"] if e["reciprocal"] else []))
               for e in as_source["items"])

    outlet = client.get("/api/events", params={"outlet": "Capital Ledger", "limit": 500}).json()
    ledger = [a for a in web_articles if a.outlet == "Capital Ledger"][0]
    assert outlet["total"] == sum(e in all_events for e in ledger.events) > 0
    assert {e["article_id"] for e in outlet["items"]} == {ledger.id}

    some_type = all_events[0].type
    typed = client.get(f"/api/events?type={some_type.lower()}&limit=500").json()
    assert typed["total"] == sum(1 for e in all_events if e.type == some_type)
    assert {e["type"] for e in typed["items"]} == {some_type}

    april = client.get("/api/events?since=2025-04-01&until=2025-04-30&limit=500").json()
    assert april["total"] > 0
    assert all("2025-04-01" <= (e["date"] or e["published"]) <= "2025-04-30" for e in april["items"])

    grain = client.get("/api/events?q=GRAIN&limit=500").json()
    assert grain["total"] == sum(1 for e in all_events if "grain" in e.evidence.sentence.lower())


def test_text_search_takes_wildcards_literally(client):
    assert client.get("/api/events", params={"q": "%"}).json()["total"] == 0
    assert client.get("/api/events", params={"q": "' OR 1=1 --"}).json()["total"] == 0


def test_articles_quotes_actors_lists(client, web_articles):
    articles = client.get("/api/articles?limit=2").json()
    assert articles["total"] == len(ARTICLES) and len(articles["items"]) == 2
    assert "text" not in articles["items"][0]
    assert client.get("/api/articles", params={"outlet": "Harbor Post"}).json()["total"] == 2
    quotes = client.get("/api/quotes").json()
    assert quotes["total"] == sum(len(a.quotes) for a in web_articles)
    assert QUOTE_KEYS <= set(quotes["items"][0])
    actors = client.get("/api/actors").json()
    assert actors["total"] >= 3
    ids = {a["id"] for a in actors["items"]}
    assert {"TUR", "RUS"} <= ids


def test_article_record_matches_to_dict(client, web_articles):
    article = web_articles[0]
    record = client.get(f"/api/articles/{article.id}").json()
    expected = article.to_dict()
    assert record["article"]["text"] == expected["article"]["text"]
    want = sorted(expected["events"], key=lambda e: (e["evidence"]["start"], e["id"]))
    assert [e["id"] for e in record["events"]] == [e["id"] for e in want]
    for got, event in zip(record["events"], want):
        assert {k: got[k] for k in EVENT_KEYS} == event
    assert "removed" not in record["article"]
    assert "removed" in client.get(f"/api/articles/{article.id}?removed=true").json()["article"]


def test_single_event_actor_and_dyad(client):
    event = client.get("/api/events?limit=1").json()["items"][0]
    assert client.get(f"/api/events/{event['id']}").json()["id"] == event["id"]
    actor = client.get("/api/actors/TUR").json()
    assert actor["id"] == "TUR" and actor["partners"]
    assert sum(p["source"] + p["target"] for p in actor["series"]) > 0
    dyad = client.get("/api/dyads/TUR/RUS").json()
    # every factual event either way is behind the series, once per canonical event
    either_way = [e for side in (("TUR", "RUS"), ("RUS", "TUR")) for e in client.get(
        "/api/events", params={"source": side[0], "target": side[1], "factual_only": True,
                               "limit": 500}).json()["items"]]
    happenings = {e["canonical_id"] or e["id"] for e in either_way}
    assert dyad["total"] == len(happenings) > 0
    every = client.get("/api/dyads/TUR/RUS?events=all").json()
    assert {h["id"] for h in every["events"]} == happenings
    assert every["series"] == dyad["series"]
    # by default only the happenings each period shows first (a pair can have thousands)
    assert {h["id"] for h in dyad["events"]} == {i for row in dyad["series"] for i in row["top_events"]}
    assert sum(row["total"] for row in dyad["series"]) == dyad["total"]
    assert all(row["cooperation"] + row["conflict"] <= row["total"] for row in dyad["series"])
    assert {h["period"] for h in dyad["events"]} <= {row["period"] for row in dyad["series"]}
    directed = client.get("/api/dyads/TUR/RUS?directed=true").json()
    assert directed["total"] <= dyad["total"]
    assert all(h["direction"] in ("a->b", "both") for h in directed["events"])
    assert client.get("/api/dyads").json()["items"]


@pytest.mark.parametrize("query, fragment", [
    ("since=2025-13-01", "since"),
    ("until=yesterday", "until"),
    ("since=2025-05-01&until=2025-01-01", "after"),
    ("type=SHOUT", "PLOVER"),
    (f"limit={MAX_PAGE_SIZE + 1}", "limit"),
    ("limit=0", "limit"),
    ("offset=-1", "offset"),
])
def test_bad_filters_are_422_with_a_message(client, query, fragment):
    response = client.get(f"/api/events?{query}")
    assert response.status_code == 422
    assert response.headers["content-type"].startswith("application/json")
    assert fragment in response.json()["message"]


def test_unknown_records_are_404(client):
    for path in ("/api/articles/0000", "/api/events/nope", "/api/actors/XXX-NOBODY",
                 "/api/stories/nope", "/api/canonical-events/nope"):
        response = client.get(path)
        assert response.status_code == 404, path
        assert "no " in response.json()["message"]


def test_reads_are_open_and_openapi_is_served(readonly_client):
    assert readonly_client.get("/api/events").status_code == 200
    spec = readonly_client.get("/openapi.json").json()
    assert "/api/events" in spec["paths"] and "post" in spec["paths"]["/api/articles"]
    assert readonly_client.get("/docs").status_code == 200


NEW_ARTICLE = {"text": "Greece and Turkey signed a maritime agreement in Athens on Monday.",
               "title": "Aegean agreement", "outlet": "Island Gazette", "published": "2025-06-02"}


def test_writes_disabled_without_configured_token(readonly_client):
    response = readonly_client.post("/api/articles", json=NEW_ARTICLE,
                                    headers={"Authorization": "Bearer anything"})
    assert response.status_code == 403
    assert "writes are disabled" in response.json()["message"]


def test_writes_need_the_right_token(client):
    assert client.post("/api/articles", json=NEW_ARTICLE).status_code == 401
    wrong = client.post("/api/articles", json=NEW_ARTICLE, headers={"Authorization": "Bearer nope"})
    assert wrong.status_code == 403 and "not valid" in wrong.json()["message"]


def test_token_is_compared_in_constant_time(client, monkeypatch):
    calls = []
    real = hmac.compare_digest

    def spy(a, b):
        calls.append((a, b))
        return real(a, b)

    monkeypatch.setattr(hmac, "compare_digest", spy)
    client.post("/api/articles", json={}, headers={"X-Eventwire-Token": "guess"})
    assert calls == [(b"guess", TOKEN.encode())]


def test_post_is_idempotent_on_content(client):
    auth = {"Authorization": f"Bearer {TOKEN}"}
    before = client.get("/api/counts").json()["articles"]
    first = client.post("/api/articles", json=NEW_ARTICLE, headers=auth)
    assert first.status_code == 201, first.text
    assert first.json()["created"] is True
    again = client.post("/api/articles", json=NEW_ARTICLE, headers=auth)
    assert again.status_code == 200
    assert again.json()["created"] is False and again.json()["id"] == first.json()["id"]
    assert client.get("/api/counts").json()["articles"] == before + 1
    stored = client.get(f"/api/articles/{first.json()['id']}").json()["article"]
    assert stored["outlet"] == "Island Gazette" and stored["title"] == "Aegean agreement"
    # the same text posted as text/plain is the same article
    plain = client.post("/api/articles", content=NEW_ARTICLE["text"].encode(),
                        headers={**auth, "Content-Type": "text/plain"})
    assert plain.status_code == 200 and plain.json()["id"] == first.json()["id"]


def test_post_rejects_bad_bodies(client):
    auth = {"Authorization": f"Bearer {TOKEN}"}
    empty = client.post("/api/articles", json={"title": "no text"}, headers=auth)
    assert empty.status_code == 422 and "text" in empty.json()["message"]
    bad_date = client.post("/api/articles", json={"text": "x y z", "published": "2025-02-30"},
                           headers=auth)
    assert bad_date.status_code == 422 and "published" in bad_date.json()["message"]
    garbage = client.post("/api/articles", content=b"{not json",
                          headers={**auth, "Content-Type": "application/json"})
    assert garbage.status_code == 422
    binary = client.post("/api/articles", content=b"\x00\x01", headers={**auth, "Content-Type": "image/png"})
    assert binary.status_code == 415


def test_body_size_limit(client):
    auth = {"Authorization": f"Bearer {TOKEN}"}
    big = b"a" * (MAX_BODY_BYTES + 1)
    response = client.post("/api/articles", content=big, headers={**auth, "Content-Type": "text/plain"})
    assert response.status_code == 413
    assert "limit" in response.json()["message"]

    def chunks():  # no Content-Length: the streamed body is counted
        for _ in range(6):
            yield b"b" * (1024 * 1024)

    streamed = client.post("/api/articles", content=chunks(),
                           headers={**auth, "Content-Type": "text/plain"})
    assert streamed.status_code == 413


def test_responses_are_cached_until_a_write(tmp_path, settings, web_articles):
    store = Store(f"sqlite:///{tmp_path / 'cache.db'}")
    client = TestClient(create_app(settings, token=TOKEN, store=store, cache_seconds=600),
                        base_url="http://127.0.0.1")
    assert client.get("/api/counts").json()["articles"] == 0
    assert client.get("/api/articles?limit=5").json()["total"] == 0
    fill_store(store, web_articles[:1])  # written behind the server's back
    assert client.get("/api/counts").json()["articles"] == 0  # the cached answer
    assert client.get("/api/articles?limit=5").json()["total"] == 0
    assert client.get("/api/articles?limit=6").json()["total"] == 1  # another URL, computed
    client.post("/api/articles", json=NEW_ARTICLE, headers={"Authorization": f"Bearer {TOKEN}"})
    assert client.get("/api/counts").json()["articles"] == 2  # a write cleared the cache
    uncached = TestClient(create_app(settings, token="", store=store, cache_seconds=0),
                          base_url="http://127.0.0.1")
    fill_store(store, web_articles[1:2])
    assert uncached.get("/api/counts").json()["articles"] == 3
