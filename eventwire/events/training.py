"""Train the confidence model of event candidates from labelled real news.

``eventwire train events`` runs the pipeline over the labelled articles (corpus lines in
``data/labels/events.jsonl``, read from the shared corpus), matches each candidate to its label
by corpus line and offsets, and fits on the ``train`` part: a logistic regression and a gradient
boosting model are compared on the ``tune`` part, the winner is calibrated there (isotonic) and
its showing threshold chosen there (best F1); the ``test`` part is never used. The target is "a real
current act, and of this type" (docs/annotation.md). Fixed seeds; the figures are printed.
"""

from __future__ import annotations

import gzip
import json
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from .. import actors, extract, nlp
from ..errors import InputError, SharedDataMissing
from ..records import Article, ParsedArticle, RawDocument
from ..settings import Settings
from . import code_article, confidence, contexts, features

LABELS = Path(__file__).resolve().parent.parent / "data" / "labels" / "events.jsonl"
DEMO = Path(__file__).resolve().parent.parent.parent / "examples" / "corpus"  # in a source checkout
CORPUS = Path("corpus") / "allsides_sample_3000.jsonl.gz"
PARTS = ("train", "tune", "test")
SEED = 17


@dataclass
class Example:
    """One labelled candidate as the model sees it."""

    line: int
    split: str
    named: dict[str, float]
    dense: np.ndarray
    real: bool
    type_right: bool
    label: dict
    event: object  # records.Event


@dataclass
class Labels:
    """The labelled set: candidate labels by key, acts no candidate caught, and each line's split."""

    candidates: dict[tuple[int, int, int], dict] = field(default_factory=dict)  # (line, sentence start, trigger start)
    demo: dict[tuple[str, int, int], dict] = field(default_factory=dict)  # (document, sentence start, trigger start)
    acts: list[dict] = field(default_factory=list)
    splits: dict[int, str] = field(default_factory=dict)
    version: str = ""


def load_labels(path: Path = LABELS) -> Labels:
    labels = Labels()
    try:
        lines = Path(path).read_text(encoding="utf-8").splitlines()
    except OSError as exc:
        raise InputError(f"cannot read labels: {exc}", origin=str(path)) from exc
    for number, raw in enumerate(lines, start=1):
        if not raw.strip():
            continue
        try:
            record = json.loads(raw)
        except ValueError as exc:
            raise InputError(f"not JSON: {exc}", origin=f"{path}:{number}") from None
        if record.get("corpus") == "demo":
            trigger = record.get("trigger") or [record["sentence"][0]]
            labels.demo[(record["document"], record["sentence"][0], trigger[0])] = record
            continue
        if record.get("corpus") != "allsides_sample_3000":
            continue
        labels.version = record.get("guideline", labels.version)
        labels.splits[record["line"]] = record["split"]
        if record.get("kind") == "missed" or record.get("kind") == "act":
            labels.acts.append(record)
        elif record.get("kind") == "no_acts":
            continue
        else:
            trigger = record.get("trigger") or [record["sentence"][0]]
            labels.candidates[(record["line"], record["sentence"][0], trigger[0])] = record
    return labels


def corpus_items(shared: Path, wanted: set[int]) -> Iterator[tuple[int, dict]]:
    path = Path(shared) / CORPUS
    if not path.exists():
        raise SharedDataMissing(f"{path} not found: point --shared (or EVENTWIRE_SHARED) at the shared folder")
    with gzip.open(path, "rt", encoding="utf-8") as handle:
        for number, line in enumerate(handle, start=1):
            if number in wanted:
                yield number, json.loads(line)
            if number >= max(wanted):
                break


def raw_key(raw: str, article: Article, event) -> tuple[int, int] | None:
    """(sentence start, trigger start) of an event in the raw corpus text."""
    at = raw.find(article.text[event.evidence.start:event.evidence.end])
    if at < 0:
        return None
    words = (event.trigger or "").split()
    offset = event.evidence.sentence.find(words[0]) if words else -1
    return at, (at + offset if offset >= 0 else at)


def coded_articles(shared: Path, lines: set[int], settings: Settings,
                   scored: bool = False) -> Iterator[tuple[int, str, Article, list, object]]:
    """(line, raw text, article, coded events, doc) for each corpus line, through the pipeline's stages."""
    items = list(corpus_items(shared, lines))
    articles = []
    for number, item in items:
        raw = item.get("content_original") or ""
        document = RawDocument(origin=f"corpus:{number}", text=raw, url=item.get("url"),
                               title=item.get("title"), published=item.get("date") or None,
                               outlet=item.get("source"))
        try:
            articles.append((number, raw, extract.extract(document, settings)))
        except Exception:  # an article extraction refuses is no example
            continue
    docs = nlp.parse((a.text for _, _, a in articles), settings.model, settings.batch_size)
    for (number, raw, article), doc in zip(articles, docs):
        parsed = actors.resolve_actors(ParsedArticle(article, doc), settings)
        yield number, raw, article, code_article(parsed, settings, scored=scored), doc


