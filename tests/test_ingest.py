"""Ingest: every input format, every kind of bad input, batches that carry on, stdin."""

from __future__ import annotations

import dataclasses
import gzip
import io
import json
import sys

import pytest

from eventwire.ingest import read_blob, read_paths, read_stdin
from eventwire.records import ProcessingError, RawDocument

from hostile_inputs import warc_bytes

ARTICLE = ("Ministers met in Geneva on Monday to discuss the ceasefire.\n\n"
           "Both sides said the talks were useful and agreed to meet again next week.\n")
PAGE = ("<html><head><meta charset='utf-8'><title>Talks in Geneva</title></head><body>"
        "<article><h1>Talks in Geneva</h1><p>Ministers met in Geneva on Monday.</p></article>"
        "</body></html>")


def read(paths, settings):
    return list(read_paths([str(p) for p in paths], settings))


def only(results):
    assert len(results) == 1, results
    return results[0]


def error_of(results) -> ProcessingError:
    result = only(results)
    assert isinstance(result, ProcessingError), result
    return result


# --- formats ---

def test_txt_file(tmp_path, settings):
    path = tmp_path / "a.txt"
    path.write_text(ARTICLE, encoding="utf-8")
    doc = only(read([path], settings))
    assert isinstance(doc, RawDocument)
    assert doc.text == ARTICLE and doc.html is None
    assert doc.origin == str(path) and doc.source_path == str(path)


def test_html_and_htm_files_and_gzip(tmp_path, settings):
    (tmp_path / "a.html").write_text(PAGE, encoding="utf-8")
    (tmp_path / "b.htm").write_text(PAGE, encoding="utf-8")
    (tmp_path / "c.html.gz").write_bytes(gzip.compress(PAGE.encode("utf-8")))
    (tmp_path / "d.txt.gz").write_bytes(gzip.compress(ARTICLE.encode("utf-8")))
    docs = read([tmp_path], settings)
    assert [type(d) for d in docs] == [RawDocument] * 4
    assert [d.html is not None for d in docs] == [True, True, True, False]
    assert docs[2].html == PAGE and docs[3].text == ARTICLE


def test_json_object_and_list_with_aliases(tmp_path, settings):
    (tmp_path / "one.json").write_text(json.dumps(
        {"content_original": ARTICLE, "date": "2022-02-03", "source": "Reuters",
         "url": "https://example.org/a", "title": "Talks"}), encoding="utf-8")
    (tmp_path / "many.json").write_text(json.dumps(
        [{"body": ARTICLE}, {"html": PAGE, "published": "2021-04-10"}]), encoding="utf-8")
    docs = read([tmp_path / "one.json", tmp_path / "many.json"], settings)
    assert all(isinstance(d, RawDocument) for d in docs)
    one, first, second = docs
    assert (one.text, one.published, one.outlet, one.url, one.title) == (
        ARTICLE, "2022-02-03", "Reuters", "https://example.org/a", "Talks")
    assert first.text == ARTICLE and first.origin.endswith("many.json:item 0")
    assert second.html == PAGE and second.published == "2021-04-10"


def test_jsonl_lines_name_their_line(tmp_path, settings):
    lines = [json.dumps({"text": ARTICLE, "url": "https://example.org/1"}),
             "",
             json.dumps({"content": ARTICLE, "outlet": "TASS"})]
    path = tmp_path / "batch.jsonl"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    docs = read([path], settings)
    assert [d.origin for d in docs] == [f"{path}:1", f"{path}:3"]
    assert docs[1].outlet == "TASS" and docs[1].text == ARTICLE


def test_jsonl_gz(tmp_path, settings):
    path = tmp_path / "batch.jsonl.gz"
    path.write_bytes(gzip.compress((json.dumps({"text": ARTICLE}) + "\n").encode("utf-8")))
    assert only(read([path], settings)).text == ARTICLE


