"""The web pages in a real browser: headless Debian Chromium through Playwright, real uvicorn server."""

from __future__ import annotations

import socket
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

from eventwire.store.database import Store
from eventwire.web import create_app

from web_articles import SCRIPT_TEXT, fill_store, processed_articles, shown

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync"]

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(not CHROMIUM.exists(),
                       reason="/usr/bin/chromium is missing: scripts/setup.sh --test installs it"),
]


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


UNDATED = dict(outlet="Night Desk", title="Ankara rebukes Moscow", url="https://nightdesk.example/rebuke",
               text="Turkey criticized Russia over its support for the separatists.\n\n"
                    "Ankara accused Moscow of breaking the grain agreement.\n")


@pytest.fixture(scope="module")
def articles(settings):
    """The web test articles and one without any date, whose events no time axis can place."""
    from eventwire import pipeline
    from eventwire.records import RawDocument
    undated = next(pipeline.process_documents([RawDocument(origin="undated", **UNDATED)], settings))
    assert undated.published is None and undated.events
    return processed_articles(settings) + [undated]


def unplaced_events(articles, precision: int) -> int:
    """Events whose date (else their article's) is coarser than a period of this many characters."""
    return sum(1 for a in articles for e in a.events if len(e.date or a.published or "") < precision)


def plot(page, element_id: str) -> dict:
    """The data and layout plotly drew in an element."""
    return page.evaluate(f"""() => {{ const el = document.getElementById('{element_id}');
        return {{ data: el.data.map(t => ({{ name: t.name, x: t.x, y: t.y, text: t.text }})),
                  xaxis: el.layout.xaxis.type }}; }}""")


@contextmanager
def serving(app) -> Iterator[str]:
    """A real uvicorn server for ``app`` on 127.0.0.1 and a free port; yields its base URL."""
    import uvicorn

    port = free_port()
    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 20
    while not server.started:
        if time.monotonic() > deadline or not thread.is_alive():
            pytest.fail("the web server did not start")
        time.sleep(0.05)
    yield f"http://127.0.0.1:{port}"
    server.should_exit = True
    thread.join(10)


@pytest.fixture(scope="module")
def server(tmp_path_factory, settings, articles):
    """The web server over a store of the test articles."""
    store = Store(f"sqlite:///{tmp_path_factory.mktemp('browser') / 'browser.db'}")
    fill_store(store, articles)
    with serving(create_app(settings, token="", store=store)) as url:
        yield url
    store.close()


@pytest.fixture(scope="module")
def browser():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


@pytest.fixture(scope="module")
def context(browser):
    """One browser context for the module, so plotly.min.js is fetched and parsed from cache once."""
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    yield context
    context.close()


@pytest.fixture
def page(context):
    page = context.new_page()
    page.set_default_timeout(30_000)
    page.console_problems = []
    page.on("console", lambda msg: msg.type == "error" and page.console_problems.append(msg.text))
    page.on("pageerror", lambda exc: page.console_problems.append(str(exc)))
    yield page
    page.close()


def test_overview_renders_counts_and_timeline(page, server, articles):
    page.goto(server + "/")
    assert page.locator('[data-count="articles"]').inner_text() == str(len(articles))
    page.wait_for_selector("#timeline .main-svg")
    assert page.locator("#timeline .scatterlayer path.point").count() > 0
    assert page.console_problems == []


def test_timeline_has_a_time_axis_and_counts_the_undated(page, server, articles):
    page.goto(server + "/")
    page.wait_for_selector("#timeline .main-svg")
    drawn = plot(page, "timeline")
    assert drawn["xaxis"] == "date"
    everything = next(t for t in drawn["data"] if t["name"] == "all events")
    assert everything["x"] == sorted(everything["x"])
    # events behind each point, in its hover text
    assert all(text == f"{n} event{'' if n == 1 else 's'}" for n, text in zip(everything["y"], everything["text"]))
    placed = sum(everything["y"])
    unplaced = unplaced_events(articles, 7)
    assert unplaced > 0 and placed + unplaced == sum(len(a.events) for a in articles)
    assert page.locator(".unplaced").get_attribute("data-unplaced") == str(unplaced)


