"""Fetch one URL like a well-behaved, careful crawler (httpx).

For each request: only http(s); the host's addresses checked (see :mod:`.safety`);
robots.txt obeyed (:mod:`.robots`); the host's politeness gate passed (:mod:`.hosts`);
conditional GET with the ETag / Last-Modified of the previous fetch; timeouts on
connecting, on each read and on the whole response; retries with growing, jittered waits on
network errors and 5xx; Retry-After obeyed on 429 and 503; the body, once decompressed
(gzip or deflate), capped in size; redirects followed by hand, a few at most, each target
checked like the first URL. A failure is a :class:`FetchResult` with an ``outcome`` and a
message, never an exception.
"""

from __future__ import annotations

import asyncio
import email.utils
import logging
import random
import time
import zlib
from dataclasses import dataclass

import httpx

from ..errors import UnsafeURL
from . import urls
from .hosts import HostBlocked, HostGate, HostGates
from .policy import CrawlPolicy
from .robots import RobotsCache
from .safety import AddressPolicy, GuardedBackend, GuardedTransport, Resolver, system_resolver

REDIRECTS = (301, 302, 303, 307, 308)
RETRY_AFTER_STATUSES = (429, 503)
MAX_RETRY_AFTER = 24 * 3600.0
ACCEPT_PAGE = "text/html,application/xhtml+xml;q=0.9,text/plain;q=0.5,*/*;q=0.1"
ACCEPT_FEED = ("application/rss+xml,application/atom+xml,application/xml;q=0.9,text/xml;q=0.9,"
               "text/html;q=0.5,*/*;q=0.1")


@dataclass
class FetchResult:
    """What became of one fetch. ``body`` is set only when ``outcome`` is ``ok``.

    Outcomes: ok, not-modified (304), http-error (4xx/5xx), refused (scheme or address),
    robots (disallowed), too-large, timeout, network, redirects (loop or too many),
    deferred (the server asked to come back later than we wait).
    """

    url: str
    final_url: str
    outcome: str = "ok"
    status: int | None = None
    body: bytes = b""
    content_type: str | None = None
    etag: str | None = None
    last_modified: str | None = None
    error: str | None = None
    retry_after: float | None = None  # seconds, when the server gave Retry-After
    location: str | None = None  # the Location of a redirect response
    attempts: int = 1

    @property
    def ok(self) -> bool:
        return self.outcome == "ok"

    @property
    def transient(self) -> bool:
        """Worth trying again in a later pass: the server or the network may recover."""
        return self.outcome in ("timeout", "network", "deferred") or (
            self.outcome == "http-error" and self.status is not None
            and (self.status >= 500 or self.status in (408, 429)))


class _TooLarge(Exception):
    pass


class _RedactedURLs(logging.Filter):
    """httpx logs every request's URL (at INFO): hide passwords and secret parameters in it."""

    def filter(self, record: logging.LogRecord) -> bool:
        if isinstance(record.args, tuple):
            record.args = tuple(urls.redact(str(a)) if isinstance(a, httpx.URL) else a
                                for a in record.args)
        return True


logging.getLogger("httpx").addFilter(_RedactedURLs())


