"""Article-body extraction scored as the scrapinghub article-extraction-benchmark scores it.

Data: ``ground-truth.json`` (item id -> ``{"articleBody", "url"}``) and ``html/<id>.html.gz``.
Scoring (the benchmark's ``evaluate.py`` conventions, reimplemented here):

* tokens are the ``\\w+`` runs of a text (Unicode); shingles are runs of 4 tokens (a text
  of fewer than 4 tokens is one shingle);
* per item, true positives / false positives / false negatives are counted over the
  multisets of shingles and normalised by their sum, so long pages weigh no more than short;
* precision is the mean per-item precision over items where something was predicted,
  recall the mean per-item recall over items with gold text (an item where both texts
  give the same shingles scores 1); F1 is the harmonic mean of those two means;
* accuracy is the share of items whose token sequence equals the gold one exactly.

Peers in the same run: trafilatura with its default settings, readability-lxml, jusText
(English stop list) and newspaper4k when installed.
"""

from __future__ import annotations

import gzip
import json
import re
import statistics
import time
from collections import Counter
from collections.abc import Callable
from pathlib import Path

from ..errors import EventwireError
from ..records import RawDocument
from ..settings import Settings
from .report import EvalReport

SHINGLE_SIZE = 4
_TOKEN = re.compile(r"\w+", re.UNICODE)


def tokenize(text: str | None) -> list[str]:
    """The benchmark's tokens: runs of word characters."""
    return _TOKEN.findall(text or "")


def shingles(text: str | None, size: int = SHINGLE_SIZE) -> Counter:
    """Multiset of token n-grams (one shorter gram when the text has fewer than n tokens)."""
    tokens = tokenize(text)
    if not tokens:
        return Counter()
    return Counter(tuple(tokens[i:i + size]) for i in range(max(1, len(tokens) - size + 1)))


def match_counts(gold: str, predicted: str) -> tuple[float, float, float]:
    """Normalised (tp, fp, fn) of one item over shingles."""
    true, pred = shingles(gold), shingles(predicted)
    tp = sum((true & pred).values())
    fp = sum((pred - true).values())
    fn = sum((true - pred).values())
    total = tp + fp + fn
    return (tp / total, fp / total, fn / total) if total else (0.0, 0.0, 0.0)


def _precision(tp: float, fp: float, fn: float) -> float:
    if fp == fn == 0:
        return 1.0
    return tp / (tp + fp) if tp + fp else 0.0


def _recall(tp: float, fp: float, fn: float) -> float:
    if fp == fn == 0:
        return 1.0
    return tp / (tp + fn) if tp + fn else 0.0


def score(gold: dict[str, str], predicted: dict[str, str]) -> dict[str, float]:
    """Precision, recall, F1 and accuracy of predicted bodies against gold bodies (same keys)."""
    counts = [match_counts(gold[key], predicted.get(key, "")) for key in gold]
    precisions = [_precision(*c) for c in counts if c[0] + c[1] > 0]
    recalls = [_recall(*c) for c in counts if c[0] + c[2] > 0]
    precision = statistics.mean(precisions) if precisions else 0.0
    recall = statistics.mean(recalls) if recalls else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    accuracy = statistics.mean(
        float(tokenize(gold[key]) == tokenize(predicted.get(key, ""))) for key in gold) if gold else 0.0
    return {"precision": round(precision, 4), "recall": round(recall, 4), "f1": round(f1, 4),
            "accuracy": round(accuracy, 4)}


def item_f1(gold: str, predicted: str) -> float:
    """F1 of one item (for listing the worst items)."""
    tp, fp, fn = match_counts(gold, predicted)
    return 2 * tp / (2 * tp + fp + fn) if tp else 0.0


