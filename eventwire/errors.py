"""Typed errors with numbered codes and a hint of what to do."""

from __future__ import annotations


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
