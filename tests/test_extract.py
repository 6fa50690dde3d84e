"""Extraction: boilerplate lines, titles, dates (with weekday-year inference), outlets,
reprints and language, on small hand-made texts."""

from __future__ import annotations

import dataclasses
import datetime as dt

import pytest

from eventwire.errors import InputError, KnowledgeFileError
from eventwire.extract import extract
from eventwire.extract.boilerplate import clean_text, load_lexicon
from eventwire.extract.dates import date_from_text, infer_year, parse_date_value
from eventwire.extract.language import detect_language
from eventwire.extract.outlets import load_outlets, outlet_from_url
from eventwire.records import RawDocument, content_hash

TODAY = dt.date(2026, 11, 21)
BODY_1 = ("The foreign ministers of Norway and Chile met in Oslo to discuss fishing quotas, "
          "and both said afterwards that the talks had gone well.")
BODY_2 = ("A joint statement promised a working group on quotas before the end of the year, "
          "according to officials from both countries who spoke to reporters.")
BODY_3 = ("Chile's minister said the two governments would sign a memorandum in the spring, "
          "once the working group has reported to both parliaments.")


def article(text: str, settings, **fields) -> "Article":  # noqa: F821
    return extract(RawDocument(origin="test.txt", text=text, **fields), settings)


# --- boilerplate lines ---

def test_web_boilerplate_lines_are_dropped_and_body_kept(settings):
    text = "\n".join([
        "menuicon searchicon closeicon chevron lefticon chevron righticon playicon pauseicon "
        "shareicon printicon mailicon usericon",
        "Norway and Chile agree on fishing talks",
        "",
        BODY_1,
        "",
        "Also on example.com Fishing fleets clash in the South Pacific",
        "",
        BODY_2,
        "",
        "Quotas and the sea",
        "",
        BODY_3,
        "",
        "Enjoyed this article? Share it with your colleagues!",
        "",
        "Videos",
        "1:05",
        "12:40",
    ])
    result = article(text, settings)
    assert result.title == "Norway and Chile agree on fishing talks"
    assert result.text == "\n\n".join([BODY_1, BODY_2, "Quotas and the sea", BODY_3])
    assert "Also on example.com Fishing fleets clash in the South Pacific" in result.removed
    assert "Enjoyed this article? Share it with your colleagues!" in result.removed
    assert {"Videos", "1:05", "12:40"} <= set(result.removed)
    assert result.removed[0].startswith("menuicon")
    assert result.id == content_hash(result.text)


def test_newsletter_block_and_trailing_byline_are_dropped(settings):
    text = "\n\n".join([
        "Chile signs fishing memorandum", BODY_1, BODY_2,
        "The Coast Weekly Newsletter",
        "Get the most important news from the coast in your inbox every morning.",
        "By signing up you accept our privacy policy and terms of service. Unsubscribe at any time.",
        "Maria J. Lindqvist",
    ])
    cleaned = clean_text(text)
    assert cleaned.text == BODY_1 + "\n\n" + BODY_2
    assert cleaned.removed[-1] == "Maria J. Lindqvist"
    assert "Get the most important news from the coast in your inbox every morning." in cleaned.removed


def test_a_short_last_paragraph_is_kept_before_a_footer(settings):
    text = "\n\n".join(["Chile signs fishing memorandum", BODY_1, "Talks resume in May.",
                        "Sign up for our newsletter", "Unsubscribe at any time."])
    cleaned = clean_text(text)
    assert cleaned.text.endswith("Talks resume in May.")


def test_body_paragraph_mentioning_a_cue_word_is_kept(settings):
    line = ("The company changed its privacy policy last week after regulators in Brussels "
            "opened an inquiry into how it shares data with advertisers.")
    cleaned = clean_text("\n\n".join([BODY_1, line, BODY_2]))
    assert line in cleaned.text and not cleaned.removed


def test_duplicated_headline_counts_once(settings):
    text = "\n\n".join(["Chile signs fishing memorandum", "Chile signs fishing memorandum",
                        BODY_1, BODY_2])
    result = article(text, settings)
    assert result.title == "Chile signs fishing memorandum"
    assert not result.text.startswith("Chile signs")
    assert result.text.startswith(BODY_1)


@pytest.mark.parametrize("opening", [[], ["[ad_1]"]])
def test_no_title_when_text_starts_with_prose(settings, opening):
    result = article("\n".join([*opening, BODY_1, BODY_2]), settings)
    assert result.title is None
    assert result.text.startswith(BODY_1)


def test_metadata_title_removes_only_a_matching_first_line(settings):
    result = article("\n\n".join(["Short subhead here", BODY_1]), settings, title="Something else")
    assert result.title == "Something else" and result.text.startswith("Short subhead here")


