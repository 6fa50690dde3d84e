"""Quotes evaluation on PolNeAR attribution relations (brat standoff files).

Each article text goes through the real path (spaCy parse, then ``pipeline.analyse``: actors,
events, quotes) as it is, so our offsets are the gold offsets. Matching rules are in docs/quotes.md.
"""

from __future__ import annotations

import re
import time
from collections import Counter, defaultdict
from dataclasses import dataclass, field, fields
from pathlib import Path

from .. import actors, nlp, pipeline
from ..errors import InputError
from ..quotes.attribution import noun_phrase
from ..quotes.lexicon import CueLexicon, cue_files, load_cues
from ..quotes.marks import DASHES, DOUBLES
from ..records import Article, ParsedArticle, Quote
from ..settings import Settings
from .report import EvalReport, prf

MATCH = 0.5  # a quote finds a gold content when it covers at least half of it
EXAMPLES = 3
PRONOUNS = {"he", "she", "they", "it", "we", "i", "him", "her", "them"}


@dataclass
class GoldSpan:
    """A brat text-bound span; discontinuous spans have several fragments."""

    fragments: list[tuple[int, int]]
    text: str

    @property
    def start(self) -> int:
        return self.fragments[0][0]

    @property
    def end(self) -> int:
        return self.fragments[-1][1]

    def __len__(self) -> int:
        return sum(b - a for a, b in self.fragments)

    def overlap(self, start: int, end: int) -> int:
        return sum(max(0, min(end, b) - max(start, a)) for a, b in self.fragments)


@dataclass
class GoldAttribution:
    """One attribution relation: content, cue and (unless "no source") source."""

    id: str
    content: GoldSpan
    cue: GoldSpan | None
    source: GoldSpan | None
    direct: bool = False
    speech: bool = False


@dataclass
class Scores:
    """Counts over a set of articles, and examples of each error class."""

    direct: int = 0
    direct_found: int = 0
    direct_with_source: int = 0
    direct_speaker_correct: int = 0
    speech: int = 0
    speech_found: int = 0
    speech_with_source: int = 0
    speech_speaker_correct: int = 0
    predicted_tp: int = 0
    predicted_fp: int = 0
    predicted_other: int = 0  # our quotes matching a non-speech attribution: not counted
    errors: Counter = field(default_factory=Counter)
    examples: dict[str, list[str]] = field(default_factory=lambda: defaultdict(list))

    def error(self, kind: str, example: str) -> None:
        self.errors[kind] += 1
        if len(self.examples[kind]) < EXAMPLES:
            self.examples[kind].append(example)


_ID = re.compile(r"^[A-Z]\d+\t")
_SPAN_LINE = re.compile(r"^(\S+)\s+([^\s]+)\s+(\d+\s+\d+(?:;\d+\s+\d+)*)(?:\t(.*))?$")


def read_ann(path: Path) -> list[GoldAttribution]:
    """Read the attribution relations of one brat .ann file; bad lines raise InputError."""
    spans: dict[str, tuple[str, GoldSpan]] = {}
    relations: list[tuple[str, dict[str, str]]] = []
    for number, line in enumerate(Path(path).read_text(encoding="utf-8").splitlines(), 1):
        if not line.strip() or line.startswith("#"):
            continue
        if not _ID.match(line):
            continue  # the rest of a span text that runs over a line break
        origin = f"{path}:{number}"
        if line.startswith("T"):
            match = _SPAN_LINE.match(line)
            if not match:
                raise InputError("malformed text-bound line (want 'Tn<TAB>Type a b<TAB>text')",
                                 origin=origin)
            tid, kind, offsets, text = match.groups()
            fragments = [tuple(map(int, part.split())) for part in offsets.split(";")]
            if any(b < a for a, b in fragments):
                raise InputError("span ends before it starts", origin=origin)
            spans[tid] = (kind, GoldSpan(sorted(fragments), text or ""))
        elif line.startswith("E"):
            columns = line.split("\t")
            if len(columns) < 2:
                raise InputError("malformed event line (want 'En<TAB>Type:Tn Role:Tm ...')",
                                 origin=origin)
            roles = dict(arg.split(":", 1) for arg in columns[1].split() if ":" in arg)
            relations.append((columns[0], roles))
    attributions = []
    for eid, roles in relations:
        def span(role: str) -> GoldSpan | None:
            tid = roles.get(role)
            return spans[tid][1] if tid in spans else None
        content = span("Content")
        if content is not None:
            attributions.append(GoldAttribution(eid, content, span("Cue"), span("Source")))
    return attributions


