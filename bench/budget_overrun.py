"""How far past its time budget one document runs: long texts without sentence ends (words of
the hostile-input vocabulary, tests/hostile_inputs.py), each processed alone by
``pipeline.process_documents`` with the default settings. Prints, per text, the outcome and
the CPU seconds the budget counted; the budget minus that is the overrun.

    .venv/bin/python bench/budget_overrun.py                  # 12,000, 20,000, 30,000 words
    .venv/bin/python bench/budget_overrun.py --words 50000
"""

from __future__ import annotations

import argparse
import random
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "tests"))

from hostile_inputs import good_text, word_salad  # noqa: E402

from eventwire import limits, pipeline  # noqa: E402
from eventwire.records import ProcessingError, RawDocument  # noqa: E402
from eventwire.settings import Settings  # noqa: E402


class RecordedBudget(limits.Budget):
    """The pipeline's budget, remembered so the benchmark can read what the document used."""

    made: list["RecordedBudget"] = []

    def __init__(self, seconds: float):
        super().__init__(seconds)
        RecordedBudget.made.append(self)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--words", type=int, nargs="+", default=[12_000, 20_000, 30_000])
    parser.add_argument("--seed", type=int, default=3)
    args = parser.parse_args()
    settings = Settings()
    limits.Budget = RecordedBudget  # pipeline.process_documents builds its budgets through limits
    pipeline.process(good_text(0), settings=settings)  # model and knowledge loaded first
    print(f"time budget {settings.time_budget_seconds:g} CPU s per document")
    print("words     chars  outcome  budget counted (CPU s)")
    for words in args.words:
        text = word_salad(random.Random(args.seed), words)
        RecordedBudget.made.clear()
        result = next(pipeline.process_documents([RawDocument(origin="long.txt", text=text)],
                                                 settings))
        outcome = result.code if isinstance(result, ProcessingError) else "article"
        print(f"{words:>6} {len(text):>8}  {outcome:<7}  {RecordedBudget.made[0].used:.2f}",
              flush=True)


if __name__ == "__main__":
    main()
