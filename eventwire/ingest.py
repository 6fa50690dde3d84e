"""Ingest stage: files, folders, stdin -> RawDocument records (or a ProcessingError per bad input).

Formats, chosen by file suffix (``.gz`` of any of them is read transparently):

* ``.txt`` / ``.text`` -- text copied from a web page;
* ``.html`` / ``.htm`` / ``.xhtml`` -- a web page;
* ``.json`` -- one object or a list of objects; ``.jsonl`` / ``.ndjson`` -- one object a line.
  Objects carry any of ``text``, ``html``, ``url``, ``title``, ``published``, ``outlet``
  (common aliases such as ``content_original``, ``body`` or ``date`` are accepted);
* ``.warc`` / ``.warc.gz`` -- HTML response records; the record's target URI is the url.

Bad input never raises out of :func:`read_paths`: it yields a ProcessingError naming the
file (and line or record) and the reason, and the batch carries on. Limits hold before the
cost is paid: files are streamed, a line or document over ``max_input_bytes`` is skipped
without being held in memory, compressed input stops when it expands past
``max_compression_ratio`` or ``max_decompressed_bytes``, and a file's errors after the first
``max_errors_per_file`` are folded into one summary error.
"""

from __future__ import annotations

import codecs
import gzip
import io
import json
import os
import re
import sys
import zlib
from collections import Counter
from collections.abc import Iterable, Iterator
from dataclasses import replace
from pathlib import Path
from typing import Any, BinaryIO
from urllib.parse import urlsplit

from .errors import InputError, printable
from .records import ProcessingError, RawDocument
from .settings import Settings

TEXT_SUFFIXES = {".txt", ".text"}
HTML_SUFFIXES = {".html", ".htm", ".xhtml"}
JSON_SUFFIXES = {".json"}
JSONL_SUFFIXES = {".jsonl", ".ndjson"}
WARC_SUFFIXES = {".warc"}
SUPPORTED_SUFFIXES = TEXT_SUFFIXES | HTML_SUFFIXES | JSON_SUFFIXES | JSONL_SUFFIXES | WARC_SUFFIXES

# Field names accepted in JSON objects, in order of preference.
FIELD_ALIASES: dict[str, tuple[str, ...]] = {
    "text": ("text", "content_original", "body", "articleBody", "article_body", "maintext",
             "full_text", "content"),
    "html": ("html", "raw_html", "page", "content_html"),
    "url": ("url", "link", "uri", "source_url_full", "canonical_url"),
    "title": ("title", "headline"),
    "published": ("published", "date", "date_publish", "publish_date", "published_at",
                  "pubdate", "datePublished", "publication_date"),
    "outlet": ("outlet", "source", "source_name", "site_name", "publisher"),
}
# Metadata fields longer than this are not metadata (a page pasted into "title").
MAX_FIELD_CHARS = {"url": 4096, "title": 2000, "published": 200, "outlet": 200}

CODE_BAD_INPUT = InputError.code
HEAD_BYTES = 64 * 1024  # what format sniffing and charset detection look at
RATIO_GRACE_BYTES = 4 * 1024 * 1024  # decompressed size below which the ratio is not judged
_CHARSET_RE = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([A-Za-z0-9_.:-]+)""", re.I)
_XML_ENCODING_RE = re.compile(rb"""<\?xml[^>]+encoding\s*=\s*["']([A-Za-z0-9_.:-]+)""", re.I)
# Control characters that never occur in text (tab, newline, carriage return and form feed do).
_CONTROL_BYTES = bytes(b for b in range(32) if b not in (9, 10, 12, 13)) + b"\x7f"
_CONTROL_CHARS = re.compile("[\x00-\x08\x0b\x0e-\x1f\x7f]")
_SURROGATES = re.compile("[\ud800-\udfff]")
# Byte order marks, the 4-byte ones first (UTF-32-LE starts like UTF-16-LE).
_BOMS = ((codecs.BOM_UTF32_LE, "utf-32"), (codecs.BOM_UTF32_BE, "utf-32"),
         (codecs.BOM_UTF8, "utf-8-sig"), (codecs.BOM_UTF16_LE, "utf-16"),
         (codecs.BOM_UTF16_BE, "utf-16"))
