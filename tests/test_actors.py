"""Actors: free-standing resolution, in-article memory, knowledge files, and the seeds."""

from __future__ import annotations

import dataclasses
import re
import time

import pytest

from eventwire import resolve_actor
from eventwire.actors import mention_for_span, mentions_in_span, resolve_actors
from eventwire.actors.knowledge import load_knowledge
from eventwire.errors import KnowledgeFileError
from eventwire.records import Article, ParsedArticle

from budgets import busy_article, stops_within


# --- resolve_actor on free-standing phrases ---------------------------------------------------

@pytest.mark.parametrize("text, country, sector", [
    ("Turkey", "TUR", None),
    ("Türkiye", "TUR", None),
    ("Turkiye", "TUR", None),
    ("Turkish Foreign Minister", "TUR", "GOV"),
    ("the Kremlin", "RUS", "GOV"),
    ("Hungarian", "HUN", None),
    ("police in Kabul", "AFG", "COP"),
    ("Israeli soldiers", "ISR", "MIL"),
    ("U.S.", "USA", None),
    ("the United States", "USA", None),
    ("America", "USA", None),
    ("the White House", "USA", "GOV"),
    ("the Pentagon", "USA", "GOV"),
    ("Britain", "GBR", None),
    ("UK", "GBR", None),
    ("Downing Street", "GBR", "GOV"),
    ("the Elysee", "FRA", "GOV"),
    ("Russian Federation", "RUS", None),
    ("Kyiv", "UKR", "GOV"),
    ("Kiev", "UKR", "GOV"),
    ("Beijing", "CHN", "GOV"),
    ("Tehran", "IRN", "GOV"),
    ("Ukrainian troops", "UKR", "MIL"),
    ("Palestinian police in Jericho", "PSE", "COP"),
    ("the Syrian government", "SYR", "GOV"),
    ("Sudanese rebels", "SDN", "REB"),
    ("rebels in Darfur", "SDN", "REB"),
    ("pro-Russian separatists in Donbass", "UKR", "REB"),
    ("Russian-backed rebels in Luhansk", "UKR", "REB"),
    ("Kiev's military", "UKR", "MIL"),
    ("Kiev's backers in Washington", "USA", None),
    ("his US counterpart", "USA", None),
    ("Taiwan's deputy foreign minister", "TWN", "GOV"),
    ("the Greek parliament", "GRC", "LEG"),
    ("a Canberra court", "AUS", "JUD"),
])
def test_resolve_actor_country_and_sector(text, country, sector):
    actor = resolve_actor(text)
    assert actor is not None, text
    assert (actor.country, actor.sector) == (country, sector)


@pytest.mark.parametrize("text, actor_id", [
    ("NATO", "IGO:NATO"),
    ("the European Union", "IGO:EU"),
    ("U.N. Security Council", "IGO:UNSC"),
    ("the OSCE", "IGO:OSCE"),
    ("the World Bank", "IGO:WB"),
    ("African Union", "IGO:AU"),
    ("Brussels", "IGO:EU"),
])
def test_resolve_actor_igos_have_no_country(text, actor_id):
    actor = resolve_actor(text)
    assert actor is not None and actor.id == actor_id
    assert actor.kind == "igo" and actor.country is None


@pytest.mark.parametrize("text, actor_id, country, sector", [
    ("the YPG", "GRP:YPG", "SYR", "REB"),
    ("PKK", "GRP:PKK", "TUR", "REB"),
    ("Hezbollah", "GRP:HEZBOLLAH", "LBN", "REB"),
    ("Daesh", "GRP:ISIS", None, "REB"),
    ("the Taliban", "GRP:TALIBAN", "AFG", "REB"),
])
def test_resolve_actor_groups(text, actor_id, country, sector):
    actor = resolve_actor(text)
    assert actor is not None and actor.kind == "group"
    assert (actor.id, actor.country, actor.sector) == (actor_id, country, sector)


