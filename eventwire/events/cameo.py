"""CAMEO codes to PLOVER: one table for every stage (data/events/cameo_plover.tsv).

The table is generated from the PLOVER project's CAMEO-to-PLOVER conversion by
``eventwire knowledge convert``. A code not listed takes its longest listed prefix
("1384" -> "138"); CAMEO 01 (public statements) has no PLOVER type.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from ..knowledge import read_table
from ..records import PLOVER_TYPES

DATA = Path(__file__).resolve().parent.parent / "data" / "events" / "cameo_plover.tsv"


@dataclass(frozen=True)
class PloverCode:
    """What a CAMEO code means in PLOVER."""

    cameo: str
    type: str
    mode: str | None
    contexts: tuple[str, ...]
    description: str


@lru_cache(maxsize=2)
def table(path: Path = DATA) -> dict[str, PloverCode]:
    out: dict[str, PloverCode] = {}
    for row in read_table(path, ("cameo", "type", "mode", "contexts", "description", "origin"),
                          kind="cameo-plover"):
        if row["type"] not in PLOVER_TYPES:
            raise row.error(f"{row['type']!r} is not a PLOVER type")
        mode = row.get("mode") or None
        contexts = [c for c in row.get("contexts").split(";") if c]
        if mode and "_" in mode:  # the source puts a context in the mode column once (CAMEO 175)
            contexts.insert(0, mode)
            mode = None
        out[row["cameo"]] = PloverCode(row["cameo"], row["type"], mode, tuple(contexts), row.get("description"))
    return out


def to_plover(code: str | None, path: Path = DATA) -> PloverCode | None:
    """The PLOVER reading of a CAMEO code, by its longest listed prefix; None if it has none."""
    if not code or not code.isdigit():
        return None
    codes = table(path)
    for length in range(len(code), 1, -1):
        found = codes.get(code[:length])
        if found is not None:
            return found
    return None


@dataclass(frozen=True)
class PairedCode:
    """A dictionary code read as events: ``a`` from source to target, ``b`` back, ``a:a`` both ways."""

    forward: str | None
    backward: str | None

    @property
    def reciprocal(self) -> bool:
        return self.forward is not None and self.forward == self.backward


def paired(code: str) -> PairedCode:
    """Split a dictionary code: ``190`` one way, ``042:043`` visit and host, ``:173`` only the
    target acts towards the source, ``---`` no event."""
    forward, _, backward = code.partition(":")
    return PairedCode(forward if forward.isdigit() else None, backward if backward.isdigit() else None)
