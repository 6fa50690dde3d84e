"""The demo: build a database from the bundled example corpus and report what it holds."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import eventwire

from .errors import EventwireError
from .settings import Settings
from .store import Store
from .store.loader import LoadSummary, load

DEFAULT_DB = "eventwire-demo.db"


class DemoCorpusMissing(EventwireError):
    """The examples/corpus folder is not where the package expects it."""

    code = "E006"


def corpus_path() -> Path:
    """examples/corpus of the repository eventwire runs from (a clone, installed with -e)."""
    path = Path(eventwire.__file__).resolve().parent.parent / "examples" / "corpus"
    if not path.is_dir() or not any(path.iterdir()):
        raise DemoCorpusMissing(
            f"demo corpus not found at {path}. The demo runs from a clone of the repository "
            "(scripts/setup.sh installs it in place); process your own files with "
            "'eventwire ingest PATH'.")
    return path


def reset(db: str) -> None:
    """Delete a SQLite demo database file (and its WAL files) so the demo rebuilds it."""
    url = Settings.normalise_db(db)
    if url.startswith("sqlite:///"):
        path = Path(url.removeprefix("sqlite:///"))
        for stale in (path, Path(f"{path}-wal"), Path(f"{path}-shm")):
            stale.unlink(missing_ok=True)


def build(db: str = DEFAULT_DB, settings: Settings | None = None, fresh: bool = False,
          on_result: Callable | None = None) -> tuple[Store, LoadSummary]:
    """Process the demo corpus into ``db``; articles already there are kept (idempotent).

    ``fresh`` deletes a SQLite demo database first, so it is rebuilt from scratch.
    """
    settings = settings or Settings()
    corpus = corpus_path()
    if fresh:
        reset(db)
    store = Store(db)
    return store, load([str(corpus)], store, settings, on_result)