class Fetcher:
    """An HTTP client with the crawler's rules. Use ``async with Fetcher(policy) as f``."""

    def __init__(self, policy: CrawlPolicy, resolver: Resolver | None = None):
        self.policy = policy
        self.addresses = AddressPolicy.of(policy)
        self._resolver = resolver
        backend = GuardedBackend(self.addresses, resolver)
        limits = httpx.Limits(max_connections=policy.concurrency,
                              max_keepalive_connections=policy.concurrency)
        self.client = httpx.AsyncClient(
            transport=GuardedTransport(backend, limits), follow_redirects=False, trust_env=False,
            timeout=httpx.Timeout(policy.read_timeout, connect=policy.connect_timeout),
            headers={"User-Agent": policy.user_agent, "Accept-Encoding": "gzip, deflate"})
        self.hosts = HostGates(policy)
        self.robots = RobotsCache(self, policy)

    async def __aenter__(self) -> "Fetcher":
        return self

    async def __aexit__(self, *exc) -> None:
        await self.aclose()

    async def aclose(self) -> None:
        await self.client.aclose()

    async def fetch(self, url: str, *, etag: str | None = None, last_modified: str | None = None,
                    max_bytes: int | None = None, accept: str = ACCEPT_PAGE,
                    check_robots: bool = True) -> FetchResult:
        """GET ``url`` (it may hold credentials, sent only to its own origin)."""
        max_bytes = max_bytes or self.policy.max_page_bytes
        auth = urls.credentials(url)
        start = urls.without_credentials(url)
        current, seen = start, {start}
        for hop in range(self.policy.max_redirects + 1):
            try:
                await self.check_target(current)
            except UnsafeURL as exc:
                return FetchResult(url, current, "refused", error=exc.message)
            refusal = await self.robots.refusal(current) if check_robots else None
            if refusal:
                reason, passing = refusal
                return FetchResult(url, current, "deferred" if passing else "robots", error=reason)
            headers = {"Accept": accept}
            if hop == 0:  # validators belong to the URL they came from
                if etag:
                    headers["If-None-Match"] = etag
                if last_modified:
                    headers["If-Modified-Since"] = last_modified
            same_origin = urls.origin(current) == urls.origin(start)
            result = await self._get_with_retries(url, current, headers,
                                                  auth if same_origin else None, max_bytes)
            if result.status not in REDIRECTS:
                return result
            if not result.location:
                return FetchResult(url, current, "http-error", result.status,
                                   error=f"HTTP {result.status} without a Location")
            target = urls.normalise(result.location, base=current)
            if target is None:
                return FetchResult(url, current, "refused", result.status,
                                   error=f"redirect to a URL that is not http(s): "
                                         f"{urls.redact(result.location)[:200]}")
            if target in seen:
                return FetchResult(url, current, "redirects", result.status,
                                   error=f"redirect loop at {urls.redact(target)}")
            seen.add(target)
            current = target
        return FetchResult(url, current, "redirects", error=f"more than "
                           f"{self.policy.max_redirects} redirects (last {urls.redact(current)})")

    async def check_target(self, url: str) -> None:
        """Raise UnsafeURL unless ``url`` is http(s) and its host has an allowed address."""
        if urls.normalise(url) is None:
            raise UnsafeURL("not an http(s) URL", origin=urls.redact(url))
        parts = httpx.URL(url)
        resolver = self._resolver or system_resolver
        try:
            addresses = await resolver(parts.host, parts.port or urls.DEFAULT_PORTS[parts.scheme])
        except Exception as exc:  # an unknown host is a network failure, found at connect time
            if isinstance(exc, UnsafeURL):
                raise
            return
        self.addresses.permitted(parts.host, addresses)

    async def _get_with_retries(self, url: str, current: str, headers: dict[str, str],
                                auth, max_bytes: int) -> FetchResult:
        host = urls.host_of(current)
        gate = self.hosts.gate(host)
        result = FetchResult(url, current, "network", error="not tried")
        for attempt in range(1, self.policy.attempts + 1):
            try:
                async with self.hosts.slot(host):
                    result = await self._get_once(url, current, headers, auth, max_bytes, gate)
            except HostBlocked as exc:  # another page of the host was told to come back later
                return FetchResult(url, current, "deferred", error=str(exc),
                                   retry_after=exc.seconds, attempts=attempt)
            result.attempts = attempt
            if result.status in RETRY_AFTER_STATUSES and result.retry_after is not None:
                gate.block(result.retry_after)  # the whole host waits, not just this page
                if result.retry_after > self.policy.max_wait or attempt == self.policy.attempts:
                    result.outcome = "deferred"
                    result.error = (f"HTTP {result.status}: the server asked to retry after "
                                    f"{result.retry_after:.0f} s")
                    return result
                continue
            if not result.transient or attempt == self.policy.attempts:
                return result
            await asyncio.sleep(self.backoff(attempt))
        return result

    def backoff(self, attempt: int) -> float:
        """Wait before retry ``attempt``: doubling from ``policy.backoff``, capped, +-25 % jitter."""
        wait = min(self.policy.backoff * 2 ** (attempt - 1), self.policy.max_backoff)
        return wait * random.uniform(0.75, 1.25)

    async def _get_once(self, url: str, current: str, headers: dict[str, str], auth,
                        max_bytes: int, gate: HostGate) -> FetchResult:
        result = FetchResult(url, current)

        async def trace(event: str, info: dict) -> None:  # httpcore's progress events
            if event == "http11.send_request_headers.complete":
                gate.sent()
        try:
            async with asyncio.timeout(self.policy.total_timeout):
                async with self.client.stream("GET", current, headers=headers,
                                              auth=httpx.BasicAuth(*auth) if auth else None,
                                              extensions={"trace": trace}) as response:
                    return await self._read(result, response, max_bytes)
        except UnsafeURL as exc:  # the connection-time address check
            result.outcome, result.error = "refused", exc.message
        except (TimeoutError, httpx.TimeoutException):
            result.outcome = "timeout"
            result.error = f"timed out (connect {self.policy.connect_timeout:g} s, read " \
                           f"{self.policy.read_timeout:g} s, whole response " \
                           f"{self.policy.total_timeout:g} s)"
        except httpx.TransportError as exc:
            result.outcome = "network"
            result.error = f"network error: {exc.__class__.__name__}: {exc}"[:300]
        except httpx.InvalidURL as exc:
            result.outcome, result.error = "refused", f"invalid URL: {exc}"[:300]
        return result

    async def _read(self, result: FetchResult, response: httpx.Response,
                    max_bytes: int) -> FetchResult:
        result.status = response.status_code
        headers = response.headers
        result.content_type = headers.get("content-type")
        result.etag = headers.get("etag")
        result.last_modified = headers.get("last-modified")
        if response.status_code in REDIRECTS:
            result.location = headers.get("location")
            return result
        if response.status_code == 304:
            result.outcome = "not-modified"
            return result
        if response.status_code >= 400:
            result.outcome = "http-error"
            result.retry_after = parse_retry_after(headers.get("retry-after"))
            result.error = f"HTTP {response.status_code} {response.reason_phrase}".strip()
            return result
        declared = headers.get("content-length", "")
        encoding = headers.get("content-encoding", "identity").strip().lower()
        if declared.isdigit() and encoding == "identity" and int(declared) > max_bytes:
            result.outcome = "too-large"
            result.error = f"body of {int(declared)} bytes is over the limit of {max_bytes}"
            return result
        try:
            result.body = await read_body(response, encoding, max_bytes)
        except _TooLarge:
            result.outcome = "too-large"
            result.error = f"body is over the limit of {max_bytes} bytes (after decompression)"
            result.body = b""
        except zlib.error as exc:
            result.outcome = "network"
            result.error = f"corrupt {encoding} body: {exc}"
        except ValueError as exc:
            result.outcome = "http-error"
            result.error = str(exc)
        return result