def test_people_known_and_unknown():
    known = resolve_actor("Turkish Foreign Minister Mevlut Cavusoglu")
    assert known.id == "PER:mevlut-cavusoglu" and known.country == "TUR" and known.kind == "person"
    assert resolve_actor("Çavuşoğlu").id == "PER:mevlut-cavusoglu"
    assert resolve_actor("Russia's Lavrov").country == "RUS"
    unknown = resolve_actor("Estonian Defence Minister Kaarel Tammsalu")  # a made-up name
    assert unknown.kind == "person" and unknown.country == "EST" and unknown.sector == "GOV"
    assert unknown.name == "Kaarel Tammsalu"


@pytest.mark.parametrize("text", ["Kurdish", "ethnic Albanians", "the weather", "", "us", "who"])
def test_resolve_actor_not_a_country(text):
    actor = resolve_actor(text)
    assert actor is None or actor.country is None


def test_compound_free_text_keeps_first_and_sector():
    actor = resolve_actor("Senior Hungarian and Romanian officials")
    assert (actor.country, actor.sector) == ("HUN", "GOV")


def test_institution_names_read_sector_then_country():
    assert resolve_actor("the Turkish Foreign Ministry").name == "Government (Turkey)"
    assert resolve_actor("Sudanese rebels").name == "Rebels (Sudan)"


def test_resolve_actor_is_fast_after_loading():
    resolve_actor("warm up")
    started = time.perf_counter()
    for _ in range(200):
        resolve_actor("Turkish Foreign Minister Mevlut Cavusoglu")
    # a lookup, not a parse: far below a millisecond each on any machine we run on
    assert (time.perf_counter() - started) / 200 < 0.005


# --- in-article resolution on hand-written articles -------------------------------------------

@pytest.fixture(scope="module")
def nlp_model(settings):
    from eventwire import nlp
    return nlp.load(settings.model)


def _parsed(nlp_model, settings, text: str) -> ParsedArticle:
    parsed = ParsedArticle(Article(id="t", text=text), nlp_model(text))
    return resolve_actors(parsed, settings)


def _span(parsed: ParsedArticle, text: str, nth: int = 0):
    found = list(re.finditer(rf"\b{re.escape(text)}\b", parsed.article.text))
    start = found[nth].start()
    span = parsed.doc.char_span(start, start + len(text), alignment_mode="expand")
    assert span is not None
    return span


ARTICLE = (
    "Estonian Foreign Minister Kaarel Tammsalu met his Finnish counterpart Liisa Marjamaa "
    "in Tallinn on Monday. The Estonian minister said he expected closer cooperation. "
    "Marjamaa said she agreed. The two leaders also discussed the Baltic Sea. "
    "Estonia's defence ministry later said it would send troops to Latvia."
)


def test_article_people_roles_and_pronouns(nlp_model, settings):
    parsed = _parsed(nlp_model, settings, ARTICLE)
    by_id = {a.id: a for a in parsed.article.actors}
    tammsalu = by_id["PER:kaarel-tammsalu"]
    assert (tammsalu.country, tammsalu.sector) == ("EST", "GOV")
    assert by_id["PER:liisa-marjamaa"].country == "FIN"
    assert mention_for_span(parsed, _span(parsed, "The Estonian minister")).actor_id == tammsalu.id
    assert mention_for_span(parsed, _span(parsed, "he")).actor_id == tammsalu.id
    assert mention_for_span(parsed, _span(parsed, "she")).actor_id == "PER:liisa-marjamaa"
    both = {m.actor_id for m in mentions_in_span(parsed, _span(parsed, "The two leaders"))}
    assert both == {tammsalu.id, "PER:liisa-marjamaa"}
    ministry = mention_for_span(parsed, _span(parsed, "Estonia's defence ministry"))
    assert (ministry.country, ministry.sector) == ("EST", "GOV")
    assert mention_for_span(parsed, _span(parsed, "it")).country == "EST"
    # mentions are in text order, with offsets that point at their text
    starts = [m.start for m in parsed.mentions]
    assert starts == sorted(starts)
    for m in parsed.mentions:
        assert parsed.article.text[m.start:m.end] == m.text
    # a place only named as where something happened is not an actor
    assert not any(m.text == "Tallinn" for m in parsed.mentions)


