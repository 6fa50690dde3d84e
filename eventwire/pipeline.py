"""The eventwire pipeline, start to finish:

    ingest -> extract -> nlp -> actors -> events -> quotes -> (store)

Each stage is a module with one public function over records. The per-article
part (:func:`analyse`) holds no global state beyond cached read-only knowledge,
so it runs in worker processes (``settings.workers``, eventwire.workers) and inside
a Spark partition (eventwire.spark) as well as in this process.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from itertools import islice
from typing import TypeVar

from spacy.tokens import Doc

from . import actors, events, extract, ingest, limits, nlp, quotes
from .errors import PROCESSING_FAILED, EventwireError, OverTimeBudget, printable
from .records import AlreadyStored, Article, ParsedArticle, ProcessingError, RawDocument, Sentence
from .settings import Settings

T = TypeVar("T")
Item = RawDocument | Article | ProcessingError | AlreadyStored


def process(text_or_html: str, url: str | None = None, published: str | None = None,
            settings: Settings | None = None) -> Article:
    """Process one article given as plain text or HTML; return the Article with its records."""
    settings = settings or Settings()
    is_html = text_or_html.lstrip()[:1] == "<"
    raw = RawDocument(origin=url or "<input>", url=url, published=published,
                      html=text_or_html if is_html else None,
                      text=None if is_html else text_or_html)
    result = next(process_documents([raw], settings))
    if isinstance(result, ProcessingError):
        raise EventwireError(result.reason, origin=result.origin)
    return result


def process_documents(raws: Iterable[Item], settings: Settings | None = None,
                      known: Callable[[str], bool] | None = None, report=None
                      ) -> Iterator[Article | ProcessingError | AlreadyStored]:
    """Process documents in batches; yield an Article or a ProcessingError for each, in order.

    Each document is isolated: whatever goes wrong while extracting, parsing or analysing
    it, or its running over its time budget (``settings.time_budget_seconds``), becomes one
    ProcessingError naming it, and the others go on. A batch that fails to parse is parsed
    again one document at a time, so a bad document never fails its neighbours.

    ``known`` (e.g. ``Store.has_article``) is asked about each article right after extraction:
    one it knows is yielded as AlreadyStored and never parsed, so a re-ingest runs at reading
    speed. With ``settings.workers`` > 1 the parsing runs in that many worker processes
    (``report``, a workers.WorkerReport, then receives their count, memory and restarts).
    Items already extracted (Article) or settled (ProcessingError, AlreadyStored) are accepted
    too: that is how the workers receive them.
    """
    settings = settings or Settings()
    items: Iterable[Item] = raws if known is None else _checked(raws, settings, known)
    if settings.workers > 1:
        from .workers import WorkerPool
        yield from WorkerPool(settings, report=report).map(items)
        return
    iterator = iter(items)
    while batch := list(islice(iterator, settings.batch_size)):
        if any(isinstance(item, (RawDocument, Article)) for item in batch):
            _load(settings)
        budgets = [limits.Budget(settings.time_budget_seconds) for _ in batch]
        extracted = [_isolated(raw, budget, "extraction", _extract, raw, settings)
                     for raw, budget in zip(batch, budgets)]
        docs = _parse(batch, extracted, budgets, settings)
        for raw, budget, item, doc in zip(batch, budgets, extracted, docs):
            if not isinstance(item, Article):
                yield item
            elif isinstance(doc, ProcessingError):
                yield doc
            else:
                yield _isolated(raw, budget, "analysis", analyse, item, doc, settings, budget.check)


def analyse(article: Article, doc, settings: Settings,
            check: Callable[[], None] = lambda: None) -> Article:
    """Run the per-article stages on a parsed article: actors, events, quotes.

    ``check`` runs between the stages (a time budget that raises when it is used up).
    """
    article.sentences = [Sentence(s.start_char, s.end_char, s.text) for s in doc.sents]
    parsed = actors.resolve_actors(ParsedArticle(article, doc), settings)
    article.mentions = parsed.mentions
    check()
    article.events = events.code_events(parsed, settings)
    check()
    article.quotes = quotes.find_quotes(parsed, settings)
    return article


def _extract(raw: Item, settings: Settings) -> Article | ProcessingError | AlreadyStored:
    """Read errors (and items extracted already) pass through; a document is checked and
    cleaned before extraction, and its clean text checked after it."""
    if not isinstance(raw, RawDocument):
        return raw
    raw = ingest.clean_document(raw, settings)
    if raw.html is not None:
        limits.check_page(raw.html, settings)
    article = extract.extract(raw, settings)
    limits.check_text(article.text, settings)
    return article


def _parse(batch: list, extracted: list, budgets: list[limits.Budget],
           settings: Settings) -> list[Doc | ProcessingError | None]:
    """The spaCy Doc of each extracted article (None for the others).

    Texts of one section are parsed together in one call; when that call fails, and for
    longer texts, each is parsed alone within its own budget.
    """
    docs: list[Doc | ProcessingError | None] = [None] * len(extracted)
    articles = [i for i, item in enumerate(extracted) if isinstance(item, Article)]
    short = [i for i in articles if len(extracted[i].text) <= settings.section_chars]
    alone = [i for i in articles if i not in short]
    if short:
        shared = limits.Budget(settings.time_budget_seconds * len(short))
        try:
            with shared.spend():
                parsed = list(nlp.parse([extracted[i].text for i in short], settings.model,
                                        settings.batch_size, settings.section_chars, shared.check))
            for i, doc in zip(short, parsed):
                docs[i] = doc
                budgets[i].charge(shared.used / len(short))
        except (Exception, OverTimeBudget):
            alone = articles
    for i in alone:
        docs[i] = _isolated(batch[i], budgets[i], "parsing", _parse_one, extracted[i].text,
                            settings, budgets[i])
    return docs


# Written for the purpose: a place, a date, two countries, an event and a quotation, so that
# every stage reads the knowledge it loads on first use.
_WARM_UP = ('Norway and Chile agreed in Oslo on Monday to hold talks on fishing quotas. '
            '"The talks went well," the minister of Chile said.')
_loaded: set[tuple] = set()


def _load(settings: Settings) -> None:
    """Load the models and the knowledge once per process, before any budget runs, so the
    first documents of a run do not pay for them: a missing model fails the run here; a bad
    knowledge file is left to fail each document, with its error line, as before."""
    key = (settings.model, tuple(settings.knowledge_files))
    if key in _loaded:
        return
    nlp.load(settings.model)
    events.confidence.load()
    try:
        article = _extract(RawDocument(origin="<warm-up>", text=_WARM_UP), settings)
        analyse(article, next(nlp.parse([article.text], settings.model)), settings)
    except EventwireError:
        pass
    _loaded.add(key)


def _parse_one(text: str, settings: Settings, budget: limits.Budget) -> Doc:
    """One text alone, its budget checked before each section."""
    return next(nlp.parse([text], settings.model, 1, settings.section_chars, budget.check))


def _isolated(raw: Item, budget: limits.Budget, name: str,
              stage: Callable[..., T], *args) -> T | ProcessingError:
    """Run one stage of one document within its budget; any failure is its ProcessingError."""
    if isinstance(raw, (ProcessingError, AlreadyStored)):
        return raw
    origin = _origin(raw)
    try:
        with budget.spend():
            return stage(*args)
    except EventwireError as exc:
        return ProcessingError(exc.origin or origin, exc.message, exc.code)
    except OverTimeBudget:
        return ProcessingError(origin, budget.message(), OverTimeBudget.code)
    except RecursionError:
        return ProcessingError(origin, f"{name} failed: "
                               "structure nested too deeply", PROCESSING_FAILED)
    except Exception as exc:  # one bad document must not stop the batch
        detail = printable(str(exc).splitlines()[0][:300]) if str(exc).strip() else ""
        return ProcessingError(origin, f"{name} failed: "
                               f"{exc.__class__.__name__}: {detail}".rstrip(": "),
                               PROCESSING_FAILED)


def _checked(raws: Iterable[Item], settings: Settings,
             known: Callable[[str], bool]) -> Iterator[Item]:
    """Set aside the documents whose article ``known`` already holds (extraction gives the
    content hash); the others go on as they came, so their error lines name them as read."""
    for raw in raws:
        item = _isolated(raw, limits.Budget(settings.time_budget_seconds), "extraction",
                         _extract, raw, settings)
        if isinstance(item, Article) and known(item.id):
            yield AlreadyStored(item.id, _origin(raw))
        else:
            yield raw if isinstance(item, Article) else item


def _origin(item: Item) -> str:
    """The name of a document in error lines: where it was read from."""
    if isinstance(item, Article):
        return item.source_path or item.id
    return item.origin

