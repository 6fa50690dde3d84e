"""Quotes stage on small hand-written texts: marks, attributions, speakers, the cue lexicon."""

from __future__ import annotations

import dataclasses

import pytest

from eventwire import nlp, pipeline
from eventwire.actors import resolve_actors
from eventwire.errors import KnowledgeFileError
from eventwire.quotes import find_quotes
from eventwire.quotes.lexicon import load_cues, read_cue_file
from eventwire.quotes.marks import quoted_spans
from eventwire.records import Article, ParsedArticle

from budgets import busy_article, stops_within


@pytest.fixture(scope="module")
def quotes_of(settings):
    """Run the real pipeline stages on a text and return its quotes."""
    def run(text: str, run_settings=None):
        run_settings = run_settings or settings
        doc = next(nlp.parse([text], run_settings.model))
        return pipeline.analyse(Article(id="t", text=text), doc, run_settings).quotes
    return run


def only(quotes, kind=None, text=None):
    chosen = [q for q in quotes if (kind is None or q.kind == kind) and (text is None or q.text == text)]
    assert len(chosen) == 1, [(q.kind, q.text) for q in quotes]
    return chosen[0]


# --- quotation marks, without the parse ---

def contents(text):
    return [text[s.start:s.end] for s in quoted_spans(text)]


def test_marks_pair_curly_straight_and_guillemets():
    text = 'He said “one two,” then "three four" and «five six».'
    assert contents(text) == ["one two,", "three four", "five six"]


def test_marks_skip_apostrophes_and_keep_single_quotes():
    text = "Turkey’s envoy didn’t name the countries’ leaders but called it ‘not aimed at anyone’."
    assert contents(text) == ["not aimed at anyone"]


def test_marks_survive_a_closing_mark_used_to_open():
    text = 'They agreed to ”coordinate steps now," he said. Later “we are ready,” she said.'
    assert contents(text) == ["coordinate steps now,", "we are ready,"]


def test_marks_run_over_paragraphs():
    text = "“The first paragraph goes on.\n\n“The second one ends it,” she said.\n\nNo quote here."
    spans = quoted_spans(text)
    assert len(spans) == 1 and spans[0].paragraphs == 2
    assert text[spans[0].start:spans[0].end].startswith("The first paragraph")
    assert text[spans[0].start:spans[0].end].endswith("ends it,")


def test_marks_new_speakers_turn_ends_a_running_quote():
    text = '"SMITH: Are you ready?\n\n"JONES: We are ready.\n'
    assert contents(text) == ["SMITH: Are you ready?", "JONES: We are ready."]


def test_transcript_turns_have_their_speakers(quotes_of):
    text = ("SMITH: Are you ready for the vote?\n\nJONES: We are ready and we will win.\n\n"
            "SMITH: Thank you very much.\n")
    speakers = [(q.speaker.text, q.text) for q in quotes_of(text)]
    assert speakers == [("SMITH", "Are you ready for the vote?"),
                        ("JONES", "We are ready and we will win."),
                        ("SMITH", "Thank you very much.")]


def test_marks_stray_opening_mark_spoils_nothing_else():
    text = '"A stray mark opens this line and never closes\n\n“A real quote,” he said.'
    assert "A real quote," in contents(text)


# --- the stage on parsed text ---

def test_direct_quote_with_named_speaker(quotes_of):
    text = "“We will not back down,” Foreign Minister Jane Doe said on Monday."
    quote = only(quotes_of(text), "direct")
    assert quote.text == "We will not back down,"
    assert text[quote.start:quote.end] == quote.text
    assert quote.speaker.text == "Foreign Minister Jane Doe"
    assert text[quote.speaker.start:quote.speaker.end] == quote.speaker.text
    assert quote.cue == "said"
    assert quote.id == "t-q1"


def test_straight_quote_after_colon(quotes_of):
    quote = only(quotes_of('The mayor told reporters: "The bridge will open in May."'), "direct")
    assert quote.text == "The bridge will open in May."
    assert quote.speaker.text == "The mayor"


def test_partial_quote_inside_reporters_sentence(quotes_of):
    quotes = quotes_of("The minister said the policy was “not aimed at anyone” and would stay.")
    partial = only(quotes, "partial")
    assert partial.text == "not aimed at anyone"
    assert partial.speaker.text == "The minister"


def test_quote_over_two_paragraphs(quotes_of):
    text = ("“Our first goal is peace in the region.\n\n“Our second goal is trade with every "
            "neighbour,” the spokesman said.")
    quote = only(quotes_of(text), "direct")
    assert quote.text.startswith("Our first goal") and quote.text.endswith("every neighbour,")
    assert quote.speaker.text == "the spokesman"


def test_quote_split_by_its_attribution(quotes_of):
    text = "“We are ready to talk,” Smith said. “But we will not wait forever.”"
    first, second = [q for q in quotes_of(text) if q.kind == "direct"]
    assert first.speaker.text == "Smith"
    assert second.text == "But we will not wait forever."
    assert second.speaker is not None and second.speaker.text == "Smith"


def test_indirect_said_that(quotes_of):
    quote = only(quotes_of("The Kremlin said that the drills would end on Friday."), "indirect")
    assert quote.text == "the drills would end on Friday"
    assert quote.speaker.text == "The Kremlin"
    assert quote.cue == "said"