def test_article_metonyms_compounds_and_groups(nlp_model, settings):
    text = ("Moscow and Ankara signed a deal on Friday. Senior Hungarian and Romanian officials "
            "criticised it. Pro-Russian separatists in Donbass shelled Kyiv's military, while "
            "Kyiv's backers in Washington blamed the Kremlin. The PKK and its Syrian branch, "
            "the YPG, were not mentioned. Kurdish groups protested.")
    parsed = _parsed(nlp_model, settings, text)
    pair = {(m.country, m.sector) for m in mentions_in_span(parsed, _span(parsed, "Moscow and Ankara"))}
    assert pair == {("RUS", "GOV"), ("TUR", "GOV")}
    officials = mentions_in_span(parsed, _span(parsed, "Senior Hungarian and Romanian officials"))
    assert {(m.country, m.sector) for m in officials} == {("HUN", "GOV"), ("ROU", "GOV")}
    rebels = mention_for_span(parsed, _span(parsed, "Pro-Russian separatists in Donbass"))
    assert (rebels.country, rebels.sector) == ("UKR", "REB")
    assert (mention_for_span(parsed, _span(parsed, "Kyiv's military")).sector) == "MIL"
    assert mention_for_span(parsed, _span(parsed, "Kyiv's backers in Washington")).country == "USA"
    assert mention_for_span(parsed, _span(parsed, "the Kremlin")).country == "RUS"
    assert mention_for_span(parsed, _span(parsed, "the YPG")).actor_id == "GRP:YPG"
    assert mention_for_span(parsed, _span(parsed, "Kurdish groups")) is None


def test_state_descriptions_and_pronoun_gender(nlp_model, settings):
    text = ("Armenia and Azerbaijan signed a truce on Monday. The two countries agreed to talks. "
            "Ms. Jana Novak, the Czech envoy, said she was hopeful. Mr. Tomas Berg said he was "
            "not. Berg greeted Novak before she left. Both sides said they would meet again.")
    parsed = _parsed(nlp_model, settings, text)
    two = {m.actor_id for m in mentions_in_span(parsed, _span(parsed, "The two countries"))}
    assert two == {"ARM", "AZE"}
    assert {m.actor_id for m in mentions_in_span(parsed, _span(parsed, "they"))} == {"ARM", "AZE"}
    assert mention_for_span(parsed, _span(parsed, "the Czech envoy")).actor_id == "PER:jana-novak"
    assert mention_for_span(parsed, _span(parsed, "he")).actor_id == "PER:tomas-berg"
    # "she" skips the nearer Mr. Berg: the memory keeps what it learned of each person
    assert mention_for_span(parsed, _span(parsed, "she", 1)).actor_id == "PER:jana-novak"


def test_they_after_a_coordination(nlp_model, settings):
    text = ("Foreign Minister Jana Novak and her Latvian counterpart Andris Kalnins met in Riga. "
            "They agreed to expand trade. Turkey, Russia and Iran held talks, and they signed a "
            "statement.")
    parsed = _parsed(nlp_model, settings, text)
    people = {m.actor_id for m in mentions_in_span(parsed, _span(parsed, "They"))}
    assert people == {"PER:jana-novak", "PER:andris-kalnins"}
    states = {m.actor_id for m in mentions_in_span(parsed, _span(parsed, "they"))}
    assert states == {"TUR", "RUS", "IRN"}
    assert mention_for_span(parsed, _span(parsed, "Andris Kalnins")).country == "LVA"


@pytest.mark.parametrize("text", ["UN envoy Jana Kovac", "NATO Secretary General Piet de Graaf"])
def test_unknown_official_of_an_igo_has_the_igo_sector(text):
    actor = resolve_actor(text)
    assert actor.kind == "person" and actor.country is None and actor.sector == "IGO"


def test_unknown_official_of_an_igo_in_an_article(nlp_model, settings):
    parsed = _parsed(nlp_model, settings, "UN envoy Jana Kovac met Kenyan officials. Kovac said talks would resume.")
    found = mention_for_span(parsed, _span(parsed, "Kovac", 1))
    assert (found.country, found.sector) == (None, "IGO")


def test_their_after_a_plural_people_noun(nlp_model, settings):
    parsed = _parsed(nlp_model, settings, "Bosnian Croats said on Monday their forces had left the town.")
    found = mention_for_span(parsed, _span(parsed, "their forces"))
    assert found is not None and (found.country, found.sector) == ("BIH", "MIL")


