"""One event, many reports: canonical events over records and in a real SQLite store."""

from __future__ import annotations

import pytest

from eventwire.store import Store
from eventwire.stories import link_article, merge, queries, rebuild

from stories_records import article

SANCTION = "Ruritania imposed sanctions on Freedonia's central bank on Monday."
SANCTION_2 = "On Monday Ruritania announced sanctions against Freedonia's central bank."
MEETING = "The Ruritanian president met the Freedonian prime minister in Geneva."


def two_reports():
    a = article("Ruritania sanctions Freedonia's central bank", SANCTION + " " + MEETING,
                "2024-05-06", "Capital Times", [
                    (SANCTION, "SANCTION", "RUR", "FRE", "2024-05-06", -4.0, {}),
                    (MEETING, "CONSULT", "RUR", "FRE", "2024-05-05", 1.0, {})], filler=True)
    b = article("New sanctions hit Freedonia", SANCTION_2, "2024-05-07", "Border Herald", [
        (SANCTION_2, "SANCTION", "RUR", "FRE", "2024-05-06", -4.0, {})])
    return a, b


def reprint_of(original, outlet: str, published: str):
    copy = article(original.title, original.text + " Source link. Comments are closed.",
                   published, outlet, [])
    # same sentences, so the same events are read from the copy
    for e in original.events:
        copy.events.append(type(e)(**{**e.__dict__, "id": e.id + "-copy"}))
    return copy


def test_two_outlets_reporting_one_event_make_one_canonical_event():
    a, b = two_reports()
    canonicals = merge.merge_events([a, b])
    sanctions = [c for c in canonicals.values() if c.type == "SANCTION"]
    assert len(sanctions) == 1
    c = sanctions[0]
    assert (c.article_count, c.outlet_count) == (2, 2)
    assert (c.first_reported, c.last_reported) == ("2024-05-06", "2024-05-07")
    assert {m.sentence for m in c.mentions} == {SANCTION, SANCTION_2}
    assert c.score == -4.0


def test_different_type_actors_or_distant_dates_stay_apart():
    a, _ = two_reports()
    later = article("Ruritania widens sanctions", SANCTION, "2024-06-20", "Capital Times",
                    [(SANCTION, "SANCTION", "RUR", "FRE", "2024-06-20", -4.0, {})])
    reversed_ = article("Freedonia retaliates", SANCTION, "2024-05-06", "Border Herald",
                        [(SANCTION, "SANCTION", "FRE", "RUR", "2024-05-06", -4.0, {})])
    canonicals = merge.merge_events([a, later, reversed_])
    assert len(canonicals) == 4  # CONSULT, SANCTION in May, SANCTION in June, FRE -> RUR


def test_reprint_does_not_increase_counts():
    a, b = two_reports()
    copy = reprint_of(a, "Aggregator", "2024-05-08")
    canonicals = merge.merge_events([a, b, copy], reprints={copy.id: a.id})
    sanction = next(c for c in canonicals.values() if c.type == "SANCTION")
    assert len(sanction.mentions) == 3
    assert (sanction.article_count, sanction.outlet_count) == (2, 2)


def test_historical_mention_attaches_to_the_original_event():
    a, _ = two_reports()
    background = "Ruritania sanctioned Freedonia's central bank in May."
    later = article("Freedonia's economy slows", background, "2024-09-02", "Border Herald",
                    [(background, "SANCTION", "RUR", "FRE", None, -4.0, {"historical": True})])
    canonicals = merge.merge_events([a, later])
    sanction = next(c for c in canonicals.values() if c.type == "SANCTION")
    assert sanction.date == "2024-05-06"
    assert [m.historical for m in sanction.mentions] == [False, True]
    assert len([c for c in canonicals.values() if c.type == "SANCTION"]) == 1


def test_historical_mention_without_an_original_is_not_dated_by_the_report():
    background = "Ruritania sanctioned Freedonia's central bank in 2019."
    later = article("Looking back", background, "2024-09-02", "Border Herald",
                    [(background, "SANCTION", "RUR", "FRE", "2019-03-01", -4.0, {"historical": True})])
    (canonical,) = merge.merge_events([later]).values()
    assert canonical.date == "2019-03-01"


def test_denied_and_planned_events_get_no_canonical_event():
    denied = "Ruritania denied imposing sanctions."
    a = article("Denial", denied, "2024-05-06", "Capital Times", [
        (denied, "SANCTION", "RUR", "FRE", "2024-05-06", -4.0, {"negated": True}),
        (denied, "SANCTION", "RUR", "FRE", "2024-05-06", -4.0, {"future": True})])
    assert merge.merge_events([a]) == {}


@pytest.fixture()
def store(tmp_path):
    with Store(str(tmp_path / "stories.db")) as s:
        yield s


def save_and_link(store, *articles):
    links = []
    for a in articles:
        assert store.save(a)
        links.append(link_article(store, a))
    return links


def test_store_links_canonical_events_reprints_and_stories(store):
    a, b = two_reports()
    copy = reprint_of(a, "Aggregator", "2024-05-08")
    link_a, link_b, link_copy = save_and_link(store, a, b, copy)
    assert link_copy.reprint_of == a.id and link_a.reprint_of is None
    assert link_copy.story_id == link_a.story_id
    sanction_id = next(c for e, c in link_a.canonical.items() if e == a.events[0].id)
    assert link_b.canonical[b.events[0].id] == sanction_id
    row = queries.canonical_event(store, sanction_id)
    assert (row["article_count"], row["outlet_count"]) == (2, 2)
    assert len(row["mentions"]) == 3
    assert store.get_article(copy.id).reprint is True
    again = link_article(store, copy)  # linking twice changes nothing
    assert again.story_id == link_copy.story_id and again.reprint_of == a.id
    assert queries.canonical_event(store, sanction_id)["article_count"] == 2


def test_rebuild_gives_the_same_links(store):
    a, b = two_reports()
    copy = reprint_of(a, "Aggregator", "2024-05-08")
    links = save_and_link(store, a, b, copy)
    before = queries.stories(store)
    summary = rebuild(store)
    assert summary["articles"] == 3 and summary["reprints"] == 1
    assert queries.stories(store) == before
    assert queries.canonical_event(store, links[0].canonical[a.events[0].id])["article_count"] == 2


def test_state_is_rebuilt_from_stored_signatures(tmp_path):
    path = str(tmp_path / "reopen.db")
    a, b = two_reports()
    with Store(path) as first:
        save_and_link(first, a, b)
    copy = reprint_of(a, "Aggregator", "2024-05-08")
    with Store(path) as second:  # a new engine: index and frequencies come from the tables
        (link,) = save_and_link(second, copy)
    assert link.reprint_of == a.id


def test_partial_dates_merge_within_their_month():
    text = "Greek coast guard detained a tanker last month."
    a = article("Tanker held", text, "2024-09-16", "Capital Times",
                [(text, "COERCE", "GRC", "", "2024-08", -5.0, {})])
    b = article("Tanker still held", text + " It is still there.", "2024-09-17", "Border Herald",
                [(text, "COERCE", "GRC", "", "2024-08-20", -5.0, {})])
    c = article("Another detention", text + " Again.", "2024-11-02", "Border Herald",
                [(text, "COERCE", "GRC", "", "2024-10", -5.0, {})])
    canonicals = merge.merge_events([a, b, c])
    assert sorted(x.article_count for x in canonicals.values()) == [1, 2]
    assert merge.date_span("2024-02") == (merge.dt.date(2024, 2, 1), merge.dt.date(2024, 2, 29))
    assert merge.date_span("not a date") is None
