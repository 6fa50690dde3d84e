"""The extraction scorer (scrapinghub benchmark conventions) on tiny hand-made gold files."""

from __future__ import annotations

import gzip
import json

import pytest

from eventwire.evaluation import run
from eventwire.evaluation.extraction import match_counts, score, shingles, tokenize

BODY = ("The harbour authority in Valparaiso reopened the northern pier on Monday after "
        "repairs that took three months and cost more than expected.")
EXTRA = "Fishermen said the delay had cost them most of the summer season."


def test_tokens_and_shingles():
    assert tokenize("Pier, re-opened: 3 months!") == ["Pier", "re", "opened", "3", "months"]
    assert sum(shingles("a b c d e").values()) == 2  # (a b c d), (b c d e)
    assert list(shingles("a b")) == [("a", "b")]  # fewer tokens than a shingle: one short gram
    assert not shingles("")


def test_identical_texts_score_one():
    assert score({"x": BODY}, {"x": BODY}) == {"precision": 1.0, "recall": 1.0, "f1": 1.0,
                                               "accuracy": 1.0}


def test_extra_text_lowers_precision_and_missing_text_lowers_recall():
    extra = score({"x": BODY}, {"x": BODY + " " + EXTRA})
    assert extra["recall"] == 1.0 and extra["precision"] < 1.0 and extra["accuracy"] == 0.0
    missing = score({"x": BODY + " " + EXTRA}, {"x": BODY})
    assert missing["precision"] == 1.0 and missing["recall"] < 1.0
    tp, fp, fn = match_counts(BODY, BODY + " " + EXTRA)
    assert fn == 0 and abs(tp + fp - 1.0) < 1e-9  # counts are normalised per item


def test_empty_prediction_counts_for_recall_only():
    result = score({"x": BODY, "y": BODY}, {"x": BODY, "y": ""})
    assert result["precision"] == 1.0  # y predicted nothing: not in the precision mean
    assert result["recall"] == 0.5
    assert result["f1"] == pytest.approx(2 * 0.5 / 1.5, abs=1e-4)
    assert result["accuracy"] == 0.5


def test_punctuation_and_spacing_do_not_matter():
    assert score({"x": BODY}, {"x": BODY.replace(" ", "\n  ").replace(",", " ,")})["accuracy"] == 1.0


def _page(body: str, clutter: str) -> str:
    return (f"<html><head><title>Pier reopens</title></head><body><nav>{clutter}</nav>"
            f"<article><h1>Pier reopens</h1><p>{body}</p><p>{EXTRA}</p></article>"
            f"<footer>Contact us - Terms of use</footer></body></html>")


def test_run_on_a_tiny_benchmark_folder(tmp_path, settings):
    (tmp_path / "html").mkdir()
    gold = {
        "a" * 64: {"articleBody": f"{BODY}\n{EXTRA}", "url": "https://example.org/a"},
        # gold text that is not on the page: the score must come out below 1
        "b" * 64: {"articleBody": f"{BODY}\nA paragraph the page never printed, added by hand.",
                   "url": "https://example.org/b"},
    }
    (tmp_path / "ground-truth.json").write_text(json.dumps(gold), encoding="utf-8")
    for key in gold:
        (tmp_path / "html" / f"{key}.html.gz").write_bytes(
            gzip.compress(_page(BODY, "Home World Sport").encode("utf-8")))
    report = run("extraction", tmp_path, settings)
    assert report.items == 2
    assert 0.5 < report.metrics["f1"] < 1.0
    assert report.metrics["recall"] < 1.0
    assert report.metrics["accuracy"] == 0.5
    assert "trafilatura (default)" in report.peers
    assert report.errors[0]["item"] == "b" * 64  # the worst item is listed first