def test_warc_gz_html_responses_with_target_uri(tmp_path, settings):
    path = tmp_path / "crawl.warc.gz"
    path.write_bytes(warc_bytes([
        ("https://news.example.org/geneva", PAGE.encode("utf-8"), "text/html; charset=utf-8"),
        ("https://news.example.org/logo.png", b"\x89PNG\r\n", "image/png"),
    ]))
    doc = only(read([path], settings))
    assert isinstance(doc, RawDocument)
    assert doc.url == "https://news.example.org/geneva" and doc.html == PAGE


def test_folder_is_recursive_and_sorted_and_skips_other_files(tmp_path, settings):
    (tmp_path / "b").mkdir()
    (tmp_path / "b" / "2.txt").write_text(ARTICLE, encoding="utf-8")
    (tmp_path / "a.txt").write_text(ARTICLE, encoding="utf-8")
    (tmp_path / "README.md").write_text("# notes", encoding="utf-8")
    (tmp_path / "image.png").write_bytes(b"\x89PNG\x00\x00")
    docs = read([tmp_path], settings)
    assert [d.origin for d in docs] == [str(tmp_path / "a.txt"), str(tmp_path / "b" / "2.txt")]


def test_cp1252_and_declared_charset_are_decoded(tmp_path, settings):
    (tmp_path / "win.txt").write_bytes("Caf\u00e9 talks \u2013 \u201cuseful\u201d".encode("cp1252"))
    page = "<html><head><meta charset='iso-8859-7'></head><body><p>\u0391\u03b8\u03ae\u03bd\u03b1</p></body></html>"
    (tmp_path / "greek.html").write_bytes(page.encode("iso-8859-7"))
    win, greek = read([tmp_path / "win.txt", tmp_path / "greek.html"], settings)
    assert win.text == "Caf\u00e9 talks \u2013 \u201cuseful\u201d"
    assert "\u0391\u03b8\u03ae\u03bd\u03b1" in greek.html


# --- bad input ---

def test_binary_file_is_an_error_naming_the_file(tmp_path, settings):
    path = tmp_path / "blob.txt"
    path.write_bytes(b"PK\x03\x04\x00\x00\x01\x02" * 100)
    error = error_of(read([path], settings))
    assert error.origin == str(path) and "binary" in error.reason


def test_empty_and_blank_files_are_errors(tmp_path, settings):
    (tmp_path / "empty.txt").write_bytes(b"")
    (tmp_path / "blank.html").write_text("  \n\t\n", encoding="utf-8")
    errors = read([tmp_path / "empty.txt", tmp_path / "blank.html"], settings)
    assert all(isinstance(e, ProcessingError) and "empty" in e.reason for e in errors)
    assert len(errors) == 2


def test_undecodable_text_is_an_error(tmp_path, settings):
    path = tmp_path / "bad.txt"
    path.write_bytes(b"Talks in Geneva \x81\x8d\x8f\x90\x9d ended.")  # invalid in UTF-8 and cp1252
    error = error_of(read([path], settings))
    assert "undecodable" in error.reason


def test_truncated_gzip_is_an_error(tmp_path, settings):
    path = tmp_path / "cut.html.gz"
    path.write_bytes(gzip.compress(PAGE.encode("utf-8") * 50)[:-30])
    error = error_of(read([path], settings))
    assert "truncated" in error.reason and error.origin == str(path)


def test_page_larger_than_the_limit_is_refused(tmp_path, settings):
    path = tmp_path / "huge.html"
    with path.open("wb") as stream:
        stream.write(b"<html><body>")
        block = b"<p>" + b"words " * 1000 + b"</p>\n"
        while stream.tell() < 50 * 1024 * 1024:
            stream.write(block)
    assert settings.max_input_bytes < 50 * 1024 * 1024
    error = error_of(read([path], settings))
    assert "exceeds the input limit" in error.reason


def test_gzip_expanding_past_the_limit_is_refused(tmp_path, settings):
    small = dataclasses.replace(settings, max_input_bytes=10_000)
    path = tmp_path / "bomb.txt.gz"
    path.write_bytes(gzip.compress(b"a" * 100_000))
    assert "exceeds the input limit" in error_of(read([path], small)).reason


