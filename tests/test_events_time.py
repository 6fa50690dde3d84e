"""Events time: tense and aspect, date basis, background, announced, hypothetical and generic
acts, each rule with a case where it must fire and a case where it must not. Sentences are
written for these tests; the articles are published on Saturday 2021-04-10."""

from __future__ import annotations

import pytest


def one(events, text: str, type_: str, published: str | None = "2021-04-10"):
    found = [e for e in events(text, published) if e.type == type_]
    assert found, f"no {type_} event in {text!r}: {[(e.type, e.trigger) for e in events(text, published)]}"
    return found[0]


# --- tense and aspect ---------------------------------------------------------------------

@pytest.mark.parametrize("text, tense, aspect", [
    ("Chile expelled two Peruvian diplomats on Friday.", "past", "simple"),
    ("Chile has expelled two Peruvian diplomats.", "present", "perfect"),
    ("Chile is expelling two Peruvian diplomats.", "present", "progressive"),
    ("Chile will expel two Peruvian diplomats.", "future", "simple"),
    ("Chile would expel two Peruvian diplomats if talks failed.", "conditional", "simple"),
])
def test_tense_and_aspect_of_the_clause(events, text, tense, aspect):
    event = one(events, text, "SANCTION")
    assert (event.tense, event.aspect) == (tense, aspect)


def test_an_infinitive_takes_the_tense_of_its_governing_verb(events):
    event = one(events, "Ghana agreed to send engineers to Togo.", "AGREE")
    assert event.tense == "past"


# --- dates and their basis ----------------------------------------------------------------

def test_date_written_in_the_clause(events):
    event = one(events, "Chile expelled two Peruvian diplomats on 3 March 2021.", "SANCTION")
    assert (event.date, event.date_basis) == ("2021-03-03", "sentence")


def test_relative_date_resolved_against_publication(events):
    event = one(events, "Chile expelled two Peruvian diplomats on Thursday.", "SANCTION")
    assert (event.date, event.date_basis) == ("2021-04-08", "relative")


def test_news_without_a_date_takes_the_publication_date(events):
    event = one(events, "Chile expelled two Peruvian diplomats.", "SANCTION")
    assert (event.date, event.date_basis) == ("2021-04-10", "publication")


def test_no_publication_date_leaves_relative_dates_empty_with_a_reason(events):
    event = one(events, "Chile expelled two Peruvian diplomats on Thursday.", "SANCTION", published=None)
    assert event.date is None and event.date_basis == "none"
    assert "publication date is unknown" in event.date_note


def test_the_reporting_clause_date_is_marked_as_such(events):
    event = one(events, "Lima said on Friday that Chilean police arrested three Peruvian fishermen.", "COERCE")
    assert (event.date, event.date_basis) == ("2021-04-09", "reporting")


# --- background ---------------------------------------------------------------------------

@pytest.mark.parametrize("text, type_", [
    ("Chile had expelled two Peruvian diplomats before the summit.", "SANCTION"),
    ("Chile expelled two Peruvian diplomats in 2013.", "SANCTION"),
    ("Chile expelled two Peruvian diplomats last year.", "SANCTION"),
    ("Peru has boycotted the regional games since 2016.", "PROTEST"),
    ("Lima still condemns Chile's 2015 expulsion of its diplomats.", "SANCTION"),
])
def test_recaps_of_earlier_acts_are_background(events, text, type_):
    event = one(events, text, type_)
    assert event.modality.historical and not event.modality.factual


def test_a_past_relative_clause_recaps(events):
    found = [e for e in events("The diplomats, whom Chile expelled, returned home.") if "expelled" in e.trigger]
    assert found and all(e.modality.historical for e in found)


def test_a_year_alone_is_background_even_without_publication_date(events):
    event = one(events, "Lima still condemns Chile's 2015 expulsion of its diplomats.", "SANCTION", published=None)
    assert event.modality.historical


@pytest.mark.parametrize("text", [
    "Chile expelled two Peruvian diplomats on Friday.",
    "Chile expelled two Peruvian diplomats in April 2021.",
    "Chile has expelled two Peruvian diplomats.",
])
def test_current_news_is_not_background(events, text):
    event = one(events, text, "SANCTION")
    assert not event.modality.historical and event.modality.factual


# --- announced and scheduled acts ---------------------------------------------------------

@pytest.mark.parametrize("text, type_", [
    ("The foreign ministers of Chile and Peru are due to meet in Lima on Thursday.", "CONSULT"),
    ("Peruvian troops are set to withdraw from the border town.", "RETREAT"),
    ("Chile is scheduled to sign the fisheries accord with Peru in May.", "SUPPORT"),
    ("Chile will sign the fisheries accord with Peru next week.", "SUPPORT"),
])
def test_scheduled_and_announced_acts_are_future(events, text, type_):
    event = one(events, text, type_)
    assert event.modality.future and not event.modality.factual


def test_future_weekday_resolves_forward(events):
    event = one(events, "The foreign ministers of Chile and Peru will meet in Lima on Thursday.", "CONSULT")
    assert event.date == "2021-04-15"


def test_an_attack_its_actor_announces_is_a_threat(events):
    event = one(events, "Chile said it will attack Peruvian positions.", "THREATEN")
    assert event.modality.future


def test_an_attack_the_reporter_expects_keeps_its_type(events):
    event = one(events, "Chilean troops will attack Peruvian positions at dawn.", "ASSAULT")
    assert event.modality.future and not event.modality.factual


# --- hypothetical, negated and generic ----------------------------------------------------

@pytest.mark.parametrize("text, type_", [
    ("Will Chile expel the Peruvian diplomats?", "SANCTION"),
    ("Chile may expel the Peruvian diplomats.", "SANCTION"),
    ("Lima urged Chile to free the detained fishermen.", "RETREAT"),
    ("Chile took steps to recognize the new government in Lima.", "SUPPORT"),
    ("Chile is considering sanctions on Peruvian exporters.", "SANCTION"),
])
def test_questions_possibilities_and_advocacy_are_not_facts(events, text, type_):
    found = [e for e in events(text) if e.type == type_]
    assert all(not e.modality.factual for e in found)


@pytest.mark.parametrize("text, type_", [
    ("Chile denied expelling the Peruvian diplomats.", "SANCTION"),
    ("Chile won't expel the Peruvian diplomats.", "SANCTION"),
    ("Chile did not expel the Peruvian diplomats.", "SANCTION"),
])
def test_denials_and_refusals_are_negated(events, text, type_):
    found = [e for e in events(text) if e.type == type_]
    assert found and all(e.modality.negated for e in found)


@pytest.mark.parametrize("text, type_", [
    ("Rebels fighting to topple the government hold the north of Mali.", "ASSAULT"),
    ("The army shells the rebel villages daily.", "ASSAULT"),
])
def test_descriptions_and_habits_are_generic(events, text, type_):
    found = [e for e in events(text) if e.type == type_]
    assert found and all(e.modality.generic and not e.modality.factual for e in found)


def test_a_single_act_is_not_generic(events):
    event = one(events, "The army shelled the rebel villages on Friday.", "ASSAULT")
    assert not event.modality.generic


def test_without_publication_date_the_latest_date_written_bounds_the_news(parse, settings):
    from eventwire.events import code_events
    text = ("Chile imposed sanctions on Peru in June 2019. "
            "On 2 March 2021 the presidents of Chile and Peru met in Lima.")
    found = {e.type: e for e in code_events(parse(text, published=None), settings)}
    assert found["SANCTION"].modality.historical
    assert not found["CONSULT"].modality.historical
