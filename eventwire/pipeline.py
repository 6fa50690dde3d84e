"""The eventwire pipeline, start to finish:

    ingest -> extract -> nlp -> actors -> events -> quotes -> (store)

Each stage is a module with one public function over records. The per-article
part (:func:`analyse`) holds no global state beyond cached read-only knowledge,
so it can run inside a Spark partition as well as in this process.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from itertools import islice

from . import actors, events, extract, nlp, quotes
from .errors import EventwireError
from .records import Article, ParsedArticle, ProcessingError, RawDocument, Sentence
from .settings import Settings


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


def process_documents(raws: Iterable[RawDocument | ProcessingError],
                      settings: Settings | None = None) -> Iterator[Article | ProcessingError]:
    """Process documents in batches; yield an Article or a ProcessingError for each, in order."""
    settings = settings or Settings()
    iterator = iter(raws)
    while batch := list(islice(iterator, settings.batch_size)):
        extracted: list[Article | ProcessingError] = [_extract(raw, settings) for raw in batch]
        articles = [a for a in extracted if isinstance(a, Article)]
        docs = iter(nlp.parse((a.text for a in articles), settings.model, settings.batch_size))
        for item in extracted:
            if isinstance(item, ProcessingError):
                yield item
                continue
            try:
                yield analyse(item, next(docs), settings)
            except Exception as exc:  # one bad document must not stop the batch
                yield ProcessingError(item.source_path or item.id, f"analysis failed: {exc!r}", "E010")


def analyse(article: Article, doc, settings: Settings) -> Article:
    """Run the per-article stages on a parsed article: actors, events, quotes."""
    article.sentences = [Sentence(s.start_char, s.end_char, s.text) for s in doc.sents]
    parsed = actors.resolve_actors(ParsedArticle(article, doc), settings)
    article.mentions = parsed.mentions
    article.events = events.code_events(parsed, settings)
    article.quotes = quotes.find_quotes(parsed, settings)
    return article


def _extract(raw: RawDocument | ProcessingError, settings: Settings) -> Article | ProcessingError:
    if isinstance(raw, ProcessingError):
        return raw
    try:
        return extract.extract(raw, settings)
    except EventwireError as exc:
        return ProcessingError(raw.origin, exc.message, exc.code)