def test_indirect_told_and_trailing_attribution(quotes_of):
    told = only(quotes_of("The envoy told Reuters the ceasefire was holding."), "indirect")
    assert told.text == "the ceasefire was holding" and told.speaker.text == "The envoy"
    after = only(quotes_of("The talks will resume next month, the ministry warned."), "indirect")
    assert after.text == "The talks will resume next month"
    assert after.speaker.text == "the ministry" and after.cue == "warned"


def test_directive_verb_reports_its_infinitive(quotes_of):
    quote = only(quotes_of("The president vowed to rebuild the bridge within a year."), "indirect")
    assert quote.text == "to rebuild the bridge within a year"
    assert quote.speaker.text == "The president" and quote.cue == "vowed"
    assert not quotes_of("Oil prices continued to rise in March.")


def test_according_to(quotes_of):
    quote = only(quotes_of("According to the ministry, the border will reopen next week."), "indirect")
    assert quote.text == "the border will reopen next week"
    assert quote.speaker.text == "the ministry"
    assert quote.cue == "According to"


def test_statement_by_an_institution(quotes_of):
    text = "The Turkish Foreign Ministry said in a statement that it welcomed the agreement."
    quote = only(quotes_of(text), "indirect")
    assert quote.cue == "said in a statement"
    assert quote.speaker.text == "The Turkish Foreign Ministry"
    assert quote.speaker.country == "TUR"


def test_document_speaks_for_its_author(quotes_of):
    text = "According to a statement from the Greek Foreign Ministry, the envoy was recalled."
    quote = only(quotes_of(text), "indirect")
    assert quote.speaker.text == "the Greek Foreign Ministry"


def test_pronoun_speaker_resolved_through_memory(quotes_of):
    text = ("Russian Foreign Minister Sergei Lavrov met reporters in Moscow on Tuesday.\n\n"
            "“We see no reason for alarm,” he said.")
    quote = only(quotes_of(text), "direct")
    assert quote.speaker.text == "he"
    assert text[quote.speaker.start:quote.speaker.end] == "he"
    assert quote.speaker.country == "RUS"


def test_dash_attribution(quotes_of):
    quote = only(quotes_of("“The vote was a disgrace.” ― Maria Lopez\n"), "direct")
    assert quote.speaker.text == "Maria Lopez"


def test_titles_and_scare_quotes_are_not_quotes(quotes_of):
    quotes = quotes_of('She spoke on "Face the Nation" about the so-called “peace dividend” today.')
    assert quotes == []


def test_apostrophes_make_no_quotes(quotes_of):
    assert quotes_of("Turkey’s president didn’t attend the allies’ summit in June.") == []


def test_quote_ids_are_stable_and_in_text_order(quotes_of):
    text = "“One,” Smith said. The Kremlin said that the drills would end on Friday."
    quotes = quotes_of(text)
    assert [q.id for q in quotes] == [f"t-q{n}" for n in range(1, len(quotes) + 1)]
    assert [q.start for q in quotes] == sorted(q.start for q in quotes)
    assert quotes == quotes_of(text)


def test_find_quotes_uses_the_existing_parse(settings):
    text = "“Enough,” Smith said."
    doc = next(nlp.parse([text], settings.model))
    quotes = find_quotes(ParsedArticle(Article(id="a", text=text), doc), settings)
    assert [q.text for q in quotes] == ["Enough,"]


# --- the cue lexicon ---

def test_bundled_lexicon_loads():
    lexicon = load_cues()
    assert lexicon.is_speech("say") and lexicon.is_speech("warn")
    assert ("according", "to") in lexicon.source
    assert not lexicon.is_speech("eat")


def test_bad_cue_file_names_file_and_line(tmp_path):
    path = tmp_path / "my_quote_cues.tsv"
    path.write_text("# header\nsay\tspeech\nmurmur\tverbish\n", encoding="utf-8")
    with pytest.raises(KnowledgeFileError) as error:
        read_cue_file(path)
    assert f"{path}:3" in str(error.value) and "verbish" in str(error.value)


def test_user_cue_file_adds_a_speech_verb(tmp_path, settings, quotes_of):
    text = "The general grumbled that the supplies were late."
    assert not [q for q in quotes_of(text) if q.kind == "indirect"]
    path = tmp_path / "extra_quote_cues.tsv"
    path.write_text("grumble\tspeech\n", encoding="utf-8")
    custom = dataclasses.replace(settings, knowledge_files=[str(path)])
    quote = only(quotes_of(text, custom), "indirect")
    assert quote.text == "the supplies were late" and quote.speaker.text == "The general"


def test_the_quotes_stage_stops_mid_article_when_the_budget_runs_out(settings):
    """The budget is checked per quoted span and per speech verb, not only before the stage."""
    article = Article(id="t", text=busy_article(40))
    parsed = resolve_actors(ParsedArticle(article, next(nlp.parse([article.text], settings.model))),
                            settings)
    assert len(find_quotes(parsed, settings)) >= 40
    whole, stopped = stops_within(lambda: find_quotes(parsed, settings))
    assert whole > 40  # at least one check per quotation
    assert stopped == whole // 4 + 1
