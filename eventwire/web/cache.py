"""A small in-process cache of GET responses: reads repeat far more often than the store changes.

Entries live ``ttl`` seconds (so articles ingested by another process show up after at most that
long) and are all dropped when this server accepts a write. While one request recomputes an
expired entry, the others get the previous answer instead of queueing behind it. ``ttl=0`` turns
the cache off.
"""

from __future__ import annotations

import time
from collections import OrderedDict

from starlette.types import ASGIApp, Message, Receive, Scope, Send

NOT_CACHED_PREFIXES = ("/static", "/docs", "/redoc", "/openapi.json")


class ResponseCache:
    """ASGI middleware caching successful GET responses by path and query string."""

    def __init__(self, app: ASGIApp, ttl: float = 10.0, max_entries: int = 2048,
                 max_body_bytes: int = 2 * 1024 * 1024):
        self.app = app
        self.ttl = ttl
        self.max_entries = max_entries
        self.max_body_bytes = max_body_bytes
        self.entries: OrderedDict[bytes, tuple[float, Message, bytes]] = OrderedDict()
        self.refreshing: set[bytes] = set()

    def clear(self) -> None:
        self.entries.clear()

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
        key = path.encode() + b"?" + scope.get("query_string", b"")
        hit = self.entries.get(key)
        if hit and (time.monotonic() - hit[0] < self.ttl or key in self.refreshing):
            # fresh, or expired while one request is already recomputing it: answer at once
            self.entries.move_to_end(key)
            await send(hit[1])
            await send({"type": "http.response.body", "body": hit[2]})
            return
        self.refreshing.add(key)
        try:
            await self.app(scope, receive, self._recording(key, send))
        finally:
            self.refreshing.discard(key)

    def _recording(self, key: bytes, send: Send) -> Send:
        start: Message | None = None
        chunks: list[bytes] = []
        size = 0

        async def recording_send(message: Message) -> None:
            nonlocal start, size
            if message["type"] == "http.response.start":
                start = message
            elif message["type"] == "http.response.body" and start is not None:
                chunks.append(message.get("body", b""))
                size += len(chunks[-1])
                if not message.get("more_body", False) and start["status"] == 200 \
                        and size <= self.max_body_bytes:
                    self.entries[key] = (time.monotonic(), start, b"".join(chunks))
                    self.entries.move_to_end(key)
                    while len(self.entries) > self.max_entries:
                        self.entries.popitem(last=False)
            await send(message)

        return recording_send

    def _invalidating(self, send: Send) -> Send:
        async def invalidating_send(message: Message) -> None:
            if message["type"] == "http.response.start" and message["status"] < 400:
                self.clear()
            await send(message)

        return invalidating_send
