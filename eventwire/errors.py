"""Typed errors with numbered codes and a hint of what to do."""

from __future__ import annotations

import re

# Characters that would garble or disguise an error line on a terminal: controls (C0, DEL,
# C1) and the bidirectional overrides that reorder what follows them.
_UNPRINTABLE = re.compile("[\x00-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")


def printable(text: str) -> str:
    """``text`` with control and bidirectional-override characters escaped (``\\x0a``)."""
    return _UNPRINTABLE.sub(lambda m: f"\\x{ord(m.group()):02x}" if ord(m.group()) < 256
                            else f"\\u{ord(m.group()):04x}", text)


def one_line(message: str) -> str:
    """A message on one line: the lines joined, without a driver's "Background on this
    error at ..." link (said once per database error, it explains nothing to a reader)."""
    lines = [line.strip() for line in message.splitlines()
             if line.strip() and not line.strip().startswith("(Background on this error at")]
    return " ".join(lines)


class EventwireError(Exception):
    """Base of every error eventwire raises on purpose."""

    code = "E000"

    def __init__(self, message: str, origin: str | None = None):
        self.origin = origin
        self.message = message
        super().__init__(f"{origin}: {self.code} {message}" if origin else f"{self.code} {message}")


class InputError(EventwireError):
    """A document that cannot be read: binary, empty, undecodable, truncated, too large."""

    code = "E001"


class KnowledgeFileError(EventwireError):
    """A data file (actors, lexicon, framing terms) that does not follow its documented format."""

    code = "E002"


class ModelNotFound(EventwireError):
    """The configured spaCy pipeline is not installed."""

    code = "E003"


class SharedDataMissing(EventwireError):
    """Benchmarks and data-backed tests need ../shared (or EVENTWIRE_SHARED)."""

    code = "E004"


class StoreError(EventwireError):
    """The database could not be opened or written."""

    code = "E005"


class SourceError(EventwireError):
    """A news source (feed, sitemap or page URL) that cannot be added, found or fetched."""

    code = "E020"


class UnsafeURL(SourceError):
    """A URL eventwire refuses to fetch: not http(s), or its host is a loopback, private,
    link-local or multicast address (allow with ``--allow-private`` or ``--allow-network``)."""

    code = "E021"


class TooLittleText(InputError):
    """A document whose clean text is too short to be an article (a word or two, invisible
    characters only)."""

    code = "E011"


class OverTimeBudget(BaseException):
    """A document has used up its time budget (eventwire.limits.Budget).

    A BaseException, like KeyboardInterrupt: a library's ``except Exception`` between two
    checks must not swallow it. The pipeline turns it into a ProcessingError with this code.
    """

    code = "E012"


# Any other exception while processing one document: a ProcessingError with this code.
PROCESSING_FAILED = "E010"
# The worker process parsing a document died (killed, out of memory): eventwire.workers.
WORKER_DIED = "E013"


class ErrorLog:
    """The error lines of one run: every failed document counted, at most ``per_file`` lines
    shown for each file, then one line per file saying how many more there were.

    A file of a million bad lines is a million failures and about twenty lines of output.
    """

    def __init__(self, per_file: int = 20):
        self.per_file = per_file
        self.failed = 0
        self.shown: dict[str, int] = {}
        self.hidden: dict[str, dict[str, int]] = {}  # file -> code -> documents not shown

    def add(self, error) -> str | None:
        """Count a ProcessingError; the line to print now, or None when its file has had its share."""
        self.failed += error.count
        source = file_of(error.origin)
        if self.shown.get(source, 0) >= self.per_file:
            codes = self.hidden.setdefault(source, {})
            codes[error.code] = codes.get(error.code, 0) + error.count
            return None
        self.shown[source] = self.shown.get(source, 0) + 1
        return printable(f"error: {error}")

    def summary(self) -> list[str]:
        """One line for each file with errors not shown."""
        lines = []
        for source, codes in self.hidden.items():
            ranked = sorted(codes.items(), key=lambda item: -item[1])
            detail = ", ".join(f"{code} x{n}" for code, n in ranked)
            lines.append(printable(f"error: {source}: {ranked[0][0]} {sum(codes.values())} more "
                                   f"failed documents not shown ({detail}; at most "
                                   f"{self.per_file} lines a file)"))
        return lines


def file_of(origin: str) -> str:
    """The file an error origin names: ``news.jsonl:12`` and ``crawl.warc:record 3`` are in
    ``news.jsonl`` and ``crawl.warc``."""
    head, sep, tail = origin.rpartition(":")
    if sep and (tail.isdigit() or tail.startswith(("item ", "record "))):
        return head
    return origin
