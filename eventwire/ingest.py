"""Ingest stage: files, folders, stdin -> RawDocument records (or a ProcessingError per bad input).

Formats, chosen by file suffix (``.gz`` of any of them is read transparently):

* ``.txt`` / ``.text`` -- text copied from a web page;
* ``.html`` / ``.htm`` / ``.xhtml`` -- a web page;
* ``.json`` -- one object or a list of objects; ``.jsonl`` / ``.ndjson`` -- one object a line.
  Objects carry any of ``text``, ``html``, ``url``, ``title``, ``published``, ``outlet``
  (common aliases such as ``content_original``, ``body`` or ``date`` are accepted);
* ``.warc`` / ``.warc.gz`` -- HTML response records; the record's target URI is the url.

Bad input never raises out of :func:`read_paths`: it yields a ProcessingError naming the
file (and line or record) and the reason, and the batch carries on.
"""

from __future__ import annotations

import gzip
import io
import json
import re
import sys
import zlib
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any, BinaryIO

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

CODE_BAD_INPUT = "E001"
_CHARSET_RE = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([A-Za-z0-9_.:-]+)""", re.I)
_XML_ENCODING_RE = re.compile(rb"""<\?xml[^>]+encoding\s*=\s*["']([A-Za-z0-9_.:-]+)""", re.I)
# Control characters that never occur in text (tab, newline, carriage return and form feed do).
_CONTROL_BYTES = bytes(b for b in range(32) if b not in (9, 10, 12, 13)) + b"\x7f"


class _BadInput(Exception):
    """Internal: a reason why one document cannot be read."""


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
                yield ProcessingError(str(p), f"cannot list folder: {exc}", CODE_BAD_INPUT)
                continue
            for f in files:
                yield from read_file(f, settings)
        elif p.exists():
            yield from read_file(p, settings)
        else:
            yield ProcessingError(str(p), "no such file or folder", CODE_BAD_INPUT)


def read_stdin(settings: Settings, stream: BinaryIO | None = None) -> Iterator[RawDocument | ProcessingError]:
    """Read one document (or a JSON/JSONL/WARC batch) from standard input, sniffing its format."""
    stream = stream if stream is not None else sys.stdin.buffer
    origin = "<stdin>"
    try:
        data = _read_limited(stream, settings.max_input_bytes, origin)
        if data[:2] == b"\x1f\x8b":
            data = _gunzip(data, settings.max_input_bytes)
    except _BadInput as exc:
        yield ProcessingError(origin, str(exc), CODE_BAD_INPUT)
        return
    yield from _read_bytes(data, _sniff(data), origin, None, settings)


def read_file(path: Path, settings: Settings) -> Iterator[RawDocument | ProcessingError]:
    """Read one file; yield its document(s) or a ProcessingError."""
    origin = str(path)
    kind = _kind(path)
    try:
        if kind == "warc":
            yield from _read_warc(path, settings)
            return
        if kind == "jsonl":
            yield from _read_jsonl(path, settings)
            return
        data = _load(path, settings.max_input_bytes)
    except _BadInput as exc:
        yield ProcessingError(origin, str(exc), CODE_BAD_INPUT)
        return
    except OSError as exc:
        yield ProcessingError(origin, f"cannot read file: {exc.strerror or exc}", CODE_BAD_INPUT)
        return
    except Exception as exc:  # a reader library failing on odd input must not stop the batch
        yield ProcessingError(origin, f"unreadable input: {exc!r}", CODE_BAD_INPUT)
        return
    yield from _read_bytes(data, kind or _sniff(data), origin, str(path), settings)


# --- formats ---

def _read_bytes(data: bytes, kind: str, origin: str, source_path: str | None,
                settings: Settings) -> Iterator[RawDocument | ProcessingError]:
    try:
        if kind == "json":
            yield from _json_documents(data, origin, source_path, settings)
            return
        if kind == "jsonl":
            yield from _jsonl_documents(io.BytesIO(data), origin, source_path, settings)
            return
        if kind == "warc":
            yield from _warc_documents(io.BytesIO(data), origin, source_path, settings)
            return
        _check_text_bytes(data)
        text = decode(data, html=(kind == "html"))
        if not text.strip():
            raise _BadInput("empty document (only whitespace)")
    except _BadInput as exc:
        yield ProcessingError(origin, str(exc), CODE_BAD_INPUT)
        return
    if kind == "html":
        yield RawDocument(origin=origin, html=text, source_path=source_path)
    else:
        yield RawDocument(origin=origin, text=text, source_path=source_path)


def _json_documents(data: bytes, origin: str, source_path: str | None,
                    settings: Settings) -> Iterator[RawDocument | ProcessingError]:
    _check_text_bytes(data)
    try:
        value = json.loads(decode(data))
    except json.JSONDecodeError as exc:
        raise _BadInput(f"invalid JSON at line {exc.lineno} column {exc.colno}: {exc.msg}") from None
    items = value if isinstance(value, list) else [value]
    if isinstance(value, list) and not value:
        raise _BadInput("empty JSON list")
    for index, item in enumerate(items):
        item_origin = origin if not isinstance(value, list) else f"{origin}:item {index}"
        yield _document_from_object(item, item_origin, source_path, settings)


def _read_jsonl(path: Path, settings: Settings) -> Iterator[RawDocument | ProcessingError]:
    with _open(path) as stream:
        yield from _jsonl_documents(stream, str(path), str(path), settings)


