"""Sources: follow news feeds, sitemaps and article URLs and keep the store up to date.

* ``state``: sources, the fetch queue and article versions, in the store (crash-safe);
* ``fetching``: one URL fetched politely and safely (httpx), with ``robots``, ``hosts``
  (per-host rate limit and concurrency) and ``safety`` (allowed addresses);
* ``feeds`` (feedparser), ``sitemaps`` (lxml) and ``documents``: what a body holds;
* ``watch``: the passes of ``eventwire watch``, pages through the normal pipeline.

See docs/sources.md.
"""

from .policy import CrawlPolicy, parse_duration, parse_network, parse_size, user_agent
from .state import add_source, get_source, list_sources, recent_pages, remove_source, status, versions
from .urls import redact
from .watch import PassSummary, Watcher

__all__ = ["CrawlPolicy", "PassSummary", "Watcher", "add_source", "get_source", "list_sources",
           "parse_duration", "parse_network", "parse_size", "recent_pages", "redact", "remove_source",
           "status", "user_agent", "versions"]
