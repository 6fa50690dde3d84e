"""Events stage: PLOVER events with actors, dates, places, modality and evidence.

For each sentence: find lexicon triggers (coder), read their modality, recode announced
acts the PLOVER way (a pledge is AGREE, an announced attack is THREATEN), attach source
and target actors through the actors stage, then date, place, contexts, CAMEO code and
score. Knowledge lives in data/events/ (docs/events.md).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from ..records import ActorMention, Event, Evidence, Modality, ParsedArticle
from ..settings import Settings
from . import cameo as cameo_table
from . import coder, dates, places, plover, senses, time
from .lexicon import Knowledge, Pattern, knowledge, user_lexicons
from .modality import ModalityReading, read_modality

OWN_OBJECT_TYPES = frozenset({"MOBILIZE", "RETREAT"})
PLACE_TARGET_TYPES = frozenset({"CONCEDE", "RETREAT", "AID", "SANCTION", "MOBILIZE", "COERCE", "ASSAULT"})
PLACE_SOURCE_TYPES = frozenset({"PROTEST"})
VERBAL_TYPES_WITH_CLAUSE_TARGET = frozenset({"REQUEST", "ACCUSE", "REJECT", "THREATEN", "SUPPORT"})


@dataclass
class CodedEvent:
    """An event together with the token that triggered it (for ranking within a sentence)."""

    event: Event
    trigger: object
    depth: int


def code_events(parsed: ParsedArticle, settings: Settings) -> list[Event]:
    """Code every PLOVER event stated in the article."""
    return [c.event for c in code_article(parsed, settings)]


def primary_event(parsed: ParsedArticle, settings: Settings) -> Event | None:
    """The article's main event by a fixed rule: the first sentence with a non-negated event;
    within it the event whose trigger is highest in the parse tree, then the earliest."""
    coded = [c for c in code_article(parsed, settings) if not c.event.modality.negated]
    if not coded:
        return None
    first_sentence = min(c.event.evidence.start for c in coded)
    in_first = [c for c in coded if c.event.evidence.start == first_sentence]
    return min(in_first, key=lambda c: (c.depth, c.trigger.i)).event


def code_article(parsed: ParsedArticle, settings: Settings) -> list[CodedEvent]:
    """All events of the article with their trigger tokens, in text order."""
    k = knowledge(user_lexicons(settings.knowledge_files))
    published = dates.parse_published(parsed.article.published)
    coded: list[CodedEvent] = []
    for sent in parsed.doc.sents:
        if sent.text.strip().lower().startswith(k.skip_prefixes):
            continue
        coded.extend(_code_sentence(parsed, sent, k, published))
    coded = [c for c in coded if reportable(c.event, k)]
    for n, c in enumerate(coded, start=1):
        c.event.id = f"{parsed.article.id}-{n}"
    return coded


def reportable(event: Event, k: Knowledge) -> bool:
    """Verbal and cooperative events are defined by their parties: one needs at least one
    identified party, a resolved actor or a named one the actors stage does not know
    ("Mueller", "Google"), so "the duo met" or "they agreed" with nobody identified is dropped.
    Material conflict and protest are news by the act itself ("grenades were hurled at a
    patrol", "hundreds marched"), as in conflict-event datasets, and stay without a party."""
    if event.source or event.target:
        return True
    return k.types[event.type].quad == "mconf" or event.type == "PROTEST"


def _sense(parsed: ParsedArticle, c: coder.Candidate, type_: str, cameo: str | None) -> str | None:
    """What the classes of a verb trigger's subject and object say about its sense
    (senses.decide): None, "drop" or a CAMEO code."""
    if c.nominal:
        return None
    subjects, passive_objects = coder.subject_tokens(c.anchor)
    objects = passive_objects or [t for t in c.anchor.children if t.dep_ == "dobj"]
    classes = {}
    for slot, tokens in (("subject", subjects), ("object", objects)):
        token = tokens[0] if tokens else None
        if token is not None:
            mention = coder.first_actors(parsed, [token], role="source" if slot == "subject" else "target")
            classes[slot] = senses.token_class(token, mention[0] if mention else None)
    return senses.decide(type_, cameo, classes)


def _depth(token) -> int:
    depth = 0
    while token.head.i != token.i and depth < 100:
        token = token.head
        depth += 1
    return depth


def _by_protesters(c: coder.Candidate, k: Knowledge) -> bool:
    """The act's subject names protesters or rioters ("protesters clashed with police")."""
    if c.nominal and c.anchor.i == c.trigger.i:
        sources = coder.noun_arguments(c.trigger)[0]
    else:
        sources = coder.subject_tokens(c.anchor)[0]
    return any(t.lemma_.lower() in k.protest_agents for s in sources for t in coder.conjuncts(s))


def _obligation_requests(sent, k: Knowledge, candidates: list[coder.Candidate]) -> list[coder.Candidate]:
    """"X said Y must do Z" is a REQUEST from X to Y."""
    taken = {c.trigger.i for c in candidates}
    found = []
    for token in sent:
        if token.dep_ != "ccomp" or token.head.i in taken:
            continue
        if k.modality["speech"].get(token.head.lemma_.lower()) is None:
            continue
        if any(c.dep_ == "aux" and c.lower_ in k.modality["obligation"] for c in token.children):
            pattern = Pattern("V", token.head.lemma_.lower(), (), "REQUEST", None, "10", 0)
            aux = [c for c in token.children if c.dep_ == "aux" and c.lower_ in k.modality["obligation"]]
            found.append(coder.Candidate(pattern, token.head, token.head, False, [token.head, *aux]))
            taken.add(token.head.i)
    return found


def _content_type(candidate: coder.Candidate, others: list[coder.Candidate]) -> str | None:
    """The type of the act a request, rejection or threat is about: the nearest other
    event inside the trigger's clause."""
    anchor = candidate.anchor
    inside = [o for o in others if o.trigger.i != candidate.trigger.i
              and anchor.left_edge.i <= o.trigger.i <= anchor.right_edge.i
              and any(a.i == anchor.i for a in o.trigger.ancestors)]
    if not inside:
        return None
    return min(inside, key=lambda o: _depth(o.trigger)).pattern.type


def _mode(candidate: coder.Candidate, type_: str, others, sentence_lemmas: set[str], sentence_text: str,
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


def _actors(parsed: ParsedArticle, c: coder.Candidate, type_: str) -> tuple[list[ActorMention], list[ActorMention]]:
    if c.nominal and c.anchor.i == c.trigger.i:
        src_tokens, tgt_tokens = coder.noun_arguments(c.trigger)
        source = coder.first_actors(parsed, src_tokens, role="source")
        taken = {(m.start, m.end) for m in source}
        target = coder.first_actors(parsed, tgt_tokens, taken)
        return source, target
    if not c.nominal and coder.misparsed_finite(c.anchor):
        return coder.misparsed_arguments(parsed, c.anchor)
    via_preposition = c.nominal and c.trigger.dep_ == "pobj" and c.trigger.head.head.i == c.anchor.i
    src_tokens, passive_targets = coder.subject_tokens(c.anchor, active=via_preposition)
    if c.nominal:
        passive_targets = [t for t in passive_targets if t.i != c.trigger.i]
    source = coder.first_actors(parsed, src_tokens, role="source")
    taken = {(m.start, m.end) for m in source}
    if passive_targets:
        target = coder.first_actors(parsed, passive_targets, taken)
    else:
        target = []
    if not target and c.nominal:
        _noun_src, noun_tgt = coder.noun_arguments(c.trigger)
        if source:  # the clause has its own source: "launched a mediation between X and Y"
            noun_tgt = noun_tgt + [t for t in _noun_src if t.dep_ == "pobj" and t.head.lower_ == "between"]
        target = coder.first_actors(parsed, noun_tgt, taken)
        if not source and _noun_src:
            source = coder.first_actors(parsed, _noun_src, role="source")
    if not target:
        candidates = coder.verb_target_tokens(c.anchor, skip=c.trigger.i)
        if type_ in OWN_OBJECT_TYPES:  # "Israel strengthened its forces in Lebanon"
            candidates = [t for t in candidates if not coder.owned_by_subject(t)]
        target = coder.first_actors(parsed, candidates, taken)
    if not target and type_ in VERBAL_TYPES_WITH_CLAUSE_TARGET:
        subj = coder.embedded_subject(c.anchor)
        if subj is not None:
            target = coder.first_actors(parsed, [subj], taken)
    return source, target


def _code_sentence(parsed: ParsedArticle, sent, k: Knowledge, published: dt.date | None) -> list[CodedEvent]:
    candidates = coder.find_candidates(sent, k)
    candidates.extend(_obligation_requests(sent, k, candidates))
    if not candidates:
        return []
    readings: dict[int, ModalityReading] = {
        id(c): read_modality(c.anchor, k, support=c.nominal and c.anchor.i != c.trigger.i) for c in candidates}
    # a verb that lends its clause to a noun trigger is coded through that noun
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
    out = []
    seen: set[tuple[int, str]] = set()
    for c in sorted(kept, key=lambda c: c.trigger.i):
        reading = readings[id(c)]
        modality = Modality(**reading.modality.to_dict())
        type_ = c.pattern.type
        mode = _mode(c, type_, kept, lemmas, text, k)
        cameo = plover.cameo_code(type_, c.pattern.cameo, k)
        sense = _sense(parsed, c, type_, cameo)
        if sense == "drop":
            continue
        if sense is not None:
            recoded = cameo_table.to_plover(sense)
            type_, mode, cameo = recoded.type, recoded.mode, sense
        if reading.intent and not reading.governed_by_event:
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
        key = (c.trigger.i, type_)
        if key in seen:
            continue
        seen.add(key)
        source, target = _actors(parsed, c, type_)
        when = time.read_time(c, sent, published, modality, background)
        location = places.location_for(sent, c.anchor, _excluded_tokens(parsed.doc, source + target),
                                           coder.entities)
        if not target and location and location.country and type_ in PLACE_TARGET_TYPES:
            # an act aimed at a place ("lifted the curfew in X"): the place stands for the target
            target = [ActorMention(text=location.name, name=None, country=location.country, sector=None)]
        if type_ in PLACE_SOURCE_TYPES and location and location.country and \
                not any(m.country or m.actor_id for m in source):
            # protesters nobody identified ("prisoners rioted at a jail in X") are people of the place
            source = [ActorMention(text=m.text, name=None, country=location.country, sector=None,
                                   start=m.start, end=m.end) for m in source] or \
                [ActorMention(text=location.name, name=None, country=location.country, sector=None)]
        event = Event(
            id="", type=type_, mode=mode, contexts=list(contexts), source=source, target=target,
            date=when.date, date_note=when.date_note, date_basis=when.date_basis,
            tense=when.tense, aspect=when.aspect, reciprocal=c.reciprocal,
            location=location, modality=modality, evidence=evidence,
            cameo=cameo, score=plover.score(cameo, k),
            trigger=" ".join(t.text for t in c.words))
        out.append(CodedEvent(event, c.trigger, _depth(c.anchor)))
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
