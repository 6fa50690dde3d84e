"""The command line: process, ingest, queries, export and demo, on small hand-written files."""

from __future__ import annotations

import csv
import io
import json
import re

import pytest
from click.testing import CliRunner

from eventwire.cli import main
from eventwire.records import Article
from eventwire.store import Store

from test_store import sample_articles

ARTICLES = {
    "ankara.txt": "Grain talks resume in Ankara\n\n"
                  "ANKARA, March 3 (Wire) - Turkey and Russia agreed on Monday to extend the "
                  "grain corridor through the Black Sea for another four months.\n\n"
                  "The Turkish foreign minister said the deal would help importers in Africa. "
                  '"This corridor feeds millions," he told reporters in the capital.\n',
    "brussels.txt": "EU weighs new measures\n\n"
                    "BRUSSELS - The European Union imposed new sanctions on Russian shipping "
                    "companies on Tuesday, diplomats said.\n\n"
                    "Russia's foreign ministry condemned the decision and promised a response. "
                    "Officials in Moscow accused Brussels of hypocrisy.\n",
}


@pytest.fixture
def runner() -> CliRunner:
    return CliRunner()


@pytest.fixture
def inputs(tmp_path):
    folder = tmp_path / "in"
    folder.mkdir()
    for name, text in ARTICLES.items():
        (folder / name).write_text(text, encoding="utf-8")
    (folder / "broken.txt").write_bytes(b"\x00\x01\x02\xff\xfe binary \x00\x00" * 40)
    return folder


@pytest.fixture
def filled_db(tmp_path) -> str:
    db = str(tmp_path / "filled.db")
    with Store(db) as store:
        store.save_all(sample_articles())
    return db


def test_every_command_has_help(runner):
    assert runner.invoke(main, ["--help"]).exit_code == 0
    for name in main.commands:
        result = runner.invoke(main, [name, "--help"])
        assert result.exit_code == 0, name
        assert f"Usage: main {name}" in result.output or "Usage:" in result.output
        assert "-h, --help" in result.output


def test_process_json_jsonl_and_table(runner, inputs):
    path = str(inputs / "ankara.txt")
    result = runner.invoke(main, ["process", path, "--format", "json"])
    assert result.exit_code == 0, result.output
    records = json.loads(result.stdout)
    assert len(records) == 1 and set(records[0]) >= {"article", "actors", "events", "quotes"}
    assert "grain corridor" in records[0]["article"]["text"]
    article = Article.from_dict(records[0])

    result = runner.invoke(main, ["process", path, str(inputs / "brussels.txt"), "--format", "jsonl"])
    assert result.exit_code == 0
    lines = result.stdout.strip().splitlines()
    assert len(lines) == 2 and json.loads(lines[0])["article"]["id"] == article.id

    result = runner.invoke(main, ["process", path, "--format", "table"])
    assert result.exit_code == 0
    assert article.id in result.stdout and ("events" in result.stdout or "no events" in result.stdout)


@pytest.mark.parametrize("columns", [72, 100, 200])
def test_tables_take_the_terminal_width_and_keep_sentences_whole(runner, inputs, columns):
    """Tables fill the width they are given ($COLUMNS when not a terminal); on a narrow one the
    events are paragraphs, so each evidence sentence wraps as text, never cut or squeezed."""
    path = str(inputs / "ankara.txt")
    record = json.loads(runner.invoke(main, ["process", path, "--format", "json"]).stdout)[0]
    result = runner.invoke(main, ["process", path, "--format", "table"], env={"COLUMNS": str(columns)})
    assert result.exit_code == 0
    lines = result.stdout.splitlines()
    assert max(len(line) for line in lines) <= columns
    assert max(len(line.rstrip()) for line in lines) > columns * 0.8
    assert record["events"]
    if columns >= 120:
        assert re.search(r"date\s+type\s+source\s+target\s+modality\s+evidence", result.stdout)
    else:
        flat = " ".join(result.stdout.split())
        assert all(" ".join(e["evidence"]["sentence"].split()) in flat for e in record["events"])