_BOM_STARTS = {bom[:1] for bom, _ in _BOMS}


class _BadInput(Exception):
    """Internal: a reason why one document (or the rest of a file) cannot be read."""


def read_paths(paths: Iterable[str], settings: Settings) -> Iterator[RawDocument | ProcessingError]:
    """Read every supported document under the given paths ("-" reads stdin).

    A folder is walked recursively in sorted order and only files with a supported
    suffix are read; a file named explicitly is read whatever its suffix.
    """
    for path in paths:
        if path == "-":
            yield from read_stdin(settings)
            continue
        p = Path(path)
        if p.is_dir():
            try:
                files = sorted(f for f in p.rglob("*") if f.is_file() and _is_supported(f)
                               and not any(part.startswith(".") for part in f.relative_to(p).parts))
            except OSError as exc:
                yield ProcessingError(display_name(p), f"cannot list folder: {exc.strerror or exc}",
                                      CODE_BAD_INPUT)
                continue
            for f in files:
                yield from read_file(f, settings)
        elif p.exists():
            yield from read_file(p, settings)
        else:
            yield ProcessingError(display_name(p), "no such file or folder", CODE_BAD_INPUT)


def read_stdin(settings: Settings, stream: BinaryIO | None = None) -> Iterator[RawDocument | ProcessingError]:
    """Read one document (or a JSON/JSONL/WARC batch) from standard input, sniffing its format."""
    stream = stream if stream is not None else sys.stdin.buffer
    origin = "<stdin>"
    yield from _capped(origin, lambda: _read_stream(stream, None, origin, None, settings), settings)


def read_file(path: Path, settings: Settings) -> Iterator[RawDocument | ProcessingError]:
    """Read one file; yield its document(s) or a ProcessingError."""
    origin = display_name(path)

    def documents() -> Iterator[RawDocument | ProcessingError]:
        try:
            if path.stat().st_size == 0:
                raise _BadInput("empty file")
            handle = path.open("rb")
        except OSError as exc:
            raise _BadInput(f"cannot read file: {exc.strerror or exc}") from None
        with handle:
            yield from _read_stream(handle, _kind(path), origin, origin, settings)

    yield from _capped(origin, documents, settings)


def clean_document(raw: RawDocument, settings: Settings) -> RawDocument:
    """The document with text safe to print and store, checked before any stage pays for it.

    Lone surrogates (from JSON escapes or odd file names) become U+FFFD and NUL characters
    are dropped; raises InputError for a document over ``max_input_bytes``, a url that
    cannot be parsed, or a metadata field too long to be one.
    """
    fields = {name: _safe_text(getattr(raw, name))
              for name in ("origin", "text", "html", "url", "title", "published", "outlet",
                           "source_path")}
    body = fields["html"] if fields["html"] is not None else fields["text"]
    if body is not None and len(body) > settings.max_input_bytes:
        raise InputError(f"document of {len(body)} characters exceeds the input limit of "
                         f"{settings.max_input_bytes} bytes (settings.max_input_bytes)",
                         origin=fields["origin"])
    for name, limit in MAX_FIELD_CHARS.items():
        if fields[name] is not None and len(fields[name]) > limit:
            raise InputError(f"{name} of {len(fields[name])} characters is longer than {limit}",
                             origin=fields["origin"])
    if fields["url"]:
        problem = url_problem(fields["url"])
        if problem:
            raise InputError(f"url {fields['url'][:200]!r} is not a valid URL: {problem}",
                             origin=fields["origin"])
    return replace(raw, **fields)


def url_problem(url: str) -> str | None:
    """Why ``url`` cannot be parsed as a URL (None when it can)."""
    try:
        urlsplit(url if "//" in url else f"//{url}").hostname  # as outlet detection reads it
    except ValueError as exc:
        return str(exc)
    return None


def display_name(path: Path | str) -> str:
    """A path as text that can always be printed and stored: bytes that are not UTF-8
    become U+FFFD and control characters are escaped."""
    return printable(os.fsencode(path).decode("utf-8", errors="replace"))


# --- one file: errors capped, nothing escapes ---

