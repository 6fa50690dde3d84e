"""The spark-submit entry point of eventwire:

    spark-submit --master yarn eventwire/spark/submit.py INPUT [INPUT ...] OUTPUT

(the path of this file: ``python -c "import eventwire.spark.submit as m; print(m.__file__)"``).
The executors need eventwire and its spaCy pipeline installed (the same requirements.lock).
"""

from __future__ import annotations

import argparse


def main(argv: list[str] | None = None) -> None:
    from eventwire.settings import Settings
    from eventwire.spark import run, session

    parser = argparse.ArgumentParser(prog="eventwire-spark", description=__doc__.split("\n")[0])
    parser.add_argument("paths", nargs="+", metavar="INPUT ... OUTPUT",
                        help="input files, folders or globs, then the output folder")
    parser.add_argument("--model", default=None, help="spaCy pipeline (default: EVENTWIRE_MODEL)")
    args = parser.parse_args(argv)
    if len(args.paths) < 2:
        parser.error("give at least one INPUT and the OUTPUT folder")
    settings = Settings()
    if args.model:
        settings.model = args.model
    print(f"eventwire: {run(args.paths[:-1], args.paths[-1], settings, spark=session())}")


if __name__ == "__main__":
    main()
