"""Per-host politeness: a cap on requests in flight and a minimum delay between their starts.

Each host has a gate. A request waits for a slot of its host (at most ``per_host`` at once),
then for the host's next allowed start time (``delay`` after the previous start, later when
the host asked to be left alone with Retry-After, or asked for a longer Crawl-delay in its
robots.txt), and only then for one of the ``concurrency`` slots shared by all hosts, so that
requests queued for a slow host never hold slots another host could use.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from .policy import CrawlPolicy


class HostGate:
    """The politeness state of one host."""

    def __init__(self, per_host: int, delay: float):
        self.delay = delay
        self.blocked_until = 0.0  # time.monotonic() before which nothing is sent (Retry-After)
        self._slots = asyncio.Semaphore(per_host)
        self._turn = asyncio.Lock()
        self._next_start = 0.0

    @asynccontextmanager
    async def slot(self) -> AsyncIterator[None]:
        async with self._slots:
            async with self._turn:
                while (wait := max(self._next_start, self.blocked_until) - time.monotonic()) > 0:
                    await asyncio.sleep(wait)
                self._next_start = time.monotonic() + self.delay
            yield

    def block(self, seconds: float) -> None:
        """Send nothing to this host for ``seconds`` (the host answered 429 or 503)."""
        self.blocked_until = max(self.blocked_until, time.monotonic() + seconds)


class HostGates:
    """The gates of every host seen, and the global cap on requests in flight."""

    def __init__(self, policy: CrawlPolicy):
        self.policy = policy
        self._gates: dict[str, HostGate] = {}
        self._global = asyncio.Semaphore(policy.concurrency)

    def gate(self, host: str) -> HostGate:
        if host not in self._gates:
            self._gates[host] = HostGate(self.policy.per_host, self.policy.delay)
        return self._gates[host]

    def set_crawl_delay(self, host: str, seconds: float | None) -> None:
        """A host's robots.txt Crawl-delay, obeyed when longer than ours (up to a cap)."""
        gate = self.gate(host)
        wanted = min(seconds or 0.0, self.policy.max_crawl_delay)
        gate.delay = max(self.policy.delay, wanted)

    @asynccontextmanager
    async def slot(self, host: str) -> AsyncIterator[None]:
        async with self.gate(host).slot():
            async with self._global:
                yield
