"""URLs of sources and pages: normal form, origin, and a redacted form for messages.

A URL may carry credentials (``https://user:password@host/feed`` or ``?token=...``): they are
kept where the fetcher needs them and replaced by ``***`` in everything shown or logged.
"""

from __future__ import annotations

import re
from urllib.parse import parse_qsl, urlencode, urljoin, urlsplit, urlunsplit

from ..errors import UnsafeURL

SCHEMES = ("http", "https")
DEFAULT_PORTS = {"http": 80, "https": 443}
# Query parameters whose values are secrets by their name (api keys, tokens, signatures).
SECRET_PARAMS = re.compile(r"(?i)^(.*token.*|.*key|.*secret.*|pass(word)?|passwd|pwd|auth.*|sig|"
                           r"signature|session.*|sid|credentials?)$")


def normalise(url: str, base: str | None = None) -> str | None:
    """The URL in the form eventwire keys pages by, resolved against ``base``: scheme and host
    in lower case, default port and fragment dropped. None when it is not an http(s) URL."""
    url = (url or "").strip()
    if not url:
        return None
    if base:
        url = urljoin(base, url)
    try:
        parts = urlsplit(url)
        port = parts.port
    except ValueError:
        return None
    scheme = parts.scheme.lower()
    if scheme not in SCHEMES or not parts.hostname:
        return None
    host = parts.hostname.lower()
    if ":" in host:  # an IPv6 literal keeps its brackets
        host = f"[{host}]"
    netloc = host if port in (None, DEFAULT_PORTS[scheme]) else f"{host}:{port}"
    if parts.username is not None or parts.password is not None:
        userinfo = parts.username or ""
        if parts.password is not None:
            userinfo += f":{parts.password}"
        netloc = f"{userinfo}@{netloc}"
    return urlunsplit((scheme, netloc, parts.path or "/", parts.query, ""))


def checked(url: str) -> str:
    """The normal form of a URL a user gave; raises UnsafeURL when it is not http(s)."""
    result = normalise(url)
    if result is None:
        scheme = urlsplit(url.strip()).scheme if "://" in url else ""
        reason = (f"the scheme {scheme!r} is not allowed (only http and https)" if scheme
                  and scheme.lower() not in SCHEMES else "not an http(s) URL with a host name")
        raise UnsafeURL(reason, origin=redact(url))
    return result


def without_credentials(url: str) -> str:
    """The URL without its user name and password (they are sent as an Authorization header)."""
    parts = urlsplit(url)
    if "@" not in parts.netloc:
        return url
    return urlunsplit(parts._replace(netloc=parts.netloc.rsplit("@", 1)[1]))


def credentials(url: str) -> tuple[str, str] | None:
    """(user, password) from the URL's user information, or None."""
    parts = urlsplit(url)
    if parts.username is None:
        return None
    from urllib.parse import unquote
    return unquote(parts.username), unquote(parts.password or "")


def redact(url: str | None) -> str:
    """The URL fit for a log line or a page: password and secret query values as ``***``."""
    if not url:
        return ""
    try:
        parts = urlsplit(url)
    except ValueError:
        return "<unparsable URL>"
    netloc = parts.netloc
    if "@" in netloc:
        userinfo, host = netloc.rsplit("@", 1)
        user = userinfo.split(":", 1)[0]
        netloc = f"{user}:***@{host}" if ":" in userinfo else f"{user}@{host}"
    query = parts.query
    if query:
        pairs = parse_qsl(query, keep_blank_values=True)
        if any(SECRET_PARAMS.match(k) for k, _ in pairs):
            query = urlencode([(k, "***" if SECRET_PARAMS.match(k) else v) for k, v in pairs],
                              safe="*")
    return urlunsplit((parts.scheme, netloc, parts.path, query, parts.fragment))


def origin(url: str) -> str:
    """scheme://host[:port] of a URL: what robots.txt and credentials belong to."""
    parts = urlsplit(url)
    host = parts.hostname or ""
    if ":" in host:
        host = f"[{host}]"
    port = parts.port
    scheme = parts.scheme.lower()
    return f"{scheme}://{host}" if port in (None, DEFAULT_PORTS.get(scheme)) else \
        f"{scheme}://{host}:{port}"


def host_of(url: str) -> str:
    """The host name a URL names, in lower case: the key of the per-host politeness limits."""
    return (urlsplit(url).hostname or "").lower()
