"""``eventwire watch``: fetch each source on its schedule, queue the new links, fetch the
pages, and run them through the normal pipeline into the store.

One pass:

1. pages fetched before a crash but not yet stored are processed first;
2. each source that is due is fetched (conditional GET); a feed or sitemap gives links,
   which are queued when new (or when their stamp says the article changed); a page source
   is itself the page;
3. the queued pages are fetched under the politeness limits, each body kept in the store;
4. meanwhile, in a worker thread, fetched pages go through ``store.loader.load_documents``
   (the same path as ``eventwire ingest``: extract, NLP, actors, events, quotes, store,
   stories) in batches; a page whose text changed becomes a new article linked to the
   previous one (``article_versions``).
"""

from __future__ import annotations

import asyncio
import datetime as dt
import logging
from collections.abc import Callable
from dataclasses import dataclass

from ..errors import InputError, SourceError
from ..records import Article, ProcessingError
from ..settings import Settings
from . import documents, feeds, sitemaps, state, urls
from .fetching import ACCEPT_FEED, Fetcher, FetchResult
from .links import Link, newest_first
from .policy import CrawlPolicy
from .safety import Resolver

log = logging.getLogger("eventwire.sources")


@dataclass
class PassSummary:
    """What one pass did."""

    sources: int = 0
    source_errors: int = 0
    links: int = 0
    fetched: int = 0
    unchanged: int = 0
    new: int = 0
    existing: int = 0
    versions: int = 0
    failed: int = 0
    skipped: int = 0
    deferred: int = 0

    def __str__(self) -> str:
        return (f"{self.sources} sources fetched ({self.source_errors} failed), {self.links} links "
                f"queued; {self.fetched} pages fetched, {self.unchanged} unchanged, {self.skipped} "
                f"disallowed, {self.deferred} to retry, {self.failed} failed; articles: {self.new} "
                f"new ({self.versions} new versions of earlier ones), {self.existing} already stored")