def test_ingest_stores_good_files_and_names_the_bad_one(runner, inputs, tmp_path):
    db = str(tmp_path / "ingest.db")
    result = runner.invoke(main, ["ingest", str(inputs), "--db", db])
    assert result.exit_code == 1
    errors = [line for line in result.stderr.splitlines() if line.startswith("error:")]
    assert len(errors) == 1 and "broken.txt" in errors[0]
    assert "new 2" in result.stderr and "failed 1" in result.stderr
    with Store(db) as store:
        assert store.counts()["articles"] == 2
        assert {a["source_path"].rsplit("/", 1)[-1] for a in store.articles()} == set(ARTICLES)

    again = runner.invoke(main, ["ingest", *(str(inputs / n) for n in ARTICLES), "--db", db])
    assert again.exit_code == 0, again.stderr
    assert "new 0, already stored 2, failed 0" in again.stderr


def test_ingest_reads_the_database_from_the_environment(runner, inputs, tmp_path):
    db = tmp_path / "env.db"
    result = runner.invoke(main, ["ingest", str(inputs / "ankara.txt")],
                           env={"EVENTWIRE_DB": f"sqlite:///{db}"})
    assert result.exit_code == 0, result.stderr
    assert Store(str(db)).counts()["articles"] == 1


def test_event_query_filters(runner, filled_db):
    def types(*args: str) -> list[str]:
        result = runner.invoke(main, ["events", "--db", filled_db, "--format", "json", *args])
        assert result.exit_code == 0, result.output
        return sorted(e["type"] for e in json.loads(result.stdout))

    assert types() == ["AID", "ASSAULT", "REQUEST", "SANCTION"]
    assert types("--actor", "TUR") == ["AID", "REQUEST"]
    assert types("--source", "RUS", "--target", "UKR") == ["ASSAULT", "SANCTION"]
    assert types("--type", "sanction") == ["SANCTION"]
    assert types("--factual") == ["REQUEST", "SANCTION"]
    assert types("--outlet", "Daily Two") == ["AID"]
    assert types("--since", "2022-01-01", "--until", "2022-03-01") == ["REQUEST", "SANCTION"]
    assert types("--text", "denied") == ["ASSAULT"]
    assert len(types("--limit", "1")) == 1

    table = runner.invoke(main, ["events", "--db", filled_db, "--actor", "RUS"])
    assert table.exit_code == 0
    assert all(t in table.stdout for t in ("SANCTION", "REQUEST", "ASSAULT"))
    assert " AID " not in table.stdout and "3 of 3 shown" in table.stderr


def test_quote_and_actor_queries(runner, filled_db):
    result = runner.invoke(main, ["quotes", "--db", filled_db, "--speaker", "demir",
                                  "--format", "jsonl"])
    assert result.exit_code == 0
    rows = [json.loads(line) for line in result.stdout.splitlines()]
    assert [r["text"] for r in rows] == ["we will mediate"]
    assert rows[0]["speaker"]["actor_id"] == "PER:ayse-demir" and rows[0]["outlet"] == "Daily Two"

    result = runner.invoke(main, ["actors", "--db", filled_db, "--kind", "person", "--format", "json"])
    assert [a["id"] for a in json.loads(result.stdout)] == ["PER:ayse-demir"]
    table = runner.invoke(main, ["actors", "--db", filled_db, "--country", "RUS"])
    assert "Russia" in table.stdout and "Ukraine" not in table.stdout


