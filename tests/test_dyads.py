"""Relations over time: dyad series per period, score aggregation, direction, CLI outputs."""

from __future__ import annotations

import csv
import dataclasses

import pytest
from click.testing import CliRunner

from eventwire.cli import main
from eventwire.store import Store
from eventwire.stories import dyads, link_article

from stories_records import article

MEET = "Ruritania's foreign minister met her Freedonian counterpart in Vienna."
MEET_2 = "The Ruritanian and Freedonian foreign ministers held talks in Vienna."
AID = "Ruritania sent flood relief supplies to Freedonia."
THREAT = "Freedonia threatened to close its airspace to Ruritanian airlines."
BORDER = "Ruritanian troops fired on a Freedonian border post."


def corpus():
    """Four happenings over three months, one of them reported by two outlets."""
    return [
        article("Ministers meet in Vienna", MEET, "2024-01-10", "Capital Times",
                [(MEET, "CONSULT", "RUR", "FRE", "2024-01-10", 1.0, {})]),
        article("Vienna talks", MEET_2, "2024-01-11", "Border Herald",
                [(MEET_2, "CONSULT", "RUR", "FRE", "2024-01-10", 1.0, {})]),
        article("Flood relief", AID, "2024-01-20", "Capital Times",
                [(AID, "AID", "RUR", "FRE", "2024-01-20", 7.0, {})]),
        article("Airspace threat", THREAT, "2024-03-02", "Border Herald",
                [(THREAT, "THREATEN", "FRE", "RUR", "2024-03-02", -4.0, {}),
                 (THREAT, "THREATEN", "FRE", "RUR", "2024-03-02", -4.0, {"negated": True})]),
        article("Border shooting", BORDER, "2024-03-05", "Capital Times",
                [(BORDER, "ASSAULT", "RUR", "FRE", "2024-03-05", -10.0, {})]),
    ]


@pytest.fixture()
def store(tmp_path):
    with Store(str(tmp_path / "dyads.db")) as s:
        for a in corpus():
            s.save(a)
            link_article(s, a)
        yield s


def test_monthly_series_counts_each_happening_once(store):
    rows = dyads.dyad_series(store, "RUR", "FRE", by="month")
    assert [r["period"] for r in rows] == ["2024-01", "2024-02", "2024-03"]
    january, february, march = rows
    assert january["total"] == 2  # the Vienna meeting reported twice counts once
    assert january["counts"]["CONSULT"] == 1 and january["counts"]["AID"] == 1
    assert january["score_mean"] == 4.0 and january["score_sum"] == 8.0
    assert february["total"] == 0 and february["score_mean"] is None
    assert march["counts"]["THREATEN"] == 1  # the negated threat is not counted
    assert march["counts"]["ASSAULT"] == 1
    assert march["score_mean"] == -7.0
    assert january["top_events"][0] != january["top_events"][1]


def test_most_reported_event_comes_first(store):
    (january, *_) = dyads.dyad_series(store, "RUR", "FRE", by="month")
    events = {e.id: e for e in dyads.dyad_events(store, "RUR", "FRE")}
    assert events[january["top_events"][0]].type == "CONSULT"
    assert events[january["top_events"][0]].article_count == 2


def test_directed_series_keeps_one_direction(store):
    forward = dyads.dyad_series(store, "RUR", "FRE", by="month", directed=True)
    backward = dyads.dyad_series(store, "FRE", "RUR", by="month", directed=True)
    assert sum(r["total"] for r in forward) == 3
    assert sum(r["total"] for r in backward) == 1
    assert backward[0]["counts"]["THREATEN"] == 1


def test_weekly_and_daily_periods(store):
    weeks = dyads.dyad_series(store, "FRE", "RUR", by="week")
    assert weeks[0]["period"] == "2024-01-08"  # the Monday of the week of 10 January
    days = dyads.dyad_series(store, "FRE", "RUR", by="day")
    assert days[0]["period"] == "2024-01-10" and days[-1]["period"] == "2024-03-05"
    assert len(days) == 56


def test_series_on_records_without_a_store():
    events = [dyads.DyadEvent("x", "AID", "2024-05-31", 7.0, 1, "s", "a->b"),
              dyads.DyadEvent("y", "AID", "2024-06-01", None, 3, "s", "a->b")]
    rows = dyads.series(events, by="month")
    assert [(r["period"], r["total"], r["scored"], r["score_mean"]) for r in rows] == [
        ("2024-05", 1, 1, 7.0), ("2024-06", 1, 0, None)]
    with pytest.raises(ValueError):
        dyads.series(events, by="year")


