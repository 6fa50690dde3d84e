"""Modality of an event: negated, future, hypothetical or historical, from cues in its clause.

The cues live in data/events/modality.tsv. We read the event's own clause (auxiliaries,
negation, subordinators, adverbs) and then climb the chain of clauses that embed it
("Russia denies [planning [to invade]]") collecting governor cues on the way.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from ..records import Modality
from .lexicon import Knowledge

EMBEDDING_DEPS = frozenset({"xcomp", "ccomp", "acomp", "oprd"})


@dataclass
class ModalityReading:
    """The modality flags plus what the event coder needs to know about them."""

    modality: Modality = field(default_factory=Modality)
    intent: bool = False  # announced by the actor: will/would-in-speech/pledge/offer/ready to
    governed_by_event: bool = False  # embedded under a governor that is itself an event
    governors: list = field(default_factory=list)  # governor tokens on the chain
    in_speech: bool = False


def _lemma(token) -> str:
    return token.lemma_.lower()


def _clause_cues(token, k: Knowledge, reading: ModalityReading, own: bool, speech_context: bool) -> None:
    """Cues on one clause head: auxiliaries (own clause only), negation, marks, adverbs."""
    flags = reading.modality
    for child in token.children:
        dep = child.dep_
        if dep in ("aux", "auxpass") and own:
            key = child.lower_
            flag = k.modality["aux"].get(key) or k.modality["aux"].get(f"{_lemma(child)}:{child.tag_.lower()}")
            if flag == "future":
                # "will": a scheduled act; said by its actor it is also an announcement (intent)
                flags.future = True
                reading.intent = reading.intent or speech_context
            elif flag == "reported-future":
                if speech_context:
                    flags.future = True
                    reading.intent = True
                else:
                    flags.hypothetical = True
            elif flag == "historical":
                # the past perfect is background narration, except in reported speech
                if not speech_context and token.tag_ == "VBN":
                    flags.historical = True
            elif flag:
                setattr(flags, flag, True)
        elif dep == "neg" and k.modality["neg"].get(child.lower_) == "negated":
            flags.negated = True
        elif dep == "mark" and own:
            flag = k.modality["mark"].get(child.lower_)
            if flag:
                setattr(flags, flag, True)
        elif dep == "advmod" and own:
            flag = k.modality["adv"].get(child.lower_)
            if flag:
                setattr(flags, flag, True)
        elif dep == "advcl" and own:
            # "X will attack if Y ..." : the condition makes the event hypothetical
            for grandchild in child.children:
                if grandchild.dep_ == "mark" and k.modality["mark"].get(grandchild.lower_) == "hypothetical":
                    flags.hypothetical = True


def read_modality(anchor, k: Knowledge, support: bool = False) -> ModalityReading:
    """Modality of the event whose clause is headed by ``anchor``. ``support``: the anchor
    is a support verb of a noun trigger, so it may itself be a governor ("offered aid")."""
    reading = ModalityReading()
    if anchor.pos_ in ("NOUN", "PROPN") and anchor.dep_ == "dobj" and anchor.head.pos_ == "VERB" \
            and k.modality["governor"].get(_lemma(anchor.head)) \
            and not any(c.dep_ == "oprd" for c in anchor.head.children):
        # a noun event governed like a clause: "may plan an invasion", "denied the attack"
        outer = read_modality(anchor.head, k, support=True)
        outer.intent = False  # "offered talks" is read through the support verb, not here
        outer.governed_by_event = outer.governed_by_event or \
            k.governor_events.get(_lemma(anchor.head)) == "keep"
        return outer
    if support:
        flag = k.modality["governor"].get(_lemma(anchor))
        if flag:
            reading.governors.append(anchor)
            if flag == "intent":
                reading.modality.future = True
                reading.intent = True
            else:
                setattr(reading.modality, flag, True)
    chain = []  # (token, relation) from the anchor upwards
    token, relation = anchor, "self"
    while True:
        chain.append((token, relation))
        dep = token.dep_
        if dep in EMBEDDING_DEPS:
            token, relation = token.head, "governor"
        elif dep == "pcomp" and token.head.dep_ == "prep":
            token, relation = token.head.head, "governor"
        elif dep == "conj" and token.head.pos_ in ("VERB", "AUX", "ADJ"):
            token, relation = token.head, "conj"
        elif dep == "acl" and k.modality["governor"].get(_lemma(token.head)):
            token, relation = token.head, "governor"  # "Ankara's readiness to mediate"
        else:
            break
        if len(chain) > 8:
            break
    reading.in_speech = any(t.dep_ == "ccomp" and k.modality["speech"].get(_lemma(t.head)) is not None
                            for t, _ in chain)
    own_aux_seen = any(c.dep_ in ("aux", "auxpass") for c in anchor.children)
    for token, relation in chain:
        if relation == "self":
            _clause_cues(token, k, reading, own=True, speech_context=reading.in_speech)
        elif relation == "conj":
            # coordinated verbs share auxiliaries and negation: "will meet and discuss";
            # a finite verb ("does not want X and called for Y") has its own
            if not own_aux_seen and anchor.tag_ not in ("VBD", "VBZ", "VBP"):
                _clause_cues(token, k, reading, own=True, speech_context=reading.in_speech)
        else:
            lemma = _lemma(token)
            flag = k.modality["governor"].get(lemma) or k.modality["governor"].get(token.lower_)
            if flag:
                reading.governors.append(token)
                if flag == "intent":
                    reading.modality.future = True
                    reading.intent = True
                else:
                    setattr(reading.modality, flag, True)
                if k.governor_events.get(lemma) == "keep":
                    reading.governed_by_event = True
            if k.modality["speech"].get(lemma) is None:
                _clause_cues(token, k, reading, own=False, speech_context=reading.in_speech)
    sentence = anchor.sent.text.lower()
    for phrase, flag in k.phrases:
        if phrase in sentence and flag in ("historical", "hypothetical"):
            setattr(reading.modality, flag, True)
    return reading
