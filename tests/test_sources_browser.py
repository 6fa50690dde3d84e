"""The Sources page and /api/sources over a store that `watch` filled from a local server; the
page in headless Chromium (as tests/test_browser.py) and through the app directly."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient

from eventwire import sources
from eventwire.store.database import Store
from eventwire.web import create_app

from sources_server import LocalServer, Route, article_html, atom
from test_browser import CHROMIUM, CHROMIUM_ARGS, serving
from test_sources_fetching import policy

SECRET = "pa55-w0rd"


@pytest.fixture(scope="module")
def watched(tmp_path_factory, settings):
    """A store after two passes over a feed: three articles (one of them updated) and a 404."""
    server = LocalServer("127.0.0.1")
    for n in range(3):
        server.routes[f"/w/{n}"] = Route(article_html(80 + n))

    def feed(stamp: str) -> Route:
        items = [(server.url(f"/w/{n}"), f"Item {n}", stamp if n == 0 else "2026-11-19T08:00:00Z")
                 for n in range(3)] + [(server.url("/w/missing"), "Missing", "2026-11-19T08:00:00Z")]
        return Route(atom(items), content_type="application/atom+xml")
    server.routes["/feed.xml"] = feed("2026-11-19T08:00:00Z")
    store = Store(f"sqlite:///{tmp_path_factory.mktemp('sources-web') / 'web.db'}")
    url = f"http://reader:{SECRET}@127.0.0.1:{server.port}/feed.xml"
    sources.add_source(store, url, name="<b>Wire</b> feed", outlet="Test Wire")
    watcher = sources.Watcher(store, settings, policy())
    watcher.run(once=True)
    server.routes["/w/0"] = Route(article_html(80, revision=2))
    server.routes["/feed.xml"] = feed("2026-11-20T08:00:00Z")
    watcher.run(once=True)
    server.close()
    yield store
    store.close()


def test_sources_api_and_page_show_the_state_without_secrets(watched, settings):
    client = TestClient(create_app(settings, token="", store=watched), base_url="http://127.0.0.1")
    [row] = client.get("/api/sources").json()
    assert (row["articles"], row["done"], row["failed"], row["last_status"]) == (4, 3, 1, 200)
    assert SECRET not in row["url"] and "reader:***@" in row["url"]
    pages = client.get("/api/sources/pages").json()
    assert {p["state"] for p in pages} == {"done", "failed"}
    assert max(p["versions"] or 0 for p in pages) == 2
    html = client.get("/sources").text
    assert "&lt;b&gt;Wire&lt;/b&gt; feed" in html and "<b>Wire</b>" not in html
    assert SECRET not in html and "HTTP 404" in html
    assert 'href="/sources"' in client.get("/").text  # in the navigation of every page


@pytest.fixture(scope="module")
def server_url(watched, settings):
    with serving(create_app(settings, token="", store=watched)) as url:
        yield url


@pytest.mark.browser
@pytest.mark.skipif(not CHROMIUM.exists(),
                    reason="/usr/bin/chromium is missing: scripts/setup.sh --test installs it")
def test_sources_page_in_a_browser(server_url, watched):
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        try:
            page = browser.new_page(viewport={"width": 1280, "height": 900})
            problems: list[str] = []
            page.on("console", lambda msg: msg.type == "error" and problems.append(msg.text))
            page.on("pageerror", lambda exc: problems.append(str(exc)))
            page.goto(server_url + "/")
            page.click("header nav >> text=Sources")
            page.wait_for_url("**/sources")
            row = page.locator("#sources tbody tr")
            assert row.count() == 1
            assert row.locator(".name").inner_text() == "<b>Wire</b> feed"
            assert row.locator(".status").inner_text() == "200"
            assert row.locator(".articles").inner_text() == "4"
            assert row.locator(".failed").inner_text() == "1"
            assert SECRET not in page.content()
            assert page.locator("#pages tr.page-failed").count() == 1
            updated = page.locator("#pages tr.page-done", has=page.locator(".badge"))
            assert updated.locator(".badge").inner_text() == "version 2"
            title = updated.locator("a.article").inner_text()
            updated.locator("a.article").click()
            page.wait_for_url("**/articles/*")
            assert title in page.locator("h1").inner_text()
            assert "Update 2" in page.locator("#article-text").inner_text()
            assert problems == []
        finally:
            browser.close()
