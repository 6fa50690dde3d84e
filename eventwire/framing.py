"""Framing across outlets: how each outlet tells the same story.

For a set of articles grouped by outlet, report per outlet the contested terms it
uses, the words that most distinguish it from the others (log-odds ratio with an
informative Dirichlet prior, Monroe, Colaresi and Quinn 2008), whom it quotes,
the tone of sentences around each actor (VADER), and the events the other outlets
report that it does not.
"""

from __future__ import annotations

import math
import os
import re
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import Any

from .errors import KnowledgeFileError
from .records import Article, Event

WORD = re.compile(r"[A-Za-z][A-Za-z'\-]+")
SENTENCE_END = re.compile(r"(?<=[.!?…])[\"”’)]?\s+(?=[\"“‘(]?[A-Z0-9])")


# --- contested terms -------------------------------------------------------------------------

@dataclass(frozen=True)
class TermVariant:
    """One way of naming a contested thing, and the phrases that signal it."""

    concept: str
    variant: str
    pattern: re.Pattern


def load_terms(extra_files: Iterable[str | Path] = ()) -> list[TermVariant]:
    """The bundled contested-terms file plus any user files (same format)."""
    files = [str(f) for f in extra_files]
    env = os.environ.get("EVENTWIRE_FRAMING_TERMS")
    if env:
        files.extend(p for p in env.split(os.pathsep) if p)
    return list(_load_terms(tuple(files)))


@lru_cache(maxsize=8)
def _load_terms(extra_files: tuple[str, ...]) -> tuple[TermVariant, ...]:
    bundled = resources.files("eventwire") / "data" / "framing_terms.tsv"
    sources = [("framing_terms.tsv", bundled.read_text(encoding="utf-8"))]
    for path in extra_files:
        try:
            sources.append((path, Path(path).read_text(encoding="utf-8")))
        except OSError as exc:
            raise KnowledgeFileError(f"cannot read framing terms file: {exc.strerror}", path) from exc
    variants: list[TermVariant] = []
    for name, text in sources:
        for number, line in enumerate(text.splitlines(), 1):
            if not line.strip() or line.startswith("#"):
                continue
            parts = line.rstrip("\n").split("\t")
            if len(parts) != 3 or not all(p.strip() for p in parts):
                raise KnowledgeFileError(
                    "expected three tab-separated columns: concept, variant, phrases",
                    f"{name}:{number}")
            concept, variant, phrases = (p.strip() for p in parts)
            variants.append(TermVariant(concept, variant, _phrase_pattern(phrases.split("|"))))
    return tuple(variants)


def _phrase_pattern(phrases: list[str]) -> re.Pattern:
    exact = [re.escape(p[1:].strip()) for p in phrases if p.startswith("=")]
    folded = [re.escape(p.strip()) for p in phrases if p.strip() and not p.startswith("=")]
    alternatives = []
    if folded:
        alternatives.append(f"(?i:{'|'.join(sorted(folded, key=len, reverse=True))})")
    if exact:
        alternatives.append("|".join(sorted(exact, key=len, reverse=True)))
    return re.compile(r"(?<![\w-])(?:" + "|".join(alternatives) + r")(?![\w-])")


def count_terms(text: str, variants: list[TermVariant]) -> dict[str, dict[str, int]]:
    """Occurrences of each contested-term variant in a text, by concept."""
    found: dict[str, dict[str, int]] = defaultdict(dict)
    for v in variants:
        n = len(v.pattern.findall(text))
        if n:
            found[v.concept][v.variant] = found[v.concept].get(v.variant, 0) + n
    return dict(found)


# --- distinguishing words --------------------------------------------------------------------

@lru_cache(maxsize=1)
def _stop_words() -> frozenset[str]:
    from spacy.lang.en.stop_words import STOP_WORDS
    return frozenset(STOP_WORDS) | {"said", "says", "told", "also", "mr", "ms", "s"}


def word_counts(texts: Iterable[str]) -> Counter:
    """Lower-cased content-word counts (stop words dropped)."""
    stop = _stop_words()
    counts: Counter = Counter()
    for text in texts:
        counts.update(w for w in (m.group().lower().strip("'-") for m in WORD.finditer(text))
                      if len(w) > 2 and w not in stop)
    return counts