def load_gold(data: Path) -> tuple[dict[str, str], dict[str, str], dict[str, str]]:
    """Gold bodies, URLs and page HTML by item id."""
    truth = json.loads((data / "ground-truth.json").read_text(encoding="utf-8"))
    bodies, urls, pages = {}, {}, {}
    for key, item in sorted(truth.items()):
        path = data / "html" / f"{key}.html.gz"
        if not path.exists():
            path = data / "html" / f"{key}.html"
            raw = path.read_bytes()
        else:
            raw = gzip.decompress(path.read_bytes())
        bodies[key] = item.get("articleBody") or ""
        urls[key] = item.get("url") or ""
        pages[key] = raw.decode("utf-8", errors="replace")
    return bodies, urls, pages


def eventwire_body(html: str, url: str, settings: Settings) -> str:
    """The body text eventwire's extraction stage gives for a page ('' when it finds none)."""
    from ..extract import extract
    try:
        return extract(RawDocument(origin=url or "<page>", html=html, url=url or None), settings).text
    except EventwireError:
        return ""


def _trafilatura_default(html: str, url: str) -> str:
    import trafilatura
    return trafilatura.extract(html, url=url or None) or ""


def _readability(html: str, url: str) -> str:
    from ..extract.html import readability_text
    return readability_text(html)


def _justext(html: str, url: str) -> str:
    import justext
    paragraphs = justext.justext(html.encode("utf-8"), justext.get_stoplist("English"))
    return "\n".join(p.text for p in paragraphs if not p.is_boilerplate)


def _newspaper(html: str, url: str) -> str:
    import newspaper
    config = newspaper.Config()
    config.fetch_images = False  # scoring text only: no network requests for images
    article = newspaper.Article(url=url or "http://localhost/", config=config)
    article.download(input_html=html)
    article.parse()
    return article.text or ""


PEERS: dict[str, tuple[str, Callable[[str, str], str]]] = {
    "trafilatura (default)": ("trafilatura", _trafilatura_default),
    "readability-lxml": ("readability", _readability),
    "jusText": ("justext", _justext),
    "newspaper4k": ("newspaper", _newspaper),
}


def _available(module: str) -> bool:
    import importlib.util
    return importlib.util.find_spec(module) is not None


def run(data: Path, settings: Settings, peers: bool = True) -> EvalReport:
    """Score eventwire (and the peers) on the benchmark at ``data``."""
    started = time.perf_counter()
    gold, urls, pages = load_gold(Path(data))
    ours = {key: eventwire_body(pages[key], urls[key], settings) for key in gold}
    ours_seconds = time.perf_counter() - started
    report = EvalReport(task="extraction", data=str(data), items=len(gold), metrics=score(gold, ours))
    report.notes.append(f"eventwire: {ours_seconds:.1f} s for {len(gold)} pages")
    predictions = {"eventwire": ours}
    for name, (module, function) in (PEERS.items() if peers else []):
        if not _available(module):
            report.notes.append(f"{name}: not installed, skipped")
            continue
        peer_started = time.perf_counter()
        predicted = {}
        for key in gold:
            try:
                predicted[key] = function(pages[key], urls[key])
            except Exception:  # a peer failing on one page scores that page as empty
                predicted[key] = ""
        report.peers[name] = score(gold, predicted)
        predictions[name] = predicted
        report.notes.append(f"{name}: {time.perf_counter() - peer_started:.1f} s")
    worst = sorted(gold, key=lambda key: item_f1(gold[key], ours[key]))[:10]
    report.errors = [{"item": key, "url": urls[key],
                      **{name: round(item_f1(gold[key], predicted[key]), 3)
                         for name, predicted in predictions.items()},
                      "gold_chars": len(gold[key]), "eventwire_chars": len(ours[key])}
                     for key in worst]
    report.notes.append("scoring: 4-token shingles, per-item normalised counts, mean P and R, "
                        "F1 of the means; accuracy = exact token match (scrapinghub benchmark)")
    report.seconds = round(time.perf_counter() - started, 1)
    return report