def is_direct(text: str, content: GoldSpan) -> bool:
    """A content in quotation marks: its first and last characters (or their neighbours) are marks."""
    def mark_before(i: int) -> bool:
        while i < len(text) and text[i].isspace():
            i += 1
        if i < len(text) and text[i] in DOUBLES:
            return True
        j = content.start - 1
        while j >= 0 and text[j] == " ":
            j -= 1
        return j >= 0 and text[j] in DOUBLES

    def mark_after(i: int) -> bool:
        j = i - 1
        while j >= 0 and (text[j].isspace() or text[j] in ".,;:!?"):
            j -= 1
        if j >= 0 and text[j] in DOUBLES:
            return True
        while i < len(text) and (text[i] in " .,;:!?"):
            i += 1
        return i < len(text) and text[i] in DOUBLES

    return mark_before(content.start) and mark_after(content.end)


def is_speech(doc, cue: GoldSpan | None, lexicon: CueLexicon) -> bool:
    """A speech attribution: a cue word whose lemma is a speech verb, an "according to" or
    channel phrase, or the colon or dash that introduces quoted words."""
    if cue is None:
        return False
    words = cue.text.lower().split()
    if cue.text.strip() == ":" or cue.text.strip() in DASHES:
        return True
    for phrase in lexicon.source + lexicon.channel:
        n = len(phrase)
        if any(tuple(words[i:i + n]) == phrase for i in range(len(words) - n + 1)):
            return True
    for a, b in cue.fragments:
        span = doc.char_span(a, b, alignment_mode="expand")
        if span is not None and any(lexicon.is_speech(t.lemma_) for t in span):
            return True
    return False


def pick_annotations(split: Path) -> list[tuple[Path, Path]]:
    """(text, annotation) pairs: for an article annotated several times, the first file by name."""
    pairs = []
    for text_path in sorted((split / "text").glob("*.txt")):
        annotations = sorted((split / "attributions").glob(f"{text_path.stem}_*.ann"))
        if annotations:
            pairs.append((text_path, annotations[0]))
    return pairs


def split_folder(data: Path) -> Path:
    """``data`` itself when it holds text/, else its dev/ split (the default)."""
    return data if (data / "text").is_dir() else data / "dev"


