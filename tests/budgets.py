"""Time budgets for tests of where a stage stops: counted in checks instead of CPU seconds, so
the point a stage stops at does not depend on the machine's speed or load."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from eventwire import limits
from eventwire.errors import OverTimeBudget

COUNTRIES = ["Norway", "Chile", "Kenya", "Ghana", "Peru", "Japan", "Egypt", "Poland", "Canada",
             "Brazil"]


class StepBudget(limits.Budget):
    """A budget used up after ``steps`` checks (the one on entering a stage included)."""

    def __init__(self, steps: float = float("inf")):
        super().__init__(float("inf"))
        self.steps = steps
        self.checks = 0

    def check(self) -> None:
        self.checks += 1
        if self.checks > self.steps:
            raise OverTimeBudget(self.message())


def busy_article(sentences: int) -> str:
    """A text written for these tests: ``sentences`` sentences, each with a meeting, a quote,
    two named parties and a date, in paragraphs of five."""
    lines = []
    for n in range(sentences):
        a, b = COUNTRIES[n % len(COUNTRIES)], COUNTRIES[(n + 3) % len(COUNTRIES)]
        lines.append(f'{a} and {b} agreed on Monday to hold talks on ferry routes, '
                     f'"round {n + 1} went well," the envoy of {a} said.')
    return "\n\n".join(" ".join(lines[i:i + 5]) for i in range(0, len(lines), 5))


def stops_within(stage: Callable[[], object]) -> tuple[int, int]:
    """Run ``stage`` on a budget it does not use up, then on a quarter of the checks it made;
    return (checks of the whole run, checks when stopped). The stopped run must raise
    OverTimeBudget at the first check past its budget."""
    whole = StepBudget()
    with whole.spend():
        stage()
    short = StepBudget(steps=whole.checks // 4)
    with pytest.raises(OverTimeBudget):
        with short.spend():
            stage()
    return whole.checks, short.checks