def log_odds_dirichlet(focus: Counter, rest: Counter, prior: Counter,
                       prior_weight: float | None = None) -> dict[str, tuple[float, float]]:
    """Log-odds ratio of each word, focus vs rest, with an informative Dirichlet prior.

    Monroe, Colaresi and Quinn (2008), eq. 16-22: the prior is the pooled word
    distribution scaled to ``prior_weight`` pseudo-counts (default: the pooled counts
    themselves). Returns word -> (delta, z); z above 1.96 is significant at 5%.
    """
    n_focus, n_rest, n_prior = sum(focus.values()), sum(rest.values()), sum(prior.values())
    if not n_prior:
        return {}
    a0 = float(prior_weight or n_prior)
    scale = a0 / n_prior
    out = {}
    for word, count in prior.items():
        a = count * scale
        yf, yr = focus.get(word, 0), rest.get(word, 0)
        delta = (math.log((yf + a) / (n_focus + a0 - yf - a))
                 - math.log((yr + a) / (n_rest + a0 - yr - a)))
        variance = 1.0 / (yf + a) + 1.0 / (yr + a)
        out[word] = (delta, delta / math.sqrt(variance))
    return out


# --- tone around actors ----------------------------------------------------------------------

@lru_cache(maxsize=1)
def _vader():
    from vaderSentiment.vaderSentiment import SentimentIntensityAnalyzer
    return SentimentIntensityAnalyzer()


def _sentences(article: Article) -> list[tuple[int, int, str]]:
    if article.sentences:
        return [(s.start, s.end, s.text) for s in article.sentences]
    spans, start = [], 0
    for m in SENTENCE_END.finditer(article.text):
        spans.append((start, m.start(), article.text[start:m.start()]))
        start = m.end()
    spans.append((start, len(article.text), article.text[start:]))
    return [s for s in spans if s[2].strip()]


def actor_sentences(article: Article) -> dict[str, list[str]]:
    """Sentences of the article that mention each actor (by actor id)."""
    sentences = _sentences(article)
    starts = [s[0] for s in sentences]
    found: dict[str, set[int]] = defaultdict(set)
    import bisect
    for m in article.mentions:
        if m.actor_id and m.start is not None:
            i = bisect.bisect_right(starts, m.start) - 1
            if i >= 0:
                found[m.actor_id].add(i)
    for e in article.events:  # events name their actors even where mentions are missing
        i = bisect.bisect_right(starts, e.evidence.start) - 1
        for m in e.source + e.target:
            if m.actor_id and i >= 0:
                found[m.actor_id].add(i)
    return {actor: [sentences[i][2] for i in sorted(idx)] for actor, idx in found.items()}


# --- events missing from an outlet -----------------------------------------------------------

def event_key(event: Event) -> tuple:
    """What makes two reports the same event when no canonical id links them."""
    sources = tuple(sorted({m.country or m.actor_id or "" for m in event.source} - {""}))
    targets = tuple(sorted({m.country or m.actor_id or "" for m in event.target} - {""}))
    return (event.type, sources, targets)


# --- the report ------------------------------------------------------------------------------

@dataclass
class OutletFraming:
    """How one outlet frames the compared articles."""

    outlet: str
    articles: int
    terms: dict[str, dict[str, int]] = field(default_factory=dict)
    distinctive: list[dict[str, Any]] = field(default_factory=list)
    speakers: list[dict[str, Any]] = field(default_factory=list)
    speaker_groups: list[dict[str, Any]] = field(default_factory=list)
    tone: list[dict[str, Any]] = field(default_factory=list)
    missing_events: list[dict[str, Any]] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        return {k: getattr(self, k) for k in self.__dataclass_fields__}


