"""Events arguments and word sense: joint parties, places, topic phrases, actor slots, and the
senses that decide whether a trigger is an event, each with a case where the rule must not
fire. Sentences are written for these tests."""

from __future__ import annotations

import pytest


def countries(mentions) -> set[str]:
    return {m.country for m in mentions if m.country}


def of_type(events, text: str, type_: str):
    return [e for e in events(text) if e.type == type_]


# --- joint and reciprocal actors ----------------------------------------------------------

@pytest.mark.parametrize("text, type_", [
    ("Ghana and Togo agreed to reopen their shared border.", "AGREE"),
    ("Ghana and Togo held talks on the border dispute.", "CONSULT"),
    ("Talks between Ghana and Togo began in Accra.", "CONSULT"),
])
def test_joint_parties_give_a_two_way_dyad(events, text, type_):
    found = of_type(events, text, type_)
    assert found, [(e.type, e.trigger) for e in events(text)]
    event = found[0]
    assert event.reciprocal and countries(event.source) | countries(event.target) == {"GHA", "TGO"}
    assert countries(event.source) and countries(event.target) and event.both_sides


def test_a_meeting_with_a_partner_is_mutual_but_a_visit_is_not(events):
    meeting = of_type(events, "Ghana's president met Togo's president in Lome.", "CONSULT")
    visit = of_type(events, "Ghana's president visited Togo.", "CONSULT")
    assert meeting and meeting[0].reciprocal
    assert visit and not visit[0].reciprocal and countries(visit[0].target) == {"TGO"}


def test_parties_attacking_together_are_not_a_dyad_of_each_other(events):
    found = of_type(events, "Mali and Niger attacked militant camps along the border.", "ASSAULT")
    assert found and not found[0].reciprocal and countries(found[0].source) == {"MLI", "NER"}


# --- places -------------------------------------------------------------------------------

def test_a_capital_stands_for_its_government(events):
    found = of_type(events, "Rebel artillery shelled Bamako overnight.", "ASSAULT")
    assert found and countries(found[0].target) == {"MLI"}


def test_a_town_is_where_the_act_happened_not_its_target(events):
    found = of_type(events, "Rebel artillery shelled Mopti overnight.", "ASSAULT")
    assert found and not found[0].target
    assert found[0].location is not None and found[0].location.country == "MLI"


# --- topic phrases ------------------------------------------------------------------------

def test_a_topic_is_not_a_partner(events):
    found = of_type(events, "Ghana and Togo discussed Nigerian tariffs.", "CONSULT")
    assert found and "NGA" not in countries(found[0].source + found[0].target)


def test_an_attitude_to_a_policy_is_an_attitude_to_its_author(events):
    found = of_type(events, "Ghana criticized Nigerian tariffs on rice.", "ACCUSE")
    assert found and countries(found[0].target) == {"NGA"}


def test_the_partner_of_a_relation_is_the_target(events):
    found = of_type(events, "Ghana cut diplomatic ties with Togo.", "SANCTION")
    assert found and countries(found[0].target) == {"TGO"}


# --- actor slots --------------------------------------------------------------------------

def test_a_warning_of_ones_own_act_is_a_threat_aimed_at_its_target(events):
    found = of_type(events, "Ghana warned it would expel Togolese diplomats.", "THREATEN")
    assert found and countries(found[0].source) == {"GHA"}


def test_a_warning_about_another_party_is_not_a_threat(events):
    assert not of_type(events, "Ghana warned that Togo may close the border.", "THREATEN")


def test_pronoun_subject_of_reported_speech_is_the_speaker(events):
    found = of_type(events, "Ghana said it had expelled two Togolese diplomats.", "SANCTION")
    assert found and countries(found[0].source) == {"GHA"}


# --- word sense ---------------------------------------------------------------------------

@pytest.mark.parametrize("text, type_, expected", [
    ("Dock workers struck in Accra on Monday.", None, "PROTEST"),
    ("Ghanaian jets struck militant camps in the north.", None, "ASSAULT"),
    ("Ghanaian police released two detained journalists.", None, "RETREAT"),
    ("Ghana's finance minister attacked the budget plan.", "ASSAULT", "ACCUSE"),
])
def test_arguments_decide_the_sense(events, text, type_, expected):
    types = {e.type for e in events(text)}
    assert expected in types and (type_ is None or type_ not in types), types


@pytest.mark.parametrize("text, type_", [
    ("The ministry released a new survey on Tuesday.", "RETREAT"),
    ("The ministry released the budget figures.", "RETREAT"),
    ("Relations between the two countries dominated the agenda.", "ASSAULT"),
    ("The mayor demonstrates his loyalty daily.", "PROTEST"),
    ("Ghana took steps to calm the region.", "COERCE"),
    ("Officials added that the border would stay open.", "COOPERATE"),
    ("According to officials, the border stays open.", "COOPERATE"),
])
def test_what_is_not_an_act_is_not_coded(events, text, type_):
    assert not of_type(events, text, type_)


def test_holders_of_one_role_in_two_countries_are_two_parties(events):
    found = of_type(events, "The foreign ministers of Ghana and Togo met in Accra.", "CONSULT")
    assert found and found[0].reciprocal
    assert countries(found[0].source) | countries(found[0].target) == {"GHA", "TGO"}