def score_article(article: Article, doc, gold: list[GoldAttribution], lexicon: CueLexicon,
                  scores: Scores, settings: Settings) -> None:
    """Add one article's counts to ``scores``; ``article.quotes`` holds our quotes."""
    text = article.text
    parsed: list[ParsedArticle] = []  # resolved lazily, only to compare actors

    def antecedent(source: GoldSpan) -> tuple[int, int] | None:
        """A relative pronoun source ("who said") stands for the noun it refers to."""
        span = doc.char_span(source.start, source.end, alignment_mode="expand")
        if span is None or len(span) != 1 or span[0].tag_ not in ("WP", "WDT"):
            return None
        phrase = noun_phrase(span[0])
        return phrase.start_char, phrase.end_char

    def same_actor(quote: Quote, source: GoldSpan) -> bool:
        if quote.speaker is None or quote.speaker.actor_id is None:
            return False
        if not parsed:
            parsed.append(actors.resolve_actors(ParsedArticle(article, doc), settings))
        span = doc.char_span(source.start, source.end, alignment_mode="expand")
        mention = actors.mention_for_span(parsed[0], span) if span is not None else None
        return mention is not None and mention.actor_id == quote.speaker.actor_id

    for g in gold:
        g.direct = is_direct(text, g.content)
        g.speech = g.direct or is_speech(doc, g.cue, lexicon)
    for g in gold:
        if not (g.direct or g.speech):
            continue
        label = "direct" if g.direct else "indirect"
        candidates = [(g.content.overlap(q.start, q.end), q) for q in article.quotes]
        candidates = [(o, q) for o, q in candidates if o > 0]
        found = covered(g.content, [(q.start, q.end) for _, q in candidates]) >= MATCH * len(g.content)
        # the quote closest to the gold content: most overlap, then the tightest
        best = max(candidates, key=lambda c: (c[0], c[1].start - c[1].end), default=None)
        correct = False
        if found and g.source is not None:
            quote = best[1]
            speaker = quote.speaker
            referent = antecedent(g.source) if speaker is not None else None
            correct = speaker is not None and (
                g.source.overlap(speaker.start or 0, speaker.end or 0) > 0
                or (referent is not None and speaker.start < referent[1] and referent[0] < speaker.end)
                or same_actor(quote, g.source))
            if speaker is None:
                scores.error(f"{label}: no speaker", f"{g.content.text[:60]!r} (gold {g.source.text!r})")
            elif not correct:
                kind = ("pronoun unresolved" if speaker.text.lower() in PRONOUNS
                        and speaker.actor_id is None else "wrong speaker")
                scores.error(f"{label}: {kind}",
                             f"ours {speaker.text!r}, gold {g.source.text!r}: {g.content.text[:50]!r}")
        elif not found:
            scores.error(f"{label}: missed", f"{g.content.text[:70]!r} (cue {g.cue.text if g.cue else None!r})")
        if g.direct:
            scores.direct += 1
            scores.direct_found += found
            if found and g.source is not None:
                scores.direct_with_source += 1
                scores.direct_speaker_correct += correct
        if g.speech:
            scores.speech += 1
            scores.speech_found += found
            if found and g.source is not None:
                scores.speech_with_source += 1
                scores.speech_speaker_correct += correct
    for quote in article.quotes:
        def matches(g: GoldAttribution) -> bool:
            overlap = g.content.overlap(quote.start, quote.end)
            return overlap >= MATCH * len(g.content) or overlap >= MATCH * (quote.end - quote.start)
        if any(g.speech and matches(g) for g in gold):
            scores.predicted_tp += 1
        elif any(matches(g) for g in gold):
            scores.predicted_other += 1
        else:
            scores.predicted_fp += 1
            scores.error(f"false {quote.kind} quote", f"{quote.text[:70]!r} (cue {quote.cue!r})")


def covered(gold: GoldSpan, ranges: list[tuple[int, int]]) -> int:
    """Characters of ``gold`` inside the union of ``ranges``: PolNeAR joins a quote split by
    its attribution into one content, which we report as two quotes of the same speaker."""
    merged: list[list[int]] = []
    for start, end in sorted(ranges):
        if merged and start <= merged[-1][1]:
            merged[-1][1] = max(merged[-1][1], end)
        else:
            merged.append([start, end])
    return sum(gold.overlap(start, end) for start, end in merged)