@dataclass
class FramingReport:
    """The comparison of several outlets over one story or filter."""

    scope: str
    outlets: list[OutletFraming]

    def to_dict(self) -> dict[str, Any]:
        return {"scope": self.scope, "outlets": [o.to_dict() for o in self.outlets]}

    def outlet(self, name: str) -> OutletFraming:
        for o in self.outlets:
            if o.outlet == name:
                return o
        raise KeyError(name)

    def render(self) -> str:
        """A readable plain-text report for the terminal."""
        lines = [f"Framing comparison: {self.scope}"]
        for o in self.outlets:
            lines += ["", f"== {o.outlet} ({o.articles} article{'s' if o.articles != 1 else ''})"]
            if o.terms:
                lines.append("  contested terms: " + "; ".join(
                    f"{concept}: " + ", ".join(f"{v} x{n}" for v, n in variants.items())
                    for concept, variants in sorted(o.terms.items())))
            if o.distinctive:
                lines.append("  distinctive words (z): " + ", ".join(
                    f"{d['word']} {d['z']:+.1f}" for d in o.distinctive[:10]))
            if o.speakers:
                lines.append("  quotes: " + ", ".join(
                    f"{s['name'] or s['text']} ({s['country'] or '?'}/{s['sector'] or '?'}) x{s['count']}"
                    for s in o.speakers[:8]))
            if o.tone:
                lines.append("  tone by actor (VADER mean, sentences): " + ", ".join(
                    f"{t['actor']} {t['tone']:+.2f} ({t['sentences']})" for t in o.tone[:8]))
            if o.missing_events:
                lines.append("  reported by others, missing here:")
                for e in o.missing_events[:8]:
                    lines.append(f"    {e['type']} {','.join(e['source']) or '?'} -> "
                                 f"{','.join(e['target']) or '?'} (by {', '.join(e['reported_by'])})")
        return "\n".join(lines)


def compare_outlets(articles: Iterable[Article], scope: str = "articles",
                    outlets: Iterable[str] | None = None, terms_files: Iterable[str] = (),
                    event_id_key: Callable[[Event], Any] | None = None,
                    top_words: int = 15, min_z: float = 0.0,
                    min_confidence: float | None = None) -> FramingReport:
    """Compare how outlets frame a set of articles; reprints should be left out by the caller.

    ``event_id_key`` maps an event to its identity across reports (e.g. its canonical
    id in the store); by default events match on type and actor countries. Events scored below
    ``min_confidence`` are left out of the events an outlet reports or misses.
    """
    by_outlet: dict[str, list[Article]] = defaultdict(list)
    for a in articles:
        by_outlet[a.outlet or "(unknown outlet)"].append(a)
    wanted = list(outlets) if outlets else sorted(by_outlet)
    variants = load_terms(terms_files)
    key_of = event_id_key or event_key

    counts = {o: word_counts(a.title or "" for a in by_outlet[o]) + word_counts(
        a.text for a in by_outlet[o]) for o in wanted}
    prior = sum(counts.values(), Counter())

    events_by_key: dict[Any, dict[str, Any]] = {}
    outlet_keys: dict[str, set] = defaultdict(set)
    for o in wanted:
        for a in by_outlet[o]:
            for e in a.events:
                if e.modality.negated or e.modality.hypothetical:
                    continue
                if min_confidence and e.confidence is not None and e.confidence < min_confidence:
                    continue
                _, sources, targets = event_key(e)
                if not sources and not targets:
                    continue  # with no known party, two reports cannot be told apart
                k = key_of(e)
                outlet_keys[o].add(k)
                entry = events_by_key.setdefault(k, {"type": e.type, "source": event_key(e)[1],
                                                     "target": event_key(e)[2], "reported_by": set(),
                                                     "sentence": e.evidence.sentence})
                entry["reported_by"].add(o)

    report = []
    for o in wanted:
        arts = by_outlet.get(o, [])
        framing = OutletFraming(outlet=o, articles=len(arts))
        for a in arts:
            for concept, found in count_terms(f"{a.title or ''}\n{a.text}", variants).items():
                bucket = framing.terms.setdefault(concept, {})
                for v, n in found.items():
                    bucket[v] = bucket.get(v, 0) + n
        if len(wanted) > 1:
            rest = prior - counts[o]
            scores = log_odds_dirichlet(counts[o], rest, prior)
            ranked = sorted(((w, d, z) for w, (d, z) in scores.items() if z > min_z and counts[o][w]),
                            key=lambda x: -x[2])[:top_words]
            framing.distinctive = [{"word": w, "delta": round(d, 3), "z": round(z, 2),
                                    "count": counts[o][w]} for w, d, z in ranked]
        speakers: Counter = Counter()
        groups: Counter = Counter()
        for a in arts:
            for q in a.quotes:
                sp = q.speaker
                if sp is None:
                    speakers[(None, "(unattributed)", None, None)] += 1
                    continue
                speakers[(sp.actor_id, sp.name or sp.text, sp.country, sp.sector)] += 1
                groups[(sp.country, sp.sector)] += 1
        framing.speakers = [{"actor_id": k[0], "name": k[1], "text": k[1], "country": k[2],
                             "sector": k[3], "count": n} for k, n in speakers.most_common()]
        framing.speaker_groups = [{"country": c, "sector": s, "count": n}
                                  for (c, s), n in groups.most_common()]
        tone: dict[str, list[float]] = defaultdict(list)
        for a in arts:
            for actor, sentences in actor_sentences(a).items():
                tone[actor].extend(_vader().polarity_scores(s)["compound"] for s in sentences)
        framing.tone = sorted(({"actor": actor, "tone": round(sum(v) / len(v), 3), "sentences": len(v)}
                               for actor, v in tone.items() if v), key=lambda t: -t["sentences"])
        framing.missing_events = [
            {"type": e["type"], "source": list(e["source"]), "target": list(e["target"]),
             "reported_by": sorted(e["reported_by"]), "sentence": e["sentence"]}
            for k, e in events_by_key.items() if k not in outlet_keys[o]]
        report.append(framing)
    return FramingReport(scope=scope, outlets=report)