def test_bad_json_lines_are_errors_with_line_numbers(tmp_path, settings):
    path = tmp_path / "mixed.jsonl"
    path.write_text("\n".join([
        json.dumps({"text": ARTICLE}),
        "[1, 2, 3]",
        "{not json",
        json.dumps({"url": "https://example.org/no-text"}),
        json.dumps({"text": ARTICLE}),
    ]), encoding="utf-8")
    results = read([path], settings)
    assert [type(r).__name__ for r in results] == [
        "RawDocument", "ProcessingError", "ProcessingError", "ProcessingError", "RawDocument"]
    assert results[1].origin == f"{path}:2" and "not an object" in results[1].reason
    assert results[2].origin == f"{path}:3" and "invalid JSON" in results[2].reason
    assert results[3].origin == f"{path}:4" and "no article text" in results[3].reason


def test_invalid_json_file_is_an_error(tmp_path, settings):
    path = tmp_path / "broken.json"
    path.write_text('{"text": "unterminated', encoding="utf-8")
    error = error_of(read([path], settings))
    assert "invalid JSON" in error.reason and error.origin == str(path)


def test_missing_path_is_an_error(tmp_path, settings):
    error = error_of(read([tmp_path / "nowhere.txt"], settings))
    assert "no such file" in error.reason


def test_truncated_warc_is_an_error(tmp_path, settings):
    path = tmp_path / "cut.warc.gz"
    path.write_bytes(warc_bytes([("https://news.example.org/a", PAGE.encode("utf-8") * 40,
                                   "text/html")])[:-40])
    results = read([path], settings)
    assert any(isinstance(r, ProcessingError) and r.origin.startswith(str(path)) for r in results)


def test_batch_carries_on_past_bad_files(tmp_path, settings):
    (tmp_path / "1.txt").write_text(ARTICLE, encoding="utf-8")
    (tmp_path / "2.txt").write_bytes(b"\x00\x01\x02binary")
    (tmp_path / "3.txt").write_bytes(b"")
    (tmp_path / "4.html").write_text(PAGE, encoding="utf-8")
    kinds = [type(r).__name__ for r in read([tmp_path], settings)]
    assert kinds == ["RawDocument", "ProcessingError", "ProcessingError", "RawDocument"]


# --- stdin ---

def test_stdin_text_json_and_jsonl(settings):
    doc = only(list(read_stdin(settings, io.BytesIO(ARTICLE.encode("utf-8")))))
    assert doc.text == ARTICLE and doc.origin == "<stdin>"
    doc = only(list(read_stdin(settings, io.BytesIO(json.dumps({"html": PAGE}).encode()))))
    assert doc.html == PAGE
    lines = (json.dumps({"text": ARTICLE}) + "\n" + json.dumps({"text": ARTICLE}) + "\n").encode()
    assert len(list(read_stdin(settings, io.BytesIO(lines)))) == 2


def test_stdin_text_opening_with_a_bracket_is_text(settings):
    """JSON is tried only when the whole input parses: a bracketed tag opens many news texts."""
    for opening in ("[Updated] ", "{Analysis} ", "[1] "):
        doc = only(list(read_stdin(settings, io.BytesIO((opening + ARTICLE).encode("utf-8")))))
        assert doc.text == opening + ARTICLE
    one_line_object = json.dumps({"text": ARTICLE}) + "\nnot json\n"
    doc = only(list(read_stdin(settings, io.BytesIO(one_line_object.encode()))))
    assert doc.text == one_line_object


def test_dash_reads_stdin(monkeypatch, settings):
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(PAGE.encode("utf-8"))))
    doc = only(list(read_paths(["-"], settings)))
    assert doc.html == PAGE


def test_empty_stdin_is_an_error(settings):
    error = error_of(list(read_stdin(settings, io.BytesIO(b""))))
    assert error.origin == "<stdin>" and "empty" in error.reason


