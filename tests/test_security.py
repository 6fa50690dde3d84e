"""The security test list of the web server: SQL injection in every filter, XSS in every field
shown on a page (in Chromium), path traversal, the Host header, cache flooding, body limits."""

from __future__ import annotations

import json
import socket
import threading
import time
from urllib.parse import quote

import pytest
from fastapi.testclient import TestClient

from eventwire import pipeline
from eventwire.records import Article, RawDocument
from eventwire.store.database import Store
from eventwire.web import create_app
from eventwire.web.cache import ResponseCache
from eventwire.web.security import MAX_BODY_BYTES

from test_browser import CHROMIUM, CHROMIUM_ARGS, free_port
from test_web_api import TOKEN, store, web_articles  # noqa: F401 (fixtures)
from web_articles import fill_store

SQL_PAYLOADS = ["' OR '1'='1", "'; DROP TABLE articles; --", '" OR 1=1 --', "TUR') OR ('a'='a",
                "%' UNION SELECT id, text FROM articles --", "1; SELECT pg_sleep(3)",
                "' AND 1=(SELECT COUNT(*) FROM sqlite_master) --", "\\", "%", "_%_"]
XSS = ['<script>window.__pwned = 1</script>', '<img src=x onerror="window.__pwned = 2">',
       '"><svg onload="window.__pwned = 3">', "'-alert(4)-'", '{{ 7 * 7 }}<b>bold</b>']
BAD_URLS = ["javascript:window.__pwned = 5", "data:text/html,<script>window.__pwned=6</script>",
            " javascript:window.__pwned = 7", "JAVASCRIPT:window.__pwned = 8"]


# --- SQL injection in every filter ------------------------------------------------

def api_filters(app) -> list[tuple[str, str, str]]:
    """(path, parameter, where) of every string parameter of every GET endpoint, from the
    OpenAPI description, so a filter added later is tested too."""
    found = []
    for path, item in app.openapi()["paths"].items():
        for parameter in item.get("get", {}).get("parameters", []):
            schema = parameter.get("schema", {})
            types = {schema.get("type")} | {s.get("type") for s in schema.get("anyOf", [])}
            if "string" in types:
                found.append((path, parameter["name"], parameter["in"]))
    return found


def test_sql_injection_in_every_filter_finds_nothing_and_changes_nothing(store, settings):
    client = TestClient(create_app(settings, token="", store=store, cache_seconds=0),
                        base_url="http://127.0.0.1")
    before = client.get("/api/counts").json()
    filters = api_filters(client.app)
    assert len(filters) >= 25 and ("/api/events", "actor", "query") in filters
    for path, name, where in filters:
        for payload in SQL_PAYLOADS:
            if where == "path":
                url = path.replace("{" + name + "}", quote(payload, safe=""))
                for other in ("{a}", "{b}", "{event_id}", "{article_id}", "{actor_id}",
                              "{story_id}", "{canonical_id}"):
                    url = url.replace(other, "TUR")
                params = {}
            else:
                url, params = path.replace("{a}", "TUR").replace("{b}", "RUS"), {name: payload}
                if "{" in url:
                    continue  # a single-record endpoint: its path parameter is tested above
            started = time.perf_counter()
            response = client.get(url, params=params)
            assert time.perf_counter() - started < 3, (url, params)  # no injected sleep ran
            assert response.status_code in (200, 404, 422), (url, params, response.text[:200])
            body = response.json()
            if response.status_code == 200 and "total" in body:
                assert body["total"] == 0, (url, params, body)  # nothing stored matches
    assert client.get("/api/counts").json() == before


# --- XSS in every field shown on a page, in Chromium -------------------------------

def hostile_documents() -> list[RawDocument]:
    text = ("Turkey condemned Russia on Monday after the strike on the port. {x0}\n\n"
            "\"We will not accept {x1} from anyone,\" the Turkish foreign minister said on Monday.\n\n"
            "France accused Germany of spying on its embassy {x2} in Paris on Tuesday.\n")
    return [RawDocument(origin=f"hostile-{i}", text=text.format(x0=XSS[i % 5], x1=XSS[(i + 1) % 5],
                                                               x2=XSS[(i + 2) % 5]) + f"Report {i}.",
                        title=XSS[i % 5] + f" report {i}", outlet=XSS[(i + 3) % 5],
                        url=BAD_URLS[i % len(BAD_URLS)], published=XSS[(i + 4) % 5])
            for i in range(len(BAD_URLS))]


