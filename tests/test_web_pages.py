"""The HTML pages over real data: every page renders, evidence is marked, article text is escaped."""

from __future__ import annotations

import json
import re
from html import unescape

import pytest
from fastapi.testclient import TestClient

from eventwire import pipeline
from eventwire.records import RawDocument
from eventwire.store.database import Store
from eventwire.web import create_app

from web_articles import SCRIPT_TEXT, fill_store, processed_articles, shown

EVIL_TITLE = '<img src=x onerror="window.__pwned=2">Title'


@pytest.fixture(scope="module")
def articles(settings):
    evil = next(pipeline.process_documents([RawDocument(
        origin="evil", text="Iran rejected the proposal from France on Monday.",
        title=EVIL_TITLE, outlet="<b>Outlet</b>", published="2025-06-01")], settings))
    return processed_articles(settings) + [evil]


@pytest.fixture(scope="module")
def client(tmp_path_factory, settings, articles):
    store = Store(f"sqlite:///{tmp_path_factory.mktemp('pages') / 'pages.db'}")
    fill_store(store, articles)
    return TestClient(create_app(settings, token="", store=store), base_url="http://127.0.0.1")


def chart_data(html: str) -> dict:
    found = re.search(r'<script type="application/json">(.*?)</script>', html, re.S)
    assert found, "no chart data on the page"
    return json.loads(found.group(1))


def test_overview_shows_counts_latest_events_dyads_and_timeline(client, articles):
    html = client.get("/").text
    assert f'data-count="articles">{len(articles)}<' in html
    assert f'data-count="events">{sum(len(a.events) for a in articles)}<' in html
    assert 'class="event"' in html and 'class="dyad-link"' in html
    series = chart_data(html)["series"]
    assert sum(p["events"] for p in series) == sum(len(a.events) for a in articles)
    assert '<script src="/static-vendor/plotly.min.js">' in html


def test_pages_degrade_to_empty_state_on_an_empty_store(tmp_path, settings):
    client = TestClient(create_app(settings, token="", store=Store(f"sqlite:///{tmp_path / 'e.db'}")),
                        base_url="http://127.0.0.1")
    for path in ("/", "/events", "/actors", "/stories", "/quotes", "/articles", "/dyads/TUR/RUS"):
        response = client.get(path)
        assert response.status_code == 200, path
        assert 'class="empty"' in response.text, path


def test_event_list_filters_and_links_to_marked_evidence(client, articles):
    html = client.get("/events", params={"actor": "UKR"}).text
    expected = [e for a in articles for e in a.events
                if "UKR" in {m.country for m in e.source + e.target} and shown(e)]
    assert expected
    by_event = {e.id: a.id for a in articles for e in a.events}
    for event in expected:
        assert f'href="/articles/{by_event[event.id]}#ev-{event.id}"' in html
    others = [e for a in articles for e in a.events if e not in expected]
    assert all(f'#ev-{e.id}"' not in html for e in others)
    assert f"1–{len(expected)} of {len(expected)}" in html


def test_article_page_marks_event_sentences_and_escapes_text(client, articles):
    article = next(a for a in articles if SCRIPT_TEXT in a.text)
    html = client.get(f"/articles/{article.id}").text
    assert SCRIPT_TEXT not in html
    assert "&lt;script&gt;window.__pwned = 1&lt;/script&gt;" in html
    marked = {}  # event anchor id -> the text of the <mark> that holds it
    for mark in re.finditer(r'<mark class="event"[^>]*?id="([^"]+)"[^>]*>(.*?)</mark>', html, re.S):
        text = unescape(re.sub(r"<[^>]+>", "", mark.group(2)))
        for anchor in [mark.group(1), *re.findall(r'class="anchor" id="([^"]+)"', mark.group(2))]:
            marked[anchor] = text
    assert article.events
    for event in article.events:
        assert marked[f"ev-{event.id}"] == event.evidence.sentence.strip()
    assert '<details class="removed">' in html


def test_article_page_marks_quotes_and_actor_mentions(client, articles):
    article = next(a for a in articles if a.quotes and a.mentions)
    html = client.get(f"/articles/{article.id}").text
    for quote in article.quotes:
        assert f'id="q-{quote.id}"' in html
    actor = next(m for m in article.mentions if m.actor_id)
    assert f'href="/actors/{actor.actor_id.replace(":", "%3A")}"' in html
    assert client.get(f"/articles/{article.id}?removed=1").text.count("<details class=\"removed\" open>") == 1


