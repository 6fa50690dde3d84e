"""The per-article pipeline on every core: chunks of documents go to worker processes, results
come back in input order.

Each worker loads the spaCy pipeline once and processes one chunk at a time (extract when it is
handed raw documents, parse, actors, events, quotes); the calling process reads the input and
gets the results back in the order the documents came in, so one writer stores them and
idempotency and story order are those of a single process. Workers are started only when
there is a chunk for them and all running workers are busy (one document starts one worker).

Memory per worker is bounded: after each chunk a worker reports its resident memory; one over
``settings.worker_memory_mb`` is retired and a fresh one takes its place. A worker that dies
(killed, out of memory) turns the documents of its chunk into ProcessingErrors and is replaced:
the batch goes on, and nothing already returned is lost.
"""

from __future__ import annotations

import multiprocessing
import os
import resource
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from itertools import islice
from multiprocessing.connection import Connection, wait
from typing import Any

from .errors import WORKER_DIED, EventwireError
from .records import Article, ProcessingError, RawDocument
from .settings import Settings


@dataclass
class WorkerReport:
    """What the worker processes of one run did: how many, their peak memory, restarts."""

    workers: int = 0
    started: int = 0
    retired: int = 0  # replaced because their memory went over the limit
    died: int = 0
    peak_mb: float = 0.0  # the largest resident memory any worker reached
    limit_mb: int = 0
    chunks: int = 0
    per_worker_peak_mb: list[float] = field(default_factory=list)

    def __str__(self) -> str:
        text = (f"{self.workers} workers, peak memory per worker {self.peak_mb:,.0f} MB "
                f"(limit {self.limit_mb:,} MB)")
        if self.retired:
            text += f", {self.retired} retired over the limit"
        if self.died:
            text += f", {self.died} died"
        return text


def resident_mb() -> float:
    """The resident memory of this process now, in MB (its peak where /proc is missing)."""
    try:
        with open("/proc/self/statm", encoding="ascii") as statm:
            pages = int(statm.read().split()[1])
        return pages * os.sysconf("SC_PAGE_SIZE") / 2**20
    except (OSError, ValueError, IndexError):
        return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


# --- inside a worker process ----------------------------------------------------------------

def _serve(connection: Connection, settings: Settings) -> None:
    """A worker: load the model, then process chunks until told to stop (None) or over its
    limit. A model that cannot be loaded is the answer to its first chunk: the run fails."""
    from . import nlp, pipeline

    failure = None
    try:
        nlp.load(settings.model)  # once per worker (it also freezes the model out of the collector)
    except Exception as exc:
        failure = ((type(exc), exc.message, exc.origin) if isinstance(exc, EventwireError)
                   else (RuntimeError, f"{exc.__class__.__name__}: {exc}", None))
    inline = Settings(**{**settings.__dict__, "workers": 1})
    while True:
        try:
            chunk = connection.recv()
        except EOFError:
            return
        if chunk is None:
            return
        if failure:
            connection.send(("failed", failure))
            return
        results = list(pipeline.process_documents(chunk, inline))
        rss = resident_mb()
        retire = rss > settings.worker_memory_mb
        connection.send(("done", (results, rss, retire)))
        if retire:
            return


# --- in the calling process -------------------------------------------------------------------

@dataclass
class _Worker:
    process: Any
    connection: Connection
    chunk: int | None = None  # index of the chunk it is working on
    peak_mb: float = 0.0