def test_export_csv_jsonl_parquet(runner, filled_db, tmp_path):
    result = runner.invoke(main, ["export", "--db", filled_db, "--format", "csv"])
    assert result.exit_code == 0
    rows = list(csv.DictReader(io.StringIO(result.stdout)))
    assert sorted(r["type"] for r in rows) == ["AID", "ASSAULT", "REQUEST", "SANCTION"]
    assert "exported 4 events rows" in result.stderr

    out = tmp_path / "articles.jsonl"
    result = runner.invoke(main, ["export", "--db", filled_db, "--format", "jsonl", "--out", str(out)])
    assert result.exit_code == 0
    originals = {a.id: a.to_dict() for a in sample_articles()}
    exported = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
    assert {r["article"]["id"]: r for r in exported} == originals

    result = runner.invoke(main, ["export", "--db", filled_db, "--format", "parquet", "--table",
                                  "quotes"])
    assert result.exit_code == 2 and "--out" in result.output
    out = tmp_path / "quotes.parquet"
    result = runner.invoke(main, ["export", "--db", filled_db, "--format", "parquet", "--table",
                                  "quotes", "--out", str(out)])
    assert result.exit_code == 0
    import pyarrow.parquet as pq
    assert pq.read_table(out).num_rows == 2


def test_a_database_that_cannot_be_opened_is_one_clear_line(runner, tmp_path):
    result = runner.invoke(main, ["events", "--db", "postgresql+psycopg://x:secret@127.0.0.1:1/none"])
    assert result.exit_code == 3  # the run itself failed
    assert "E005" in result.output and "secret" not in result.output
    assert len(result.output.strip().splitlines()) == 1 and "Background on this error" not in result.output
    not_a_database = tmp_path / "notes.db"
    not_a_database.write_text("shopping list\n", encoding="utf-8")
    result = runner.invoke(main, ["quotes", "--db", str(not_a_database)])
    assert result.exit_code == 3 and len(result.output.strip().splitlines()) == 1
    assert str(not_a_database) in result.output and "not a database" in result.output


@pytest.mark.parametrize("command, options, query", [
    ("events", ["--type", "FOO"], "type=FOO"),
    ("events", ["--since", "2025-05-01", "--until", "2025-01-01"], "since=2025-05-01&until=2025-01-01"),
    ("events", ["--since", "2025-13-01"], "since=2025-13-01"),
    ("events", ["--until", "yesterday"], "until=yesterday"),
    ("quotes", ["--since", "2025-05-01", "--until", "2025-01-01"], "since=2025-05-01&until=2025-01-01"),
    ("stories", ["--since", "01/05/2025"], "since=01/05/2025"),
])
def test_bad_filters_get_the_api_message_and_exit_2(runner, filled_db, settings, command, options,
                                                     query):
    from fastapi.testclient import TestClient

    from eventwire.web import create_app
    with Store(filled_db) as store:
        answer = TestClient(create_app(settings, token="", store=store),
                            base_url="http://127.0.0.1").get(f"/api/{command}?{query}")
    assert answer.status_code == 422
    result = runner.invoke(main, [command, "--db", filled_db, *options])
    assert result.exit_code == 2
    assert result.output.strip() == f"Error: {answer.json()['message']}"


def test_compare_names_the_outlets_that_are_missing(runner, filled_db):
    result = runner.invoke(main, ["compare", "--db", filled_db, "--actor", "TUR", "--outlets",
                                  "Nowhere Gazette,Absent Times"])
    assert result.exit_code == 1
    assert "no articles from Nowhere Gazette, Absent Times" in result.output
    assert "actor" not in result.output


def test_demo_builds_a_database_and_reports_it(runner, tmp_path):
    db = tmp_path / "demo.db"
    result = runner.invoke(main, ["demo", "--db", str(db)])
    assert result.exit_code == 0, result.output
    with Store(str(db)) as store:
        counts = store.counts()
    assert counts["articles"] > 10 and counts["outlets"] > 3
    assert f"new {counts['articles']}," in result.stderr
    assert f"{counts['articles']} articles from {counts['outlets']} outlets" in result.stdout
    assert "articles per outlet" in result.stdout