def _capped(origin: str, documents, settings: Settings) -> Iterator[RawDocument | ProcessingError]:
    """Run a file's reader: its first ``max_errors_per_file`` errors pass, the rest are counted
    into one summary error; ``max_failures_in_a_row`` failed documents in a row end the file
    (the rest is not read: it is not input eventwire can use), and so does whatever the
    reader raises, with one error."""
    shown = in_a_row = 0
    folded: Counter[str] = Counter()
    try:
        for result in documents():
            if isinstance(result, RawDocument):
                in_a_row = 0
                yield result
                continue
            in_a_row += result.count
            if in_a_row > settings.max_failures_in_a_row:
                folded[result.code] += result.count
                yield ProcessingError(result.origin, f"{settings.max_failures_in_a_row} failed "
                                      "documents in a row: the rest of the file is not read "
                                      "(settings.max_failures_in_a_row)", CODE_BAD_INPUT, count=0)
                break
            if shown >= settings.max_errors_per_file:
                folded[result.code] += result.count
                continue
            shown += 1
            yield result
    except _BadInput as exc:
        yield ProcessingError(origin, str(exc), CODE_BAD_INPUT)
    except (RecursionError, MemoryError) as exc:
        yield ProcessingError(origin, f"input too deeply nested or too large to read: "
                              f"{exc.__class__.__name__}", CODE_BAD_INPUT)
    except Exception as exc:  # a reader library failing on odd input must not stop the batch
        yield ProcessingError(origin, f"unreadable input: {exc.__class__.__name__}: "
                              f"{_first_line(exc)}", CODE_BAD_INPUT)
    if folded:
        total = sum(folded.values())
        codes = ", ".join(f"{code} x{n}" for code, n in folded.most_common())
        yield ProcessingError(origin, f"{total} more documents in this file failed ({codes}); "
                              f"only the first {settings.max_errors_per_file} are shown "
                              "(settings.max_errors_per_file)", folded.most_common(1)[0][0],
                              count=total)


def read_blob(data: bytes, name: str, settings: Settings) -> Iterator[RawDocument | ProcessingError]:
    """Read the documents of a file's bytes, as :func:`read_file` reads the file (format from
    ``name``, else sniffed; gzip by its magic bytes; the same limits and error caps): for files
    read elsewhere (a Spark task, any Hadoop filesystem)."""
    origin = display_name(name)

    def documents() -> Iterator[RawDocument | ProcessingError]:
        if not data:
            raise _BadInput("empty file")
        yield from _read_stream(io.BytesIO(data), _kind(Path(name)), origin, origin, settings)

    yield from _capped(origin, documents, settings)


# --- formats ---

def _read_stream(stream: BinaryIO, kind: str | None, origin: str, source_path: str | None,
                 settings: Settings) -> Iterator[RawDocument | ProcessingError]:
    """Documents of one stream: decompressed, transcoded to UTF-8, then read by format."""
    stream = _utf8(_decompressed(stream, settings))
    head = _read_up_to(stream, HEAD_BYTES)
    if not head.strip():
        rest = _read_up_to(stream, HEAD_BYTES)
        if not rest:
            raise _BadInput("empty input" if not head else "empty document (only whitespace)")
        head += rest
    stream = io.BufferedReader(_Prefixed(head, stream), buffer_size=1 << 16)
    complete = len(head) % HEAD_BYTES != 0  # the whole input is in the head
    sniffed = kind is None
    kind = kind or _sniff(head, complete)
    if kind == "jsonl":
        yield from _jsonl_documents(stream, origin, source_path, settings)
    elif kind == "warc":
        yield from _warc_documents(stream, origin, source_path, settings)
    else:
        data = _read_limited(stream, settings.max_input_bytes)
        if sniffed and kind == "json" and not complete:
            kind = _sniff_json(data)  # now seen whole: JSON, JSON Lines or text after all
            if kind == "jsonl":
                yield from _jsonl_documents(io.BytesIO(data), origin, source_path, settings)
                return
        if kind == "json":
            yield from _json_documents(data, origin, source_path, settings)
        else:
            yield _single_document(data, kind, origin, source_path)