class WorkerPool:
    """Worker processes that run ``pipeline.process_documents`` on chunks, in order."""

    def __init__(self, settings: Settings, workers: int | None = None,
                 report: WorkerReport | None = None):
        self.settings = settings
        self.size = max(1, workers or settings.workers)
        self.context = multiprocessing.get_context("spawn")
        self.running: list[_Worker] = []
        self.report = report if report is not None else WorkerReport()
        self.report.workers, self.report.limit_mb = self.size, settings.worker_memory_mb

    def _start(self) -> _Worker:
        parent, child = self.context.Pipe()
        process = self.context.Process(target=_serve, args=(child, self.settings), daemon=True,
                                       name=f"eventwire-worker-{self.report.started + 1}")
        process.start()
        child.close()
        worker = _Worker(process, parent)
        self.running.append(worker)
        self.report.started += 1
        return worker

    def _stop(self, worker: _Worker) -> None:
        self.running.remove(worker)
        self.report.per_worker_peak_mb.append(worker.peak_mb)
        try:
            worker.connection.send(None)
        except (BrokenPipeError, OSError):
            pass
        worker.connection.close()
        worker.process.join(timeout=10)
        if worker.process.is_alive():
            worker.process.kill()
            worker.process.join()

    def close(self) -> None:
        for worker in list(self.running):
            self._stop(worker)

    def map(self, items: Iterable[Any]) -> Iterator[Article | ProcessingError]:
        """Process items (RawDocument, extracted Article or ProcessingError) chunk by chunk on
        the workers; yield one result per item, in the order of the items."""
        chunks = _chunks(items, self.settings.batch_size)
        pending: dict[int, list] = {}  # chunk index -> its items, until its results are back
        done: dict[int, list] = {}
        next_out = submitted = 0
        exhausted = False
        window = 2 * self.size  # chunks in flight or waiting to be yielded: bounds memory
        try:
            while True:
                # hand out chunks to idle workers, starting workers as needed
                while not exhausted and submitted - next_out < window:
                    idle = next((w for w in self.running if w.chunk is None), None)
                    if idle is None and len(self.running) >= self.size:
                        break
                    chunk = next(chunks, None)
                    if chunk is None:
                        exhausted = True
                        break
                    if not any(isinstance(item, (RawDocument, Article)) for item in chunk):
                        done[submitted] = chunk  # errors and stored articles: nothing to parse
                        submitted += 1
                        continue
                    worker = idle or self._start()
                    worker.chunk = submitted
                    pending[submitted] = chunk
                    self.report.chunks += 1
                    if not _send(worker, chunk):
                        self._lost(worker, pending, done)
                    submitted += 1
                while next_out in done:
                    yield from done.pop(next_out)
                    next_out += 1
                if exhausted and next_out == submitted:
                    return
                busy = [w for w in self.running if w.chunk is not None]
                if not busy:
                    continue
                ready = wait([w.connection for w in busy] + [w.process.sentinel for w in busy])
                for worker in busy:
                    if worker.connection in ready:
                        try:
                            kind, answer = worker.connection.recv()
                        except (EOFError, OSError):
                            self._lost(worker, pending, done)
                            continue
                        if kind == "failed":  # the worker could not start: the run fails
                            kind_of_error, message, origin = answer
                            raise (kind_of_error(message, origin=origin)
                                   if issubclass(kind_of_error, EventwireError)
                                   else kind_of_error(message))
                        results, rss, retire = answer
                        done[worker.chunk] = results
                        pending.pop(worker.chunk)
                        worker.chunk = None
                        worker.peak_mb = max(worker.peak_mb, rss)
                        self.report.peak_mb = max(self.report.peak_mb, rss)
                        if retire:
                            self.report.retired += 1
                            self._stop(worker)
                    elif worker.process.sentinel in ready:
                        self._lost(worker, pending, done)
        finally:
            self.close()

    def _lost(self, worker: _Worker, pending: dict[int, list], done: dict[int, list]) -> None:
        """A worker died: each document of its chunk becomes a ProcessingError."""
        worker.process.join(timeout=5)
        code = worker.process.exitcode
        self.report.died += 1
        self.running.remove(worker)
        self.report.per_worker_peak_mb.append(worker.peak_mb)
        worker.connection.close()
        reason = (f"worker process died while processing this batch (exit code {code}"
                  f"{', killed by signal ' + str(-code) if code is not None and code < 0 else ''});"
                  " process the file again, or with --workers 1 to see which document does it")
        done[worker.chunk] = [item if isinstance(item, ProcessingError)
                              else ProcessingError(_origin(item), reason, WORKER_DIED)
                              for item in pending.pop(worker.chunk)]


def _send(worker: _Worker, chunk: list) -> bool:
    try:
        worker.connection.send(chunk)
        return True
    except (BrokenPipeError, OSError):
        return False


def _chunks(items: Iterable[Any], size: int) -> Iterator[list]:
    iterator = iter(items)
    while chunk := list(islice(iterator, max(1, size))):
        yield chunk


def _origin(item: RawDocument | Article) -> str:
    if isinstance(item, RawDocument):
        return item.origin
    return item.source_path or item.id
