"""A generator of hostile input files for the fuzz tests and bench/fuzz.py: random bytes, bad
encodings, nested and huge JSON, decompression bombs, truncated gzip and WARC, pathological
HTML, odd file names, texts too long or too short, and metadata that breaks parsers.

Every input is (file name as bytes, content); the same seed gives the same inputs. ``scale``
multiplies the sizes: 1 for the test suite, more for the benchmark.
"""

from __future__ import annotations

import gzip
import io
import json
import random
from collections.abc import Callable, Iterator
from functools import lru_cache

GOOD_SENTENCES = [
    "Greece and Turkey signed a maritime agreement in Athens on Monday.",
    "Norway and Chile agreed on Tuesday to hold talks on fishing quotas in Oslo.",
    "The European Union imposed new sanctions on shipping companies on Friday.",
    "Kenya and Ethiopia opened a new border crossing for trucks on Wednesday.",
]


def good_text(n: int) -> str:
    """A small article written for the tests; ``n`` makes its content (and id) unique."""
    first = GOOD_SENTENCES[n % len(GOOD_SENTENCES)]
    return (f"{first}\n\nOfficials said the talks, the {n}th round this year, had gone well and "
            f"that both sides would meet again next month.\n")


def word_salad(rng: random.Random, n: int) -> str:
    """``n`` words of news vocabulary in random order: no sentence ends, no sense."""
    vocabulary = ["talks", "minister", "border", "Geneva", "agreed", "sanctions", "the", "on",
                  "Monday", "said", "ceasefire", "Turkey", "Russia", "envoy", "quotas", "port"]
    return " ".join(rng.choice(vocabulary) for _ in range(n))


def _gz(data: bytes) -> bytes:
    return gzip.compress(data, compresslevel=6)


def warc_bytes(records: list[tuple[str, bytes, str]]) -> bytes:
    """A gzipped WARC file of HTTP response records (url, payload, content type)."""
    from warcio.statusandheaders import StatusAndHeaders
    from warcio.warcwriter import WARCWriter
    out = io.BytesIO()
    writer = WARCWriter(out, gzip=True)
    for url, payload, content_type in records:
        headers = StatusAndHeaders("200 OK", [("Content-Type", content_type)], protocol="HTTP/1.0")
        writer.write_record(writer.create_warc_record(url, "response", payload=io.BytesIO(payload),
                                                      http_headers=headers))
    return out.getvalue()


# --- one function per kind: (rng, scale) -> (file name, content) ---

def random_bytes(rng, scale):
    suffix = rng.choice([".txt", ".html", ".json", ".jsonl", ".warc", ".gz", ".txt.gz", ""])
    return f"random{suffix}".encode(), rng.randbytes(rng.randint(0, 4096 * scale))


def bad_encoding(rng, scale):
    text = word_salad(rng, 200 * scale)
    variants = [
        text.encode("utf-16-le"),  # wide text without a byte order mark
        b"\xff\xfe" + text.encode("utf-16-le")[:-1],  # odd length after a BOM
        b"\xfe\xff" + rng.randbytes(301),
        b"\x00\x00\xfe\xff" + rng.randbytes(64),
        text.encode() + b"\xc0\xaf\xe0\x80\xaf\xed\xa0\x80" * 50,  # overlong and surrogate UTF-8
        b"\x81\x8d\x8f\x90\x9d" * 100,  # invalid in UTF-8 and cp1252
        b"<meta charset='no-such-charset'>" + text.encode("latin-1") + b"\xff",
        b"\xef\xbb\xbf" * 10 + text.encode(),
    ]
    return rng.choice([b"enc.txt", b"enc.html", b"enc.json"]), rng.choice(variants)


def nested_json(rng, scale):
    depth = rng.choice([100, 1000, 5000, 50_000 * scale])
    opener, closer = rng.choice([("[", "]"), ('{"a":', "}")])
    body = opener * depth + "1" + closer * depth
    if rng.random() < 0.5:
        return b"nested.json", body.encode()
    line = '{"text": ' + body + "}"
    return b"nested.jsonl", (line + "\n" + json.dumps({"text": good_text(rng.randint(0, 9))})).encode()


def huge_json(rng, scale):
    kind = rng.randrange(6)
    if kind == 0:
        body = "[" + ",".join(["{}"] * (20_000 * scale)) + "]"  # many empty objects
    elif kind == 1:
        body = json.dumps({f"k{i}": i for i in range(20_000 * scale)})
    elif kind == 2:
        body = '{"text": 1' + "0" * (5000 * scale) + "}"
    elif kind == 3:
        body = json.dumps({"text": word_salad(rng, 20), "title": "t" * (100_000 * scale),
                           "url": "http://" + "a" * (10_000 * scale)})
    elif kind == 4:
        body = "\n".join(json.dumps(rng.choice([[], "s", 1, None, {"html": ""}, {"text": 5}]))
                         for _ in range(2000 * scale))
        return b"huge.jsonl", body.encode()
    else:
        body = '{"text": "' + "\\ud800" * (2000 * scale) + ' talks in Geneva ended"}'
    return b"huge.json", body.encode()