@pytest.fixture(scope="module")
def hostile_server(tmp_path_factory, settings):
    import uvicorn

    articles = list(pipeline.process_documents(hostile_documents(), settings))
    assert all(isinstance(a, Article) for a in articles), articles
    assert any(a.events for a in articles) and any(a.quotes for a in articles)
    store = Store(f"sqlite:///{tmp_path_factory.mktemp('hostile') / 'hostile.db'}")
    fill_store(store, articles)
    port = free_port()
    server = uvicorn.Server(uvicorn.Config(create_app(settings, token="", store=store),
                                           host="127.0.0.1", port=port, log_level="warning"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 20
    while not server.started:
        assert time.monotonic() < deadline and thread.is_alive(), "the web server did not start"
        time.sleep(0.05)
    yield f"http://127.0.0.1:{port}", articles
    server.should_exit = True
    thread.join(10)
    store.close()


def hostile_pages(articles: list[Article]) -> list[str]:
    payload = quote(XSS[0] + XSS[1], safe="")
    pages = ["/", "/events", "/articles", "/quotes", "/actors", "/stories", "/dyads/TUR/RUS",
             f"/events?actor={payload}&q={payload}&outlet={payload}",
             f"/articles?q={payload}&outlet={payload}", f"/quotes?speaker={payload}&q={payload}",
             f"/actors?q={payload}", f"/dyads/{payload}/RUS", f"/articles/{payload}",
             f"/events?since={payload}", f"/stories/{payload}", "/actors/TUR", "/actors/FRA"]
    pages += [f"/articles/{a.id}?removed=1" for a in articles]
    return pages


@pytest.mark.browser
@pytest.mark.skipif(not CHROMIUM.exists(), reason="/usr/bin/chromium is missing")
def test_no_field_shown_on_any_page_runs_script_in_chromium(hostile_server):
    from playwright.sync_api import sync_playwright

    base, articles = hostile_server
    stories = {r["id"] for r in json.loads(_get(base, "/api/stories"))["items"]}
    pages = hostile_pages(articles) + [f"/stories/{s}" for s in stories]
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        page = browser.new_page()
        dialogs = []
        page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
        for path in pages:
            page.goto(base + path)
            assert page.evaluate("typeof window.__pwned") == "undefined", path
            injected = page.evaluate("""() => [
                ...document.querySelectorAll('[onerror],[onload],[onclick],[onmouseover]'),
                ...[...document.querySelectorAll('a[href],iframe[src],form[action]')].filter(
                    e => /^\\s*(javascript|data|vbscript):/i.test(
                        e.getAttribute('href') || e.getAttribute('src') || e.getAttribute('action'))),
                ...[...document.scripts].filter(s => s.text.includes('__pwned'))].length""")
            assert injected == 0, path
        # the payloads are on the pages as text, where they were put
        page.goto(f"{base}/articles/{articles[0].id}")
        assert XSS[0] in page.locator("#article-text").inner_text()
        assert XSS[0] in page.locator("h1").inner_text()
        assert BAD_URLS[0] in page.locator("p.meta").inner_text()  # shown, not linked
        browser.close()
    assert dialogs == []


def _get(base: str, path: str) -> str:
    import httpx
    return httpx.get(base + path, timeout=30).text


# --- path traversal ----------------------------------------------------------------

def raw_request(base: str, target: str, host: str = "127.0.0.1") -> tuple[int, bytes]:
    """Send a request line exactly as written (no client normalises the path)."""
    port = int(base.rsplit(":", 1)[1])
    with socket.create_connection(("127.0.0.1", port), timeout=10) as sock:
        sock.sendall(f"GET {target} HTTP/1.1\r\nHost: {host}\r\nConnection: close\r\n\r\n".encode())
        data = b""
        while chunk := sock.recv(65536):
            data += chunk
    status = int(data.split(b" ", 2)[1])
    return status, data


@pytest.mark.parametrize("target", [
    "/static/../../../../etc/passwd", "/static/%2e%2e/%2e%2e/%2e%2e/etc/passwd",
    "/static/..%2f..%2f..%2f..%2fetc%2fpasswd", "/static/%252e%252e/etc/passwd",
    "/static-vendor/swagger-ui/../../../../../etc/passwd", "/static/..\\..\\..\\etc\\passwd",
    "/static//etc/passwd", "/actors/..%2F..%2F..%2Fetc%2Fpasswd", "/articles/../../etc/passwd",
    "/static/eventwire.css%00.html",
])
def test_path_traversal_reads_no_file_outside_the_static_folders(hostile_server, target):
    base, _ = hostile_server
    status, data = raw_request(base, target)
    assert status in (400, 404), (target, status)
    assert b"root:" not in data


# --- Host header --------------------------------------------------------------------

def test_host_header_must_be_a_served_name(store, settings):
    app = create_app(settings, token="", store=store)
    client = TestClient(app, base_url="http://127.0.0.1")
    for host in ("127.0.0.1", "127.0.0.1:8000", "localhost:8000", "[::1]:8000", "LOCALHOST"):
        assert client.get("/api/counts", headers={"Host": host}).status_code == 200, host
    for host in ("evil.example", "evil.example:8000", "127.0.0.1.evil.example", "localhost.",
                 "", "[::2]:80"):
        response = client.get("/api/counts", headers={"Host": host})
        assert response.status_code == 400, host
        assert "allowed-host" in response.json()["message"]
    named = TestClient(create_app(settings, token="", store=store,
                                  allowed_hosts=["news.example.org", "*.example.net"]),
                       base_url="http://news.example.org")
    assert named.get("/api/counts").status_code == 200
    assert named.get("/api/counts", headers={"Host": "a.example.net"}).status_code == 200
    assert named.get("/api/counts", headers={"Host": "127.0.0.1"}).status_code == 400


# --- cache flooding -------------------------------------------------------------------

def response_cache(app) -> ResponseCache:
    layer = app.middleware_stack
    while not isinstance(layer, ResponseCache):
        layer = layer.app
    return layer


def test_cache_flooding_cannot_grow_the_cache_past_its_bytes(tmp_path, settings, web_articles):
    store_ = Store(f"sqlite:///{tmp_path / 'flood.db'}")
    fill_store(store_, web_articles)
    app = create_app(settings, token="", store=store_, cache_seconds=600, cache_bytes=300_000)
    client = TestClient(app, base_url="http://127.0.0.1")
    client.get("/events")
    cache = response_cache(app)
    for n in range(150):  # made-up parameters: the API refuses them, pages share one entry
        assert client.get(f"/api/events?cachebust={n}").status_code == 422
        assert client.get(f"/events?cachebust={n}").status_code == 200
    assert len(cache.entries) == 1
    for n in range(150):  # declared parameters with ever new values: bounded in bytes
        assert client.get(f"/api/events?q=word{n}&limit=500").status_code == 200
        assert client.get(f"/articles?q=word{n}").status_code == 200
    assert cache.size <= 300_000 and 10 < len(cache.entries) < 300
    assert client.get("/api/events?q=Turkey").json()["total"] > 0  # still answers correctly


# --- body limits ----------------------------------------------------------------------

@pytest.fixture
def writer(tmp_path, settings):
    import dataclasses
    quick = dataclasses.replace(settings, time_budget_seconds=1.0)
    app = create_app(quick, token=TOKEN, store=Store(f"sqlite:///{tmp_path / 'w.db'}"))
    return TestClient(app, base_url="http://127.0.0.1",
                      headers={"Authorization": f"Bearer {TOKEN}"})


def test_body_limits_and_hostile_bodies_are_clear_4xx(writer):
    def post(content: bytes, kind: str = "application/json"):
        return writer.post("/api/articles", content=content, headers={"Content-Type": kind})

    assert post(b"a" * (MAX_BODY_BYTES + 1), "text/plain").status_code == 413
    assert post(b"[" * 100_000 + b"]" * 100_000).status_code in (413, 422)
    assert post(b'{"text": ' + b"[" * 3000 + b"]" * 3000 + b"}").status_code == 422
    assert post(b'{"text": "caf\xe9 talks"}').status_code == 415
    assert post(b'{"text": "\\ud800 Greece and Turkey met in Athens."}').status_code in (201, 422)
    bad_url = post(json.dumps({"text": "Greece and Turkey met in Athens on Monday.",
                               "url": "http://[::1"}).encode())
    assert bad_url.status_code == 422 and "not a valid URL" in bad_url.json()["message"]
    assert post(json.dumps({"text": "Hello"}).encode()).json()["message"].count("E011") == 1
    words = " ".join(f"Delegates of state {n} met in a harbour town and agreed on quotas."
                     for n in range(40_000))[:MAX_BODY_BYTES - 100]
    started = time.perf_counter()
    slow = post(words.encode(), "text/plain")
    assert slow.status_code == 422 and "E012" in slow.json()["message"]
    assert time.perf_counter() - started < 60
    ok = post(json.dumps({"text": "Greece and Turkey signed a maritime agreement in Athens."}).encode())
    assert ok.status_code == 201  # the server is fine after all of it