def test_all_boilerplate_is_an_input_error(settings):
    with pytest.raises(InputError) as caught:
        article("Share this article on Facebook and Twitter\n[ad_1]\nSource link\n", settings)
    assert caught.value.origin == "test.txt"


# --- reprints ---

def test_autoblog_markers_mark_a_reprint(settings):
    result = article("\n".join(["[ad_1]", BODY_1, BODY_2, "[ad_2]", "Source link"]), settings)
    assert result.reprint is True
    assert {"[ad_1]", "[ad_2]", "Source link"} <= set(result.removed)


def test_outlet_footer_followed_by_foreign_artifacts_marks_a_reprint(settings):
    footer = ["Reuters Daily Newsletter", "Sign up to get the day's news. Unsubscribe anytime."]
    original = article("\n\n".join([BODY_1, BODY_2, *footer]), settings)
    copied = article("\n\n".join([BODY_1, BODY_2, *footer, "Comments are closed."]), settings)
    assert original.reprint is False and copied.reprint is True
    assert original.outlet == copied.outlet == "Reuters"


def test_plain_article_is_not_a_reprint(settings):
    assert article("\n\n".join([BODY_1, BODY_2]), settings).reprint is False


# --- dates ---

def test_stamp_line_gives_the_date(settings):
    result = article("\n".join(["Chile signs fishing memorandum", "3 Mar, 2019 10:15", BODY_1]), settings)
    assert result.published == "2019-03-03"
    assert "3 Mar, 2019 10:15" in result.removed


@pytest.mark.parametrize("stamp, expected", [
    ("2021-04-10T22:53:00Z", "2021-04-10"), ("Jan 5, 2022", "2022-01-05"),
    ("Published: March 3, 2020 at 10:15 am EST", "2020-03-03"), ("Friday, 8 May 2015", "2015-05-08"),
])
def test_stamp_formats(stamp, expected):
    finding = date_from_text([stamp], BODY_1, TODAY)
    assert finding.date == dt.date.fromisoformat(expected)


def test_dateline_with_year(settings):
    result = article(f"OSLO, March 3, 2019 (Reuters) - {BODY_1}", settings)
    assert result.published == "2019-03-03"


def test_dateline_without_year_and_no_weekday_stays_empty_with_a_note(settings):
    result = article(f"OSLO, March 3. /TASS/. {BODY_1}\n{BODY_2}", settings)
    assert result.published is None
    assert result.published_note == "dateline gives March 3 without a year and no weekday pins it"
    assert result.outlet == "TASS"


def test_dateline_weekday_pins_the_year():
    finding = date_from_text([], f"OSLO, Thursday, February 3 (Reuters) - {BODY_1}", TODAY)
    assert finding.date == dt.date(2022, 2, 3)  # the latest Thursday 3 February up to 2026-11-21


def test_weekday_mention_pins_the_latest_year_not_after_today():
    # 12 November falls on a Thursday in 2026 and 2020; 26 November 2026 is after "today".
    assert infer_year(11, 12, 3, TODAY) == 2026
    assert infer_year(11, 26, 3, TODAY) == 2020
    finding = date_from_text([], f"The minister said on Thursday (26 November) that {BODY_1}", TODAY)
    assert finding.date == dt.date(2020, 11, 26)
    assert "2020" in finding.note and "Thursday" in finding.note


def test_weekday_that_never_matches_leaves_the_date_empty():
    # 31 February does not exist, so no weekday can pin it.
    finding = date_from_text([], f"Officials spoke on Monday (31 February). {BODY_1}", TODAY)
    assert finding.date is None and "no year" in finding.note


def test_no_date_is_never_today(settings):
    result = article("\n\n".join([BODY_1, BODY_2]), settings)
    assert result.published is None
    assert result.published_note.startswith("no date")


def test_metadata_date_comes_first_and_is_normalised(settings):
    assert article(BODY_1, settings, published="2018-09-04T10:00:00Z").published == "2018-09-04"
    assert article(BODY_1, settings, published="4/9/18").published == "2018-04-09"
    assert parse_date_value("not a date", TODAY) is None
    assert parse_date_value("NaN", TODAY) is None


# --- outlets ---

def test_outlet_from_url_and_subdomain():
    table = load_outlets()
    assert outlet_from_url("https://www.rt.com/news/1234-story/", table) == "RT"
    assert outlet_from_url("https://edition.cnn.com/2022/01/05/world/x.html", table) == "CNN"
    assert outlet_from_url("https://www.example.org/x", table) == "example.org"  # unknown site: its domain
    assert outlet_from_url("not a url", table) is None


@pytest.mark.parametrize("opening, expected", [
    ("OSLO, March 3 (Reuters) -", "Reuters"),
    ("OSLO, March 3 (AP) —", "Associated Press"),
    ("MOSCOW, March 3. /TASS/.", "TASS"),
])
def test_outlet_from_agency_tag(settings, opening, expected):
    assert article(f"{opening} {BODY_1}", settings).outlet == expected