@pytest.mark.parametrize("payload", [b"\x00\x00\x00\x00", b"\x7fELF\x02\x01\x01\x00\x00"])
def test_binary_stdin_is_an_error(settings, payload):
    assert "binary" in error_of(list(read_stdin(settings, io.BytesIO(payload)))).reason


def test_json_list_items_that_are_not_objects_are_errors(tmp_path, settings):
    path = tmp_path / "list.json"
    path.write_text(json.dumps([{"text": ARTICLE}, "just a string", 42]), encoding="utf-8")
    results = read([path], settings)
    assert [type(r).__name__ for r in results] == ["RawDocument", "ProcessingError", "ProcessingError"]
    assert results[1].origin == f"{path}:item 1" and "not an object" in results[1].reason


# --- limits that hold while reading ---

@pytest.mark.parametrize("encoding", ["utf-16-le", "utf-16-be", "utf-32-le", "utf-32-be"])
def test_utf16_and_utf32_with_a_byte_order_mark_are_decoded(tmp_path, settings, encoding):
    path = tmp_path / "wide.txt"
    path.write_bytes(("\ufeff" + ARTICLE).encode(encoding))
    assert only(read([path], settings)).text == ARTICLE
    lines = tmp_path / "wide.jsonl"
    lines.write_bytes(("\ufeff" + json.dumps({"text": ARTICLE}) + "\n").encode(encoding))
    assert only(read([lines], settings)).text == ARTICLE
    assert only(list(read_stdin(settings, io.BytesIO(path.read_bytes())))).text == ARTICLE


def test_a_line_over_the_limit_is_skipped_and_the_next_lines_read(tmp_path, settings):
    small = dataclasses.replace(settings, max_input_bytes=50_000)
    path = tmp_path / "long-line.jsonl.gz"
    with gzip.open(path, "wb") as stream:
        stream.write(json.dumps({"text": ARTICLE}).encode() + b"\n")
        stream.write(b'{"text": "' + b"word " * 200_000 + b'"}\n')
        stream.write(json.dumps({"text": ARTICLE, "url": "https://example.org/3"}).encode() + b"\n")
    first, long_line, third = read([path], small)
    assert first.text == ARTICLE and third.url == "https://example.org/3"
    assert long_line.origin == f"{path}:2" and "larger than the input limit" in long_line.reason


def test_a_decompression_bomb_stops_at_the_ratio_and_keeps_what_came_before(tmp_path, settings):
    path = tmp_path / "bomb.jsonl.gz"
    with gzip.open(path, "wb") as stream:
        stream.write(json.dumps({"text": ARTICLE}).encode() + b"\n")
        stream.write(b" " * (40 * 1024 * 1024) + b"\n")  # 40 MB of nothing, a few kilobytes packed
        stream.write(json.dumps({"text": ARTICLE}).encode() + b"\n")
    first, bomb = read([path], settings)
    assert first.text == ARTICLE
    assert bomb.origin == str(path) and "expands more than 100 times" in bomb.reason


def test_decompressed_total_is_capped(tmp_path, settings):
    small = dataclasses.replace(settings, max_decompressed_bytes=300_000)
    path = tmp_path / "many.jsonl.gz"
    path.write_bytes(gzip.compress((json.dumps({"text": ARTICLE}) + "\n").encode() * 5000))
    results = read([path], small)
    assert 0 < sum(isinstance(r, RawDocument) for r in results) < 5000
    assert "exceeds 300000 bytes" in results[-1].reason


@pytest.mark.parametrize("line, reason", [
    ('{"text": ' + "[" * 5000 + "]" * 5000 + "}", "nested too deeply"),
    ('{"text": 1' + "0" * 10_000 + "}", "invalid JSON"),
])
def test_json_that_breaks_the_parser_is_one_error(tmp_path, settings, line, reason):
    path = tmp_path / "odd.jsonl"
    path.write_text(line + "\n" + json.dumps({"text": ARTICLE}) + "\n", encoding="utf-8")
    error, doc = read([path], settings)
    assert error.origin == f"{path}:1" and reason in error.reason
    assert doc.text == ARTICLE
    single = tmp_path / "odd.json"
    single.write_text(line, encoding="utf-8")
    assert reason in error_of(read([single], settings)).reason


