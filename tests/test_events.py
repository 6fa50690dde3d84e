"""Events stage: PLOVER types, actors, modality, dates, places and derived fields on
hand-written sentences, parsed once per session with the real spaCy pipeline."""

from __future__ import annotations

import datetime as dt

import pytest

from eventwire.errors import KnowledgeFileError
from eventwire.events import code_events, dates, lexicon
from eventwire.records import PLOVER_TYPES
from eventwire.settings import Settings

from budgets import busy_article, stops_within

PUBLISHED = "2021-04-10"  # a Saturday


def countries(mentions) -> set[str]:
    return {m.country for m in mentions if m.country}


ONE_PER_TYPE = {
    "AGREE": "Kenya and Uganda agreed to cooperate on border trade.",
    "CONSULT": "The French foreign minister met his German counterpart in Berlin.",
    "SUPPORT": "Brazil praised Argentina for its handling of the crisis.",
    "CONCEDE": "Egypt eased travel restrictions on Sudanese citizens.",
    "COOPERATE": "Norwegian police shared intelligence with Danish investigators.",
    "AID": "Japan sent humanitarian aid to Nepal after the earthquake.",
    "RETREAT": "Ethiopian troops withdrew from the disputed border town.",
    "REQUEST": "The African Union urged Sudan to free the detained journalists.",
    "ACCUSE": "Poland accused Belarus of orchestrating the border crisis.",
    "REJECT": "Iran rejected the European proposal.",
    "THREATEN": "China threatened Taiwan with military action.",
    "PROTEST": "Thousands of students protested against the education reform in Santiago.",
    "SANCTION": "Canada imposed sanctions on Venezuelan officials.",
    "MOBILIZE": "Armenia deployed troops along its border with Azerbaijan.",
    "COERCE": "Police in Belarus arrested dozens of opposition activists.",
    "ASSAULT": "Rebels attacked a government convoy in northern Mali.",
}


def test_sentences_cover_all_sixteen_types():
    assert set(ONE_PER_TYPE) == set(PLOVER_TYPES)


@pytest.mark.parametrize("expected", sorted(ONE_PER_TYPE))
def test_each_plover_type(main_event, expected):
    event = main_event(ONE_PER_TYPE[expected])
    assert event is not None and event.type == expected


def test_source_and_target_from_subject_and_object(main_event):
    event = main_event("Poland accused Belarus of orchestrating the border crisis.")
    assert countries(event.source) == {"POL"} and countries(event.target) == {"BLR"}
    assert event.mode == "disapprove"  # CAMEO 112, a generic accusation, in the CAMEO-to-PLOVER table


def test_passive_voice_agent_is_the_source(main_event):
    event = main_event("Two Kenyan soldiers were killed by Somali militants.")
    assert event.type == "ASSAULT"
    assert "militants" in event.source[0].text
    assert "soldiers" in event.target[0].text


def test_joint_parties_of_a_mutual_act_are_a_reciprocal_dyad(main_event):
    event = main_event("Turkey and Russia signed an energy agreement.")
    assert event.type == "SUPPORT" and event.cameo == "057"  # signing, as the codebook codes it
    assert countries(event.source) == {"TUR"} and countries(event.target) == {"RUS"}
    assert event.reciprocal and event.both_sides and event.international


def test_talks_between_two_parties(events):
    found = [e for e in events("The talks between Serbia and Kosovo resumed in Brussels.") if e.type == "CONSULT"]
    assert found and countries(found[0].source) == {"SRB"} and found[0].reciprocal
    assert found[0].target and found[0].target[0].text == "Kosovo"


def test_joint_attackers_are_not_reciprocal(events):
    found = [e for e in events("Russia and Syria bombed rebel positions near Aleppo.") if e.type == "ASSAULT"]
    assert found and not found[0].reciprocal and countries(found[0].source) == {"RUS", "SYR"}


def test_nominal_trigger_with_possessive_source(events):
    found = [e for e in events("Analysts discussed Russia's invasion of Georgia.") if e.type == "ASSAULT"]
    assert found and countries(found[0].source) == {"RUS"} and countries(found[0].target) == {"GEO"}


def test_denial_is_not_a_factual_assault(events):
    found = [e for e in events("Russia denies planning to invade Ukraine.") if e.type == "ASSAULT"]
    assert all(e.modality.negated for e in found)
    assert not any(e.modality.factual for e in events("Russia denies planning to invade Ukraine."))


def test_negated_event(events):
    found = [e for e in events("Egypt did not sign the agreement.") if e.type == "SUPPORT"]
    assert found and found[0].modality.negated and not found[0].modality.factual


def test_pledge_is_coded_as_agree_with_future_flag(main_event):
    event = main_event("Germany pledged to provide military aid to Ukraine.")
    assert event.type == "AGREE" and event.modality.future
    assert countries(event.source) == {"DEU"} and countries(event.target) == {"UKR"}