def _single_document(data: bytes, kind: str, origin: str,
                     source_path: str | None) -> RawDocument | ProcessingError:
    try:
        text = _text(data, html=(kind == "html"))
        if not text.strip():
            raise _BadInput("empty document (only whitespace)")
    except _BadInput as exc:
        return ProcessingError(origin, str(exc), CODE_BAD_INPUT)
    if kind == "html":
        return RawDocument(origin=origin, html=text, source_path=source_path)
    return RawDocument(origin=origin, text=text, source_path=source_path)


def _json_documents(data: bytes, origin: str, source_path: str | None,
                    settings: Settings) -> Iterator[RawDocument | ProcessingError]:
    value = _parse_json(_text(data))
    items = value if isinstance(value, list) else [value]
    if isinstance(value, list) and not value:
        raise _BadInput("empty JSON list")
    for index, item in enumerate(items):
        item_origin = origin if not isinstance(value, list) else f"{origin}:item {index}"
        yield _document_from_object(item, item_origin, source_path, settings)


def _jsonl_documents(stream: BinaryIO, origin: str, source_path: str | None,
                     settings: Settings) -> Iterator[RawDocument | ProcessingError]:
    seen_any = False
    for number, line in _lines(stream, settings.max_input_bytes):
        line_origin = f"{origin}:{number}"
        if line is None:
            seen_any = True
            yield ProcessingError(line_origin, f"line larger than the input limit of "
                                  f"{settings.max_input_bytes} bytes (settings.max_input_bytes)",
                                  CODE_BAD_INPUT)
            continue
        if not line.strip():
            continue
        seen_any = True
        try:
            if b"\x00" in line:
                raise _BadInput("binary data (NUL bytes) in a JSON line")
            value = _parse_json(decode(line))
        except _BadInput as exc:
            yield ProcessingError(line_origin, str(exc), CODE_BAD_INPUT)
            continue
        yield _document_from_object(value, line_origin, source_path, settings)
    if not seen_any:
        raise _BadInput("empty document (no JSON lines)")


def _parse_json(text: str) -> Any:
    try:
        return json.loads(text)
    except json.JSONDecodeError as exc:
        raise _BadInput(f"invalid JSON at line {exc.lineno} column {exc.colno}: {exc.msg}") from None
    except RecursionError:
        raise _BadInput("JSON nested too deeply") from None
    except ValueError as exc:  # e.g. an integer literal of thousands of digits
        raise _BadInput(f"invalid JSON: {_first_line(exc)}") from None


def _document_from_object(value: Any, origin: str, source_path: str | None,
                          settings: Settings) -> RawDocument | ProcessingError:
    if not isinstance(value, dict):
        return ProcessingError(origin, f"JSON value is a {type(value).__name__}, not an object",
                               CODE_BAD_INPUT)
    fields = {name: _first_field(value, aliases) for name, aliases in FIELD_ALIASES.items()}
    text, html = fields["text"], fields["html"]
    if not (text and text.strip()) and not (html and html.strip()):
        names = ", ".join(FIELD_ALIASES["text"][:4] + FIELD_ALIASES["html"][:1])
        return ProcessingError(origin, f"object has no article text (expected one of {names})",
                               CODE_BAD_INPUT)
    size = len((html or text or "").encode("utf-8", errors="replace"))
    if size > settings.max_input_bytes:
        return ProcessingError(origin, f"document of {size} bytes exceeds the input limit of "
                               f"{settings.max_input_bytes} bytes", CODE_BAD_INPUT)
    return RawDocument(origin=origin, text=None if html else text, html=html or None,
                       url=fields["url"], title=fields["title"], published=fields["published"],
                       outlet=fields["outlet"], source_path=source_path)


def _first_field(obj: dict[str, Any], aliases: tuple[str, ...]) -> str | None:
    for name in aliases:
        value = obj.get(name)
        if isinstance(value, (int, float)) and not isinstance(value, bool) and value == value:
            return str(value)
        if isinstance(value, str) and value.strip():
            return value
        if isinstance(value, dict):  # e.g. {"source": {"name": "Reuters"}}
            inner = value.get("name") or value.get("title")
            if isinstance(inner, str) and inner.strip():
                return inner
    return None