def examples(labels: Labels, shared: Path, settings: Settings) -> list[Example]:
    """Every labelled candidate the current pipeline still proposes, with its features."""
    lines = {line for line, _s, _t in labels.candidates}
    return examples_from(coded_articles(shared, lines, settings), labels) + demo_examples(labels, settings)


def demo_examples(labels: Labels, settings: Settings) -> list[Example]:
    """The labelled candidates of the demo corpus (keyed by document and clean-text offsets)."""
    if not labels.demo or not DEMO.is_dir():
        return []
    from .. import ingest
    from ..records import ProcessingError
    out = []
    items = [(Path(r.source_path or r.origin).name, r) for r in ingest.read_paths([str(DEMO)], settings)
             if not isinstance(r, ProcessingError)]
    articles = []
    for name, raw in items:
        try:
            articles.append((name, extract.extract(raw, settings)))
        except Exception:
            continue
    docs = nlp.parse((a.text for _, a in articles), settings.model, settings.batch_size)
    for (name, article), doc in zip(articles, docs):
        parsed = actors.resolve_actors(ParsedArticle(article, doc), settings)
        coded = code_article(parsed, settings, scored=False)
        for c, context in zip(coded, contexts(coded, doc, article)):
            words = (c.event.trigger or "").split()
            at = c.event.evidence.sentence.find(words[0]) if words else -1
            label = labels.demo.get((name, c.event.evidence.start, c.event.evidence.start + max(at, 0)))
            if label is None:
                continue
            named, dense = features.candidate_features(c, c.trigger.sent, context)
            real = bool(label.get("real"))
            out.append(Example(-1, label["split"], named, dense, real,
                               real and label.get("type") == c.event.type, label, c.event))
    return out


def examples_from(coded: Iterator[tuple[int, str, Article, list, object]], labels: Labels) -> list[Example]:
    """The labelled candidates among coded articles (``coded_articles``), with their features."""
    out = []
    for number, raw, article, coded, doc in coded:
        for c, context in zip(coded, contexts(coded, doc, article)):
            key = raw_key(raw, article, c.event)
            label = labels.candidates.get((number, *key)) if key else None
            if label is None:
                continue
            named, dense = features.candidate_features(c, c.trigger.sent, context)
            real = bool(label.get("real"))
            out.append(Example(number, labels.splits.get(number, "train"), named, dense, real,
                               real and label.get("type") == c.event.type, label, c.event))
    return out


# --- fitting --------------------------------------------------------------------------------

MIN_COUNT = 3  # a named feature is kept when at least this many training examples have it


def vocabulary(examples: list[Example]) -> dict[str, int]:
    """Named features seen in at least MIN_COUNT training examples, each with its column."""
    from collections import Counter
    seen = Counter(name for e in examples for name in e.named)
    return {name: i for i, name in enumerate(sorted(n for n, c in seen.items() if c >= MIN_COUNT))}


def _labels(examples: list[Example]) -> np.ndarray:
    return np.array([e.type_right for e in examples])


def _average_precision(y: np.ndarray, p: np.ndarray) -> float:
    from sklearn.metrics import average_precision_score
    return float(average_precision_score(y, p)) if y.any() else 0.0


@dataclass
class Fitted:
    """A trained candidate model and its figures on the tune part."""

    name: str
    model: confidence.ConfidenceModel
    tune_raw: np.ndarray
    tune_ap: float


def _fit(name: str, estimator, vocab: dict[str, int], dense_input: bool, train: list[Example],
         tune: list[Example]) -> Fitted:
    model = confidence.ConfidenceModel(vocab, estimator, [], [], confidence.DEFAULT_THRESHOLD, "",
                                       dense_input=dense_input)
    estimator.fit(model.matrix([(e.named, e.dense) for e in train]), _labels(train))
    raw = model.raw([(e.named, e.dense) for e in tune])
    return Fitted(name, model, raw, _average_precision(_labels(tune), raw))


