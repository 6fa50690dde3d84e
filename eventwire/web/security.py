"""Protection and request limits of the web server: a token for writes, a cap on body size,
the Host header checked against the served names, unknown query parameters refused, and only
http(s) URLs rendered as links.

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


# --- Host header -------------------------------------------------------------

LOCAL_NAMES = ("localhost", "127.0.0.1", "::1")
WILDCARD_ADDRESSES = ("0.0.0.0", "::", "")


def allowed_hosts(configured: str | None, bound: str | None = None) -> list[str]:
    """The names the server answers to: ``configured`` (comma-separated, from
    ``--allowed-host`` or ``EVENTWIRE_ALLOWED_HOSTS``), else the local names and the bound
    address. ``*.example.org`` allows the subdomains; ``*`` allows any name."""
    names = [n.strip().lower() for n in (configured or "").split(",") if n.strip()]
    if names:
        return names
    local = list(LOCAL_NAMES)
    if bound and bound not in WILDCARD_ADDRESSES and bound.lower() not in local:
        local.append(bound.lower())
    return local


def host_name(header: str) -> str:
    """The name in a Host header, without its port (``[::1]:8000`` -> ``::1``)."""
    header = header.strip().lower()
    if header.startswith("["):
        return header[1:header.find("]")] if "]" in header else header
    return header.rsplit(":", 1)[0] if header.count(":") == 1 else header


def host_allowed(header: str, names: list[str]) -> bool:
    name = host_name(header)
    for allowed in names:
        if allowed == "*" or name == allowed:
            return True
        if allowed.startswith("*.") and name.endswith(allowed[1:]):
            return True
    return False


class HostCheck:
    """ASGI middleware: answer 400 to a request whose Host header is not one of the names
    the server was started for. A web page on another site whose name the attacker points
    at 127.0.0.1 (DNS rebinding) then cannot read the API through the user's browser."""

    def __init__(self, app: ASGIApp, names: list[str]):
        self.app = app
        self.names = names

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] not in ("http", "websocket"):
            await self.app(scope, receive, send)
            return
        header = dict(scope.get("headers") or []).get(b"host", b"").decode("latin-1")
        if host_allowed(header, self.names):
            await self.app(scope, receive, send)
            return
        response = JSONResponse({"status": 400, "message": f"the Host header {header[:100]!r} is "
                                 "not a name this server answers to; start it with "
                                 "--allowed-host NAME (or EVENTWIRE_ALLOWED_HOSTS) to allow it"},
                                status_code=400)
        await response(scope, receive, send)


# --- query parameters ---------------------------------------------------------

_QUERY_NAMES: dict[int, frozenset[str]] = {}


def query_names(route) -> frozenset[str]:
    """The query parameters a route declares, its dependencies' included."""
    key = id(route)
    if key not in _QUERY_NAMES:
        names: set[str] = set()
        stack = [route.dependant] if hasattr(route, "dependant") else []
        while stack:
            dependant = stack.pop()
            names.update(f.alias for f in dependant.query_params)
            stack.extend(dependant.dependencies)
        _QUERY_NAMES[key] = frozenset(names)
    return _QUERY_NAMES[key]


QUERY_NAMES_KEY = "eventwire.query_names"  # where routes leave their parameters for the cache


def record_query_names(request: Request) -> frozenset[str] | None:
    """FastAPI dependency of every page: note the query parameters the route takes in the
    request scope, so the response cache keys its answer by those alone."""
    route = request.scope.get("route")
    if route is None:
        return None
    names = query_names(route)
    request.scope[QUERY_NAMES_KEY] = names
    return names


def reject_unknown_query(request: Request) -> None:
    """FastAPI dependency of the API: a query parameter the endpoint does not take is a 422
    (a typo would otherwise be ignored silently, and cache-busting parameters are refused)."""
    known = record_query_names(request)
    if known is None:
        return
    unknown = sorted({name for name in request.query_params if name not in known})
    if unknown:
        takes = ", ".join(sorted(known)) or "none"
        raise HTTPException(422, f"unknown query parameter{'s' * (len(unknown) > 1)} "
                                 f"{', '.join(repr(u[:50]) for u in unknown[:5])}; this endpoint "
                                 f"takes: {takes}")


def web_link(url: str | None) -> str | None:
    """``url`` when it is an http(s) address safe to put in a link, else None (shown as text):
    never a javascript:, data: or other scheme."""
    from urllib.parse import urlsplit
    if not url:
        return None
    url = url.strip()
    if any(ord(c) < 0x20 or c in "\\\x7f" for c in url):
        return None
    try:
        parts = urlsplit(url)
    except ValueError:
        return None
    return url if parts.scheme.lower() in ("http", "https") and parts.netloc else None
