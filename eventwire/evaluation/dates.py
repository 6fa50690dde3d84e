"""Publication-date extraction scored on htmldate's Media Cloud 2020 evaluation set.

Data: ``eval_mediacloud_2020.json`` (page URL -> ``{"file", "date"}``; ``date`` is
``YYYY-MM-DD`` or a bare ``NaN`` for pages without a reliable date) and the pages in
``test_set/`` (``<file>.gz`` or ``<file>``).

Scoring: accuracy is the share of pages whose predicted date equals the gold day; on a
page whose gold date is NaN, leaving the date empty is the correct answer. ``empty`` is
the share of pages left without a date; ``acc_dated`` is the accuracy over the
pages that have a gold date. The peer is htmldate alone, with its default settings and
with ``original_date=True``, given the same HTML and URL.
"""

from __future__ import annotations

import gzip
import json
import math
import time
from pathlib import Path

from ..errors import EventwireError
from ..records import RawDocument
from ..settings import Settings
from .report import EvalReport


def load_gold(data: Path) -> list[tuple[str, str | None, str]]:
    """(url, gold date or None, html) for every page of the set, in file order."""
    data = Path(data)
    index_path = data / "eval_mediacloud_2020.json" if data.is_dir() else data
    folder = index_path.parent / "test_set"
    index = json.loads(index_path.read_text(encoding="utf-8"))  # Python's json accepts bare NaN
    items = []
    for url, entry in index.items():
        date = entry.get("date")
        if not isinstance(date, str) or (isinstance(date, float) and math.isnan(date)):
            date = None
        path = folder / f"{entry['file']}.gz"
        raw = gzip.decompress(path.read_bytes()) if path.exists() else (folder / entry["file"]).read_bytes()
        items.append((url, date, decode_page(raw)))
    return items


def decode_page(raw: bytes) -> str:
    """Page bytes as text, the way eventwire's ingest decodes them."""
    from ..ingest import _BadInput, decode
    try:
        return decode(raw, html=True)
    except _BadInput:
        return raw.decode("utf-8", errors="replace")


def score(gold: list[str | None], predicted: list[str | None]) -> dict[str, float]:
    """Accuracy (empty counts as right where gold is empty), accuracy on dated pages, empty share."""
    n = len(gold)
    if not n:
        return {"accuracy": 0.0, "acc_dated": 0.0, "empty": 0.0}
    right = sum(1 for g, p in zip(gold, predicted) if (g or None) == (p or None))
    dated = [(g, p) for g, p in zip(gold, predicted) if g]
    right_dated = sum(1 for g, p in dated if g == p)
    return {"accuracy": round(right / n, 4),
            "acc_dated": round(right_dated / len(dated), 4) if dated else 0.0,
            "empty": round(sum(1 for p in predicted if not p) / n, 4)}


def eventwire_date(html: str, url: str, settings: Settings) -> str | None:
    """The publication date eventwire's extraction stage gives for a page (also a page
    without article text, whose date the markup may still give)."""
    from ..extract import published_date
    try:
        found = published_date(RawDocument(origin=url, html=html, url=url), settings).date
    except EventwireError:
        return None
    return found.isoformat() if found else None


def run(data: Path, settings: Settings, peers: bool = True) -> EvalReport:
    """Score eventwire (and htmldate alone) on the date set at ``data``."""
    from htmldate import find_date

    started = time.perf_counter()
    items = load_gold(Path(data))
    gold = [date for _url, date, _html in items]
    ours = [eventwire_date(html, url, settings) for url, _date, html in items]
    report = EvalReport(task="dates", data=str(data), items=len(items), metrics=score(gold, ours))
    report.notes.append(f"eventwire: {time.perf_counter() - started:.1f} s for {len(items)} pages")
    predictions = {"eventwire": ours}
    if peers:
        for name, options in (("htmldate (default)", {}),
                              ("htmldate original_date", {"original_date": True})):
            peer_started = time.perf_counter()
            predicted = []
            for url, _date, html in items:
                try:
                    predicted.append(find_date(html, url=url, **options))
                except Exception:  # a failure on one page is an empty answer
                    predicted.append(None)
            report.peers[name] = score(gold, predicted)
            predictions[name] = predicted
            report.notes.append(f"{name}: {time.perf_counter() - peer_started:.1f} s")
    report.errors = [{"url": url, "gold": date, **{name: p[i] for name, p in predictions.items()}}
                     for i, (url, date, _html) in enumerate(items) if ours[i] != date][:20]
    report.notes.append("accuracy: exact day; a page with gold NaN is right when left empty")
    report.seconds = round(time.perf_counter() - started, 1)
    return report