def _jsonl_documents(stream: BinaryIO, origin: str, source_path: str | None,
                     settings: Settings) -> Iterator[RawDocument | ProcessingError]:
    seen_any = False
    try:
        for number, line in enumerate(stream, start=1):
            line_origin = f"{origin}:{number}"
            if len(line) > settings.max_input_bytes:
                yield ProcessingError(line_origin, f"line larger than the input limit of "
                                      f"{settings.max_input_bytes} bytes", CODE_BAD_INPUT)
                continue
            if not line.strip():
                continue
            seen_any = True
            try:
                if b"\x00" in line:
                    raise _BadInput("binary data (NUL bytes) in a JSON line")
                value = json.loads(decode(line))
            except json.JSONDecodeError as exc:
                yield ProcessingError(line_origin, f"invalid JSON: {exc.msg} at column {exc.colno}",
                                      CODE_BAD_INPUT)
                continue
            except _BadInput as exc:
                yield ProcessingError(line_origin, str(exc), CODE_BAD_INPUT)
                continue
            yield _document_from_object(value, line_origin, source_path, settings)
    except (EOFError, OSError, zlib.error) as exc:
        yield ProcessingError(origin, f"truncated or corrupt gzip stream: {exc}", CODE_BAD_INPUT)
        return
    if not seen_any:
        yield ProcessingError(origin, "empty document (no JSON lines)", CODE_BAD_INPUT)


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


def _read_warc(path: Path, settings: Settings) -> Iterator[RawDocument | ProcessingError]:
    with path.open("rb") as stream:
        yield from _warc_documents(stream, str(path), str(path), settings)


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
                data = _read_limited(record.content_stream(), settings.max_input_bytes, record_origin)
                _check_complete(record, data)
                _check_text_bytes(data)
                html = decode(data, html=True, declared=_charset_of(content_type))
                if not html.strip():
                    raise _BadInput("empty response record")
            except _BadInput as exc:
                yield ProcessingError(record_origin, f"{exc} (url {url})", CODE_BAD_INPUT)
                continue
            yield RawDocument(origin=record_origin, html=html, url=url, source_path=source_path)
    except (ArchiveLoadFailed, EOFError, OSError, zlib.error, ValueError) as exc:
        yield ProcessingError(origin, f"truncated or invalid WARC: {exc}".strip(), CODE_BAD_INPUT)
        return
    if not found:
        yield ProcessingError(origin, "no HTML response records in WARC file", CODE_BAD_INPUT)


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
    """Decode bytes as UTF-8, else the charset the page declares, else cp1252.

    Raises _BadInput when none of them decodes the bytes.
    """
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    elif data[:2] in (b"\xff\xfe", b"\xfe\xff"):
        try:
            return data.decode("utf-16")
        except UnicodeDecodeError:
            raise _BadInput("undecodable text: invalid UTF-16") from None
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


def _check_text_bytes(data: bytes) -> None:
    if not data.strip():
        raise _BadInput("empty document")
    sample = data[:8192]
    if b"\x00" in sample:
        raise _BadInput("binary file (NUL bytes), not text")
    control = sum(sample.count(bytes([b])) for b in _CONTROL_BYTES)
    if control / len(sample) > 0.05:
        raise _BadInput("binary file (too many control characters), not text")


def _load(path: Path, limit: int) -> bytes:
    size = path.stat().st_size
    if size == 0:
        raise _BadInput("empty file")
    if path.suffix.lower() == ".gz":
        with path.open("rb") as stream:
            return _gunzip(stream.read(), limit)
    if size > limit:
        raise _BadInput(f"file of {size} bytes exceeds the input limit of {limit} bytes "
                        "(settings.max_input_bytes)")
    return path.read_bytes()


def _gunzip(data: bytes, limit: int) -> bytes:
    try:
        with gzip.GzipFile(fileobj=io.BytesIO(data)) as stream:
            out = stream.read(limit + 1)
    except EOFError:
        raise _BadInput("truncated gzip file (compressed stream ends early)") from None
    except (gzip.BadGzipFile, OSError, zlib.error) as exc:
        raise _BadInput(f"corrupt gzip file: {exc}") from None
    if len(out) > limit:
        raise _BadInput(f"decompressed size exceeds the input limit of {limit} bytes "
                        "(settings.max_input_bytes)")
    if not out:
        raise _BadInput("empty file (gzip holds no data)")
    return out


def _read_limited(stream: BinaryIO, limit: int, origin: str) -> bytes:
    data = stream.read(limit + 1)
    if len(data) > limit:
        raise _BadInput(f"document exceeds the input limit of {limit} bytes "
                        "(settings.max_input_bytes)")
    if not data:
        raise _BadInput("empty input")
    return data


def _open(path: Path) -> BinaryIO:
    if path.suffix.lower() == ".gz":
        return gzip.open(path, "rb")  # type: ignore[return-value]
    return path.open("rb")


def _charset_of(content_type: str) -> str | None:
    match = re.search(r"charset=([\w.:-]+)", content_type or "", re.I)
    return match.group(1) if match else None


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


def _sniff(data: bytes) -> str:
    """Guess the format of unnamed input (stdin, unknown suffix) from its content.

    JSON only when the whole input parses as JSON (or every line as a JSON object): text that
    merely opens with "[" or "{" ("[Updated] Talks resume ...") is text.
    """
    head = data[:2048].lstrip(b"\xef\xbb\xbf \t\r\n")
    if head.startswith(b"WARC/"):
        return "warc"
    if head[:1] in (b"[", b"{"):
        return _sniff_json(data)
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
    except ValueError:
        pass
    lines = [line for line in text.splitlines() if line.strip()]
    try:
        if lines and all(isinstance(json.loads(line), dict) for line in lines):
            return "jsonl"
    except ValueError:
        pass
    return "text"
