"""Evaluation of eventwire on public gold data: one module per task, one ``run`` each.

Each task module exposes ``run(data: Path, settings: Settings) -> EvalReport``;
``TASKS`` maps the CLI name to its module.
"""

from __future__ import annotations

import importlib
from pathlib import Path

from ..settings import Settings
from .report import EvalReport

TASKS: dict[str, str] = {
    "extraction": "eventwire.evaluation.extraction",
    "dates": "eventwire.evaluation.dates",
    "events": "eventwire.evaluation.events",
    "events-case": "eventwire.evaluation.events_case",
    "events-pentaclass": "eventwire.evaluation.events_pentaclass",
    "events-audit": "eventwire.evaluation.events_audit",
    "actors": "eventwire.evaluation.actors",
    "quotes": "eventwire.evaluation.quotes",
    "stories": "eventwire.evaluation.stories",
}


def run(task: str, data: Path, settings: Settings | None = None) -> EvalReport:
    """Run evaluation ``task`` on the gold data at ``data``."""
    if task not in TASKS:
        raise ValueError(f"unknown task {task!r}; choose one of {', '.join(TASKS)}")
    if not Path(data).exists():
        raise FileNotFoundError(f"gold data for {task!r} not found at {data}")
    module = importlib.import_module(TASKS[task])
    return module.run(Path(data), settings or Settings())
