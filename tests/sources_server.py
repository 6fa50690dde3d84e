"""A small HTTP server on 127.0.0.x for the sources tests, and the pages it serves.

Every feed, sitemap and article here is written for these tests (fictional reports about
real countries, so that the pipeline finds actors and events in them).
"""

from __future__ import annotations

import gzip
import threading
import time
import zlib
from dataclasses import dataclass, field
from email.utils import formatdate
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Callable
from xml.sax.saxutils import escape

import pytest

PAIRS = [("Turkey", "Greece"), ("Japan", "South Korea"), ("Brazil", "Argentina"),
         ("Kenya", "Ethiopia"), ("Canada", "Mexico"), ("India", "Nepal"), ("Poland", "Lithuania"),
         ("Egypt", "Sudan"), ("Chile", "Peru"), ("Vietnam", "Cambodia"), ("Norway", "Sweden"),
         ("Morocco", "Spain"), ("Indonesia", "Malaysia"), ("Nigeria", "Ghana"),
         ("France", "Germany"), ("Qatar", "Oman")]
ACTIONS = ["signed a trade agreement with", "held talks with", "accused", "pledged emergency aid to",
           "criticized", "hosted a delegation from", "recalled its ambassador to", "praised"]
DETAILS = [
    "The agreement cuts tariffs on farm goods and opens two new border crossings for trucks.",
    "Delegations from both capitals met for four hours in a hotel near the old harbour.",
    "Officials said a border incident last month had broken an earlier accord on patrols.",
    "The package includes food, medicine and water pumps for villages hit by floods.",
    "The statement followed a long dispute over fishing rights in shared coastal waters.",
    "Ministers discussed rail links, electricity exports and a joint customs office.",
    "The envoy was asked to explain remarks made on state television over the weekend.",
    "Both sides agreed to meet again before the end of the year in a neutral city.",
]
REPLIES = [
    "The foreign minister of {b} told reporters that the government would study the statement.",
    "A spokesman for {b} said the cabinet had not yet discussed the matter.",
    "Lawmakers in {b} called for a debate on the issue in parliament next week.",
    "The embassy of {b} declined to comment when contacted by telephone.",
    "Officials in {b} said they expected more details within days.",
]
BACKGROUNDS = [
    "Analysts said relations between {a} and {b} have shifted several times in recent years.",
    "Trade between {a} and {b} reached a record level last year, according to customs data.",
    "{a} and {b} share a long history of cooperation on water and energy projects.",
    "Earlier this year, leaders of {a} and {b} exchanged letters about migration and security.",
    "Several business groups in {a} have lobbied for closer ties with {b}.",
    "Opposition parties in {a} have questioned the cost of the policy toward {b}.",
]
WEEKDAYS = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday"]


def article_text(n: int, revision: int = 0) -> tuple[str, list[str]]:
    """Title and paragraphs of the n-th test article (a later revision adds a paragraph)."""
    a, b = PAIRS[n % len(PAIRS)]
    verb = ACTIONS[(n * 3 + 1) % len(ACTIONS)]
    day = WEEKDAYS[n % len(WEEKDAYS)]
    title = f"{a} {verb} {b}, officials say (bulletin {n})"
    paragraphs = [
        f"{a} {verb} {b} on {day}, the foreign ministry of {a} said in bulletin {n}.",
        DETAILS[(n * 5 + 2) % len(DETAILS)],
        REPLIES[(n * 2 + 1) % len(REPLIES)].format(a=a, b=b),
        BACKGROUNDS[(n * 7) % len(BACKGROUNDS)].format(a=a, b=b),
    ]
    if revision:
        paragraphs.append(f"Update {revision}: {b} later said it welcomed the contacts and "
                          f"invited a delegation from {a} to visit next month.")
    return title, paragraphs


def article_html(n: int, revision: int = 0, charset: str = "utf-8", extra: str = "") -> str:
    title, paragraphs = article_text(n, revision)
    body = "\n".join(f"<p>{escape(p)}</p>" for p in paragraphs)
    return (f'<!doctype html><html><head><meta charset="{charset}"><title>{escape(title)}</title>'
            f'</head><body><nav><a href="/">Home</a> <a href="/world">World</a></nav>'
            f"<article><h1>{escape(title)}</h1>{body}{extra}</article>"
            f"<footer>Test Wire, a newsroom made up for tests.</footer></body></html>")


def rss(items: list[tuple[str, str, str | None]], title: str = "Test Wire") -> str:
    """RSS 2.0 from (link, title, RFC 822 pubDate) items."""
    entries = "".join(
        f"<item><title>{escape(t)}</title><link>{escape(link)}</link>"
        + (f"<pubDate>{d}</pubDate>" if d else "") + "</item>" for link, t, d in items)
    return (f'<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel>'
            f"<title>{escape(title)}</title><link>http://example.invalid/</link>"
            f"<description>test feed</description>{entries}</channel></rss>")


def atom(items: list[tuple[str, str, str]], title: str = "Test Wire Atom") -> str:
    """Atom 1.0 from (link, title, updated ISO time) items."""
    entries = "".join(
        f'<entry><title>{escape(t)}</title><link rel="alternate" href="{escape(link)}"/>'
        f"<id>{escape(link)}</id><updated>{u}</updated></entry>" for link, t, u in items)
    return (f'<?xml version="1.0" encoding="utf-8"?><feed xmlns="http://www.w3.org/2005/Atom">'
            f"<title>{escape(title)}</title><id>urn:test:feed</id><updated>2026-11-20T10:00:00Z"
            f"</updated>{entries}</feed>")


