"""The fetcher against a local HTTP server: robots.txt, politeness, conditional GET, retries,
Retry-After, redirects, timeouts, size caps, compression."""

from __future__ import annotations

import asyncio
import ipaddress
import time

import pytest

from eventwire.sources.fetching import Fetcher, parse_retry_after
from eventwire.sources.policy import CrawlPolicy

from sources_server import LocalServer, Route, other_host, server  # noqa: F401 (fixtures)

LOOPBACK = [ipaddress.ip_network("127.0.0.0/8")]


def policy(**changes) -> CrawlPolicy:
    """Limits small enough for tests; the local server's addresses allowed."""
    values = dict(delay=0.0, backoff=0.05, max_backoff=0.2, attempts=3, connect_timeout=2.0,
                  read_timeout=2.0, total_timeout=5.0, max_wait=2.0, allowed_networks=LOOPBACK)
    values.update(changes)
    return CrawlPolicy(**values)


def fetch_all(p: CrawlPolicy, targets: list[str], **kwargs):
    async def run():
        async with Fetcher(p) as fetcher:
            return await asyncio.gather(*(fetcher.fetch(t, **kwargs) for t in targets))
    return asyncio.run(run())


def fetch(p: CrawlPolicy, target: str, **kwargs):
    return fetch_all(p, [target], **kwargs)[0]


def test_user_agent_names_eventwire_and_robots_disallow_is_obeyed(server):
    server.routes["/robots.txt"] = Route("User-agent: *\nDisallow: /\n\nUser-agent: eventwire\n"
                                         "Disallow: /private/\nAllow: /\n", content_type="text/plain")
    server.routes["/private/memo"] = Route("<p>secret</p>")
    server.routes["/public/report"] = Route("<p>open</p>")
    denied, allowed = fetch_all(policy(), [server.url("/private/memo"), server.url("/public/report")])
    assert denied.outcome == "robots" and "robots.txt" in denied.error
    assert allowed.ok and allowed.body == b"<p>open</p>"
    assert server.hits("/private/memo") == 0 and server.hits("/robots.txt") == 1
    agent = next(r for r in server.log if r.path == "/public/report").headers["user-agent"]
    assert agent.startswith("eventwire/") and "robots token eventwire" in agent


def test_missing_robots_allows_and_unreadable_robots_forbids(server, other_host):
    server.routes["/page"] = Route("<p>a</p>")  # no robots.txt: 404
    other_host.routes["/robots.txt"] = Route("oops", status=500, content_type="text/plain")
    other_host.routes["/page"] = Route("<p>b</p>")
    missing, unreadable = fetch_all(policy(), [server.url("/page"), other_host.url("/page")])
    assert missing.ok
    assert unreadable.outcome == "deferred" and "robots.txt unreadable" in unreadable.error
    assert other_host.hits("/page") == 0


def test_delay_between_requests_to_one_host_and_hosts_in_parallel(server, other_host):
    for srv in (server, other_host):
        for i in range(4):
            srv.routes[f"/p{i}"] = Route(f"<p>{i}</p>")
    started = time.monotonic()
    results = fetch_all(policy(delay=0.3, per_host=4),
                        [s.url(f"/p{i}") for i in range(4) for s in (server, other_host)])
    elapsed = time.monotonic() - started
    assert all(r.ok for r in results)
    for srv in (server, other_host):
        times = sorted(r.at for r in srv.log if r.path.startswith("/p"))
        gaps = [b - a for a, b in zip(times, times[1:])]
        assert len(gaps) == 3 and min(gaps) >= 0.27, gaps
    # two hosts are served side by side: 4 requests each take ~0.9 s, not ~2.1 s
    assert elapsed < 1.9


def test_crawl_delay_of_robots_txt_is_obeyed(server):
    server.routes["/robots.txt"] = Route("User-agent: *\nCrawl-delay: 0.4\n", content_type="text/plain")
    for i in range(3):
        server.routes[f"/c{i}"] = Route("<p>c</p>")
    fetch_all(policy(delay=0.0, per_host=3), [server.url(f"/c{i}") for i in range(3)])
    times = sorted(r.at for r in server.log if r.path.startswith("/c"))
    assert min(b - a for a, b in zip(times, times[1:])) >= 0.37


def test_per_host_concurrency_cap(server):
    for i in range(6):
        server.routes[f"/slow{i}"] = Route("<p>s</p>", delay=0.3)
    results = fetch_all(policy(per_host=2), [server.url(f"/slow{i}") for i in range(6)])
    assert all(r.ok for r in results)
    assert server.max_in_flight == 2


def test_conditional_get_with_etag_and_last_modified(server):
    server.routes["/etag"] = Route("<p>v1</p>", etag='"abc"')
    server.routes["/lm"] = Route("<p>v1</p>", last_modified=1_790_000_000)
    first_etag, first_lm = fetch_all(policy(), [server.url("/etag"), server.url("/lm")])
    assert first_etag.etag == '"abc"' and first_lm.last_modified
    again = fetch(policy(), server.url("/etag"), etag=first_etag.etag)
    assert again.outcome == "not-modified" and again.status == 304 and again.body == b""
    again = fetch(policy(), server.url("/lm"), last_modified=first_lm.last_modified)
    assert again.outcome == "not-modified"


def _sequence(*routes: Route) -> Route:
    """A route answering with each of ``routes`` in turn, then the last one again."""
    answers = list(routes)

    def handler(request):
        return answers.pop(0) if len(answers) > 1 else answers[0]
    return Route(handler=handler)


