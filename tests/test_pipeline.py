"""The pipeline's isolation of documents: one document's failure, size or slowness is that
document's error line, and its neighbours in the batch come out as if it were not there."""

from __future__ import annotations

import dataclasses
import time

import pytest

from eventwire import limits, nlp, pipeline
from eventwire.errors import EventwireError
from eventwire.records import Article, ProcessingError, RawDocument

from budgets import StepBudget, busy_article

GOOD = ["Greece and Turkey signed a maritime agreement in Athens on Monday.",
        "Norway and Chile agreed on Tuesday to hold talks on fishing quotas in Oslo.",
        "The European Union imposed new sanctions on shipping companies on Friday."]


def long_text(words: int) -> str:
    """Text of about ``words`` words in paragraphs, written for these tests."""
    sentence = ("Delegates from {n} coastal states met in a harbour town to discuss quotas, "
                "ferry routes and the price of fuel, and agreed to meet again in the spring.")
    paragraphs = [" ".join(sentence.format(n=n + k) for k in range(5)) for n in range(words // 120)]
    return "\n\n".join(paragraphs)


def run(raws, settings) -> list[Article | ProcessingError]:
    return list(pipeline.process_documents(raws, settings))


def with_neighbours(bad: RawDocument) -> list[RawDocument]:
    return [RawDocument(origin="good-0", text=GOOD[0]), bad,
            RawDocument(origin="good-1", text=GOOD[1]), RawDocument(origin="good-2", text=GOOD[2])]


def assert_isolated(results, bad_origin: str, code: str, reason: str) -> ProcessingError:
    good, bad = [results[0], *results[2:]], results[1]
    assert [type(r) for r in good] == [Article] * 3, good
    assert [r.text for r in good] == GOOD
    assert isinstance(bad, ProcessingError) and bad.origin == bad_origin, bad
    assert bad.code == code and reason in bad.reason, bad
    return bad


def test_a_url_that_breaks_outlet_detection_fails_only_its_document(settings):
    bad = RawDocument(origin="feed.jsonl:7", text=GOOD[0] + " Again.", url="http://[::1")
    assert_isolated(run(with_neighbours(bad), settings), "feed.jsonl:7", "E001", "not a valid URL")


def test_too_little_text_is_reported_as_such(settings):
    for text in ("Hello", "\u200b\u2060 \u00ad \u200b", "-- 42 --"):
        bad = RawDocument(origin="short.txt", text=text)
        assert_isolated(run(with_neighbours(bad), settings), "short.txt", "E011", "too little text")


def test_a_page_with_too_many_attributes_is_refused_before_parsing(settings):
    attributes = " ".join(f'data-a{i}="v"' for i in range(settings.max_attributes_per_element + 1))
    bad = RawDocument(origin="page.html", html=f"<html><body><div {attributes}><p>{GOOD[0]}</p>"
                                               "</div></body></html>")
    started = time.perf_counter()
    assert_isolated(run(with_neighbours(bad), settings), "page.html", "E001", "attributes")
    assert time.perf_counter() - started < 60


def test_a_text_over_the_section_size_is_parsed_in_sections_not_refused(settings):
    text = long_text(3000)
    small = dataclasses.replace(settings, section_chars=2000)
    (article,) = run([RawDocument(origin="long.txt", text=text)], small)
    assert isinstance(article, Article), article
    assert article.text == text
    assert article.sentences[-1].end <= len(text) and len(article.sentences) > 100
    doc = next(nlp.parse([text], settings.model, section_chars=2000))
    assert doc.text == text and len(nlp.sections(text, 2000)) > 5


def test_sections_end_at_breaks_and_cover_the_text():
    text = long_text(1200) + " " + "x&" * 2500
    pieces = nlp.sections(text, 1000)
    assert "".join(pieces) == text
    assert all(len(p) <= 1000 for p in pieces)
    assert all(p.endswith(("\n\n", ". ", " ")) for p in pieces if "x&" not in p)
    # a run without whitespace is cut: spaCy's tokenizer is quadratic on it
    run_pieces = [p for p in pieces if "x&" in p]
    assert len(run_pieces) == 10 and all(len(p.split()[-1]) <= nlp.MAX_RUN for p in run_pieces)


def test_a_long_run_without_spaces_costs_linear_time(settings):
    list(nlp.parse(["warm up"], settings.model))
    started = time.thread_time()
    doc = next(nlp.parse(["\ufffd\ufffd&" * 4000], settings.model, 1))
    assert time.thread_time() - started < 6  # about 2 s here; 14 s when handed over in one run
    assert len(doc.text) == 12_000


def test_a_document_over_its_time_budget_fails_alone_and_in_bounded_time(settings):
    tight = dataclasses.replace(settings, time_budget_seconds=1.0)
    bad = RawDocument(origin="slow.txt", text=long_text(12000))
    started = time.perf_counter()
    results = run(with_neighbours(bad), tight)
    assert_isolated(results, "slow.txt", "E012", "time budget of 1 CPU seconds")
    assert time.perf_counter() - started < 45  # the 12,000 words alone take far longer


def test_a_batch_that_fails_to_parse_is_parsed_one_by_one(settings, monkeypatch):
    """A fault injected into the parser for one text: the batch call fails, each document is
    then parsed alone, and only the one the parser cannot take fails."""
    real_parse = nlp.parse
    poison = "This text makes the parser fail."

    def parse(texts, *args, **kwargs):
        texts = list(texts)
        if poison in texts:
            raise ValueError("the parser failed on this text")
        return real_parse(texts, *args, **kwargs)

    monkeypatch.setattr(nlp, "parse", parse)
    bad = RawDocument(origin="poison.txt", text=poison)
    failed = assert_isolated(run(with_neighbours(bad), settings), "poison.txt", "E010",
                             "parsing failed: ValueError: the parser failed on this text")
    assert failed.origin == "poison.txt"


def test_an_exception_in_analysis_names_the_document_and_its_line(settings, monkeypatch):
    real = pipeline.analyse

    def analyse(article, doc, run_settings, check):
        if "Chile" in article.text:
            raise KeyError("a stage met something it did not expect")
        return real(article, doc, run_settings, check)

    monkeypatch.setattr(pipeline, "analyse", analyse)
    raws = [RawDocument(origin=f"feed.jsonl:{i + 1}", text=t) for i, t in enumerate(GOOD)]
    results = run(raws, settings)
    assert [type(r) for r in results] == [Article, ProcessingError, Article]
    assert results[1].origin == "feed.jsonl:2" and results[1].code == "E010"
    assert "analysis failed: KeyError" in results[1].reason


def test_read_errors_pass_through_in_order(settings):
    error = ProcessingError("broken.txt", "binary file", "E001")
    results = run([RawDocument(origin="a", text=GOOD[0]), error], settings)
    assert isinstance(results[0], Article) and results[1] is error


def test_process_raises_a_clear_error_for_a_bad_document(settings):
    with pytest.raises(EventwireError, match="too little text"):
        pipeline.process("Hello", settings=settings)


def test_a_document_stopped_mid_analysis_is_an_error_not_a_partial_article(settings, monkeypatch):
    """Budgets of 60 checks: enough for a short article, not for one of 60 sentences, whose
    analysis stops part-way. No partial article comes out, only its E012 error line."""
    monkeypatch.setattr(limits, "Budget", lambda seconds: StepBudget(steps=60))
    bad = RawDocument(origin="busy.txt", text=busy_article(60))
    assert_isolated(run(with_neighbours(bad), settings), "busy.txt", "E012", "time budget")
