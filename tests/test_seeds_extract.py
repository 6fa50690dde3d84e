"""End-to-end ingest + extraction on the seed articles (read from the shared folder at test time)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from eventwire.extract import extract
from eventwire.ingest import read_paths
from eventwire.records import Article, RawDocument


@pytest.fixture(scope="module")
def seeds(shared, settings) -> dict[str, tuple[list[str], Article]]:
    """Seed number ('000'...) -> (the raw non-empty lines, the extracted Article)."""
    folder = Path(shared) / "seeds"
    out = {}
    for raw in read_paths([str(folder)], settings):
        assert isinstance(raw, RawDocument), raw
        lines = [line.strip() for line in raw.text.splitlines() if line.strip()]
        out[Path(raw.origin).name[:3]] = (lines, extract(raw, settings))
    return out


def test_the_folder_reads_only_the_five_articles(seeds):
    assert sorted(seeds) == ["000", "001", "002", "003", "004"]  # README.md is skipped


def test_every_seed_keeps_its_article_paragraphs(seeds):
    for number, (lines, article) in seeds.items():
        long_lines = [line for line in lines
                      if len(line.split()) > 25 and re.search(r"[.!?][”\"’]?$", line)]
        assert long_lines, number
        dropped = [line for line in long_lines if line not in article.text]
        assert all(line in article.removed for line in dropped), number
        # at most one long sentence-like line is boilerplate (a newsletter's consent notice)
        assert len(dropped) <= 1, (number, dropped)
        assert article.language == "en"


def test_000_outlet_date_title_and_boilerplate(seeds):
    lines, article = seeds["000"]
    assert article.outlet == "RT"
    assert article.published == "2021-04-10"
    headline = lines[2]  # icon run, time stamp, then the headline (printed twice)
    assert article.title == headline
    assert not article.text.startswith(headline) and headline not in article.text
    assert "icon" not in article.text
    assert "Also on rt.com" not in article.text
    assert "Share it" not in article.text
    assert not re.search(r"^\d{1,2}:\d{2}$", article.text, re.M)  # podcast timers
    assert article.text.rstrip().endswith(lines[-7])  # last body paragraph before the tail block
    assert article.reprint is False


def test_001_tass_dateline_without_year(seeds):
    lines, article = seeds["001"]
    assert article.outlet == "TASS"
    assert article.title == lines[0]
    assert article.published is None
    assert "without a year" in article.published_note and "no weekday pins it" in article.published_note
    assert article.reprint is False


def test_002_daily_sabah_reprint_from_newsletter_footer(seeds):
    lines, article = seeds["002"]
    assert article.outlet == "Daily Sabah"
    assert article.reprint is True
    assert article.published is None and article.published_note
    assert article.title == lines[0]
    for word in ("Newsletter", "reCAPTCHA", "unsubscribe", "Keep up to date"):
        assert word not in article.text
    assert lines[-1] in article.removed  # the republisher's byline
    assert lines[-1] not in article.text


def test_003_autoblog_reprint_dated_by_weekday(seeds, settings):
    lines, article = seeds["003"]
    # The text starts with an ad marker and then body prose: there is no headline.
    assert article.title is None
    assert article.reprint is True
    assert "[ad_" not in article.text and "Source link" not in article.text
    # "on Tuesday (29 December)" without a year: 29 December is a Tuesday in 2020 and 2026,
    # and 2026-12-29 is after settings.today (2026-11-21), so the latest year is 2020.
    assert settings.today.isoformat() == "2026-11-21"
    assert article.published == "2020-12-29"
    assert "Tuesday" in article.published_note
    # No outlet signal (URL, tag, self-reference, footer) survives in this copy.
    assert article.outlet is None
    # A short subhead inside the body stays.
    short_body_lines = [line for line in lines[1:-2] if len(line.split()) <= 4]
    for line in short_body_lines:
        assert line in article.text


def test_004_daily_sabah_reprint_with_comment_notice(seeds):
    lines, article = seeds["004"]
    assert article.outlet == "Daily Sabah"
    assert article.reprint is True
    assert article.published is None
    assert "Comments are closed." not in article.text
    assert "Comments are closed." in article.removed
    assert article.title == lines[0]


def test_ids_are_hashes_of_the_clean_text(seeds):
    from eventwire.records import content_hash
    ids = {article.id for _lines, article in seeds.values()}
    assert len(ids) == 5
    for _lines, article in seeds.values():
        assert article.id == content_hash(article.text)


def test_seed_evidence_sentences_carry_no_page_clutter(seed_articles):
    from page_clutter import clutter_in
    problems = [(name, *found) for name, article in seed_articles.items() for found in clutter_in(article)]
    assert problems == []
    assert sum(len(a.events) for a in seed_articles.values()) > 50