def test_titles_and_outlets_are_escaped_everywhere(client, articles):
    evil = articles[-1]
    for path in (f"/articles/{evil.id}", "/articles", "/events?actor=IRN", "/"):
        html = client.get(path).text
        assert EVIL_TITLE not in html and "<b>Outlet</b>" not in html, path
    assert "&lt;img src=x onerror=" in client.get("/articles").text


def test_actor_page_shows_roles_partners_quotes(client, articles):
    html = client.get("/actors/TUR").text
    assert "<h1>" in html and "Partners" in html
    assert 'href="/dyads/TUR/RUS"' in html
    series = chart_data(html)["series"]
    assert sum(p["source"] for p in series) > 0
    speaker = next(q.speaker.actor_id for a in articles for q in a.quotes
                   if q.speaker and q.speaker.actor_id)
    person = client.get(f"/actors/{speaker}").text
    assert "Quotes (" in person and 'class="empty">No quotes' not in person


def test_counts_are_plural_only_when_more_than_one(client):
    import re
    for path in ("/actors/TUR", "/actors/RUS", "/stories"):
        assert not re.search(r"\b1 (events|articles|outlets|happenings)\b", client.get(path).text), path


def test_roles_are_shown_for_people_only(client):
    store = client.app.state.store
    with store.engine.begin() as conn:  # a role word picked up beside a country ("the Turkish side")
        conn.exec_driver_sql("UPDATE actors SET role = 'side' WHERE id = 'TUR'")
    try:
        assert "side" not in client.get("/actors?q=Turkey").text.split("<main>")[1]
    finally:
        with store.engine.begin() as conn:
            conn.exec_driver_sql("UPDATE actors SET role = NULL WHERE id = 'TUR'")


def test_dyad_page_charts_points_with_their_events(client):
    html = client.get("/dyads/TUR/RUS").text
    series = chart_data(html)["series"]
    data = client.get("/api/dyads/TUR/RUS").json()
    assert len(series) == len(data["series"]) >= 2
    for happening in data["events"]:
        section = html.index(f'id="period-{happening["period"]}"')
        assert html.index(f'id="happening-{happening["id"]}"') > section


def test_canonical_reports_page_and_story_pages(client, articles):
    event = articles[0].events[0]
    response = client.get(f"/events/{event.id}", follow_redirects=False)
    assert response.status_code == 303
    assert response.headers["location"] == f"/articles/{articles[0].id}#ev-{event.id}"
    stories = client.get("/api/stories").json()
    assert stories["total"] >= 1
    story = max(stories["items"], key=lambda s: len(s["outlets"]))
    html = client.get(f"/stories/{story['id']}").text
    for outlet in story["outlets"]:
        assert f"<h2>{outlet}</h2>" in html
    assert "Contested terms" in html and "Whom it quoted" in html
    merged = next((e for e in client.get("/api/events?limit=500").json()["items"] if e["reports"] > 1),
                  None)
    if merged:  # the two grain-deal reports are one canonical event when the merger joins them
        page = client.get(f"/canonical/{merged['canonical_id']}").text
        assert page.count('class="event"') == merged["reports"]


def test_error_pages_are_html_with_the_reason(client):
    missing = client.get("/articles/does-not-exist")
    assert missing.status_code == 404 and "no article with id" in missing.text
    bad = client.get("/events?since=31-12-2025")
    assert bad.status_code == 422 and "since" in bad.text
    assert bad.headers["content-type"].startswith("text/html")


def test_pages_send_a_strict_content_security_policy(client):
    policy = client.get("/").headers["content-security-policy"]
    assert "script-src 'self'" in policy and "unsafe-inline" not in policy.split("style-src")[0]


def test_api_docs_are_served_without_a_cdn(client):
    page = client.get("/docs")
    assert page.status_code == 200
    assert "/openapi.json" in page.text
    assert "cdn." not in page.text and "https://" not in page.text.split("<body>")[0]
    script = client.get("/static-vendor/swagger-ui/swagger-ui-bundle.js")
    assert script.status_code == 200 and "SwaggerUIBundle" in script.text
    assert client.get("/openapi.json").json()["info"]["title"] == "eventwire"