def news_sitemap(items: list[tuple[str, str, str]], publication: str = "Test Wire") -> str:
    """A sitemap with the news: extension from (loc, title, publication date) items."""
    urls = "".join(
        f"<url><loc>{escape(loc)}</loc><news:news><news:publication><news:name>"
        f"{escape(publication)}</news:name><news:language>en</news:language></news:publication>"
        f"<news:publication_date>{d}</news:publication_date><news:title>{escape(t)}</news:title>"
        f"</news:news></url>" for loc, t, d in items)
    return ('<?xml version="1.0" encoding="UTF-8"?>'
            '<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9" '
            'xmlns:news="http://www.google.com/schemas/sitemap-news/0.9">' + urls + "</urlset>")


def sitemap_index(children: list[tuple[str, str | None]]) -> str:
    items = "".join(f"<sitemap><loc>{escape(loc)}</loc>"
                    + (f"<lastmod>{m}</lastmod>" if m else "") + "</sitemap>" for loc, m in children)
    return ('<?xml version="1.0" encoding="UTF-8"?>'
            '<sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">'
            + items + "</sitemapindex>")


@dataclass
class Route:
    """What the server answers on one path."""

    body: bytes | str = b""
    status: int = 200
    content_type: str = "text/html; charset=utf-8"
    headers: dict[str, str] = field(default_factory=dict)
    etag: str | None = None  # answers 304 to a matching If-None-Match
    last_modified: float | None = None  # epoch; answers 304 to If-Modified-Since
    delay: float = 0.0  # seconds before the response starts
    encoding: str | None = None  # gzip | deflate | raw-deflate: compress the body
    drip: float = 0.0  # seconds between single bytes of the body (a trickling server)
    handler: Callable[["Request"], "Route"] | None = None  # computes the answer per request


@dataclass
class Request:
    path: str
    headers: dict[str, str]
    host: str
    at: float


class LocalServer:
    """A threaded HTTP server on ``host`` and a free port, with a route table and a request log."""

    def __init__(self, host: str = "127.0.0.1"):
        self.routes: dict[str, Route] = {}
        self.log: list[Request] = []
        self.in_flight = 0
        self.max_in_flight = 0
        self._lock = threading.Lock()
        server = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, *args):  # quiet
                pass

            def do_GET(self):
                request = Request(self.path, {k.lower(): v for k, v in self.headers.items()},
                                  self.server.server_address[0], time.monotonic())
                with server._lock:
                    server.log.append(request)
                    server.in_flight += 1
                    server.max_in_flight = max(server.max_in_flight, server.in_flight)
                try:
                    server._answer(self, request)
                except (BrokenPipeError, ConnectionResetError):
                    pass
                finally:
                    with server._lock:
                        server.in_flight -= 1

        self.httpd = ThreadingHTTPServer((host, 0), Handler)
        self.httpd.daemon_threads = True
        self.host, self.port = self.httpd.server_address[:2]
        self.thread = threading.Thread(target=self.httpd.serve_forever,
                                       kwargs={"poll_interval": 0.05}, daemon=True)
        self.thread.start()

    def url(self, path: str) -> str:
        return f"http://{self.host}:{self.port}{path}"

    def hits(self, path: str) -> int:
        return sum(1 for r in self.log if r.path == path)

    def paths(self) -> list[str]:
        return [r.path for r in self.log]

    def close(self) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()

    def _answer(self, handler: BaseHTTPRequestHandler, request: Request) -> None:
        route = self.routes.get(request.path) or self.routes.get(request.path.split("?", 1)[0])
        if route is None:
            route = Route(b"not found", status=404, content_type="text/plain")
        if route.handler is not None:
            route = route.handler(request)
        if route.delay:
            time.sleep(route.delay)
        headers = dict(route.headers)
        if route.content_type:
            headers["Content-Type"] = route.content_type
        if route.etag:
            headers["ETag"] = route.etag
        if route.last_modified is not None:
            headers["Last-Modified"] = formatdate(route.last_modified, usegmt=True)
        status, body = route.status, route.body
        body = body.encode("utf-8") if isinstance(body, str) else body
        if status == 200 and route.etag and request.headers.get("if-none-match") == route.etag:
            status, body = 304, b""
        elif status == 200 and route.last_modified is not None and \
                request.headers.get("if-modified-since") == headers["Last-Modified"]:
            status, body = 304, b""
        if body and route.encoding:
            body = {"gzip": gzip.compress, "deflate": zlib.compress,
                    "raw-deflate": lambda b: zlib.compress(b)[2:-4]}[route.encoding](body)
            headers["Content-Encoding"] = "deflate" if "deflate" in route.encoding else "gzip"
        handler.send_response(status)
        for name, value in headers.items():
            handler.send_header(name, value)
        handler.send_header("Content-Length", str(len(body)))
        handler.end_headers()
        if route.drip:
            for i in range(len(body)):
                handler.wfile.write(body[i:i + 1])
                handler.wfile.flush()
                time.sleep(route.drip)
        else:
            handler.wfile.write(body)


@pytest.fixture
def server():
    """A local server on 127.0.0.1 (import the fixture into a test module to use it)."""
    srv = LocalServer("127.0.0.1")
    yield srv
    srv.close()


@pytest.fixture
def other_host():
    """A second local server, on 127.0.0.2: another host for the politeness and safety rules."""
    srv = LocalServer("127.0.0.2")
    yield srv
    srv.close()
