"""Write protection and request limits of the web server: a token for writes, a cap on body size.

Reads are open. Writes need the token the user configured (``--token`` or ``EVENTWIRE_TOKEN``),
sent as ``Authorization: Bearer <token>`` or ``X-Eventwire-Token``; with no token configured,
writes are disabled.
"""

from __future__ import annotations

import hmac

from fastapi import HTTPException, Request
from starlette.responses import JSONResponse
from starlette.types import ASGIApp, Message, Receive, Scope, Send

MAX_BODY_BYTES = 5 * 1024 * 1024


def token_matches(given: str | None, expected: str | None) -> bool:
    """Constant-time comparison of a presented token with the configured one."""
    if not given or not expected:
        return False
    return hmac.compare_digest(given.encode("utf-8"), expected.encode("utf-8"))


def presented_token(request: Request) -> str | None:
    """The token a request carries, from ``Authorization: Bearer`` or ``X-Eventwire-Token``."""
    auth = request.headers.get("authorization", "")
    scheme, _, value = auth.partition(" ")
    if scheme.lower() == "bearer" and value.strip():
        return value.strip()
    return request.headers.get("x-eventwire-token")


def require_write_token(request: Request) -> None:
    """FastAPI dependency guarding every write endpoint."""
    expected = request.app.state.token
    if not expected:
        raise HTTPException(403, "writes are disabled: start the server with --token or set "
                                 "EVENTWIRE_TOKEN to allow POST requests")
    given = presented_token(request)
    if given is None:
        raise HTTPException(401, "this endpoint needs the write token: send "
                                 "'Authorization: Bearer <token>'",
                            headers={"WWW-Authenticate": "Bearer"})
    if not token_matches(given, expected):
        raise HTTPException(403, "the write token is not valid")


class BodySizeLimit:
    """ASGI middleware: refuse request bodies over ``max_bytes`` with 413, declared or streamed."""

    def __init__(self, app: ASGIApp, max_bytes: int = MAX_BODY_BYTES):
        self.app = app
        self.max_bytes = max_bytes

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        declared = dict(scope.get("headers") or []).get(b"content-length")
        if declared is not None and declared.isdigit() and int(declared) > self.max_bytes:
            await self._too_large(scope, receive, send)
            return
        if scope.get("method") in ("GET", "HEAD", "OPTIONS"):
            await self.app(scope, receive, send)
            return
        # buffer the body (at most max_bytes) so an oversized stream is refused before the app runs
        chunks: list[bytes] = []
        received = 0
        while True:
            message = await receive()
            if message["type"] != "http.request":
                break
            chunk = message.get("body", b"")
            received += len(chunk)
            if received > self.max_bytes:
                await self._too_large(scope, receive, send)
                return
            chunks.append(chunk)
            if not message.get("more_body", False):
                break
        body = b"".join(chunks)
        replayed = False

        async def replay() -> Message:
            nonlocal replayed
            if not replayed:
                replayed = True
                return {"type": "http.request", "body": body, "more_body": False}
            return await receive()

        await self.app(scope, replay, send)

    async def _too_large(self, scope: Scope, receive: Receive, send: Send) -> None:
        mb = self.max_bytes / (1024 * 1024)
        response = JSONResponse({"status": 413, "message": f"request body over the limit of {mb:g} MB"},
                                status_code=413)
        await response(scope, receive, send)


class SecurityHeaders:
    """ASGI middleware: a strict Content-Security-Policy and friends on every response."""

    def __init__(self, app: ASGIApp):
        self.app = app
        self.headers = [(k.encode(), v.encode()) for k, v in SECURITY_HEADERS.items()]

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["path"] in CSP_EXEMPT:
            await self.app(scope, receive, send)
            return

        async def with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                present = {k.lower() for k, _ in message.get("headers", [])}
                message["headers"] = list(message.get("headers", [])) + [
                    (k, v) for k, v in self.headers if k not in present]
            await send(message)

        await self.app(scope, receive, with_headers)


# the interactive API docs start Swagger UI (served from this server) with an inline script
CSP_EXEMPT = frozenset({"/docs", "/docs/oauth2-redirect"})

SECURITY_HEADERS = {
    # plotly injects inline styles; scripts only from this server
    "content-security-policy": ("default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; "
                                "img-src 'self' data:; object-src 'none'; base-uri 'none'; "
                                "frame-ancestors 'none'"),
    "x-content-type-options": "nosniff",
    "referrer-policy": "same-origin",
}
