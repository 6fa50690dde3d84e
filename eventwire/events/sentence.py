"""Code the events of one sentence: triggers, sense, modality, type by announcement,
actors, time, place, mode and contexts, then one record per act.

A pledge or a denial is read through the event it embeds; an announced conflictual act is a
THREATEN and an announced cooperative one an AGREE, as PLOVER codes them; a participle that
repeats the act it elaborates is not coded twice.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from ..limits import checkpoint
from ..records import ActorMention, Event, Evidence, Modality, ParsedArticle
from . import arguments, places, plover, senses, time, triggers
from . import cameo as cameo_table
from .lexicon import Knowledge
from .modality import ModalityReading, read_modality

PLACE_TARGET_TYPES = frozenset({"CONCEDE", "RETREAT", "AID", "SANCTION", "MOBILIZE", "COERCE", "ASSAULT"})
PLACE_SOURCE_TYPES = frozenset({"PROTEST"})


@dataclass
class CodedEvent:
    """An event with what the rules read to code it: its trigger token and candidate, the depth
    of its clause, the classes of its subject and object, and whether it is reported speech
    (the learned decision reads these, features.py)."""

    event: Event
    trigger: object
    depth: int
    candidate: triggers.Candidate | None = None
    classes: dict = field(default_factory=dict)
    in_speech: bool = False


def _sense(parsed: ParsedArticle, c: triggers.Candidate, type_: str,
           cameo: str | None) -> tuple[str | None, dict[str, str | None]]:
    """What the classes of a verb trigger's subject and object say about its sense
    (senses.decide): None, "drop" or a CAMEO code; and the classes."""
    if c.nominal:
        return None, {}
    subjects, passive_objects = arguments.subject_tokens(c.anchor)
    objects = passive_objects or [t for t in c.anchor.children if t.dep_ == "dobj"]
    classes = {}
    for slot, tokens in (("subject", subjects), ("object", objects)):
        token = tokens[0] if tokens else None
        if token is not None:
            mentions = arguments.first_actors(parsed, [token], role="source" if slot == "subject" else "target")
            # an actor named only inside the phrase ("relations between the allies") is not its head
            own = [m for m in mentions if m.start is not None and m.start <= token.idx < (m.end or 0)]
            classes[slot] = senses.token_class(token, own[0] if own else None)
    return senses.decide(type_, cameo, classes, c.trigger.lemma_.lower()), classes


WARNING_VERBS = frozenset({"warn", "caution"})


def _warns_about_another(c: triggers.Candidate) -> bool:
    """"X warned that Y may invade" is a statement about Y, not a threat by X: only a warning of
    what the warner will do ("warned it would retaliate") is a THREATEN."""
    if c.nominal or c.trigger.lemma_.lower() not in WARNING_VERBS:
        return False
    for clause in (t for t in c.trigger.children if t.dep_ == "ccomp"):
        subject = next((t for t in clause.children if t.dep_ in ("nsubj", "nsubjpass")), None)
        if subject is not None and subject.lower_ not in arguments.SELF_PRONOUNS:
            return True
    return False


def _depth(token) -> int:
    depth = 0
    while token.head.i != token.i and depth < 100:
        token = token.head
        depth += 1
    return depth


def _by_protesters(c: triggers.Candidate, k: Knowledge) -> bool:
    """The act's subject names protesters or rioters ("demonstrators fought the guards")."""
    if c.nominal and c.anchor.i == c.trigger.i:
        sources = arguments.noun_arguments(c.trigger)[0]
    else:
        sources = arguments.subject_tokens(c.anchor)[0]
    return any(t.lemma_.lower() in k.protest_agents for s in sources for t in arguments.conjuncts(s))


def _content_type(candidate: triggers.Candidate, others: list[triggers.Candidate]) -> str | None:
    """The type of the act a request, rejection or threat is about: the nearest other
    event inside the trigger's clause."""
    anchor = candidate.anchor
    inside = [o for o in others if o.trigger.i != candidate.trigger.i
              and anchor.left_edge.i <= o.trigger.i <= anchor.right_edge.i
              and any(a.i == anchor.i for a in o.trigger.ancestors)]
    if not inside:
        return None
    return min(inside, key=lambda o: _depth(o.trigger)).pattern.type


def _mode(candidate: triggers.Candidate, type_: str, others, sentence_lemmas: set[str], sentence_text: str,
          k: Knowledge) -> str | None:
    if type_ in ("REQUEST", "REJECT", "THREATEN"):
        content = _content_type(candidate, others)
        if type_ == "THREATEN":
            return plover.threaten_mode(content) if content else (candidate.pattern.mode or "non-force")
        return candidate.pattern.mode or plover.request_mode(content)
    if candidate.pattern.mode:
        return candidate.pattern.mode
    for mode, words, phrases in k.mode_cues.get(type_, ()):
        if words & sentence_lemmas or any(p in sentence_text for p in phrases):
            return mode
    return None


def _contexts(sentence_lemmas: set[str], sentence_text: str, k: Knowledge) -> list[str]:
    return [label for label, words, phrases in k.contexts
            if words & sentence_lemmas or any(p in sentence_text for p in phrases)]


def _excluded_tokens(doc, mentions: list[ActorMention]) -> set[int]:
    out: set[int] = set()
    for m in mentions:
        if m.start is None or m.end is None:
            continue
        span = doc.char_span(m.start, m.end, alignment_mode="expand")
        if span is not None:
            out.update(range(span.start, span.end))
    return out


