"""Per-host politeness: a cap on requests in flight and a minimum delay between their starts.

Each host has a gate. A request waits for a slot of its host (at most ``per_host`` at once),
then for the host's next allowed start time (``delay`` after the previous start, later when
the host asked to be left alone with Retry-After, or asked for a longer Crawl-delay in its
robots.txt), and only then for one of the ``concurrency`` slots shared by all hosts, so that
requests queued for a slow host never hold slots another host could use. Holding a shared
slot, it checks the delay once more against the previous request's actual start (which may
itself have waited for a shared slot), so the spacing holds on the wire.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from .policy import CrawlPolicy


class HostBlocked(Exception):
    """The host asked (Retry-After) to be left alone for longer than we wait in one pass."""

    def __init__(self, seconds: float):
        super().__init__(f"the host asked to be left alone for {seconds:.0f} s more")
        self.seconds = seconds


class HostGate:
    """The politeness state of one host."""

    def __init__(self, per_host: int, delay: float, max_wait: float = float("inf")):
        self.delay = delay
        self.max_wait = max_wait  # a Retry-After block longer than this raises HostBlocked
        self.blocked_until = 0.0  # time.monotonic() before which nothing is sent (Retry-After)
        self.slots = asyncio.Semaphore(per_host)  # requests in flight
        self._turn = asyncio.Lock()  # one request at a time waits for its turn
        self._sending = asyncio.Lock()  # and, separately, for the spacing before sending
        self._next_start = 0.0
        self._last_start = float("-inf")

    async def wait_turn(self) -> None:
        """Wait until the host may be asked again (queued requests keep no shared slot)."""
        async with self._turn:
            while (wait := max(self._next_start, self.blocked_until) - time.monotonic()) > 0:
                self._check_block()
                await asyncio.sleep(wait)
            self._next_start = time.monotonic() + self.delay

    async def start(self) -> None:
        """Just before sending: keep ``delay`` after the previous request actually sent, which
        may have waited for a shared slot after its turn."""
        async with self._sending:
            while (wait := max(self._last_start + self.delay, self.blocked_until)
                   - time.monotonic()) > 0:
                self._check_block()
                await asyncio.sleep(wait)
            self._last_start = time.monotonic()
            self._next_start = max(self._next_start, self._last_start + self.delay)

    def sent(self) -> None:
        """The request's headers are on the wire: the next one keeps ``delay`` from now (a
        request can leave a little after its start, when the event loop is busy)."""
        self._last_start = max(self._last_start, time.monotonic())
        self._next_start = max(self._next_start, self._last_start + self.delay)

    def block(self, seconds: float) -> None:
        """Send nothing to this host for ``seconds`` (the host answered 429 or 503)."""
        self.blocked_until = max(self.blocked_until, time.monotonic() + seconds)

    def _check_block(self) -> None:
        blocked = self.blocked_until - time.monotonic()
        if blocked > self.max_wait:
            raise HostBlocked(blocked)


class HostGates:
    """The gates of every host seen, and the global cap on requests in flight."""

    def __init__(self, policy: CrawlPolicy):
        self.policy = policy
        self._gates: dict[str, HostGate] = {}
        self._global = asyncio.Semaphore(policy.concurrency)

    def gate(self, host: str) -> HostGate:
        if host not in self._gates:
            self._gates[host] = HostGate(self.policy.per_host, self.policy.delay,
                                         self.policy.max_wait)
        return self._gates[host]

    def set_crawl_delay(self, host: str, seconds: float | None) -> None:
        """A host's robots.txt Crawl-delay, obeyed when longer than ours (up to a cap)."""
        gate = self.gate(host)
        wanted = min(seconds or 0.0, self.policy.max_crawl_delay)
        gate.delay = max(self.policy.delay, wanted)

    @asynccontextmanager
    async def slot(self, host: str) -> AsyncIterator[None]:
        gate = self.gate(host)
        async with gate.slots:
            await gate.wait_turn()
            async with self._global:
                await gate.start()
                yield
