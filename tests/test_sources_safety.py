"""What the crawler refuses: non-public addresses (before each request, after each redirect and
at connection time), other schemes, and credentials anywhere they could be seen."""

from __future__ import annotations

import asyncio
import ipaddress
import logging

import pytest

from eventwire.sources.fetching import Fetcher
from eventwire.sources.safety import AddressPolicy

from sources_server import LocalServer, Route, other_host, server  # noqa: F401 (fixtures)
from test_sources_fetching import fetch, fetch_all, policy

ONLY_127_0_0_1 = [ipaddress.ip_network("127.0.0.1/32")]


@pytest.mark.parametrize("ip, kind", [
    ("127.0.0.1", "loopback"), ("::1", "loopback"), ("::ffff:127.0.0.1", "loopback"),
    ("10.20.30.40", "private"), ("172.16.0.1", "private"), ("192.168.1.1", "private"),
    ("fd00::1", "private"), ("169.254.169.254", "link-local"), ("fe80::1", "link-local"),
    ("224.0.0.251", "multicast"), ("ff02::1", "multicast"), ("0.0.0.0", "unspecified"),
    ("100.64.0.1", "non-public"),
])
def test_non_public_addresses_are_refused_by_default(ip, kind):
    refusal = AddressPolicy().refusal(ip)
    assert refusal is not None and kind in refusal
    assert AddressPolicy(allow_private=True).refusal(ip) is None


def test_public_addresses_and_allowed_networks_pass():
    assert AddressPolicy().refusal("93.184.216.34") is None
    assert AddressPolicy().refusal("2606:2800:220:1::1") is None
    allowed = AddressPolicy(allowed=[ipaddress.ip_network("10.1.0.0/16")])
    assert allowed.refusal("10.1.2.3") is None
    assert "private" in allowed.refusal("10.2.0.1")


def test_loopback_source_is_refused_without_the_option(server):
    server.routes["/feed.xml"] = Route("<rss></rss>")
    result = fetch(policy(allowed_networks=[]), server.url("/feed.xml"))
    assert result.outcome == "refused" and "127.0.0.1 is a loopback address" in result.error
    assert "--allow-private" in result.error
    assert server.log == []  # not even robots.txt was asked for


def test_redirect_to_a_private_address_is_refused(server, other_host):
    inner = other_host  # 127.0.0.2: an address that stays refused here
    inner.routes["/admin"] = Route("<p>inside</p>")
    server.routes["/to-inner"] = Route(status=302, headers={"Location": inner.url("/admin")})
    server.routes["/to-metadata"] = Route(
        status=302, headers={"Location": "http://169.254.169.254/latest/meta-data/"})
    server.routes["/to-private"] = Route(status=301, headers={"Location": "http://10.0.0.7/"})
    results = fetch_all(policy(allowed_networks=ONLY_127_0_0_1),
                        [server.url(p) for p in ("/to-inner", "/to-metadata", "/to-private")])
    assert [r.outcome for r in results] == ["refused"] * 3
    assert "127.0.0.2 is a loopback address" in results[0].error
    assert "169.254.169.254 is a link-local address" in results[1].error
    assert "10.0.0.7 is a private address" in results[2].error
    assert inner.log == []


class Rebinding:
    """A resolver whose answer for one name turns from public to loopback after the first query."""

    def __init__(self, name: str, first: str, later: str):
        self.name, self.first, self.later, self.queries = name, first, later, 0

    async def __call__(self, host: str, port: int) -> list[str]:
        if host != self.name:
            return ["127.0.0.1"] if host == "127.0.0.1" else []
        self.queries += 1
        return [self.first if self.queries == 1 else self.later]


def test_dns_rebinding_is_caught_at_connection_time(server):
    server.routes["/page"] = Route("<p>inside</p>")
    resolver = Rebinding("news.rebind.test", "93.184.216.34", "127.0.0.1")

    async def run():
        async with Fetcher(policy(allowed_networks=[]), resolver=resolver) as fetcher:
            return await fetcher.fetch(f"http://news.rebind.test:{server.port}/page",
                                       check_robots=False)
    result = asyncio.run(run())
    assert resolver.queries == 2  # checked before the request, and again when connecting
    assert result.outcome == "refused" and "127.0.0.1 is a loopback address" in result.error
    assert server.log == []


def test_connection_goes_to_the_checked_address_with_the_host_name_kept(server):
    server.routes["/page"] = Route("<p>named</p>")

    async def resolver(host: str, port: int) -> list[str]:
        return ["127.0.0.1"] if host == "wire.intranet.test" else []

    async def run():
        async with Fetcher(policy(allowed_networks=ONLY_127_0_0_1), resolver=resolver) as fetcher:
            return await fetcher.fetch(f"http://wire.intranet.test:{server.port}/page",
                                       check_robots=False)
    result = asyncio.run(run())
    assert result.ok and result.body == b"<p>named</p>"
    assert server.log[0].headers["host"] == f"wire.intranet.test:{server.port}"


def test_credentials_go_only_to_their_origin_and_never_into_logs(server, caplog):
    caplog.set_level(logging.DEBUG)
    other = LocalServer("127.0.0.3")
    try:
        other.routes["/elsewhere"] = Route("<p>other origin</p>")
        server.routes["/private/feed"] = Route(status=302, headers={"Location": "/private/moved"})
        server.routes["/private/moved"] = Route(status=302,
                                                headers={"Location": other.url("/elsewhere")})
        url = f"http://reader:pa55word@127.0.0.1:{server.port}/private/feed?token=T0KEN&page=1"
        result = fetch(policy(), url)
    finally:
        other.close()
    assert result.ok and result.body == b"<p>other origin</p>"
    first, moved = (r for r in server.log if r.path.startswith("/private"))
    assert first.headers["authorization"].startswith("Basic ")
    assert moved.headers["authorization"] == first.headers["authorization"]  # same origin
    assert "authorization" not in other.log[-1].headers  # another origin gets no credentials
    assert "pa55word" not in caplog.text and "T0KEN" not in caplog.text
    assert "127.0.0.1" in caplog.text  # httpx did log the requests, redacted