def _warc_documents(stream: BinaryIO, origin: str, source_path: str | None,
                    settings: Settings) -> Iterator[RawDocument | ProcessingError]:
    from warcio.archiveiterator import ArchiveIterator
    from warcio.exceptions import ArchiveLoadFailed

    found = 0
    try:
        for number, record in enumerate(ArchiveIterator(stream, check_digests=True), start=1):
            if record.rec_type != "response":
                continue
            url = record.rec_headers.get_header("WARC-Target-URI")
            record_origin = f"{origin}:record {number}"
            content_type = (record.http_headers.get_header("Content-Type") or ""
                            if record.http_headers else "")
            if content_type and "html" not in content_type.lower():
                continue
            found += 1
            try:
                data = _read_limited(record.content_stream(), settings.max_input_bytes)
                _check_complete(record, data)
                html = _text(data, html=True, declared=_charset_of(content_type))
                if not html.strip():
                    raise _BadInput("empty response record")
            except _BadInput as exc:
                yield ProcessingError(record_origin, f"{exc} (url {url})", CODE_BAD_INPUT)
                continue
            yield RawDocument(origin=record_origin, html=html, url=url, source_path=source_path)
    except (ArchiveLoadFailed, EOFError, zlib.error, ValueError) as exc:
        raise _BadInput(f"truncated or invalid WARC: {_first_line(exc)}".strip()) from None
    if not found:
        raise _BadInput("no HTML response records in WARC file")


def _check_complete(record, data: bytes) -> None:
    """A WARC record cut short: its payload digest is unverifiable or wrong, or it is shorter
    than its declared HTTP Content-Length."""
    checker = getattr(record, "digest_checker", None)
    if record.rec_headers.get_header("WARC-Payload-Digest") and checker is not None \
            and checker.passed is not True:
        raise _BadInput("truncated or corrupt WARC record (payload digest does not match)")
    declared = record.http_headers.get_header("Content-Length") if record.http_headers else None
    encoded = record.http_headers.get_header("Content-Encoding") if record.http_headers else None
    if declared and declared.isdigit() and not encoded and len(data) < int(declared):
        raise _BadInput(f"truncated WARC record ({len(data)} of {declared} bytes)")


# --- bytes and decoding ---

def decode(data: bytes, html: bool = False, declared: str | None = None) -> str:
    """Decode bytes by their byte order mark, else as UTF-8, else the charset the page
    declares, else cp1252.

    Raises _BadInput when none of them decodes the bytes.
    """
    for bom, encoding in _BOMS if data[:1] in _BOM_STARTS else ():
        if data.startswith(bom):
            try:
                return data.decode(encoding)
            except UnicodeDecodeError:
                raise _BadInput(f"undecodable text: invalid {encoding.upper()} after its byte "
                                "order mark") from None
    candidates = ["utf-8"]
    if declared:
        candidates.append(declared)
    if html:
        head = data[:4096]
        match = _CHARSET_RE.search(head) or _XML_ENCODING_RE.search(head)
        if match:
            candidates.append(match.group(1).decode("ascii", errors="ignore"))
    candidates.append("cp1252")
    for encoding in candidates:
        try:
            return data.decode(encoding)
        except (UnicodeDecodeError, LookupError):
            continue
    raise _BadInput("undecodable text: neither UTF-8 nor a declared charset nor cp1252")


def _text(data: bytes, html: bool = False, declared: str | None = None) -> str:
    """Bytes of one document as text; binary data and undecodable bytes are _BadInput."""
    if not data.strip():
        raise _BadInput("empty document")
    if any(data.startswith(bom) for bom, _ in _BOMS):
        text = decode(data, html, declared)
        _check_text_chars(text[:8192])
        return text
    sample = data[:8192]
    if b"\x00" in sample:
        raise _BadInput("binary file (NUL bytes), not text")
    control = sum(sample.count(bytes([b])) for b in _CONTROL_BYTES)
    if control / len(sample) > 0.05:
        raise _BadInput("binary file (too many control characters), not text")
    return decode(data, html, declared)


def _check_text_chars(sample: str) -> None:
    if sample and len(_CONTROL_CHARS.findall(sample)) / len(sample) > 0.05:
        raise _BadInput("binary file (too many control characters), not text")


