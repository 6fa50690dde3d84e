"""Reliability benchmark: rounds of the chaos test (tests/chaos.py) on SQLite and PostgreSQL.

Each round: `eventwire serve` on a fresh database, two `eventwire ingest` processes over
overlapping inputs, a stream of POSTs (one repeating an ingested article) and CLI queries; the
first ingest is killed with SIGKILL once articles are stored, then run again. Counted: writes
acknowledged and lost, input articles lost, duplicate rows, unlinked articles, integrity check,
failed queries, and whether the server still answered.

    .venv/bin/python bench/chaos.py --rounds 20                       # SQLite
    .venv/bin/python bench/chaos.py --rounds 20 --pg postgresql+psycopg://user@127.0.0.1:5432/db
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import uuid
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO / "tests"))

from chaos import run_round  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rounds", type=int, default=20)
    parser.add_argument("--pg", help="a PostgreSQL URL: each round in a schema of its own")
    parser.add_argument("--articles", type=int, default=60, help="articles of the killed ingest")
    args = parser.parse_args()

    from sqlalchemy import create_engine, text
    totals = {"acknowledged": 0, "lost": 0, "duplicates": 0, "unlinked": 0, "bad": 0,
              "post failures": 0, "read failures": 0}
    for number in range(1, args.rounds + 1):
        work = Path(tempfile.mkdtemp(prefix="eventwire-chaos-"))
        schema = None
        if args.pg:
            schema = f"chaos_{uuid.uuid4().hex[:8]}"
            with create_engine(args.pg).begin() as conn:
                conn.execute(text(f'CREATE SCHEMA "{schema}"'))
            db = f"{args.pg}{'&' if '?' in args.pg else '?'}options=-csearch_path%3D{schema}"
        else:
            db = str(work / "chaos.db")
        n = args.articles
        try:
            result = run_round(db, work / "work", killed=range(0, n),
                               other=range(n * 3 // 4, n * 3 // 4 + n // 2),
                               posts=range(10_000 + 20 * number, 10_000 + 20 * number + 10))
        finally:
            if schema:
                with create_engine(args.pg).begin() as conn:
                    conn.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
        totals["acknowledged"] += len(result.acknowledged)
        totals["lost"] += result.lost
        totals["duplicates"] += result.duplicate_rows + (len(result.stored_texts)
                                                         - len(set(result.stored_texts)))
        totals["unlinked"] += result.unlinked
        totals["bad"] += not result.ok
        totals["post failures"] += len(result.post_failures)
        totals["read failures"] += len(result.read_failures)
        print(f"round {number:>2}: killed at {result.killed_at:>3} articles (status "
              f"{result.killed_status}), ingests {result.ingest_status}, acknowledged "
              f"{len(result.acknowledged)}, stored {len(result.stored_texts)} of "
              f"{len(result.expected_texts)}, lost {result.lost}, integrity {result.integrity}, "
              f"server articles {result.server_counts.get('articles')}, {result.seconds:.0f} s"
              + ("" if result.ok else "  NOT OK"), flush=True)
    backend = "PostgreSQL" if args.pg else "SQLite"
    print(f"\n{backend}, {args.rounds} rounds: " + ", ".join(f"{k} {v}" for k, v in totals.items()))


if __name__ == "__main__":
    main()