def metrics(scores: Scores) -> dict[str, float]:
    """The figures of a run: direct recall and speaker accuracy, speech-attribution P/R/F1."""
    def ratio(a: int, b: int) -> float:
        return round(a / b, 4) if b else 0.0
    speech = prf(scores.predicted_tp, scores.predicted_fp, scores.speech - scores.speech_found)
    speech["recall"] = ratio(scores.speech_found, scores.speech)
    p, r = speech["precision"], speech["recall"]
    speech["f1"] = round(2 * p * r / (p + r), 4) if p + r else 0.0
    return {
        "direct_content_recall": ratio(scores.direct_found, scores.direct),
        "direct_speaker_accuracy": ratio(scores.direct_speaker_correct, scores.direct_with_source),
        "speech_precision": speech["precision"],
        "speech_recall": speech["recall"],
        "speech_f1": speech["f1"],
        "speech_speaker_accuracy": ratio(scores.speech_speaker_correct, scores.speech_with_source),
    }


def run(data: Path, settings: Settings) -> EvalReport:
    """Score the quotes stage on one PolNeAR split (``data`` or ``data/dev``)."""
    split = split_folder(Path(data))
    return evaluate(pick_annotations(split), settings, str(split))


def evaluate(pairs: list[tuple[Path, Path]], settings: Settings, name: str) -> EvalReport:
    """Run the pipeline on each (text, annotation) pair and score it against the gold."""
    began = time.perf_counter()
    per_article, notes, timing = score_articles(pairs, settings)
    report = make_report(per_article, name, notes)
    report.notes.append(f"time: parse {timing['parse']:.1f} s, analyse (actors+events+quotes) "
                        f"{timing['analyse']:.1f} s for {len(pairs)} articles")
    report.seconds = round(time.perf_counter() - began, 2)
    return report


def score_articles(pairs: list[tuple[Path, Path]], settings: Settings
                   ) -> tuple[list[Scores], list[str], dict[str, float]]:
    """Scores of each article (empty for an unreadable annotation file, with a note)."""
    lexicon = load_cues(cue_files(settings.knowledge_files))
    notes: list[str] = []
    golds: list[list[GoldAttribution] | None] = []
    for _, ann_path in pairs:
        try:
            golds.append(read_ann(ann_path))
        except InputError as exc:
            notes.append(f"skipped {exc}")
            golds.append(None)
    texts = [p.read_text(encoding="utf-8") for p, _ in pairs]
    timing = {"parse": 0.0, "analyse": 0.0}
    per_article = []
    docs = nlp.parse(texts, settings.model, settings.batch_size)
    for (text_path, _), text, gold in zip(pairs, texts, golds):
        t0 = time.perf_counter()
        doc = next(docs)
        t1 = time.perf_counter()
        article = pipeline.analyse(Article(id=text_path.stem, text=text), doc, settings)
        timing["parse"] += t1 - t0
        timing["analyse"] += time.perf_counter() - t1
        scores = Scores()
        if gold is not None:
            score_article(article, doc, gold, lexicon, scores, settings)
        per_article.append(scores)
    return per_article, notes, timing


def make_report(per_article: list[Scores], name: str, notes: list[str] | None = None) -> EvalReport:
    """One report over the articles' scores, with the counted error classes and examples."""
    scores = Scores()
    for article in per_article:
        for f in fields(Scores):
            if f.name == "errors":
                scores.errors.update(article.errors)
            elif f.name == "examples":
                for kind, examples in article.examples.items():
                    scores.examples[kind].extend(examples[:EXAMPLES - len(scores.examples[kind])])
            else:
                setattr(scores, f.name, getattr(scores, f.name) + getattr(article, f.name))
    notes = [f"{scores.direct} direct and {scores.speech} speech attributions in "
             f"{len(per_article)} articles; {scores.predicted_tp + scores.predicted_fp} of our quotes "
             f"scored, {scores.predicted_other} matched non-speech attributions (not scored)",
             *(notes or [])]
    for kind, count in scores.errors.most_common():
        notes.append(f"error {kind}: {count}; e.g. " + " | ".join(scores.examples[kind]))
    return EvalReport(
        task="quotes", data=name, items=len(per_article), metrics=metrics(scores),
        errors=[{"class": k, "count": c, "examples": scores.examples[k]}
                for k, c in scores.errors.most_common()],
        notes=notes)
