"""The result of an evaluation run, and the counting helpers every scorer shares."""

from __future__ import annotations

import json
from collections import Counter
from dataclasses import dataclass, field
from typing import Any


def prf(tp: float, fp: float, fn: float) -> dict[str, float]:
    """Precision, recall and F1 from counts (0.0 where undefined)."""
    p = tp / (tp + fp) if tp + fp else 0.0
    r = tp / (tp + fn) if tp + fn else 0.0
    f = 2 * p * r / (p + r) if p + r else 0.0
    return {"precision": round(p, 4), "recall": round(r, 4), "f1": round(f, 4)}


def per_class_prf(gold: list[str], predicted: list[str | None]) -> dict[str, dict[str, float]]:
    """Per-class P/R/F1 for single-label classification; a None prediction is a miss."""
    classes = sorted(set(gold) | {p for p in predicted if p})
    out = {}
    for c in classes:
        tp = sum(1 for g, p in zip(gold, predicted) if g == c and p == c)
        fp = sum(1 for g, p in zip(gold, predicted) if g != c and p == c)
        fn = sum(1 for g, p in zip(gold, predicted) if g == c and p != c)
        out[c] = {**prf(tp, fp, fn), "support": sum(1 for g in gold if g == c)}
    return out


def macro_f1(per_class: dict[str, dict[str, float]]) -> float:
    """Mean F1 over the classes that occur in the gold data."""
    scores = [v["f1"] for v in per_class.values() if v.get("support")]
    return round(sum(scores) / len(scores), 4) if scores else 0.0


def top_confusions(gold: list[str], predicted: list[str | None], n: int = 10) -> list[dict[str, Any]]:
    """The most frequent (gold, predicted) disagreements."""
    pairs = Counter((g, p or "(none)") for g, p in zip(gold, predicted) if g != p)
    return [{"gold": g, "predicted": p, "count": c} for (g, p), c in pairs.most_common(n)]


@dataclass
class EvalReport:
    """Figures of one evaluation: ours, the peers' from the same run, and the errors behind them."""

    task: str
    data: str
    items: int
    metrics: dict[str, float]
    peers: dict[str, dict[str, float]] = field(default_factory=dict)
    per_class: dict[str, dict[str, float]] = field(default_factory=dict)
    confusions: list[dict[str, Any]] = field(default_factory=list)
    errors: list[dict[str, Any]] = field(default_factory=list)  # example errors, by class
    notes: list[str] = field(default_factory=list)
    seconds: float = 0.0
    # figures by split part ("tune", "report") and by system, when the gold data is split:
    # {"eventwire": {"tune": {...}, "report": {...}}, "bag-of-words": {"report": {...}}}
    parts: dict[str, dict[str, dict[str, float]]] = field(default_factory=dict)

    def to_dict(self) -> dict[str, Any]:
        return {k: getattr(self, k) for k in self.__dataclass_fields__}

    def to_json(self) -> str:
        return json.dumps(self.to_dict(), indent=2, ensure_ascii=False)

    def render(self) -> str:
        """A plain-text table for the terminal."""
        lines = [f"eval {self.task}: {self.items} items from {self.data} ({self.seconds:.1f} s)"]
        columns = [(f"{system} {part}", m) for system, by_part in self.parts.items()
                   for part, m in by_part.items()]
        columns += [("eventwire all", self.metrics)] + [(name, m) for name, m in self.peers.items()]
        names = sorted({k for _, m in columns for k in m})
        width = max(12, *(len(label) + 2 for label, _ in columns))
        label_width = max(10, *(len(n) + 2 for n in names)) if names else 10
        lines.append(f"{'metric':<{label_width}}" + "".join(f"{label:>{width}}" for label, _ in columns))
        for n in names:
            lines.append(f"{n:<{label_width}}" + "".join(
                f"{m[n]:>{width}.4f}" if isinstance(m.get(n), (int, float)) else f"{'-':>{width}}"
                for _, m in columns))
        if self.per_class:
            lines.append("")
            lines.append(f"{'class':<28}{'precision':>10}{'recall':>10}{'f1':>10}{'support':>9}")
            for c, v in sorted(self.per_class.items()):
                lines.append(f"{c:<28}{v.get('precision', 0):>10.3f}{v.get('recall', 0):>10.3f}"
                             f"{v.get('f1', 0):>10.3f}{v.get('support', 0):>9}")
        if self.confusions:
            lines.append("")
            lines.append("largest errors (gold -> predicted: count)")
            for c in self.confusions:
                lines.append(f"  {c['gold']} -> {c['predicted']}: {c['count']}")
        for note in self.notes:
            lines.append(f"note: {note}")
        return "\n".join(lines)
