"""Read, process and store documents: the work behind ``eventwire ingest`` and ``eventwire demo``."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from .. import ingest, pipeline
from ..records import AlreadyStored, Article, ProcessingError, RawDocument
from ..settings import Settings
from ..workers import WorkerReport
from .database import Store

MAX_ERRORS_KEPT = 1000  # error lines a LoadSummary keeps; every failure is counted


@dataclass
class LoadSummary:
    """What one load did: documents processed, newly stored, already there, failed."""

    processed: int = 0
    new: int = 0
    existing: int = 0
    failed: int = 0
    errors: list[str] = field(default_factory=list)  # the first MAX_ERRORS_KEPT
    workers: WorkerReport = field(default_factory=WorkerReport)

    def __str__(self) -> str:
        text = (f"processed {self.processed}, new {self.new}, already stored {self.existing}, "
                f"failed {self.failed}")
        return text + (f"; {self.workers}" if self.workers.started else "")


def load(paths: Iterable[str], store: Store, settings: Settings,
         on_result: Callable[[Article | ProcessingError, LoadSummary], None] | None = None
         ) -> LoadSummary:
    """Process every document under ``paths``, save each article in its own transaction and
    link it to its original, story and canonical events (eventwire.stories).

    A document that cannot be read, processed or stored is counted as failed (its
    error line kept in ``errors``) and the batch goes on. ``on_result`` is called
    after each document, e.g. to advance a progress bar or print the error.
    """
    return load_documents(ingest.read_paths(paths, settings), store, settings, on_result)


def load_documents(raws: Iterable[RawDocument | ProcessingError], store: Store, settings: Settings,
                   on_result: Callable[[Article | ProcessingError | AlreadyStored, LoadSummary],
                                       None] | None = None
                   ) -> LoadSummary:
    """Process documents already read (e.g. fetched pages), save and link each article, as
    :func:`load` does; ``on_result`` is called once per document, in the order given.

    Articles already stored are recognised after extraction and not parsed again; with
    ``settings.workers`` > 1 parsing runs in worker processes and this process alone writes.
    """
    from ..stories import link_article
    from ..stories.linking import link_stored

    summary = LoadSummary()
    for result in pipeline.process_documents(raws, settings, known=store.has_article,
                                             report=summary.workers):
        summary.processed += result.count if isinstance(result, ProcessingError) else 1
        if isinstance(result, AlreadyStored):
            summary.existing += 1
            try:
                link_stored(store, result.id)  # a no-op unless a crash came between save and link
            except Exception as exc:
                result = ProcessingError(result.origin, "could not link the stored article to its "
                                         f"story: {exc.__class__.__name__}: {exc}", "E005")
        elif isinstance(result, Article):
            step = "store"
            try:
                if store.save(result):
                    summary.new += 1
                else:
                    summary.existing += 1
                step = "link"  # reprint, story, canonical events; a no-op when already linked
                link_article(store, result)
            except Exception as exc:  # a bad record must not stop the batch
                first_line = str(exc).splitlines()[0] if str(exc) else ""
                what = "store" if step == "store" else "link the stored article to its story"
                result = ProcessingError(f"{result.source_path or '<input>'} (article {result.id})",
                                         f"could not {what}: {exc.__class__.__name__}: {first_line}",
                                         "E005")
        if isinstance(result, ProcessingError):
            summary.failed += result.count
            if len(summary.errors) < MAX_ERRORS_KEPT:
                summary.errors.append(str(result))
        if on_result:
            on_result(result, summary)
    return summary
