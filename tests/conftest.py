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