def _safe_text(value: str | None) -> str | None:
    """Text with lone surrogates replaced and NUL characters dropped (None stays None)."""
    if value is None or (value.isascii() and "\x00" not in value):
        return value
    return _SURROGATES.sub("\ufffd", value).replace("\x00", "")


def _read_limited(stream: BinaryIO, limit: int) -> bytes:
    data = stream.read(limit + 1)
    if len(data) > limit:
        raise _BadInput(f"document exceeds the input limit of {limit} bytes "
                        "(settings.max_input_bytes)")
    if not data:
        raise _BadInput("empty input")
    return data


def _read_up_to(stream: BinaryIO, size: int) -> bytes:
    """Up to ``size`` bytes, fewer only at the end of the stream."""
    chunks, got = [], 0
    while got < size:
        chunk = stream.read(size - got)
        if not chunk:
            break
        chunks.append(chunk)
        got += len(chunk)
    return b"".join(chunks)


def _lines(stream: BinaryIO, limit: int) -> Iterator[tuple[int, bytes | None]]:
    """Numbered lines of a stream; a line over ``limit`` bytes is skipped unread and given
    as None, so one endless line never sits in memory."""
    number = 0
    while True:
        line = stream.readline(limit + 1)
        if not line:
            return
        number += 1
        if len(line) > limit and not line.endswith(b"\n"):
            while True:
                rest = stream.readline(1 << 20)
                if not rest or rest.endswith(b"\n"):
                    break
            yield number, None
            continue
        yield number, line


class _Prefixed(io.RawIOBase):
    """``head`` followed by the rest of ``stream``: the bytes sniffing read, given back."""

    def __init__(self, head: bytes, stream: BinaryIO):
        self.head = memoryview(head)
        self.stream = stream

    def readable(self) -> bool:
        return True

    def readinto(self, buffer) -> int:
        if self.head:
            n = min(len(buffer), len(self.head))
            buffer[:n] = self.head[:n]
            self.head = self.head[n:]
            return n
        data = self.stream.read(len(buffer))
        buffer[:len(data)] = data
        return len(data)


class _Counted:
    """The compressed side of a gzip stream, counting the bytes read from it."""

    def __init__(self, stream: BinaryIO):
        self.stream = stream
        self.count = 0

    def read(self, size: int = -1) -> bytes:
        data = self.stream.read(size)
        self.count += len(data)
        return data


class _Decompressed(io.RawIOBase):
    """A gzip stream that stops with _BadInput once it has given more than
    ``max_decompressed_bytes``, or more than ``max_compression_ratio`` times the compressed
    bytes read so far (judged past the first RATIO_GRACE_BYTES)."""

    def __init__(self, stream: BinaryIO, settings: Settings):
        self.compressed = _Counted(stream)
        self.given = 0
        self.settings = settings
        self.gzip = gzip.GzipFile(fileobj=self.compressed, mode="rb")

    def readable(self) -> bool:
        return True

    def readinto(self, buffer) -> int:
        try:
            n = self.gzip.readinto(buffer)
        except EOFError:
            raise _BadInput("truncated gzip file (compressed stream ends early)") from None
        except (gzip.BadGzipFile, OSError, zlib.error) as exc:
            raise _BadInput(f"corrupt gzip file: {exc}") from None
        self.given += n
        limit, ratio = self.settings.max_decompressed_bytes, self.settings.max_compression_ratio
        if self.given > limit:
            raise _BadInput(f"decompressed data exceeds {limit} bytes "
                            "(settings.max_decompressed_bytes); the rest is not read")
        if self.given > RATIO_GRACE_BYTES and self.given > ratio * max(self.compressed.count, 1):
            raise _BadInput(f"compressed data expands more than {ratio:g} times "
                            "(settings.max_compression_ratio), the mark of a decompression bomb; "
                            "the rest is not read")
        return n