def test_cli_dyad_writes_csv_png_and_html(store, tmp_path):
    prefix = tmp_path / "out" / "rur_fre"
    result = CliRunner().invoke(main, ["dyad", "RUR", "FRE", "--by", "month", "--db",
                                       store.url, "--out", str(prefix)])
    assert result.exit_code == 0, result.output
    with open(f"{prefix}.csv", encoding="utf-8") as f:
        table = list(csv.DictReader(f))
    assert [r["period"] for r in table] == ["2024-01", "2024-02", "2024-03"]
    assert table[0]["CONSULT"] == "1" and table[0]["score_mean"] == "4.0"
    png = (tmp_path / "out" / "rur_fre.png").read_bytes()
    assert png[:8] == b"\x89PNG\r\n\x1a\n" and len(png) > 5000
    html = (tmp_path / "out" / "rur_fre.html").read_text(encoding="utf-8")
    assert "<script src=" not in html  # plotly.js is inline: the page works offline
    assert "Plotly.newPlot" in html and len(html) > 1_000_000


def test_cli_stories_lists_and_shows(store):
    runner = CliRunner()
    listing = runner.invoke(main, ["stories", "--db", store.url, "--format", "json"])
    assert listing.exit_code == 0, listing.output
    import json
    rows = json.loads(listing.output)
    assert sum(r["article_count"] for r in rows) == 5
    shown = runner.invoke(main, ["stories", rows[-1]["id"], "--db", store.url])
    assert shown.exit_code == 0 and rows[-1]["id"] in shown.output
    missing = runner.invoke(main, ["stories", "nope", "--db", store.url])
    assert missing.exit_code != 0 and "no story" in missing.output


def test_partial_dates_count_only_where_they_fit():
    events = [dyads.DyadEvent("m", "AID", "2024-08", 7.0, 1, "s", "a->b"),
              dyads.DyadEvent("y", "AID", "2022", 7.0, 1, "s", "a->b"),
              dyads.DyadEvent("d", "AID", "2024-08-30", 5.0, 1, "s", "a->b")]
    assert [(r["period"], r["total"]) for r in dyads.series(events, by="month")] == [("2024-08", 2)]
    assert [r["period"] for r in dyads.series(events, by="day")] == ["2024-08-30"]


def test_happenings_that_fit_no_period_are_counted_not_lost():
    events = [dyads.DyadEvent("m", "AID", "2024-08", 7.0, 1, "s", "a->b"),
              dyads.DyadEvent("y", "AID", "2022", 7.0, 1, "s", "a->b"),
              dyads.DyadEvent("u", "AID", None, 7.0, 1, "s", "a->b"),
              dyads.DyadEvent("d", "AID", "2024-08-30", 5.0, 1, "s", "a->b")]
    assert (dyads.unplaced(events, "month"), dyads.unplaced(events, "day")) == (2, 3)
    assert sum(r["total"] for r in dyads.series(events, by="month")) == 2


def test_cli_dyad_says_how_many_happenings_are_left_out(store, tmp_path):
    undated = article("Ruritania rebukes Freedonia", "Ruritania accused Freedonia of spying.", None,
                      "Night Desk", [("Ruritania accused Freedonia of spying.", "ACCUSE", "RUR", "FRE",
                                      None, -2.0, {})])
    store.save(undated)
    link_article(store, undated)
    result = CliRunner().invoke(main, ["dyad", "RUR", "FRE", "--db", store.url, "--out",
                                       str(tmp_path / "d")])
    assert result.exit_code == 0, result.output
    assert "1 without a date precise enough for a month (not in the series)" in result.output


def test_the_database_series_is_the_series_of_the_happenings(store):
    """store_series (aggregated by the database) gives what series() gives over dyad_events."""
    extra = article("Joint statement", MEET, "2024-02-02", "Capital Times",
                    [(MEET, "AGREE", "RUR", "FRE", "2024-02", 3.0, {})])
    extra.events[0].reciprocal = True
    store.save(extra)
    link_article(store, extra)
    for a, b in (("RUR", "FRE"), ("FRE", "RUR")):
        for by in dyads.PERIODS:
            for directed in (False, True):
                rows, unplaced = dyads.store_series(store, a, b, by, directed)
                happenings = dyads.dyad_events(store, a, b, directed)
                assert rows == dyads.series(happenings, by), (a, b, by, directed)
                assert unplaced == dyads.unplaced(happenings, by)
    # the month-only date counts in a monthly series, not in a weekly one; the reciprocal act
    # counts from either side when directed
    assert dyads.store_series(store, "FRE", "RUR", "month", True)[0][0]["counts"]["AGREE"] == 1
    assert dyads.store_series(store, "RUR", "FRE", "week", False)[1] == 1


def test_a_joint_source_is_no_dyad_of_its_own(store):
    """Two actors acting together on a third are not a pair, even in a reciprocal act."""
    joint = article("Three-way talks", MEET_2, "2024-04-02", "Capital Times",
                    [(MEET_2, "CONSULT", "RUR", "FRE", "2024-04-02", 1.0, {})])
    joint.events[0].source.append(joint.events[0].target[0])  # Ruritania and Freedonia ...
    joint.events[0].target = [dataclasses.replace(joint.events[0].target[0], country="UTO",
                                                  actor_id="UTO", name="Utopia")]  # ... with Utopia
    joint.events[0].reciprocal = True
    store.save(joint)
    assert dyads.store_series(store, "RUR", "UTO", "month")[0]
    assert not [e for e in dyads.dyad_events(store, "RUR", "FRE") if e.date == "2024-04-02"]
