"""Print eventwire's publication-date figures beside htmldate's (same run).

Usage: .venv/bin/python bench/eval_dates.py [--data ../shared/bench/dates] [--json out.json]
"""

from __future__ import annotations

import argparse
from pathlib import Path

from eventwire.evaluation import run
from eventwire.settings import Settings


def main() -> None:
    settings = Settings()
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=settings.shared_path / "bench" / "dates")
    parser.add_argument("--json", type=Path, help="also write the figures as JSON")
    args = parser.parse_args()
    report = run("dates", args.data, settings)
    print(report.render())
    for error in report.errors:
        print("miss:", error)
    if args.json:
        args.json.write_text(report.to_json(), encoding="utf-8")


if __name__ == "__main__":
    main()