def test_503_with_retry_after_is_waited_out_then_retried(server):
    server.routes["/busy"] = _sequence(Route("busy", status=503, headers={"Retry-After": "1"}),
                                       Route("<p>ok</p>"))
    result = fetch(policy(), server.url("/busy"))
    assert result.ok and result.attempts == 2
    first, second = [r.at for r in server.log if r.path == "/busy"]
    assert second - first >= 0.95


def test_429_with_a_long_retry_after_defers_without_waiting(server):
    server.routes["/limited"] = Route("slow down", status=429, headers={"Retry-After": "3600"})
    server.routes["/other"] = Route("<p>other page of the same host</p>")
    started = time.monotonic()
    result, other = fetch_all(policy(per_host=1), [server.url("/limited"), server.url("/other")])
    assert time.monotonic() - started < 1.5
    assert result.outcome == "deferred" and result.transient and result.retry_after == 3600
    assert server.hits("/limited") == 1
    # the whole host is left alone: its other page waits for a later pass, not in this one
    assert other.outcome == "deferred" and other.retry_after > 3500 and server.hits("/other") == 0


def test_5xx_and_network_errors_are_retried_with_backoff(server):
    server.routes["/flaky"] = _sequence(Route("e", status=500), Route("e", status=502),
                                        Route("<p>fine</p>"))
    result = fetch(policy(), server.url("/flaky"))
    assert result.ok and result.attempts == 3 and server.hits("/flaky") == 3
    server.routes["/down"] = Route("e", status=500)
    result = fetch(policy(), server.url("/down"))
    assert result.outcome == "http-error" and result.status == 500 and result.transient
    assert server.hits("/down") == 3
    closed = LocalServer("127.0.0.1")
    url = closed.url("/gone")
    closed.close()
    assert fetch(policy(), url).outcome == "deferred"  # robots.txt unreachable: nothing fetched
    result = fetch(policy(), url, check_robots=False)
    assert result.outcome == "network" and result.attempts == 3


def test_404_is_not_retried(server):
    result = fetch(policy(), server.url("/nothing-here"))
    assert result.outcome == "http-error" and result.status == 404 and not result.transient
    assert server.hits("/nothing-here") == 1


def test_redirects_followed_loops_and_chains_stopped(server):
    server.routes["/old"] = Route(status=301, headers={"Location": "/new"})
    server.routes["/new"] = Route("<p>moved</p>")
    server.routes["/a"] = Route(status=302, headers={"Location": "/b"})
    server.routes["/b"] = Route(status=302, headers={"Location": "/a"})
    for i in range(8):
        server.routes[f"/hop{i}"] = Route(status=307, headers={"Location": f"/hop{i + 1}"})
    moved, loop, chain = fetch_all(policy(), [server.url("/old"), server.url("/a"),
                                              server.url("/hop0")])
    assert moved.ok and moved.final_url == server.url("/new") and moved.body == b"<p>moved</p>"
    assert loop.outcome == "redirects" and "loop" in loop.error
    assert chain.outcome == "redirects" and "more than 5 redirects" in chain.error
    assert server.hits("/hop6") == 0


def test_redirect_to_another_scheme_is_refused(server):
    server.routes["/to-file"] = Route(status=302, headers={"Location": "file:///etc/passwd"})
    server.routes["/to-ftp"] = Route(status=302, headers={"Location": "ftp://127.0.0.1/x"})
    for result in fetch_all(policy(), [server.url("/to-file"), server.url("/to-ftp")]):
        assert result.outcome == "refused" and "not http(s)" in result.error


def test_slow_server_hits_the_timeout(server):
    server.routes["/sleepy"] = Route("<p>late</p>", delay=2.0)
    started = time.monotonic()
    result = fetch(policy(read_timeout=0.3, attempts=2), server.url("/sleepy"))
    assert result.outcome == "timeout" and result.attempts == 2
    assert time.monotonic() - started < 2.5
    server.routes["/trickle"] = Route(b"<p>" + b"x" * 200 + b"</p>", drip=0.05)
    result = fetch(policy(read_timeout=1.0, total_timeout=0.6, attempts=1), server.url("/trickle"))
    assert result.outcome == "timeout" and "whole response 0.6 s" in result.error


def test_page_larger_than_the_cap(server):
    server.routes["/big"] = Route(b"<p>" + b"x" * 300_000 + b"</p>")
    server.routes["/bomb"] = Route(b"<p>" + b"0" * 3_000_000 + b"</p>", encoding="gzip")
    big, bomb = fetch_all(policy(max_page_bytes=100_000), [server.url("/big"), server.url("/bomb")])
    assert big.outcome == "too-large" and "300007 bytes" in big.error and not big.transient
    assert bomb.outcome == "too-large" and "after decompression" in bomb.error


def test_gzip_deflate_and_raw_deflate_bodies(server):
    page = "<p>Ministers met in Genève.</p>".encode()
    for encoding in ("gzip", "deflate", "raw-deflate"):
        server.routes[f"/{encoding}"] = Route(page, encoding=encoding)
    results = fetch_all(policy(), [server.url(f"/{e}") for e in ("gzip", "deflate", "raw-deflate")])
    assert [r.body for r in results] == [page] * 3
    assert "gzip" in server.log[-1].headers["accept-encoding"]


def test_retry_after_values():
    assert parse_retry_after("120") == 120
    assert parse_retry_after(None) is None and parse_retry_after("soon") is None
    from email.utils import formatdate
    later = parse_retry_after(formatdate(time.time() + 90, usegmt=True))
    assert 85 <= later <= 91
    assert parse_retry_after(formatdate(time.time() - 90, usegmt=True)) == 0
