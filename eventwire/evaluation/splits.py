"""Fixed splits of gold data into a part we tune on and a part we only report.

An item's part depends only on its key and the seed, not on the order or the size of the
file, so the split is the same on every machine and survives appended records. Error
examples are only ever shown for the tuning part; the reporting part gives figures.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Iterable
from typing import TypeVar

SEED = "eventwire-split-1"
TUNE, REPORT = "tune", "report"
PARTS = (TUNE, REPORT)

T = TypeVar("T")


def part_of(key: str, seed: str = SEED, tune_share: float = 0.5) -> str:
    """``tune`` or ``report`` for an item key (an id, or the item's text)."""
    digest = hashlib.sha256(f"{seed}\x00{key}".encode("utf-8")).digest()
    return TUNE if int.from_bytes(digest[:8], "big") / 2**64 < tune_share else REPORT


def split(items: Iterable[T], key: Callable[[T], str], seed: str = SEED,
          tune_share: float = 0.5) -> dict[str, list[T]]:
    """Items grouped by part, each in input order."""
    out: dict[str, list[T]] = {p: [] for p in PARTS}
    for item in items:
        out[part_of(key(item), seed, tune_share)].append(item)
    return out