def code_sentence(parsed: ParsedArticle, sent, k: Knowledge, published: dt.date | None,
                  reference: dt.date | None = None) -> list[CodedEvent]:
    """Every event of one sentence, with its trigger token."""
    candidates = triggers.find_candidates(sent, k)
    candidates.extend(triggers.obligation_requests(sent, k, candidates))
    if not candidates:
        return []
    readings: dict[int, ModalityReading] = {
        id(c): read_modality(c.anchor, k, support=c.nominal and c.anchor.i != c.trigger.i) for c in candidates}
    # a verb that lends its clause to a noun trigger is coded through that noun
    # unless the verb's own dictionary pattern names the noun ("sign * agreement"): the verb's act
    covered = {t.i for c in candidates if not c.nominal and c.pattern.line and len(c.words) > 1
               for t in c.words[1:]}
    candidates = [c for c in candidates if not (c.nominal and c.trigger.i in covered)]
    anchors_of_nouns = {c.anchor.i for c in candidates if c.nominal and c.anchor.i != c.trigger.i}
    # a pledge or a denial is read through the event it embeds
    dropped_governors = {g.i for c in candidates for g in readings[id(c)].governors
                         if k.governor_events.get(g.lemma_.lower()) == "drop"}
    kept = [c for c in candidates
            if c.nominal or (c.trigger.i not in anchors_of_nouns and c.trigger.i not in dropped_governors)]
    lemmas = {t.lemma_.lower() for t in sent} | {t.lower_ for t in sent}
    text = sent.text.lower()
    contexts = _contexts(lemmas, text, k)
    raw = sent.text
    lead = len(raw) - len(raw.lstrip())
    sentence = raw.strip()  # the sentence without the whitespace the parser attaches to it
    evidence = Evidence(sentence=sentence, start=sent.start_char + lead,
                        end=sent.start_char + lead + len(sentence))
    background = time.since_scopes(sent, published)
    question = sentence.endswith("?")
    out = []
    seen: set[tuple[int, str]] = set()
    for c in sorted(kept, key=lambda c: c.trigger.i):
        checkpoint()  # the document's time budget, per candidate event
        reading = readings[id(c)]
        modality = Modality(**reading.modality.to_dict())
        type_ = c.pattern.type
        mode = _mode(c, type_, kept, lemmas, text, k)
        cameo = plover.cameo_code(type_, c.pattern.cameo, k)
        sense, classes = _sense(parsed, c, type_, cameo)
        if sense == "drop":
            continue
        if sense is not None:
            recoded = cameo_table.to_plover(sense)
            type_, mode, cameo = recoded.type, recoded.mode, sense
        if question:
            modality.hypothetical = True  # a question asserts nothing
        if reading.intent and not reading.governed_by_event and not question:
            announced = plover.intent_type(type_, modality.negated, k)
            if announced:
                mode = {"AGREE": None, "THREATEN": plover.threaten_mode(type_),
                        "REJECT": plover.request_mode(type_)}[announced]
                if announced == "REJECT":
                    modality.negated = False
                type_, cameo = announced, plover.INTENT_CAMEO[announced]
                modality.future = True
        if type_ in ("ASSAULT", "COERCE") and _by_protesters(c, k):
            # CAMEO codes violence by protesters as violent protest (145)
            type_, mode, cameo = "PROTEST", "riot", "145"
        if type_ == "THREATEN" and _warns_about_another(c):
            continue
        key = (c.trigger.i, type_)
        if key in seen:
            continue
        seen.add(key)
        source, target, reciprocal = arguments.event_actors(parsed, c, type_, mode, cameo)
        when = time.read_time(c, sent, published, modality, background, reference)
        location = places.location_for(sent, c.anchor, _excluded_tokens(parsed.doc, source + target),
                                           triggers.entities)
        if not target and location and type_ in PLACE_TARGET_TYPES and places.government_of(location.name):
            # an act aimed at a country or its capital ("lifted the curfew in Mali"): metonymy
            target = [ActorMention(text=location.name, name=None, country=location.country, sector=None)]
        if type_ in PLACE_SOURCE_TYPES and location and location.country and \
                not any(m.country or m.actor_id for m in source):
            # protesters nobody identified ("inmates rioted in a prison in X") are people of the place
            source = [ActorMention(text=m.text, name=None, country=location.country, sector=None,
                                   start=m.start, end=m.end) for m in source] or \
                [ActorMention(text=location.name, name=None, country=location.country, sector=None)]
        event = Event(
            id="", type=type_, mode=mode, contexts=list(contexts), source=source, target=target,
            date=when.date, date_note=when.date_note, date_basis=when.date_basis,
            tense=when.tense, aspect=when.aspect, reciprocal=reciprocal,
            location=location, modality=modality, evidence=evidence,
            cameo=cameo, score=plover.score(cameo, k),
            trigger=" ".join(t.text for t in c.words))
        out.append(CodedEvent(event, c.trigger, _depth(c.anchor), c, classes, reading.in_speech))
    return _without_participle_repeats(out)


def _participle_of_same_act(c: CodedEvent, others: list[CodedEvent]) -> bool:
    """A subjectless participle that elaborates an event of the same type and source
    ("shelled the town, killing ten soldiers"): one act, told twice."""
    t = c.trigger
    if t.dep_ != "advcl" or t.tag_ != "VBG" or any(ch.dep_.startswith("nsubj") for ch in t.children):
        return False
    sources = {(m.country, m.actor_id, m.text) for m in c.event.source}
    return any(o is not c and o.trigger.i == t.head.i and o.event.type == c.event.type
               and {(m.country, m.actor_id, m.text) for m in o.event.source} == sources for o in others)


def _without_participle_repeats(coded: list[CodedEvent]) -> list[CodedEvent]:
    return [c for c in coded if not _participle_of_same_act(c, coded)]