# --- over the store ----------------------------------------------------------------------------

def compare_story(store, story_id: str, outlets: Iterable[str] | None = None,
                  terms_files: Iterable[str] = (), min_confidence: float | None = None) -> FramingReport:
    """Compare the outlets that told one story (reprints left out, canonical events matched)."""
    rows = store.articles(story=story_id, limit=None)
    return _compare_rows(store, rows, f"story {story_id}", outlets, terms_files, min_confidence=min_confidence)


def compare_filter(store, actor: str | None = None, outlets: Iterable[str] | None = None,
                   since: str | None = None, until: str | None = None,
                   terms_files: Iterable[str] = (), min_confidence: float | None = None) -> FramingReport:
    """Compare outlets over the articles that name ``actor`` (country code or actor id) in a period."""
    wanted = list(outlets) if outlets else None
    rows = []
    for outlet in wanted or [None]:
        rows.extend(store.articles(outlet=outlet, since=since, until=until, limit=None))
    scope = ", ".join(p for p in (f"actor {actor}" if actor else "", f"since {since}" if since else "",
                                  f"until {until}" if until else "") if p) or "all articles"
    return _compare_rows(store, rows, scope, wanted, terms_files, actor=actor, min_confidence=min_confidence)


def _compare_rows(store, rows, scope, outlets, terms_files, actor: str | None = None,
                  min_confidence: float | None = None) -> FramingReport:
    from sqlalchemy import select

    from .store.schema import events as events_table
    articles = []
    for row in rows:
        if row.get("reprint_of"):
            continue  # a reprint is the same article, not another outlet's telling
        article = store.get_article(row["id"])
        if article is None:
            continue
        if actor and not any(actor in (a.id, a.country) for a in article.actors):
            continue
        articles.append(article)
    ids = [a.id for a in articles]
    canonical: dict[str, str] = {}
    if ids:
        with store.engine.connect() as conn:
            query = select(events_table.c.id, events_table.c.canonical_id).where(
                events_table.c.article_id.in_(ids))
            canonical = {i: c for i, c in conn.execute(query) if c}
    return compare_outlets(articles, scope=scope, outlets=outlets, terms_files=terms_files,
                           event_id_key=lambda e: canonical.get(e.id) or event_key(e),
                           min_confidence=min_confidence)