def test_outlet_from_self_reference_line(settings):
    text = "\n\n".join([BODY_1, "Also on aljazeera.com Fishing fleets clash at sea", BODY_2])
    assert article(text, settings).outlet == "Al Jazeera"


def test_outlet_metadata_is_canonicalised(settings):
    assert article(BODY_1, settings, outlet="washingtonpost.com").outlet == "Washington Post"
    assert article(BODY_1, settings, outlet="The Guardian").outlet == "Guardian"
    assert article(BODY_1, settings, outlet="Coast Weekly").outlet == "Coast Weekly"


def test_url_outlet_beats_agency_tag(settings):
    result = article(f"OSLO, March 3 (Reuters) - {BODY_1}", settings,
                     url="https://www.theguardian.com/world/2019/mar/03/x")
    assert result.outlet == "Guardian"


# --- language ---

@pytest.mark.parametrize("text, code", [
    (BODY_1, "en"),
    ("Die Außenminister Norwegens und Chiles trafen sich in Oslo, um über Fangquoten zu sprechen.", "de"),
    ("Les ministres des Affaires étrangères de la Norvège et du Chili se sont rencontrés à Oslo.", "fr"),
])
def test_language(text, code):
    assert detect_language(text) == code


def test_language_of_too_little_text_is_unknown():
    assert detect_language("12:40") is None


# --- HTML ---

def test_html_page_gives_text_title_and_date(settings):
    page = f"""<html><head><title>Chile signs fishing memorandum | Coast Weekly</title>
    <meta property="article:published_time" content="2019-03-03T09:00:00+00:00">
    </head><body><nav><a href="/">Home</a> <a href="/world">World</a></nav>
    <article><h1>Chile signs fishing memorandum</h1><p>{BODY_1}</p><p>{BODY_2}</p><p>{BODY_3}</p>
    </article><footer>All rights reserved</footer></body></html>"""
    result = extract(RawDocument(origin="page.html", html=page,
                                 url="https://www.reuters.com/world/chile-fishing"), settings)
    assert BODY_1 in result.text and BODY_3 in result.text
    assert "All rights reserved" not in result.text and "Home" not in result.text
    assert result.title.startswith("Chile signs fishing memorandum")
    assert result.published == "2019-03-03" and result.outlet == "Reuters"


# --- knowledge files ---

def test_user_lexicon_with_a_bad_line_names_file_and_line(tmp_path, settings):
    path = tmp_path / "my_boilerplate.tsv"
    path.write_text("# mine\nsubscribe now\tnewsletter\tline\tno\nbroken line without tabs\n",
                    encoding="utf-8")
    with pytest.raises(KnowledgeFileError) as caught:
        load_lexicon((str(path),))
    assert f"{path}:3" in str(caught.value)


def test_user_lexicon_adds_patterns(tmp_path, settings):
    path = tmp_path / "my_boilerplate.tsv"
    path.write_text("continue reading below\tnavigation\tline\tno\n", encoding="utf-8")
    mine = dataclasses.replace(settings, knowledge_files=[str(path)])
    result = article("\n\n".join([BODY_1, "Continue reading below", BODY_2]), mine)
    assert result.removed == ["Continue reading below"]


def test_user_outlet_file_with_a_bad_domain_names_file_and_line(tmp_path):
    path = tmp_path / "my_outlets.tsv"
    path.write_text("coastweekly.example\tCoast Weekly\t\nnot a domain\tX\t\n", encoding="utf-8")
    with pytest.raises(KnowledgeFileError) as caught:
        load_outlets((str(path),))
    assert f"{path}:2" in str(caught.value)


def test_html_over_the_input_limit_is_an_input_error(settings):
    small = dataclasses.replace(settings, max_input_bytes=1000)
    page = "<html><body>" + f"<p>{BODY_1}</p>" * 20 + "</body></html>"
    with pytest.raises(InputError, match="exceeds the input limit"):
        extract(RawDocument(origin="big.html", html=page), small)


# --- page clutter around the article ---

def test_head_clutter_is_dropped_and_the_headline_found(settings):
    text = "\n".join([
        "COAST WEEKLY",
        "News  Opinion  Sport  Culture  Podcasts",
        "EN | NO | ES",
        "Home » World » Europe",
        "Norway and Chile agree on fishing talks",
        "By Kari Nordmann and Pablo Soto, fisheries correspondents",
        "Jane Roe   OSLO   Mar 3, 2025 10:35   Last Update: Mar 3, 2025 13:08",
        "Updated 2 hours ago",
        "Photo: Ola Hansen/Coast Weekly",
        BODY_1, BODY_2,
        "(Reporting by Kari Nordmann; Editing by Anne Berg)",
    ])
    result = article(text, settings)
    assert result.title == "Norway and Chile agree on fishing talks"
    assert result.text == "\n".join([BODY_1, BODY_2])
    assert result.published == "2025-03-03"