def test_a_plural_country_name_is_still_it(nlp_model, settings):
    parsed = _parsed(nlp_model, settings, "The United States said it would send aid to Haiti.")
    assert mention_for_span(parsed, _span(parsed, "it")).country == "USA"


def test_brussels_is_the_eu_only_when_it_acts(nlp_model, settings):
    parsed = _parsed(nlp_model, settings,
                     "Brussels warned Budapest on Tuesday. The ministers met in Brussels.")
    assert mention_for_span(parsed, _span(parsed, "Brussels")).actor_id == "IGO:EU"
    assert all(m.actor_id != "IGO:EU" for m in parsed.mentions if m.start > 30)


# --- knowledge files ---------------------------------------------------------------------------

def test_user_knowledge_file_extends_the_builtin_lists(tmp_path, settings):
    extra = tmp_path / "my_actors.tsv"
    extra.write_text(
        "# eventwire-knowledge: groups\n"
        "# id\tcountry\tsector\tname\taliases\n"
        "FREEDOMFRONT\tMDA\tREB\tFreedom Front of Gagauzia\tFFG\n", encoding="utf-8")
    people = tmp_path / "people.tsv"
    people.write_text("# eventwire-knowledge: people\n"
                      "Kaarel Tammsalu\tEST\tGOV\tforeign minister\tTammsalu\n", encoding="utf-8")
    custom = dataclasses.replace(settings, knowledge_files=[str(extra), str(people)])
    before = resolve_actor("the Freedom Front of Gagauzia")
    assert before is None or (before.kind == "group" and before.country is None)
    assert resolve_actor("the Freedom Front of Gagauzia", custom).id == "GRP:FREEDOMFRONT"
    group = resolve_actor("FFG fighters", custom)
    assert (group.id, group.country, group.sector) == ("GRP:FREEDOMFRONT", "MDA", "REB")
    assert resolve_actor("Tammsalu", custom).country == "EST"


@pytest.mark.parametrize("body, problem, line", [
    ("TUR\tname\t-\tTurkey\n", "missing header", 1),
    ("# eventwire-knowledge: planets\nMARS\tred\n", "unknown table", 1),
    ("# eventwire-knowledge: countries\nXYZ\tname\t-\tAtlantis\n", "unknown ISO", 2),
    ("# eventwire-knowledge: countries\n# ok\nTUR\tnickname\t-\tAnatolia\n",
     "unknown country term kind", 3),
    ("# eventwire-knowledge: roles\nperson\tXXX\tvizier\n", "unknown sector", 2),
    ("# eventwire-knowledge: groups\nONLY\tTWO\n", "expected 4 to 5", 2),
    ("# eventwire-knowledge: groups\nFRONT\t-\tREB\tThe Front\t~Fronters\n",
     "contextual name (~) needs the group's country", 2),
    ("# eventwire-knowledge: people\nJana Novak\tEST\tGOV\tminister\t-\t2019-13-01\n",
     "YYYY-MM-DD", 2),
    ("# eventwire-knowledge: people\nJana Novak\tEST\tGOV\tminister\t-\t2019-01-01\t2018-01-01\n",
     "ends (2018-01-01) before it starts", 2),
])
def test_bad_knowledge_file_names_file_and_line(tmp_path, body, problem, line):
    bad = tmp_path / "bad_actors.tsv"
    bad.write_text(body, encoding="utf-8")
    with pytest.raises(KnowledgeFileError) as info:
        load_knowledge((str(bad),))
    message = str(info.value)
    assert "E002" in message and str(bad) in message and problem in message
    assert f"{bad}:{line}:" in message


def test_other_stages_files_are_ignored(tmp_path):
    cues = tmp_path / "quote_cues.tsv"
    cues.write_text("# quote cues\nsay\tspeech\n", encoding="utf-8")
    assert load_knowledge((str(cues),)).countries["TUR"] == "Turkey"


# --- the seeds, processed by the pipeline -------------------------------------------------------

def _seed(seed_articles, prefix):
    return next(a for name, a in seed_articles.items() if name.startswith(prefix))


