"""Small hand-written articles for the web tests, and a store built from them by the real pipeline."""

from __future__ import annotations

from eventwire import pipeline, stories
from eventwire.records import Article, ProcessingError, RawDocument
from eventwire.settings import Settings

SCRIPT_TEXT = "<script>window.__pwned = 1</script>"

ARTICLES = [
    dict(outlet="Harbor Post", title="Turkey and Russia sign grain deal", published="2025-03-03",
         url="https://harbor.example/grain-deal",
         text="ANKARA, March 3 (Harbor Post) - Turkey and Russia signed an agreement on Black Sea "
              "grain shipments on Monday.\n\n"
              "Turkish Foreign Minister Hakan Fidan met Russian Foreign Minister Sergei Lavrov in "
              "Ankara for three hours of talks.\n\n"
              "\"The agreement will keep food moving to the countries that need it most,\" Fidan told "
              "reporters after the meeting.\n\n"
              "NATO accused Russia of attacking Ukrainian ports last week.\n"),
    dict(outlet="Capital Ledger", title="Moscow and Ankara agree on grain exports", published="2025-03-04",
         url="https://ledger.example/moscow-ankara",
         text="Russia and Turkey signed a deal on grain exports on Monday, officials in Moscow said.\n\n"
              "Lavrov said the deal showed that dialogue between the two countries works.\n\n"
              "Ukraine accused Russia of blocking its ports on Tuesday.\n"),
    dict(outlet="Evening Courier", title="Washington widens sanctions", published="2025-04-10",
         url="https://courier.example/sanctions",
         text="WASHINGTON - The United States imposed new sanctions on Russia on Thursday.\n\n"
              f"A spam page copied into the report carried the markup {SCRIPT_TEXT} and nothing else.\n\n"
              "Turkey criticized Russia over the strikes on Odesa on Thursday.\n"),
    dict(outlet="Harbor Post", title="Ankara condemns strike", published="2025-05-02",
         url="https://harbor.example/strike",
         text="Turkey condemned Russia on Friday after a missile struck a grain terminal in Odesa.\n\n"
              "\"This attack endangers the grain agreement,\" Turkish President Recep Tayyip Erdogan said.\n"),
]


_processed: list[Article] = []


def processed_articles(settings: Settings) -> list[Article]:
    """The articles above through the whole eventwire pipeline (once per test session)."""
    if not _processed:
        raws = [RawDocument(origin=f"web-test-{i}", **fields) for i, fields in enumerate(ARTICLES)]
        results = list(pipeline.process_documents(raws, settings))
        errors = [r for r in results if isinstance(r, ProcessingError)]
        assert not errors, errors
        _processed.extend(results)
    return list(_processed)


def fill_store(store, articles: list[Article]) -> None:
    """Save and link (reprints, stories, canonical events) as ``eventwire ingest`` does."""
    for article in articles:
        store.save(article)
        stories.link_article(store, article)


def shown(event) -> bool:
    """Whether the default views show the event: no confidence, or at least the model's threshold."""
    from eventwire.events.confidence import threshold
    return event.confidence is None or event.confidence >= threshold()