def test_announced_attack_is_a_threat(main_event):
    event = main_event("Houthi rebels said they would attack the capital.")
    assert event.type == "THREATEN" and event.modality.future


def test_announced_refusal_is_a_rejection(main_event):
    event = main_event("Hungary said it would never admit the migrants.")
    assert event.type == "REJECT" and not event.modality.negated


def test_conditional_is_hypothetical(events):
    found = [e for e in events("Greece could impose sanctions on Turkey if the talks fail.") if e.type == "SANCTION"]
    assert found and found[0].modality.hypothetical


def test_threatened_act_is_hypothetical(events):
    found = events("Iran threatened to close the strait.")
    assert [e.type for e in found if e.modality.factual] == ["THREATEN"]


def test_requested_act_is_not_factual(events):
    found = [e for e in events("The African Union urged Sudan to free the detained journalists.")
             if e.type == "RETREAT"]
    assert found and not found[0].modality.factual


def test_reported_must_is_a_request(main_event):
    event = main_event("The European Union said Serbia must release the detained journalists.")
    assert event.type == "REQUEST" and "SRB" in countries(event.target)


def test_speech_embedded_event_keeps_its_own_subject(events):
    found = [e for e in events("Kenyan officials said Somali militants attacked a border camp.")
             if e.type == "ASSAULT"]
    assert found and "militants" in found[0].source[0].text


@pytest.mark.parametrize("text", [
    "Russia annexed Crimea in 2014.",
    "Ankara has long opposed the plan.",
    "Kiev has fought separatists since 2014.",
])
def test_background_is_historical(events, text):
    found = events(text)
    assert found and all(e.modality.historical for e in found)


def test_recent_event_is_not_historical(events):
    found = events("Russia annexed the island on Tuesday.")
    assert found and not found[0].modality.historical


@pytest.mark.parametrize("text, published, expected", [
    ("Greek ministers met on Saturday.", "2021-04-10", "2021-04-10"),
    ("Greek ministers met on Saturday.", "2021-04-13", "2021-04-10"),
    ("Greek ministers met yesterday.", "2021-04-13", "2021-04-12"),
    ("Greek ministers met on February 3.", "2021-04-13", "2021-02-03"),
    ("Greek ministers met in December.", "2021-04-13", "2020-12"),
    ("Greek ministers met last year.", "2021-04-13", "2020"),
])
def test_event_date_resolved_against_publication(events, text, published, expected):
    found = [e for e in events(text, published) if e.type == "CONSULT"]
    assert found and found[0].date == expected


def test_news_without_a_date_takes_the_publication_date(events):
    found = events("Greek ministers met in Geneva.", "2021-04-13")
    assert found[0].date == "2021-04-13" and found[0].date_note == "publication date; no date in the sentence"


def test_background_without_a_date_stays_undated(events):
    found = events("Ankara has long opposed the plan.", "2021-04-13")
    assert found and found[0].modality.historical and found[0].date is None and found[0].date_note


def test_no_date_and_no_publication_date_is_null_with_a_note(events):
    found = events("Greek ministers met in Geneva.", None)
    assert found[0].date is None and "publication date is unknown" in found[0].date_note


def test_relative_date_without_publication_date_is_null(events):
    found = events("Greek ministers met on Saturday.", None)
    assert found[0].date is None and "publication date is unknown" in found[0].date_note


@pytest.mark.parametrize("text", [
    "In December 2020, Turkey signed a defence deal with Libya.",
    "Turkey signed a defence deal with Libya in 2019.",
])
def test_explicit_past_date_in_the_clause_is_background(events, text):
    found = events(text, "2022-03-01")
    assert found and all(e.modality.historical for e in found)


@pytest.mark.parametrize("text", [
    "Turkey signed a defence deal with Libya last month.",
    "Turkey signed a defence deal with Libya, which it had courted in 2019, on Friday.",
])
def test_recent_date_or_a_past_date_in_another_clause_is_news(events, text):
    found = [e for e in events(text, "2022-03-01") if e.type == "AGREE"]
    assert found and not found[0].modality.historical and found[0].date.startswith("2022-0")


@pytest.mark.parametrize("text", ["The duo met on Monday.", "They agreed to cooperate more closely."])
def test_verbal_or_cooperative_event_without_any_party_is_dropped(events, text):
    assert events(text) == []


def test_violence_without_a_named_party_is_still_an_event(events):
    found = events("Grenades were hurled at a police patrol on Saturday, injuring two officers.")
    assert found and found[0].type == "ASSAULT"


def test_named_party_unknown_to_the_actor_lists_keeps_the_event(events):
    found = events("Senator Alvarez accused Governor Pemberton of lying.")
    assert found and found[0].type == "ACCUSE" and found[0].source[0].text == "Senator Alvarez"
    assert found[0].source[0].country is None


