"""How eventwire crawls: politeness, limits and safety settings of ``eventwire watch``, in one place.

The defaults are those of a well-behaved crawler that follows a few dozen news sites; the
command line and the environment (``EVENTWIRE_CONTACT``) change them.
"""

from __future__ import annotations

import ipaddress
import os
import re
from dataclasses import dataclass, field

ROBOTS_TOKEN = "eventwire"  # the name robots.txt rules address (User-agent: eventwire)


def _version() -> str:
    from importlib.metadata import PackageNotFoundError, version
    try:
        return version("eventwire")
    except PackageNotFoundError:
        return "0"


def user_agent(contact: str | None = None) -> str:
    """``eventwire/VERSION (+news event monitor; robots token eventwire[; CONTACT])``."""
    contact = contact if contact is not None else os.environ.get("EVENTWIRE_CONTACT", "")
    extra = f"; {contact.strip()}" if contact and contact.strip() else ""
    return f"{ROBOTS_TOKEN}/{_version()} (+news event monitor; robots token {ROBOTS_TOKEN}{extra})"


@dataclass
class CrawlPolicy:
    """Every limit of the crawler. Times are seconds, sizes bytes."""

    user_agent: str = field(default_factory=user_agent)
    interval: float = 15 * 60  # how often each source is fetched
    delay: float = 1.0  # at least this long between two requests to one host
    max_crawl_delay: float = 60.0  # a robots.txt Crawl-delay is obeyed up to this
    per_host: int = 2  # requests in flight to one host
    concurrency: int = 16  # requests in flight in all
    connect_timeout: float = 10.0
    read_timeout: float = 20.0  # between two reads of the response
    total_timeout: float = 60.0  # for one response, however slowly it trickles in
    attempts: int = 3  # tries of one request on a network error or 5xx
    backoff: float = 1.0  # first wait before a retry; doubled each time (with jitter)
    max_backoff: float = 30.0
    max_wait: float = 60.0  # a Retry-After up to this is waited out; a longer one defers the page
    page_attempts: int = 4  # watch passes that may retry a page before it is marked failed
    max_redirects: int = 5
    max_page_bytes: int = 5 * 1024 * 1024  # an article page, after decompression
    max_feed_bytes: int = 20 * 1024 * 1024  # a feed or sitemap, after decompression
    max_robots_bytes: int = 512 * 1024
    robots_ttl: float = 24 * 3600  # robots.txt is fetched again after this
    max_new_links: int = 1000  # links queued from one fetch of one source, newest first
    max_sitemaps: int = 50  # child sitemaps read from one sitemap index
    allow_private: bool = False  # allow loopback, private, link-local ... addresses
    allowed_networks: list[ipaddress.IPv4Network | ipaddress.IPv6Network] = field(default_factory=list)


_UNITS = {"": 1, "s": 1, "m": 60, "h": 3600, "d": 86400}
_SIZES = {"": 1, "b": 1, "k": 1024, "kb": 1024, "m": 1024 ** 2, "mb": 1024 ** 2,
          "g": 1024 ** 3, "gb": 1024 ** 3}


def parse_duration(value: str | float) -> float:
    """Seconds from ``90``, ``30s``, ``15m``, ``2h`` or ``1d``; ValueError otherwise."""
    if isinstance(value, (int, float)):
        seconds = float(value)
    else:
        match = re.fullmatch(r"\s*(\d+(?:\.\d+)?)\s*([smhd]?)\s*", value.lower())
        if not match:
            raise ValueError(f"{value!r} is not a duration such as 30s, 15m, 2h or 1d")
        seconds = float(match.group(1)) * _UNITS[match.group(2)]
    if seconds < 0:
        raise ValueError(f"{value!r} is negative")
    return seconds


def parse_size(value: str | int) -> int:
    """Bytes from ``500000``, ``512k``, ``5MB`` or ``1g``; ValueError otherwise."""
    if isinstance(value, int):
        return value
    match = re.fullmatch(r"\s*(\d+(?:\.\d+)?)\s*([kmg]?b?)\s*", value.lower())
    if not match:
        raise ValueError(f"{value!r} is not a size such as 512k or 5MB")
    return int(float(match.group(1)) * _SIZES[match.group(2)])


def parse_network(value: str) -> ipaddress.IPv4Network | ipaddress.IPv6Network:
    """A network allowed despite being private, e.g. ``10.1.0.0/16`` or ``127.0.0.1``."""
    try:
        return ipaddress.ip_network(value.strip(), strict=False)
    except ValueError:
        raise ValueError(f"{value!r} is not an IP address or network such as 10.1.0.0/16") from None