class _Transcoded(io.RawIOBase):
    """A UTF-16 or UTF-32 stream (after its byte order mark) given as UTF-8 bytes."""

    def __init__(self, stream: BinaryIO, encoding: str):
        self.stream = stream
        self.decoder = codecs.getincrementaldecoder(encoding)()
        self.pending = b""
        self.done = False

    def readable(self) -> bool:
        return True

    def readinto(self, buffer) -> int:
        while not self.pending and not self.done:
            chunk = self.stream.read(1 << 16)
            self.done = not chunk
            try:
                self.pending = self.decoder.decode(chunk, final=self.done).encode("utf-8")
            except UnicodeDecodeError as exc:
                raise _BadInput(f"undecodable text: {exc.reason} in {exc.encoding}") from None
        n = min(len(buffer), len(self.pending))
        buffer[:n] = self.pending[:n]
        self.pending = self.pending[n:]
        return n


def _decompressed(stream: BinaryIO, settings: Settings) -> BinaryIO:
    """The stream itself, or its decompressed bytes when it is gzip (by its magic bytes)."""
    head = stream.read(2)
    stream = io.BufferedReader(_Prefixed(head, stream))
    if head == b"\x1f\x8b":
        return io.BufferedReader(_Decompressed(stream, settings), buffer_size=1 << 16)
    return stream


def _utf8(stream: BinaryIO) -> BinaryIO:
    """The stream, transcoded to UTF-8 when it starts with a UTF-16 or UTF-32 byte order mark."""
    head = _read_up_to(stream, 4)
    stream = io.BufferedReader(_Prefixed(head, stream))
    for bom, encoding in _BOMS:
        if head.startswith(bom) and encoding != "utf-8-sig":
            return io.BufferedReader(_Transcoded(stream, encoding), buffer_size=1 << 16)
    return stream


def _charset_of(content_type: str) -> str | None:
    match = re.search(r"charset=([\w.:-]+)", content_type or "", re.I)
    return match.group(1) if match else None


def _first_line(exc: BaseException) -> str:
    text = str(exc)
    return printable(text.splitlines()[0][:200]) if text.strip() else ""


def _kind(path: Path) -> str | None:
    suffixes = [s.lower() for s in path.suffixes[-2:]]
    if suffixes and suffixes[-1] == ".gz":
        suffixes = suffixes[:-1]
    suffix = suffixes[-1] if suffixes else ""
    for kind, group in (("text", TEXT_SUFFIXES), ("html", HTML_SUFFIXES), ("json", JSON_SUFFIXES),
                        ("jsonl", JSONL_SUFFIXES), ("warc", WARC_SUFFIXES)):
        if suffix in group:
            return kind
    return None


def _is_supported(path: Path) -> bool:
    return _kind(path) is not None


def _sniff(data: bytes, complete: bool = True) -> str:
    """Guess the format of unnamed input (stdin, unknown suffix) from its content.

    JSON only when the whole input parses as JSON (or every line as a JSON object): text that
    merely opens with "[" or "{" ("[Updated] Talks resume ...") is text. Of a longer input only
    its head is seen (``complete`` false): see :func:`_sniff_json_head`.
    """
    head = data[:2048].lstrip(b"\xef\xbb\xbf \t\r\n")
    if head.startswith(b"WARC/"):
        return "warc"
    if head[:1] in (b"[", b"{"):
        return _sniff_json(data) if complete else _sniff_json_head(data)
    if head[:1] == b"<" and re.match(rb"<(!doctype|html|head|body|meta|div|p|article|\?xml|!--)",
                                     head, re.I):
        return "html"
    return "text"


def _sniff_json(data: bytes) -> str:
    """"json" when the whole input parses, "jsonl" when every line is a JSON object, else "text"."""
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        return "text"
    try:
        json.loads(text)
        return "json"
    except (ValueError, RecursionError):
        pass
    lines = [line for line in text.splitlines() if line.strip()]
    try:
        if lines and all(isinstance(json.loads(line), dict) for line in lines):
            return "jsonl"
    except (ValueError, RecursionError):
        pass
    return "text"


def _sniff_json_head(head: bytes) -> str:
    """The format of a long input from its head: JSON Lines when its complete lines are JSON
    objects (or its first line runs past the head), else JSON, to be checked once read whole."""
    lines = [line for line in head.split(b"\n")[:-1] if line.strip()]
    if not lines:
        return "jsonl" if head.lstrip()[:1] == b"{" else "json"
    try:
        if all(isinstance(json.loads(line), dict) for line in lines):
            return "jsonl"
    except (ValueError, RecursionError):
        pass
    return "json"