def test_seed_000_actors(seed_articles):
    article = _seed(seed_articles, "000")
    countries = {a.country for a in article.actors}
    assert {"TUR", "UKR", "RUS"} <= countries
    peskov = [a for a in article.actors if a.kind == "person" and "Peskov" in a.name]
    assert peskov and peskov[0].country == "RUS"
    assert not any(a.kind == "person" and "icon" in a.name for a in article.actors)


def test_seed_003_turkish_minister_is_cavusoglu(shared, settings, nlp_model):
    path = next((shared / "seeds").glob("003_*.txt"))
    text = path.read_text(encoding="utf-8")
    parsed = _parsed(nlp_model, settings, text)
    start = text.index("the Turkish minister")
    span = parsed.doc.char_span(start, start + len("the Turkish minister"))
    mention = mention_for_span(parsed, span)
    assert mention is not None and "Cavusoglu" in mention.name.replace("ş", "s").replace("ğ", "g") \
        .replace("Ç", "C").replace("ç", "c")


def test_unknown_official_never_takes_the_article_majority_country(nlp_model, settings):
    # Kenya is the article's most named country, but nothing ties the president to it
    parsed = _parsed(nlp_model, settings, "President Jean Dupont met Kenyan officials in Nairobi. "
                                          "Kenya wants more trade. Kenya's envoy Jana Kovac attended.")
    assert mention_for_span(parsed, _span(parsed, "President Jean Dupont")).country is None
    assert mention_for_span(parsed, _span(parsed, "Kenya's envoy Jana Kovac")).country == "KEN"


def test_unknown_official_stays_without_country_when_no_country_leads(nlp_model, settings):
    parsed = _parsed(nlp_model, settings, "President Jean Dupont met Kenyan and Ugandan officials.")
    assert mention_for_span(parsed, _span(parsed, "President Jean Dupont")).country is None


def test_unnamed_domestic_actors_take_the_country_where_they_act(nlp_model, settings):
    text = ("Thousands marched through the centre of Lima on Sunday. Police fired tear gas at "
            "the demonstrators near the palace. Prosecutors later charged two organisers. "
            "In Quito and in Bogota, students held vigils.")
    parsed = _parsed(nlp_model, settings, text)
    police = mention_for_span(parsed, _span(parsed, "Police"))
    assert (police.country, police.sector) == ("PER", "COP")
    assert mention_for_span(parsed, _span(parsed, "the demonstrators")).country == "PER"
    # two sentences on, the scene still holds
    assert mention_for_span(parsed, _span(parsed, "Prosecutors")).country == "PER"
    # a sentence naming two places and marking none as the scene gives no country
    students = mention_for_span(parsed, _span(parsed, "students"))
    assert students is None or students.country is None


def test_the_scene_never_reaches_office_holders_or_armies(nlp_model, settings):
    parsed = _parsed(nlp_model, settings, "Talks opened in Nairobi on Monday. A spokeswoman said "
                                          "troops had left the border.")
    for text in ("A spokeswoman", "troops"):
        found = mention_for_span(parsed, _span(parsed, text))
        assert found is None or found.country is None


def test_a_dateline_sets_the_scene(nlp_model, settings):
    parsed = _parsed(nlp_model, settings, "ACCRA, Ghana - Riot police dispersed the crowd with "
                                          "water cannon on Friday.")
    police = mention_for_span(parsed, _span(parsed, "Riot police"))
    assert police is not None and police.country == "GHA"


def test_an_unknown_institution_takes_the_scene(nlp_model, settings):
    parsed = _parsed(nlp_model, settings, "The High Electoral Tribunal in Asuncion rejected the "
                                          "appeal on Monday.")
    court = mention_for_span(parsed, _span(parsed, "The High Electoral Tribunal"))
    assert court is not None and court.country == "PRY"


@pytest.mark.parametrize("text, party", [
    ("Senator Chuck Grassley said in Iowa that Republicans would block the bill. "
     "Democrats objected.", "GRP:GOP"),
    ("In Paris, Republicans and Socialists clashed over the budget.", "GRP:LR"),
    ("Labour accused the government in London of hiding the report.", "GRP:LABOURUK"),
    ("Labor won the vote in Canberra.", "GRP:ALP"),
])
def test_party_words_shared_by_countries_follow_the_article(nlp_model, settings, text, party):
    parsed = _parsed(nlp_model, settings, text)
    assert party in {a.id for a in parsed.article.actors}