def test_a_relative_update_stamp_after_the_date_is_a_stamp(settings):
    text = "\n".join(["Norway and Chile agree on fishing talks",
                      "March 4, 2024 4:18 PM GMT+3 Updated 2 hours ago", BODY_1, BODY_2])
    result = article(text, settings)
    assert result.published == "2024-03-04" and result.text == "\n".join([BODY_1, BODY_2])


def test_related_headlines_and_support_lines_after_the_article_are_dropped(settings):
    text = "\n".join(["Norway and Chile agree on fishing talks", BODY_1, BODY_2, "Also read:",
                      "Chilean trawlers return to port", "Who decides the quotas?",
                      "Coast Weekly is funded by its readers. Support us at coastweekly.example/join",
                      "Tags: Norway, Chile, fishing"])
    result = article(text, settings)
    assert result.text == "\n".join([BODY_1, BODY_2])
    assert {"Chilean trawlers return to port", "Who decides the quotas?"} <= set(result.removed)


def test_a_table_row_is_not_a_menu():
    cleaned = clean_text("\n".join([BODY_1, "| 1 | Oslo | 5040 | 7 |", "| 2 | Bergen | 4410 | 3 |",
                                    BODY_2]))
    assert "| 1 | Oslo | 5040 | 7 |" in cleaned.text


@pytest.mark.parametrize("title", ["0899fb9c05b10dad", "article-20250303-fishing", "coastweekly.example",
                                   "Coast Weekly", "Coast Weekly | coastweekly.example",
                                   "Coast Weekly - News Every Hour - coastweekly.example"])
def test_ids_and_site_names_are_not_titles(settings, title):
    result = article("\n".join(["Norway and Chile agree on fishing talks", BODY_1, BODY_2]), settings,
                     title=title, outlet="Coast Weekly")
    assert result.title == "Norway and Chile agree on fishing talks"
    assert result.text == "\n".join([BODY_1, BODY_2])


def test_a_site_name_line_over_the_text_is_not_its_title(settings):
    result = article("\n".join(["Coast Weekly | coastweekly.example", BODY_1, BODY_2]), settings)
    assert result.title is None and result.text == "\n".join([BODY_1, BODY_2])


def test_a_headline_glued_to_the_first_sentence_is_cut_off(settings):
    title = "Norway and Chile agree on fishing talks"
    result = article("\n".join([f"{title} {BODY_1}", BODY_2]), settings, title=title)
    assert result.text == "\n".join([BODY_1, BODY_2])


def test_paragraphs_are_sentence_boundaries(settings):
    from eventwire import pipeline
    text = "\n".join(["Norway and Chile agree on fishing talks",
                      "Three ministers meet in Oslo as quotas run out",
                      "The ministers met on Monday. \"We are close,\" one said. \"Very close.\"",
                      "\"Talks go on,\" the other said."])
    processed = pipeline.process(text, settings=settings)
    sentences = [s.text.strip() for s in processed.sentences]
    assert sentences == ["Three ministers meet in Oslo as quotas run out", "The ministers met on Monday.",
                         "\"We are close,\" one said.", "\"Very close.\"", "\"Talks go on,\" the other said."]


def test_a_dateline_with_its_year_sets_the_date_and_ends_a_sentence(settings):
    from eventwire import pipeline
    text = ("Norway and Chile agree on fishing talks\n"
            f"OSLO, 3 March, 2025 /Coast Weekly/. {BODY_1}\n{BODY_2}")
    processed = pipeline.process(text, settings=settings)
    assert processed.published == "2025-03-03"
    assert [s.text.strip() for s in processed.sentences][:2] == ["OSLO, 3 March, 2025 /Coast Weekly/.", BODY_1]


# --- one name per outlet ---

def test_a_site_missing_from_the_table_is_named_by_its_masthead(settings):
    text = "\n".join(["COAST WEEKLY", "News | Opinion | Sport | Culture", "Norway and Chile agree on fishing talks",
                      BODY_1, BODY_2, "© 2025 Coast Weekly Media Ltd - coastweekly.example"])
    result = article(text, settings)
    assert (result.outlet, result.outlet_domain) == ("Coast Weekly", "coastweekly.example")


def test_a_common_word_in_a_footer_is_not_an_outlet(settings):
    footer = ["Sign up for our morning newsletter.", "Unsubscribe at any time. Read our privacy policy."]
    assert article("\n".join([BODY_1, BODY_2, *footer]), settings).outlet is None
    owned = ["Time's Morning Newsletter", "Unsubscribe at any time. Read our privacy policy."]
    assert article("\n".join([BODY_1, BODY_2, *owned]), settings).outlet == "Time"