def test_a_files_errors_are_capped_then_summarised(tmp_path, settings):
    path = tmp_path / "noise.jsonl"
    path.write_text("[]\n" * 500 + json.dumps({"text": ARTICLE}) + "\n", encoding="utf-8")
    results = read([path], settings)
    errors = [r for r in results if isinstance(r, ProcessingError)]
    assert len(errors) == settings.max_errors_per_file + 1
    assert results[-2].text == ARTICLE  # the good line after the noise still comes out
    summary = results[-1]
    assert summary.count == 500 - settings.max_errors_per_file and "more documents" in summary.reason


def test_a_file_of_nothing_but_failures_stops_after_a_run_of_them(tmp_path, settings):
    few = dataclasses.replace(settings, max_failures_in_a_row=100)
    path = tmp_path / "garbage.jsonl"
    path.write_text("{x\n" * 1000 + json.dumps({"text": ARTICLE}) + "\n", encoding="utf-8")
    results = read([path], few)
    assert not any(isinstance(r, RawDocument) for r in results)
    assert sum(r.count for r in results) == 101
    assert any("in a row" in r.reason and r.origin == f"{path}:101" for r in results)


def test_odd_file_names_become_printable_origins(tmp_path, settings):
    import os
    raw_name = os.fsencode(tmp_path) + b"/caf\xe9\nnews.txt"  # Latin-1 bytes and a line break
    with open(raw_name, "wb") as stream:
        stream.write(ARTICLE.encode("utf-8"))
    doc = only(read([os.fsdecode(raw_name)], settings))
    assert doc.text == ARTICLE
    assert doc.origin.endswith("caf\ufffd\\x0anews.txt") and doc.origin.encode("utf-8")


def test_a_files_bytes_read_as_the_file_is(tmp_path, settings):
    """read_blob (a Spark task's reader) gives what read_file gives, errors and caps included."""
    files = {
        "a.txt": ARTICLE.encode("utf-8"),
        "b.html.gz": gzip.compress(PAGE.encode("utf-8")),
        "c.jsonl.gz": gzip.compress((json.dumps({"text": ARTICLE}) + "\n{x\n").encode("utf-8")),
        "d.warc.gz": warc_bytes([("https://news.example.org/geneva", PAGE.encode("utf-8"),
                                  "text/html; charset=utf-8")]),
        "e.jsonl": ("[]\n" * 50 + json.dumps({"text": ARTICLE}) + "\n").encode("utf-8"),
        "f.dat": json.dumps({"body": ARTICLE}).encode("utf-8"),  # no known suffix: sniffed
        "g.txt": b"",
    }
    for name, data in files.items():
        path = tmp_path / name
        path.write_bytes(data)
        from_file = read([path], settings)
        assert list(read_blob(data, str(path), settings)) == from_file, name
    assert sum(isinstance(r, RawDocument) for r in read([tmp_path], settings)) == 5


def test_clean_document_makes_text_safe_and_checks_the_url(settings):
    from eventwire.errors import InputError
    from eventwire.ingest import clean_document

    raw = RawDocument(origin="in.jsonl:1", text="Talks \ud800in\x00 Geneva", url="https://example.org/a")
    cleaned = clean_document(raw, settings)
    assert cleaned.text == "Talks \ufffdin Geneva" and cleaned.text.encode("utf-8")
    with pytest.raises(InputError, match="not a valid URL"):
        clean_document(RawDocument(origin="x", text=ARTICLE, url="http://[::1"), settings)
    with pytest.raises(InputError, match="title of 5000 characters"):
        clean_document(RawDocument(origin="x", text=ARTICLE, title="t" * 5000), settings)
    # a scheme that is not the web's is kept as metadata (and never rendered as a link)
    assert clean_document(RawDocument(origin="x", text=ARTICLE, url="javascript:alert(1)"),
                          settings).url == "javascript:alert(1)"