def test_actor_timeline_by_day_shows_empty_days_as_zero(page, server):
    import datetime as dt
    page.goto(server + "/actors/TUR?by=day")
    page.wait_for_selector("#actor-chart .main-svg")
    drawn = plot(page, "actor-chart")
    assert drawn["xaxis"] == "date"
    days = drawn["data"][0]["x"]
    first, last = dt.date.fromisoformat(days[0]), dt.date.fromisoformat(days[-1])
    assert days == [(first + dt.timedelta(d)).isoformat() for d in range((last - first).days + 1)]
    assert len(days) > 30 and 0 in drawn["data"][0]["y"]  # the weeks between the articles
    assert page.console_problems == []


def test_filter_events_and_open_the_evidence(page, server, articles):
    page.goto(server + "/events")
    page.fill('input[name="actor"]', "UKR")
    page.click('form.filters button[type="submit"]')
    page.wait_for_url("**/events?*actor=UKR*")
    expected = [(a, e) for a in articles for e in a.events
                if "UKR" in {m.country for m in e.source + e.target} and shown(e)]
    assert page.locator("li.event").count() == len(expected) > 0

    article, event = expected[0]
    page.locator(f'#event-{event.id} a.evidence-link').click()
    page.wait_for_url(f"**/articles/{article.id}#ev-{event.id}")
    mark = page.locator(f"mark:has(#ev-{event.id}), mark#ev-{event.id}").first
    assert mark.is_visible()
    assert mark.inner_text() == event.evidence.sentence.strip()
    # the browser went to the sentence: it is the :target, inside the viewport
    assert page.evaluate(f"document.querySelector(':target').id") == f"ev-{event.id}"
    assert mark.evaluate("m => m.getBoundingClientRect().top < window.innerHeight")


def test_dyad_chart_draws_its_points(page, server):
    page.goto(server + "/dyads/TUR/RUS")
    page.wait_for_selector("#dyad-chart .main-svg")
    points = page.locator("#dyad-chart .scatterlayer path.point")
    dyad = page.request.get(server + "/api/dyads/TUR/RUS").json()
    series = dyad["series"]
    assert len(series) >= 2
    assert points.count() >= 2 * len(series)  # cooperation and conflict points per period (+ score)
    drawn = plot(page, "dyad-chart")
    assert drawn["xaxis"] == "date"
    score = next(t for t in drawn["data"] if t["name"] == "mean score")
    for row, text in zip(series, score["text"]):
        if row["score_mean"] is not None:
            assert f"{row['scored']} scored happening" in text and f"{row['total']} happening" in text
    # the undated article's events between Turkey and Russia are counted, not drawn
    assert dyad["unplaced"] >= 1
    assert page.locator(".unplaced").get_attribute("data-unplaced") == str(dyad["unplaced"])
    assert page.console_problems == []


def test_script_in_an_article_is_shown_not_run(page, server, articles):
    article = next(a for a in articles if SCRIPT_TEXT in a.text)
    page.goto(f"{server}/articles/{article.id}")
    assert SCRIPT_TEXT in page.locator("#article-text").inner_text()
    assert page.evaluate("typeof window.__pwned") == "undefined"
    assert page.locator("#article-text script").count() == 0


def test_api_docs_render_the_operations_offline(page, server):
    """Swagger UI renders the OpenAPI 3.1 document FastAPI writes, from this server only."""
    foreign: list[str] = []

    def only_local(route):
        if route.request.url.startswith(server):
            route.continue_()
        else:
            foreign.append(route.request.url)
            route.abort()

    page.route("**/*", only_local)
    page.goto(server + "/docs")
    page.wait_for_selector(".opblock-summary-path")
    paths = set(page.locator(".opblock-summary-path").all_inner_texts())
    assert {"/api/events", "/api/articles/{article_id}", "/api/dyads/{a}/{b}"} <= paths
    assert page.locator("text=Unable to render this definition").count() == 0
    assert foreign == []
    assert page.console_problems == []
