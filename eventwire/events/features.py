"""What the learned decision knows about an event candidate: the readings the rules already
made (trigger and its origin, type, modality, tense, date basis, actor kinds, clause role,
quotes and reported speech, position in the article, the sentence's other candidates), the
parse around the trigger (fine-grained tag, auxiliaries, negation, markers and adverbs of its
clause, the verb that governs it, the entity kinds of its arguments), the sentence's time words
and years against the publication year, whether the title names the act, and two word vectors
from the shipped spaCy model (the sentence's and the trigger's).

``candidate_features`` returns named features (a name and a value; booleans are 1.0) and the
dense vector part separately, so that a model can be stored as one weight per name.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import numpy as np

QUOTE_MARKS = frozenset('"“”')


@dataclass
class CandidateContext:
    """Where a candidate sits in its article."""

    sentence_index: int  # 0-based, among the article's sentences
    sentence_count: int
    candidates_in_sentence: int
    title_words: frozenset[str] = frozenset()  # lower-cased words of the article's title
    published_year: int | None = None


def _bucket(value: float, edges: tuple[float, ...]) -> str:
    for edge in edges:
        if value <= edge:
            return f"<={edge:g}"
    return f">{edges[-1]:g}"


def _side_kind(mentions) -> str:
    if not mentions:
        return "none"
    m = mentions[0]
    actor_id = m.actor_id or ""
    if actor_id.startswith("PER:"):
        return "person"
    if actor_id.startswith(("IGO:", "NGO:")):
        return "organisation"
    if actor_id.startswith("GRP:"):
        return "group"
    if m.country and m.sector:
        return "institution"
    if m.country:
        return "country"
    return "unresolved"


def _in_quote(trigger, sent) -> bool:
    """The trigger stands between quotation marks of its sentence."""
    marks = sum(1 for t in sent if t.i < trigger.i and (t.text in QUOTE_MARKS or t.text == "''" or t.text == "``"))
    return marks % 2 == 1


def candidate_features(coded, sent, context: CandidateContext) -> tuple[dict[str, float], np.ndarray]:
    """Named features and the dense vector part of one coded candidate (sentence.CodedEvent)."""
    event, candidate = coded.event, coded.candidate
    trigger = candidate.trigger
    m = event.modality
    named: dict[str, float] = {
        "bias": 1.0,
        f"type={event.type}": 1.0,
        f"cameo={(event.cameo or '')[:2]}": 1.0,
        f"cameo3={(event.cameo or '')[:3]}": 1.0,
        f"lemma={trigger.lemma_.lower()}": 1.0,
        f"origin={candidate.origin}": 1.0,
        f"pos={trigger.pos_}": 1.0,
        f"dep={candidate.anchor.dep_}": 1.0,
        f"tense={event.tense}": 1.0,
        f"aspect={event.aspect}": 1.0,
        f"basis={event.date_basis}": 1.0,
        f"source={_side_kind(event.source)}": 1.0,
        f"target={_side_kind(event.target)}": 1.0,
        f"subject_class={coded.classes.get('subject') or 'none'}": 1.0,
        f"object_class={coded.classes.get('object') or 'none'}": 1.0,
        f"position={_bucket(context.sentence_index / max(1, context.sentence_count), (0.1, 0.25, 0.5, 0.75))}": 1.0,
        f"candidates={_bucket(context.candidates_in_sentence, (1, 2, 3, 5))}": 1.0,
        f"length={_bucket(len(sent), (10, 20, 35, 60))}": 1.0,
        f"depth={_bucket(coded.depth, (0, 1, 2, 3))}": 1.0,
    }
    flags = {
        "negated": m.negated, "future": m.future, "hypothetical": m.hypothetical,
        "historical": m.historical, "generic": m.generic, "factual": m.factual,
        "has_source": bool(event.source), "has_target": bool(event.target),
        "both_sides": event.both_sides, "international": event.international,
        "reciprocal": event.reciprocal, "in_quote": _in_quote(trigger, sent),
        "in_speech": coded.in_speech, "question": event.evidence.sentence.endswith("?"),
        "first_sentence": context.sentence_index == 0, "has_location": event.location is not None,
        "nominal": candidate.nominal,
    }
    named.update({f"flag:{name}": 1.0 for name, value in flags.items() if value})
    lemma = trigger.lemma_.lower()
    named[f"lemma_type={lemma}|{event.type}"] = 1.0
    named.update(_words(sent, "word"))
    named.update(_words(trigger.doc[max(sent.start, trigger.i - 3): min(sent.end, trigger.i + 4)], "near"))
    for role, token in (("subject", _child(candidate.anchor, SUBJECTS)), ("object", _child(candidate.anchor, OBJECTS))):
        if token is not None:
            named[f"{role}_word={token.lemma_.lower()}"] = 1.0
    path, token = [], candidate.anchor
    for _ in range(3):
        path.append(token.dep_)
        if token.head.i == token.i:
            break
        token = token.head
    named[f"path={'/'.join(path)}"] = 1.0
    named.update(_clause(candidate.anchor))
    named.update(_time_words(sent, context.published_year))
    if _in_title(trigger, context.title_words):
        named["title_names_trigger"] = 1.0
    if context.published_year is None:
        named["no_publication_date"] = 1.0
    if sent.text.lstrip()[:1] in QUOTE_MARKS:
        named["starts_with_quote"] = 1.0
    named.update({f"sentence_entity={label}": 1.0 for label in {e.label_ for e in sent.ents}})
    dense = np.concatenate([_unit(sent.vector), _unit(trigger.vector)]).astype(np.float32)
    return named, dense


SUBJECTS = frozenset({"nsubj", "nsubjpass", "agent"})
OBJECTS = frozenset({"dobj", "dative", "attr", "pobj"})
CONTENT = frozenset({"NOUN", "VERB", "ADJ", "PROPN", "ADV"})


def _child(token, deps):
    return next((c for c in token.children if c.dep_ in deps), None)


def _words(span, prefix: str) -> dict[str, float]:
    """Content-word lemmas of a span as named features ("word=sanction")."""
    return {f"{prefix}={t.lemma_.lower()}": 1.0 for t in span
            if t.pos_ in CONTENT and t.is_alpha and len(t.text) > 2}


CLAUSE_MARKERS = frozenset({"aux", "auxpass", "neg", "mark", "advmod", "prt"})
ARGUMENTS = frozenset({"nsubj", "nsubjpass", "dobj", "pobj", "dative", "agent"})
YEAR = re.compile(r"\b(?:19|20)\d\d\b")


def _clause(anchor) -> dict[str, float]:
    """The parse around the trigger: its tag, its clause's auxiliaries, negation, markers and
    adverbs, its arguments' entity kinds, and the verb that governs it with that verb's own
    auxiliaries and markers ("aux=will", "head=plan", "nsubj_entity=GPE")."""
    named = {f"tag={anchor.tag_}": 1.0}
    for child in anchor.children:
        if child.dep_ in CLAUSE_MARKERS:
            named[f"{child.dep_}={child.lemma_.lower()}"] = 1.0
        elif child.dep_ in ARGUMENTS:
            named[f"{child.dep_}_entity={child.ent_type_ or child.pos_}"] = 1.0
    head = anchor.head
    if head.i != anchor.i:
        named[f"head={head.lemma_.lower()}"] = 1.0
        named[f"head_link={anchor.dep_}|{head.pos_}"] = 1.0
        for child in head.children:
            if child.dep_ in ("aux", "neg", "mark"):
                named[f"head_{child.dep_}={child.lemma_.lower()}"] = 1.0
    return named


def _in_title(trigger, title_words: frozenset[str]) -> bool:
    """The title names the trigger's word ("talks" for "talk", "sanctioned" for "sanction")."""
    lemma = trigger.lemma_.lower()
    if trigger.lower_ in title_words or lemma in title_words:
        return True
    return len(lemma) >= 4 and any(word.startswith(lemma) for word in title_words)


def _time_words(sent, published_year: int | None) -> dict[str, float]:
    """Words of the sentence's date and time expressions ("time_word=ago", "time_word=monday")
    and its years against the publication year."""
    named = {f"time_word={t.lemma_.lower()}": 1.0 for t in sent
             if t.ent_type_ in ("DATE", "TIME") and t.is_alpha}
    years = {int(m.group(0)) for m in YEAR.finditer(sent.text)}
    if years:
        named["year_named"] = 1.0
        if published_year is not None:
            if min(years) < published_year:
                named["earlier_year_named"] = 1.0
            if published_year in years:
                named["publication_year_named"] = 1.0
    return named


def _unit(vector) -> np.ndarray:
    vector = np.asarray(vector, dtype=np.float32)
    norm = float(np.linalg.norm(vector))
    return vector / norm if norm else vector