class Watcher:
    """Keeps a store up to date with its sources. ``run(once=True)`` does one pass."""

    def __init__(self, store, settings: Settings | None = None, policy: CrawlPolicy | None = None,
                 resolver: Resolver | None = None):
        self.store = store
        self.settings = settings or Settings()
        self.policy = policy or CrawlPolicy()
        self.resolver = resolver
        self._real_today = self.settings.today == dt.date.today()

    def run(self, once: bool = False,
            on_pass: Callable[[PassSummary], None] | None = None) -> PassSummary:
        """Watch until interrupted (or one pass over every source with ``once``)."""
        return asyncio.run(self.watch(once, on_pass))

    async def watch(self, once: bool = False,
                    on_pass: Callable[[PassSummary], None] | None = None) -> PassSummary:
        async with Fetcher(self.policy, self.resolver) as fetcher:
            while True:
                summary = await self.run_pass(fetcher, everything=once)
                if on_pass:
                    on_pass(summary)
                if once:
                    return summary
                await asyncio.sleep(self._seconds_to_next())

    async def run_pass(self, fetcher: Fetcher, everything: bool = False) -> PassSummary:
        """Fetch the due sources (all with ``everything``) and the queued pages; store articles."""
        if self._real_today:  # a long watch crosses midnight: dates are inferred from today
            self.settings.today = dt.date.today()
        summary = PassSummary()
        fetched: asyncio.Queue[int | None] = asyncio.Queue()
        for page_id in state.fetched_page_ids(self.store):  # kept by a pass that was cut short
            fetched.put_nowait(page_id)
        worker = asyncio.create_task(self._process_queue(fetched, summary))
        try:
            due = state.due_sources(self.store, everything)
            await asyncio.gather(*(self._refresh(fetcher, s, summary, fetched) for s in due))
            await self._fetch_pages(fetcher, summary, fetched)
        finally:
            fetched.put_nowait(None)
            await worker
        return summary

    def _seconds_to_next(self) -> float:
        due = state.next_due(self.store)
        if due is None:
            return self.policy.interval
        wait = (dt.datetime.fromisoformat(due) - dt.datetime.now(dt.timezone.utc)).total_seconds()
        return min(max(wait, 1.0), self.policy.interval)

    # --- sources ---------------------------------------------------------------------

    async def _refresh(self, fetcher: Fetcher, source: dict, summary: PassSummary,
                       fetched: asyncio.Queue) -> None:
        summary.sources += 1
        label = f"source {source['id']} ({source['name'] or urls.redact(source['url'])})"
        # a fetch that stopped at the link limit left links to queue: ask for the whole body
        conditional = source["last_links"] < self.policy.max_new_links
        result = await fetcher.fetch(source["url"], etag=source["etag"] if conditional else None,
                                     last_modified=source["last_modified"] if conditional else None,
                                     max_bytes=self.policy.max_feed_bytes, accept=ACCEPT_FEED)
        record = dict(interval=self.policy.interval, status=result.status)
        if result.outcome == "not-modified":
            state.source_fetched(self.store, source["id"], error=None, keep_validators=True, **record)
            log.info("%s: not modified", label)
            return
        if not result.ok:
            summary.source_errors += 1
            state.source_fetched(self.store, source["id"], error=result.error, **record)
            log.warning("%s: %s", label, result.error)
            return
        validators = dict(etag=result.etag, last_modified=result.last_modified,
                          hash_=state.body_hash(result.body))
        if validators["hash_"] == source["body_hash"] and conditional:
            state.source_fetched(self.store, source["id"], error=None, **validators, **record)
            log.info("%s: unchanged", label)
            return
        kind = documents.kind_of(result.body, result.content_type)
        links, note = 0, None
        try:
            if source["kind"] not in ("auto", kind):
                raise SourceError(f"expected a {source['kind']}, found a {kind}")
            if kind == "page":
                if not documents.is_page_type(result.content_type):
                    raise SourceError("not a feed, sitemap or web page: Content-Type "
                                      f"{documents.media_type(result.content_type)}")
                links = self._take_page(source, result, fetched)
            else:
                found, note = (await self._sitemap_links(fetcher, source, result) if kind == "sitemap"
                               else self._feed_links(source, result))
                links = state.enqueue_links(self.store, source, newest_first(found),
                                            self.policy.max_new_links)
        except SourceError as exc:
            summary.source_errors += 1
            state.source_fetched(self.store, source["id"], error=exc.message, **record)
            log.warning("%s: %s", label, exc.message)
            return
        summary.links += links
        state.source_fetched(self.store, source["id"], error=None, links=links, kind=kind,
                             **validators, **record)
        if note:
            state.update_source_note(self.store, source["id"], note)
        log.info("%s: HTTP %s, %s, %d links queued%s", label, result.status, kind, links,
                 f" ({note})" if note else "")

    def _feed_links(self, source: dict, result: FetchResult) -> tuple[list[Link], str | None]:
        feed = feeds.parse_feed(result.body, result.final_url, result.content_type)
        return feed.links, feed.problem

    async def _sitemap_links(self, fetcher: Fetcher, source: dict,
                             result: FetchResult) -> tuple[list[Link], str | None]:
        """A urlset's links; for an index, the links of its child sitemaps that changed."""
        sitemap = sitemaps.parse_sitemap(result.body, result.final_url, self.policy.max_feed_bytes)
        if sitemap.kind == "urlset":
            return sitemap.links, sitemap.problem
        children = sitemap.children[:self.policy.max_sitemaps]
        notes = [sitemap.problem] if sitemap.problem else []
        if len(sitemap.children) > len(children):
            notes.append(f"read the {len(children)} newest of {len(sitemap.children)} sitemaps")
        found = await asyncio.gather(*(self._child_sitemap(fetcher, source, url, lastmod)
                                       for url, lastmod in children))
        links = [link for child_links, _ in found for link in child_links]
        notes.extend(note for _, note in found if note)
        return links, "; ".join(notes) or None

    async def _child_sitemap(self, fetcher: Fetcher, source: dict, url: str,
                             lastmod: str | None) -> tuple[list[Link], str | None]:
        row = state.ensure_page(self.store, source, url, kind="sitemap")
        if lastmod and row["stamp"] == lastmod and row["body_hash"]:
            return [], None  # the index says it has not changed since we read it
        result = await fetcher.fetch(url, etag=row["etag"], last_modified=row["last_modified"],
                                     max_bytes=self.policy.max_feed_bytes, accept=ACCEPT_FEED)
        if result.outcome == "not-modified":
            return [], None
        if not result.ok:
            return [], f"{urls.redact(url)}: {result.error}"
        try:
            child = sitemaps.parse_sitemap(result.body, result.final_url, self.policy.max_feed_bytes)
        except SourceError as exc:
            return [], f"{urls.redact(url)}: {exc.message}"
        if child.kind != "urlset":
            return [], f"{urls.redact(url)}: a sitemap index inside an index is not followed"
        state.update_page(self.store, row["id"], etag=result.etag, stamp=lastmod,
                          last_modified=result.last_modified, status=result.status,
                          body_hash=state.body_hash(result.body), fetched_at=state.now())
        return child.links, child.problem

    def _take_page(self, source: dict, result: FetchResult, fetched: asyncio.Queue) -> int:
        """A page source: the body just fetched is the page; queue it for processing."""
        row = state.ensure_page(self.store, source, urls.without_credentials(source["url"]))
        state.page_fetched(self.store, row["id"], body=result.body, final_url=result.final_url,
                           status=result.status, content_type=result.content_type,
                           etag=result.etag, last_modified=result.last_modified)
        fetched.put_nowait(row["id"])
        return 1

    # --- pages -----------------------------------------------------------------------

    async def _fetch_pages(self, fetcher: Fetcher, summary: PassSummary,
                           fetched: asyncio.Queue) -> None:
        tried: set[int] = set()
        while pages := state.pending_pages(self.store, tried):
            tried.update(page["id"] for page in pages)
            await asyncio.gather(*(self._fetch_page(fetcher, page, summary, fetched)
                                   for page in pages))

    async def _fetch_page(self, fetcher: Fetcher, page: dict, summary: PassSummary,
                          fetched: asyncio.Queue) -> None:
        result = await fetcher.fetch(page["url"], etag=page["etag"],
                                     last_modified=page["last_modified"],
                                     max_bytes=self.policy.max_page_bytes)
        # the store is written from a worker thread: the event loop keeps sending on time
        if await asyncio.to_thread(self._record_page, page, result, summary):
            fetched.put_nowait(page["id"])

    def _record_page(self, page: dict, result: FetchResult, summary: PassSummary) -> bool:
        """Record what a page fetch gave; True when a new body waits for processing."""
        shown = urls.redact(page["url"])
        done = dict(status=result.status, fetched_at=state.now(), error=None)
        if result.ok and not documents.is_page_type(result.content_type):
            result.outcome = "http-error"
            result.error = f"not a web page: Content-Type {documents.media_type(result.content_type)}"
        if result.ok:
            if page["article_id"] and state.body_hash(result.body) == page["body_hash"]:
                state.update_page(self.store, page["id"], state="done", **done)
                summary.unchanged += 1
                return False
            state.page_fetched(self.store, page["id"], body=result.body, final_url=result.final_url,
                               status=result.status, content_type=result.content_type,
                               etag=result.etag, last_modified=result.last_modified)
            summary.fetched += 1
            return True
        if result.outcome == "not-modified":
            state.update_page(self.store, page["id"], state="done", **done)
            summary.unchanged += 1
        elif result.outcome == "robots":
            state.update_page(self.store, page["id"], state="skipped", status=result.status,
                              error=result.error, fetched_at=state.now())
            summary.skipped += 1
            log.info("page %s: %s", shown, result.error)
        elif result.transient:
            gave_up = state.retry_later(self.store, page, result.error or result.outcome,
                                        result.status, result.retry_after or 0.0,
                                        self.policy.page_attempts)
            if gave_up:
                summary.failed += 1
            else:
                summary.deferred += 1
            log.warning("page %s: %s%s", shown, result.error,
                        " (given up)" if gave_up else " (will retry)")
        else:
            state.update_page(self.store, page["id"], state="failed", status=result.status,
                              error=result.error, fetched_at=state.now())
            summary.failed += 1
            log.warning("page %s: %s", shown, result.error)
        return False

    # --- processing ------------------------------------------------------------------

    async def _process_queue(self, fetched: asyncio.Queue, summary: PassSummary) -> None:
        finished = False
        while not finished:
            ids = [await fetched.get()]
            while len(ids) < self.settings.batch_size and not fetched.empty():
                ids.append(fetched.get_nowait())
            finished = None in ids
            ids = list(dict.fromkeys(i for i in ids if i is not None))
            if ids:
                await asyncio.to_thread(self.process_pages, ids, summary)

    def process_pages(self, page_ids: list[int], summary: PassSummary) -> None:
        """Run fetched pages through the pipeline into the store (the ingest path)."""
        from ..store.loader import load_documents

        pages = state.load_fetched(self.store, page_ids)
        raws = []
        for page in pages:
            try:
                raws.append(documents.page_document(
                    page["body"], page["final_url"] or page["url"], page["content_type"],
                    published=page["published"], outlet=page["source_outlet"] or page["outlet"]))
            except InputError as exc:
                raws.append(ProcessingError(exc.origin or urls.redact(page["url"]), exc.message,
                                            exc.code))
        remaining = iter(pages)
        stored_before = 0

        def record(result: Article | ProcessingError, loaded) -> None:
            # called right after each article is saved: the page is done before the next one
            nonlocal stored_before
            new, stored_before = loaded.new > stored_before, loaded.new
            self._record(next(remaining), result, new, summary)

        load_documents(raws, self.store, self.settings, record)

    def _record(self, page: dict, result: Article | ProcessingError, new: bool,
                summary: PassSummary) -> None:
        shown = urls.redact(page["url"])
        if isinstance(result, ProcessingError):
            state.update_page(self.store, page["id"], state="failed", body=None, error=result.reason)
            summary.failed += 1
            log.warning("page %s: %s", shown, result.reason)
            return
        version = state.page_stored(self.store, page, result.id, new)
        summary.new += new
        summary.existing += not new
        if version and version > 1:
            summary.versions += 1
        log.info("page %s: article %s %s", shown, result.id,
                 ("stored" if version in (None, 1) else f"stored as version {version}")
                 if new else "already stored")