async def read_body(response: httpx.Response, encoding: str, max_bytes: int) -> bytes:
    """The response body, decompressed by us so that its decompressed size is capped (a small
    gzip body can unpack to gigabytes)."""
    inflater = _Inflater(encoding)
    parts: list[bytes] = []
    size = 0
    async for chunk in response.aiter_raw():
        data = inflater.feed(chunk, max_bytes - size)
        size += len(data)
        parts.append(data)
    parts.append(inflater.flush(max_bytes - size))
    return b"".join(parts)


class _Inflater:
    """gzip / deflate (zlib-wrapped or raw) / identity, with a cap on the output."""

    def __init__(self, encoding: str):
        if encoding not in ("identity", "", "gzip", "x-gzip", "deflate"):
            raise ValueError(f"unsupported Content-Encoding {encoding!r}")
        self.encoding = encoding
        self._z = None
        self._started = False
        if encoding in ("gzip", "x-gzip"):
            self._z = zlib.decompressobj(16 + zlib.MAX_WBITS)
        elif encoding == "deflate":
            self._z = zlib.decompressobj(zlib.MAX_WBITS)

    def feed(self, data: bytes, room: int) -> bytes:
        if self._z is None:
            if len(data) > room:
                raise _TooLarge
            return data
        if self.encoding == "deflate" and not self._started:
            self._started = True
            try:
                return self._inflate(data, room)
            except zlib.error:  # some servers send raw deflate without the zlib header
                self._z = zlib.decompressobj(-zlib.MAX_WBITS)
        return self._inflate(data, room)

    def _inflate(self, data: bytes, room: int) -> bytes:
        out = self._z.decompress(data, max(room, 0) + 1)
        if len(out) > room:
            raise _TooLarge
        return out

    def flush(self, room: int) -> bytes:
        if self._z is None:
            return b""
        out = self._z.flush()
        if len(out) > room:
            raise _TooLarge
        return out


def parse_retry_after(value: str | None) -> float | None:
    """Seconds to wait from a Retry-After header: a number of seconds or an HTTP date."""
    if not value:
        return None
    value = value.strip()
    if value.isdigit():
        return min(float(value), MAX_RETRY_AFTER)
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    if when is None:
        return None
    return min(max(0.0, when.timestamp() - time.time()), MAX_RETRY_AFTER)
