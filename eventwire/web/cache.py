"""A small in-process cache of GET responses: reads repeat far more often than the store changes.

Entries live ``ttl`` seconds (so articles ingested by another process show up after at most that
long) and are all dropped when this server accepts a write. While one request recomputes an
expired entry, the others get the previous answer instead of queueing behind it. ``ttl=0`` turns
the cache off.

The cache is bounded in bytes (least recently used entries go first), and an entry is keyed by
its path and the query parameters its route declares, in a fixed order: parameters a route does
not take (the API refuses them with 422, pages ignore them) make no new entries, so requests
with random parameters cannot grow the server. A route declares its parameters by leaving them
in the request scope (eventwire.web.security.record_query_names); a response without them is
not cached.
"""

from __future__ import annotations

import time
from collections import OrderedDict
from urllib.parse import parse_qsl, urlencode

from starlette.types import ASGIApp, Message, Receive, Scope, Send

from .security import QUERY_NAMES_KEY

NOT_CACHED_PREFIXES = ("/static", "/docs", "/redoc", "/openapi.json")
ENTRY_OVERHEAD_BYTES = 1024  # headers and bookkeeping of one entry, beside its body
DEFAULT_MAX_BYTES = 64 * 1024 * 1024
MAX_PATHS = 4096  # paths whose declared query parameters are remembered


class ResponseCache:
    """ASGI middleware caching successful GET responses by path and declared query parameters."""

    def __init__(self, app: ASGIApp, ttl: float = 10.0, max_bytes: int = DEFAULT_MAX_BYTES,
                 max_body_bytes: int = 2 * 1024 * 1024):
        self.app = app
        self.ttl = ttl
        self.max_bytes = max_bytes
        self.max_body_bytes = max_body_bytes
        self.names: OrderedDict[str, frozenset[str]] = OrderedDict()  # path -> declared names
        # key -> (stored at, response start, body, bytes counted)
        self.entries: OrderedDict[bytes, tuple[float, Message, bytes, int]] = OrderedDict()
        self.size = 0  # bytes held, overhead included
        self.refreshing: set[bytes] = set()

    def clear(self) -> None:
        self.entries.clear()
        self.size = 0

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or self.ttl <= 0:
            await self.app(scope, receive, send)
            return
        if scope["method"] not in ("GET", "HEAD"):
            await self.app(scope, receive, self._invalidating(send))
            return
        path = scope["path"]
        if scope["method"] == "HEAD" or path.startswith(NOT_CACHED_PREFIXES):
            await self.app(scope, receive, send)
            return
        key = self._key(path, scope, self.names.get(path))
        hit = self.entries.get(key)
        if hit and (time.monotonic() - hit[0] < self.ttl or key in self.refreshing):
            # fresh, or expired while one request is already recomputing it: answer at once
            self.entries.move_to_end(key)
            await send(hit[1])
            await send({"type": "http.response.body", "body": hit[2]})
            return
        if hit:
            self.refreshing.add(key)
        try:
            await self.app(scope, receive, self._recording(path, scope, send))
        finally:
            self.refreshing.discard(key)

    @staticmethod
    def _key(path: str, scope: Scope, names: frozenset[str] | None) -> bytes:
        """Path and query parameters, sorted; only the declared ones when they are known."""
        query = scope.get("query_string", b"").decode("latin-1")
        pairs = parse_qsl(query, keep_blank_values=True)
        if names is not None:
            pairs = [(k, v) for k, v in pairs if k in names]
        return path.encode() + b"?" + urlencode(sorted(pairs)).encode()

    def _store(self, key: bytes, start: Message, body: bytes) -> None:
        old = self.entries.pop(key, None)
        if old is not None:
            self.size -= old[3]
        cost = len(body) + len(key) + ENTRY_OVERHEAD_BYTES
        self.entries[key] = (time.monotonic(), start, body, cost)
        self.size += cost
        while self.size > self.max_bytes and self.entries:
            _, dropped = self.entries.popitem(last=False)
            self.size -= dropped[3]

    def _remember(self, path: str, names: frozenset[str]) -> None:
        self.names[path] = names
        self.names.move_to_end(path)
        while len(self.names) > MAX_PATHS:
            self.names.popitem(last=False)

    def _recording(self, path: str, scope: Scope, send: Send) -> Send:
        start: Message | None = None
        chunks: list[bytes] = []
        size = 0
        key: bytes | None = None

        async def recording_send(message: Message) -> None:
            nonlocal start, size, key
            if message["type"] == "http.response.start":
                start = message
                names = scope.get(QUERY_NAMES_KEY)
                if message["status"] == 200 and names is not None:
                    self._remember(path, names)
                    key = self._key(path, scope, names)
            elif message["type"] == "http.response.body" and key is not None and start is not None:
                size += len(message.get("body", b""))
                if size <= self.max_body_bytes:
                    chunks.append(message.get("body", b""))
                if not message.get("more_body", False) and size <= self.max_body_bytes:
                    self._store(key, start, b"".join(chunks))
            await send(message)

        return recording_send

    def _invalidating(self, send: Send) -> Send:
        async def invalidating_send(message: Message) -> None:
            if message["type"] == "http.response.start" and message["status"] < 400:
                self.clear()
            await send(message)

        return invalidating_send
