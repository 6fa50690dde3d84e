"""robots.txt, read with protego (RFC 9309: longest match, wildcards, Crawl-delay).

One robots.txt per origin, fetched through the same careful fetcher and kept for a day.
As RFC 9309 asks: a missing robots.txt (4xx) allows everything; one that cannot be read
(5xx, 429, network failure, too large) forbids everything until it is tried again, a few
minutes later.
"""

from __future__ import annotations

import asyncio
import time
from dataclasses import dataclass
from typing import TYPE_CHECKING

from protego import Protego

from . import urls
from .policy import ROBOTS_TOKEN, CrawlPolicy

if TYPE_CHECKING:
    from .fetching import Fetcher

RETRY_UNREADABLE = 300.0  # seconds before an unreadable robots.txt is asked for again


@dataclass
class RobotsRules:
    """The rules of one origin: parsed rules, allow-all (None rules) or disallow-all."""

    rules: Protego | None
    disallow_all: bool
    expires: float  # time.monotonic()
    note: str = ""

    def allows(self, url: str) -> bool:
        if self.disallow_all:
            return False
        return self.rules is None or self.rules.can_fetch(url, ROBOTS_TOKEN)

    @property
    def crawl_delay(self) -> float | None:
        if self.rules is None:
            return None
        delay = self.rules.crawl_delay(ROBOTS_TOKEN)
        rate = self.rules.request_rate(ROBOTS_TOKEN)
        if rate is not None and rate.requests:
            delay = max(delay or 0.0, rate.seconds / rate.requests)
        return delay


class RobotsCache:
    """robots.txt rules by origin, fetched once per origin however many requests wait."""

    def __init__(self, fetcher: "Fetcher", policy: CrawlPolicy):
        self.fetcher = fetcher
        self.policy = policy
        self._rules: dict[str, RobotsRules] = {}
        self._locks: dict[str, asyncio.Lock] = {}

    async def refusal(self, url: str) -> tuple[str, bool] | None:
        """Why ``url`` may not be fetched and whether that may change soon (robots.txt could
        not be read), or None when it may be fetched. Also applies the origin's Crawl-delay
        to its host."""
        origin = urls.origin(url)
        rules = await self.rules_for(origin)
        self.fetcher.hosts.set_crawl_delay(urls.host_of(url), rules.crawl_delay)
        if rules.allows(url):
            return None
        if rules.disallow_all:
            return f"{rules.note} (nothing is fetched from {origin} until it can be read)", True
        return f"disallowed by robots.txt of {origin}", False

    async def rules_for(self, origin: str) -> RobotsRules:
        lock = self._locks.setdefault(origin, asyncio.Lock())
        async with lock:
            cached = self._rules.get(origin)
            if cached is None or cached.expires < time.monotonic():
                cached = self._rules[origin] = await self._load(origin)
            return cached

    async def _load(self, origin: str) -> RobotsRules:
        result = await self.fetcher.fetch(origin + "/robots.txt", check_robots=False,
                                          max_bytes=self.policy.max_robots_bytes,
                                          accept="text/plain,*/*;q=0.1")
        now = time.monotonic()
        if result.ok:
            text = result.body.decode("utf-8", errors="replace")
            return RobotsRules(Protego.parse(text), False, now + self.policy.robots_ttl)
        status = result.status or 0
        if result.outcome == "http-error" and 400 <= status < 500 and status != 429:
            return RobotsRules(None, False, now + self.policy.robots_ttl, f"no robots.txt ({status})")
        return RobotsRules(None, True, now + RETRY_UNREADABLE,
                           f"robots.txt unreadable: {result.error or result.outcome}")