def candidates(train: list[Example], tune: list[Example]) -> list[Fitted]:
    """The models compared: logistic regressions and gradient boosting, a small grid each,
    the best of each family by average precision on the tune part."""
    from sklearn.ensemble import HistGradientBoostingClassifier
    from sklearn.linear_model import LogisticRegression
    vocab = vocabulary(train)
    logistic = [_fit(f"logistic regression (C={c})", LogisticRegression(C=c, max_iter=5000, class_weight="balanced"),
                     vocab, False, train, tune) for c in (0.03, 0.1, 0.3, 1.0)]
    boosting = [_fit(f"gradient boosting (rate {rate}, {leaves} leaves)",
                     HistGradientBoostingClassifier(max_iter=200, learning_rate=rate, max_leaf_nodes=leaves,
                                                    l2_regularization=1.0, random_state=SEED),
                     vocab, True, train, tune) for rate, leaves in ((0.05, 15), (0.1, 15), (0.05, 31))]
    return [max(logistic, key=lambda f: f.tune_ap), max(boosting, key=lambda f: f.tune_ap)]


def calibration_table(raw: np.ndarray, y: np.ndarray, points: int = 40) -> tuple[list[float], list[float]]:
    """An isotonic fit of y on the raw score, sampled at ``points`` quantiles."""
    from sklearn.isotonic import IsotonicRegression
    iso = IsotonicRegression(out_of_bounds="clip", y_min=0.0, y_max=1.0).fit(raw, y.astype(float))
    xs = sorted(set(np.quantile(raw, np.linspace(0, 1, points)).round(6).tolist()))
    return xs, [round(float(v), 4) for v in iso.predict(xs)]


def choose_threshold(scores: np.ndarray, y: np.ndarray) -> float:
    """The confidence with the best F1 on the tune part: shown events are right about as often
    as right candidates are shown. (A rule asking for a fixed precision of 0.80 picked a point
    resting on a dozen tune events and showed a twentieth of the right events on the test part;
    docs/events.md, BENCHMARKS.md.) Ties go to the higher confidence."""
    best = (-1.0, 0.5)
    for t in sorted(set(np.round(scores, 3).tolist())):
        shown = scores >= t
        if not shown.any():
            continue
        precision = float(y[shown].mean())
        recall = float(y[shown].sum() / max(1, y.sum()))
        f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
        best = max(best, (f1, float(t)))
    return best[1]


def train(labels_path: Path = LABELS, shared: Path | None = None, out: Path | None = confidence.MODEL,
          settings: Settings | None = None, fraction: float = 1.0, log=print,
          data: list[Example] | None = None) -> dict:
    """Fit, compare, calibrate and save the confidence model; return it with its examples.
    ``data``: examples already built (``examples``), to fit again without running the pipeline."""
    settings = settings or Settings()
    started = time.perf_counter()
    labels = load_labels(labels_path)
    if data is None:
        data = examples(labels, Path(shared or settings.shared_path), settings)
    by_part = {p: [e for e in data if e.split == p] for p in PARTS}
    train_part = by_part["train"]
    if fraction < 1.0:  # learning curve: a fixed subset of the training articles
        rng = np.random.default_rng(SEED)
        lines = sorted({(e.line, e.label.get("document")) for e in train_part})
        keep = {lines[i] for i in rng.choice(len(lines), size=max(1, int(len(lines) * fraction)), replace=False)}
        train_part = [e for e in train_part if (e.line, e.label.get("document")) in keep]
    log(f"examples: {len(data)} labelled candidates the pipeline proposes; train {len(train_part)}, "
        f"tune {len(by_part['tune'])}, test {len(by_part['test'])} (test is not used here)")
    fits = candidates(train_part, by_part["tune"])
    for f in fits:
        log(f"  {f.name}: tune average precision {f.tune_ap:.3f}")
    winner = max(fits, key=lambda f: f.tune_ap)
    tune_y = _labels(by_part["tune"])
    model = winner.model
    model.calibration_x, model.calibration_y = calibration_table(winner.tune_raw, tune_y)
    calibrated = np.array([model.calibrate(p) for p in winner.tune_raw])
    model.threshold = choose_threshold(calibrated, tune_y)
    model.version = labels.version
    model.info = {"labels": f"guideline {labels.version}", "train_examples": len(train_part), "seed": SEED,
                  "model": winner.name, "fraction": fraction,
                  "compared": {f.name: round(f.tune_ap, 4) for f in fits}}
    shown = calibrated >= model.threshold
    log(f"  kept {winner.name}; threshold {model.threshold:.3f}: tune precision "
        f"{tune_y[shown].mean() if shown.any() else 0:.3f}, recall {tune_y[shown].sum() / max(1, tune_y.sum()):.3f}")
    if out is not None:
        model.save(out)
        confidence.load.cache_clear()
        log(f"wrote {out} ({out.stat().st_size // 1024} KB) in {time.perf_counter() - started:.0f} s")
    return {"model": model, "examples": data}
