"""The one reader of eventwire's knowledge files.

Every knowledge file is UTF-8 text, one entry per line, columns separated by tabs. Lines
that are empty or start with ``#`` are comments; a file documents its own format in its
header comment. An optional first line ``# eventwire-knowledge: KIND`` names the table a
file fills, so that a user file can say what it extends. A line with the wrong number of
columns raises :class:`~eventwire.errors.KnowledgeFileError` naming ``file:line``.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path

from ..errors import KnowledgeFileError

HEADER = "# eventwire-knowledge:"


@dataclass(frozen=True)
class Row:
    """One data line of a knowledge file: its values by column name, and where it came from."""

    path: str
    line: int
    columns: tuple[str, ...]
    values: tuple[str, ...]

    def __getitem__(self, name: str) -> str:
        return self.values[self.columns.index(name)]

    def get(self, name: str, default: str = "") -> str:
        value = self[name] if name in self.columns else default
        return value if value not in ("", "-") else default

    @property
    def origin(self) -> str:
        return f"{self.path}:{self.line}"

    def error(self, reason: str) -> KnowledgeFileError:
        """An error about this line, to raise."""
        return KnowledgeFileError(reason, origin=self.origin)


def read_table(path: str | Path, columns: Sequence[str], *, optional: int = 0,
               kind: str | None = None, collapse_tabs: bool = False) -> Iterator[Row]:
    """Yield the data lines of a knowledge file as :class:`Row`.

    ``columns`` names the columns in order; the last ``optional`` of them may be left out
    (they read as ""). ``kind``: if the file declares a table kind in its first line, it must
    be this one. ``collapse_tabs``: runs of tabs count as one separator (for files aligned by
    hand), so no column can be empty.
    """
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise KnowledgeFileError(f"cannot read knowledge file: {exc}", origin=str(path)) from exc
    columns = tuple(columns)
    least = len(columns) - optional
    for number, raw in enumerate(text.splitlines(), start=1):
        stripped = raw.strip()
        if not stripped:
            continue
        if stripped.startswith("#"):
            if kind and stripped.startswith(HEADER) and stripped[len(HEADER):].strip() != kind:
                raise KnowledgeFileError(
                    f"this file declares table {stripped[len(HEADER):].strip()!r}, expected {kind!r}",
                    origin=f"{path}:{number}")
            continue
        cells = raw.split("\t")
        if collapse_tabs:
            cells = [c for c in cells if c.strip()]
        values = [c.strip() for c in cells]
        if not least <= len(values) <= len(columns):
            expected = str(len(columns)) if not optional else f"{least} to {len(columns)}"
            raise KnowledgeFileError(
                f"expected {expected} tab-separated columns ({', '.join(columns)}), "
                f"found {len(values)}", origin=f"{path}:{number}")
        values += [""] * (len(columns) - len(values))
        yield Row(str(path), number, columns, tuple(values))


def declared_kind(path: str | Path) -> str | None:
    """The table kind a file declares in its ``# eventwire-knowledge:`` line, if any."""
    try:
        with Path(path).open(encoding="utf-8") as handle:
            for raw in handle:
                if raw.strip():
                    line = raw.strip()
                    return line[len(HEADER):].strip() if line.startswith(HEADER) else None
    except (OSError, UnicodeDecodeError):
        return None
    return None


def user_files(paths: Iterable[str | Path], suffix: str | None = None,
               kind: str | None = None) -> list[Path]:
    """The user knowledge files among ``paths`` (files or folders) that belong to one table:
    by file-name ``suffix`` (``.events.tsv``) or by the ``kind`` their header declares."""
    found: list[Path] = []
    for entry in map(Path, paths):
        candidates = sorted(entry.rglob("*.tsv")) if entry.is_dir() else [entry]
        for path in candidates:
            if suffix and path.name.endswith(suffix) or kind and declared_kind(path) == kind:
                found.append(path)
    return found
