"""Shared fixtures: settings, the shared data folder, and the seeds processed once."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from eventwire.settings import Settings

REPO = Path(__file__).resolve().parent.parent


def shared_path() -> Path:
    """../shared (or EVENTWIRE_SHARED); a clear failure when it is missing."""
    path = Path(os.environ.get("EVENTWIRE_SHARED", REPO.parent / "shared"))
    if not path.is_dir():
        pytest.fail(f"shared data folder not found at {path}: set EVENTWIRE_SHARED to the folder "
                    "that holds seeds/, bench/ and corpus/", pytrace=False)
    return path


@pytest.fixture(scope="session")
def shared() -> Path:
    return shared_path()


@pytest.fixture(scope="session")
def settings(tmp_path_factory) -> Settings:
    import datetime as dt
    s = Settings()
    s.today = dt.date(2026, 11, 21)
    s.database_url = f"sqlite:///{tmp_path_factory.mktemp('db') / 'test.db'}"
    return s


@pytest.fixture(scope="session")
def seed_articles(shared, settings):
    """The five seed articles, processed once for the whole session, keyed by file name."""
    from eventwire import ingest, pipeline
    paths = sorted(str(p) for p in (shared / "seeds").glob("*.txt") if p.name != "README.md")
    results = list(pipeline.process_documents(ingest.read_paths(paths, settings), settings))
    return {Path(p).name: r for p, r in zip(paths, results)}


# --- events on sentences written for the tests (parsed once per session) -------------------

EVENTS_PUBLISHED = "2021-04-10"  # a Saturday


@pytest.fixture(scope="session")
def parse(settings):
    """Parse a sentence once, resolve its actors: the ParsedArticle the events stage reads."""
    from eventwire import actors, nlp
    from eventwire.records import Article, ParsedArticle
    cache = {}

    def _parse(text: str, published: str | None = EVENTS_PUBLISHED, run_settings: Settings | None = None):
        key = (text, published)
        if key not in cache:
            cache[key] = next(nlp.parse([text], settings.model))
        article = Article(id="art", text=text, published=published)
        return actors.resolve_actors(ParsedArticle(article, cache[key]), run_settings or settings)
    return _parse


@pytest.fixture(scope="session")
def events(parse, settings):
    from eventwire.events import code_events

    def _events(text: str, published: str | None = EVENTS_PUBLISHED):
        return code_events(parse(text, published), settings)
    return _events


@pytest.fixture(scope="session")
def main_event(parse, settings):
    from eventwire.events import primary_event

    def _main(text: str, published: str | None = EVENTS_PUBLISHED):
        return primary_event(parse(text, published), settings)
    return _main
