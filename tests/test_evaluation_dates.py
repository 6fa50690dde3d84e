"""The date scorer on tiny hand-made gold files (with the bare NaN tokens of the real set)."""

from __future__ import annotations

import gzip

from eventwire.evaluation import run
from eventwire.evaluation.dates import load_gold, score

INDEX = """{
  "https://example.org/2019/03/03/pier-reopens": {"file": "1.html", "date": "2019-03-03"},
  "https://example.org/harbour": {"file": "2.html", "date": "2020-06-14"},
  "https://example.org/about": {"file": "3.html", "date": NaN}
}"""
PARAGRAPH = ("<p>The harbour authority reopened the northern pier after repairs that took three "
             "months and cost more than expected, officials said.</p>")


def _page(head: str = "", body: str = "") -> bytes:
    return (f"<html><head><title>Harbour</title>{head}</head><body><article>{PARAGRAPH}{body}"
            f"</article></body></html>").encode("utf-8")


def test_score_counts_empty_as_right_for_undated_pages():
    result = score(["2020-01-02", "2020-01-03", None], ["2020-01-02", None, None])
    assert result["accuracy"] == round(2 / 3, 4)
    assert result["acc_dated"] == 0.5
    assert result["empty"] == round(2 / 3, 4)
    assert score([None], ["2020-01-01"])["accuracy"] == 0.0


def _write_set(folder):
    (folder / "test_set").mkdir()
    (folder / "eval_mediacloud_2020.json").write_text(INDEX, encoding="utf-8")
    (folder / "test_set" / "1.html.gz").write_bytes(gzip.compress(_page(
        '<meta property="article:published_time" content="2019-03-03T08:00:00Z">')))
    (folder / "test_set" / "2.html.gz").write_bytes(gzip.compress(_page()))  # no date anywhere
    (folder / "test_set" / "3.html.gz").write_bytes(gzip.compress(_page()))


def test_load_gold_reads_nan_as_no_date(tmp_path):
    _write_set(tmp_path)
    items = load_gold(tmp_path)
    assert [date for _url, date, _html in items] == ["2019-03-03", "2020-06-14", None]


def test_run_on_a_tiny_set(tmp_path, settings):
    _write_set(tmp_path)
    report = run("dates", tmp_path, settings)
    assert report.items == 3
    # page 1 right from its meta tag, page 3 right by staying empty, page 2 missed: below 1
    assert report.metrics["accuracy"] == round(2 / 3, 4)
    assert report.metrics["acc_dated"] == 0.5
    assert "htmldate (default)" in report.peers
    assert [e["url"] for e in report.errors] == ["https://example.org/harbour"]