def test_docs_name_only_commands_and_options_that_exist(runner):
    """Each "## `eventwire NAME ...`" heading of docs/cli.md is a command with those options."""
    import re
    from pathlib import Path

    docs = (Path(__file__).resolve().parent.parent / "docs" / "cli.md").read_text(encoding="utf-8")
    headings = re.findall(r"^## `eventwire (\w+(?: [a-z]+)?)([^`]*)`", docs, flags=re.M)
    assert {name for name, _ in headings} >= {"process", "ingest", "events", "quotes", "actors",
                                               "export", "demo", "spark run", "load"}
    for name, usage in headings:
        assert name.split()[0] in main.commands, name
        help_text = runner.invoke(main, [*name.split(), "--help"]).output
        for option in re.findall(r"--[a-z][a-z-]*", usage):
            assert option in help_text, f"{name} {option}"


def test_a_story_date_range_reads_as_dates_or_undated():
    from eventwire.cli import _date_range
    assert _date_range(None, None) == "undated"
    assert _date_range("2025-03-03", "2025-03-03") == "2025-03-03"
    assert _date_range("2025-03-03", "2025-03-05") == "2025-03-03 .. 2025-03-05"


def test_export_in_the_formats_of_the_field(runner, filled_db, tmp_path):
    result = runner.invoke(main, ["export", "--db", filled_db, "--format", "gdelt-like"])
    assert result.exit_code == 0
    header = result.stdout.splitlines()[0].split("\t")
    assert header[:3] == ["GLOBALEVENTID", "SQLDATE", "MonthYear"] and "GoldsteinScale" in header
    out = tmp_path / "events.plover.jsonl"
    result = runner.invoke(main, ["export", "--db", filled_db, "--format", "plover", "--out", str(out)])
    assert result.exit_code == 0 and "PLOVER events" in result.output
    assert all("event" in json.loads(line) for line in out.read_text(encoding="utf-8").splitlines())
    refused = runner.invoke(main, ["export", "--db", filled_db, "--format", "plover", "--table", "quotes"])
    assert refused.exit_code == 2 and "holds events" in refused.output


def test_exit_status_says_what_happened(runner, inputs, tmp_path):
    good = str(inputs / "ankara.txt")
    assert runner.invoke(main, ["process", good]).exit_code == 0
    assert runner.invoke(main, ["process", good, str(inputs / "broken.txt")]).exit_code == 1
    assert runner.invoke(main, ["process", good, "--no-such-option"]).exit_code == 2
    crashed = runner.invoke(main, ["--model", "no_such_pipeline", "process", good])
    assert crashed.exit_code == 3
    assert "the run failed" in crashed.stderr and "E003" in crashed.stderr
    assert "Traceback" not in crashed.output


def test_error_lines_are_capped_per_file_with_one_summary(runner, tmp_path):
    noisy = tmp_path / "noisy.jsonl"
    noisy.write_text("[]\n" * 60, encoding="utf-8")  # read errors, folded while reading
    short = tmp_path / "short.jsonl"
    short.write_text('{"text": "Hi"}\n' * 30, encoding="utf-8")  # errors after extraction
    result = runner.invoke(main, ["process", str(noisy), str(short), "--format", "jsonl"])
    assert result.exit_code == 1
    lines = result.stderr.splitlines()
    noisy_lines = [line for line in lines if f"{noisy}" in line]
    short_lines = [line for line in lines if f"{short}" in line]
    assert len(noisy_lines) == 21 and "E001 40 more failed documents not shown" in noisy_lines[-1]
    assert len(short_lines) == 21 and "E011 10 more failed documents not shown" in short_lines[-1]
    assert all("E011 too little text" in line for line in short_lines[:20])


def test_ingest_counts_every_failure_of_a_capped_file(runner, tmp_path):
    noisy = tmp_path / "noisy.jsonl"
    noisy.write_text("[]\n" * 60 + json.dumps({"text": ARTICLES["ankara.txt"]}) + "\n",
                     encoding="utf-8")
    result = runner.invoke(main, ["ingest", str(noisy), "--db", str(tmp_path / "n.db")])
    assert result.exit_code == 1
    assert "processed 61, new 1, already stored 0, failed 60" in result.stderr