def bad_metadata(rng, scale):
    value = rng.choice(["http://[::1", "http://[", "https://exa mple.org/\x00", "javascript:alert(1)",
                        "data:text/html,<script>", "//", "http://a:99999/", "\ud800", ""])
    record = {"text": good_text(rng.randint(0, 99)) + word_salad(rng, 10), "url": value,
              "published": rng.choice(["2024-02-30", "yesterday", "0000-00-00", "9" * 50, value]),
              "title": rng.choice(["", value, "\u202e" * 20]), "outlet": {"name": value}}
    return b"meta.jsonl", (json.dumps(record, ensure_ascii=rng.random() < 0.5) + "\n").encode(
        "utf-8", "surrogatepass")


def bomb(rng, scale):
    unit, twice = rng.choice([b"\n", b" ", b"{x\n", b"a"]), rng.random() < 0.3
    if twice:  # a bomb inside a bomb
        return b"bomb.txt.gz", _bomb(unit, scale, True)
    return rng.choice([b"bomb.jsonl.gz", b"bomb.txt.gz", b"bomb.html.gz"]), _bomb(unit, scale, False)


@lru_cache(maxsize=16)
def _bomb(unit: bytes, scale: int, twice: bool) -> bytes:
    """40 MB (times scale) of one repeated unit, packed once or twice; made once per process."""
    packed = _gz(unit * (40_000_000 * scale // len(unit)))
    return _gz(packed) if twice else packed


def truncated(rng, scale):
    if rng.random() < 0.5:
        data = _gz((json.dumps({"text": good_text(rng.randint(0, 99))}) + "\n").encode() * 50 * scale)
        return b"cut.jsonl.gz", data[:rng.randint(1, len(data) - 1)]
    page = f"<html><body><p>{good_text(rng.randint(0, 99))}</p></body></html>".encode() * 20
    data = warc_bytes([("https://news.example.org/a", page, "text/html"),
                  ("https://news.example.org/b", page, "text/html; charset=utf-8")])
    return b"cut.warc.gz", data[:rng.randint(1, len(data) - 1)]


def pathological_html(rng, scale):
    text = f"<p>{good_text(rng.randint(0, 99))}</p>"
    kind = rng.randrange(8)
    if kind == 0:
        html = "<div>" * (20_000 * scale) + text + "</div>" * (20_000 * scale)
    elif kind == 1:
        html = "<div " + " ".join(f"a{i}=v" for i in range(5000 * scale)) + ">" + text
    elif kind == 2:
        html = "<b>w</b>" * (60_000 * scale) + text
    elif kind == 3:
        html = "<a" * (200_000 * scale) + text  # tags that never close
    elif kind == 4:
        html = "<!--" + "-" * (100_000 * scale) + text
    elif kind == 5:
        html = "<script>" + "x" * (200_000 * scale) + "</script>" + text
    elif kind == 6:
        html = "<p>" + "&#x10FFFF;&#0;&#xD800;&amp;" * rng.randint(200, 4000 * scale) + "</p>" + text
    else:
        html = "<table>" + "<tr><td>" * (5000 * scale) + text
    return rng.choice([b"page.html", b"page.htm", b"page.xhtml"]), html.encode()


def odd_name(rng, scale):
    name = rng.choice([b"caf\xe9.txt", b"line\nbreak.txt", b"-rf.txt", b"tab\tname.txt",
                       b"\xe2\x80\xaertl.txt", b" space .txt", b"x" * 200 + b".txt",
                       b"\xff\xfe.html", b"semi;colon:.txt"])
    return name, good_text(rng.randint(0, 999)).encode()


def long_text(rng, scale, huge: float = 0.03):
    kind = rng.randrange(3)
    if kind == 0:  # mostly longer than an article, now and then (``huge``) far past the budget
        words = rng.randint(300, 2500) if rng.random() >= huge else rng.randint(4000, 30_000 * scale)
        return b"long.txt", word_salad(rng, words).encode()
    if kind == 1:
        return b"nospace.txt", b"x" * rng.randint(10_000, 300_000 * scale)
    return b"lines.txt", b"\n".join(word_salad(rng, 3).encode() for _ in range(20_000 * scale))


def too_little(rng, scale):
    return b"little.txt", rng.choice(["Hello", "\u200b\u200b\u2060", ".", "  -- ", "\u00ad" * 50,
                                      "<p></p>", "42"]).encode()


KINDS: dict[str, Callable] = {
    "random bytes": random_bytes, "bad encoding": bad_encoding, "nested JSON": nested_json,
    "huge JSON": huge_json, "bad metadata": bad_metadata, "decompression bomb": bomb,
    "truncated gzip or WARC": truncated, "pathological HTML": pathological_html,
    "odd file name": odd_name, "long text": long_text, "too little text": too_little,
}


def hostile_inputs(seed: int, count: int, scale: int = 1, kinds: list[str] | None = None,
                   huge: float = 0.03) -> Iterator[tuple[str, bytes, bytes]]:
    """``count`` hostile inputs as (kind, file name, content), the kinds in turn; ``huge`` is
    the share of long texts far past the time budget."""
    rng = random.Random(seed)
    names = kinds or list(KINDS)
    for n in range(count):
        kind = names[n % len(names)]
        name, content = (long_text(rng, scale, huge) if kind == "long text"
                         else KINDS[kind](rng, scale))
        yield kind, name, content