def test_protesters_nobody_names_are_people_of_the_place(events):
    found = events("Hundreds of students protested in Nairobi on Monday.")
    assert found and found[0].type == "PROTEST" and countries(found[0].source) == {"KEN"}


def test_possessive_place_name_resolves():
    from eventwire.events.places import resolve_place
    assert resolve_place("East Timor's").country == "TLS"


def test_future_weekday_resolves_forward():
    assert dates.resolve_forward("Monday", dt.date(2021, 4, 10)).value == "2021-04-12"


@pytest.mark.parametrize("expression, expected", [
    ("29 December", "2020-12-29"), ("December 2020", "2020-12"), ("since 2014", "2014"),
    ("two days ago", "2021-01-03"), ("the weekend", "2021-01-02"),
])
def test_date_expressions(expression, expected):
    assert dates.resolve(expression, dt.date(2021, 1, 5)).value == expected


def test_location_resolved_with_geonames(events):
    found = [e for e in events("Rebels attacked a convoy in Kandahar.") if e.type == "ASSAULT"]
    loc = found[0].location
    assert loc.name == "Kandahar" and loc.country == "AFG" and loc.latitude is not None


def test_weapon_mode_and_contexts(main_event):
    event = main_event("Taliban insurgents shelled the town with artillery, killing ten soldiers.")
    assert event.type == "ASSAULT" and event.mode == "heavy-weapons"
    assert "military" in event.contexts


def test_cameo_score_evidence_and_ids(parse, settings):
    text = "Brazil praised Argentina. Rebels attacked a convoy in Mali."
    found = code_events(parse(text), settings)
    assert [e.id for e in found] == ["art-1", "art-2"]
    for e in found:
        assert e.cameo and 1 <= int(e.cameo[:2]) <= 20
        assert text[e.evidence.start:e.evidence.end] == e.evidence.sentence
    support, assault = found
    assert support.score > 0 > assault.score


def test_related_link_line_is_not_an_event(events):
    assert events("Also on example.com Rebels attacked a convoy in Mali") == []


def test_lexicon_file_errors_name_file_and_line(tmp_path):
    bad = tmp_path / "mine.events.tsv"
    bad.write_text("# comment\nV\tfrobnicate\tATTACK\t-\t190\n", encoding="utf-8")
    with pytest.raises(KnowledgeFileError) as err:
        lexicon.load_lexicon(bad, lexicon.load_types())
    assert f"{bad}:2" in str(err.value) and "ATTACK" in str(err.value)
    bad.write_text("V\tattack\tASSAULT\tswords\t190\n", encoding="utf-8")
    with pytest.raises(KnowledgeFileError, match="mode"):
        lexicon.load_lexicon(bad, lexicon.load_types())


def test_user_lexicon_adds_a_trigger(parse, tmp_path):
    extra = tmp_path / "local.events.tsv"
    extra.write_text("V\tupbraid\tACCUSE\tdisapprove\t111\tnot in the dictionary\n", encoding="utf-8")
    custom = Settings()
    custom.knowledge_files = [str(extra)]
    text = "Peru upbraided Chile over the fishing dispute."
    assert code_events(parse(text), Settings()) == []
    assert [e.type for e in code_events(parse(text, run_settings=custom), custom)] == ["ACCUSE"]


def test_undated_event_takes_the_date_of_the_statement_reporting_it(events):
    found = [e for e in events("The Kremlin said on Friday that Russian troops attacked the Ukrainian port.")
             if e.type == "ASSAULT"]
    assert found and found[0].date == "2021-04-09" and found[0].date_basis == "reporting"


def test_participle_repeating_the_same_act_is_one_event(events):
    assert [e.type for e in events("Taliban insurgents shelled the town with artillery, killing ten soldiers.")] \
        == ["ASSAULT"]
    found = events("Taliban insurgents attacked the town, demanding a ceasefire from the Afghan army.")
    assert [e.type for e in found] == ["ASSAULT", "REQUEST"]


def test_hyphenated_name_is_not_a_month():
    assert dates.resolve("Mar-a-Lago", dt.date(2017, 12, 12)).value is None
    assert dates.resolve("Mar. 3", dt.date(2017, 12, 12)).value == "2017-03-03"


def test_the_events_stage_stops_mid_article_when_the_budget_runs_out(parse, settings):
    """The budget is checked per sentence and per candidate event, not only before the stage."""
    parsed = parse(busy_article(40))
    assert len(code_events(parsed, settings)) >= 40
    whole, stopped = stops_within(lambda: code_events(parsed, settings))
    assert whole > 40  # at least one check per sentence
    assert stopped == whole // 4 + 1  # stopped at the first check past its budget