def test_a_shared_party_word_names_no_party_without_its_country():
    for word in ("Republicans", "Democrats", "Conservatives", "Labour"):
        actor = resolve_actor(word)
        assert actor is None or actor.country is None, word


def test_pronoun_subject_of_reported_speech_is_the_reporter(nlp_model, settings):
    text = ("Morocco hosted the talks. The Zelvan party said it would boycott the vote. "
            "Ankara said it would help.")
    parsed = _parsed(nlp_model, settings, text)
    assert mention_for_span(parsed, _span(parsed, "it")) is None  # not Morocco
    assert mention_for_span(parsed, _span(parsed, "it", 1)).country == "TUR"


# --- people in articles: dates, short mentions, their own context ---------------------------------

def _dated(nlp_model, settings, text: str, published: str | None) -> ParsedArticle:
    parsed = ParsedArticle(Article(id="t", text=text, published=published), nlp_model(text))
    return resolve_actors(parsed, settings)


def test_article_date_picks_the_office(nlp_model, settings):
    text = "Tokayev met Chinese officials in Astana on Monday."
    then = _dated(nlp_model, settings, text, "2005-06-01")
    now = _dated(nlp_model, settings, text, "2022-01-05")
    assert mention_for_span(then, _span(then, "Tokayev")).country == "KAZ"
    roles = {p.article.actors[0].role for p in (then, now) if p.article.actors}
    assert roles == {"foreign minister", "president"}


def test_a_surname_goes_to_the_articles_own_person_first(nlp_model, settings):
    text = ("Mehmet Erdogan, a farmer from Konya, lost his harvest to the floods. "
            "Erdogan said the village needed help.")
    parsed = _parsed(nlp_model, settings, text)
    found = mention_for_span(parsed, _span(parsed, "Erdogan", 1))
    assert found.actor_id == "PER:mehmet-erdogan"


def test_a_first_name_with_a_title_binds_to_the_full_name(nlp_model, settings):
    text = ("Saudi Crown Prince Mohammed bin Salman met the Iranian foreign minister in Riyadh. "
            "Prince Mohammed said the talks were useful.")
    parsed = _dated(nlp_model, settings, text, "2023-03-01")
    found = mention_for_span(parsed, _span(parsed, "Prince Mohammed", 1))
    assert found.country == "SAU" and found.actor_id == "PER:mohammed-bin-salman"
    later = [m for m in parsed.mentions if m.text.endswith("Mohammed") and m.start > 80]
    assert later and all(m.country == "SAU" for m in later)


def test_unknown_people_take_the_country_of_their_own_words(nlp_model, settings):
    text = ("Talks opened in Geneva with delegations from Syria, Greece and Turkey. "
            "Irina Volkova, a spokeswoman of Russia's foreign ministry, said Moscow was ready. "
            "Peter Otieno, speaking on behalf of Kenya, welcomed the talks. "
            "Anna Berg said nothing.")
    parsed = _parsed(nlp_model, settings, text)
    assert mention_for_span(parsed, _span(parsed, "Irina Volkova")).country == "RUS"
    assert mention_for_span(parsed, _span(parsed, "Peter Otieno")).country == "KEN"
    berg = mention_for_span(parsed, _span(parsed, "Anna Berg"))
    assert berg is None or berg.country is None  # nothing ties her to a country


def test_the_actors_stage_stops_mid_article_when_the_budget_runs_out(nlp_model, settings):
    """The budget is checked per entity and per candidate mention, not only before the stage."""
    article = Article(id="t", text=busy_article(40))
    doc = nlp_model(article.text)

    def stage():
        doc.user_data.clear()  # the stage keeps what it found in the doc: start afresh
        return resolve_actors(ParsedArticle(article, doc), settings)

    assert len(stage().mentions) >= 80
    whole, stopped = stops_within(stage)
    assert whole > 80  # at least one check per mention
    assert stopped == whole // 4 + 1
