"""Find event triggers in a parsed sentence and read their source and target actors.

A trigger is a verb or noun whose lemma (plus any required words) matches a lexicon
pattern. Verb events take their source from the grammatical subject (the "by" agent in
the passive) and their target from the object, dative or a prepositional object.
Noun events take their actors from the support verb that governs them ("imposed
sanctions on X") or from their own modifiers ("X's invasion of Y", "talks between X
and Y").
"""

from __future__ import annotations

from dataclasses import dataclass, field

from .. import actors as actors_stage
from ..records import ActorMention, ParsedArticle
from .lexicon import Knowledge, Pattern

SUBJECT_DEPS = frozenset({"nsubj", "csubj"})
PASSIVE_SUBJECT_DEPS = frozenset({"nsubjpass", "csubjpass"})
TARGET_PREPS = ("with", "on", "against", "to", "toward", "towards", "at", "upon", "into", "over", "for")
NOUN_TARGET_PREPS = ("on", "against", "with", "to", "toward", "towards", "of", "for", "upon", "into", "over")
NOUN_SOURCE_DEPS = frozenset({"poss", "compound", "amod", "nmod"})
RELATIVE_PRONOUNS = frozenset({"who", "which", "that", "whom"})
OBJECT_CONTROL_DEPS = ("dobj", "dative")
NP_CUT_DEPS = frozenset({"relcl", "acl", "appos", "conj", "cc", "punct", "advcl", "prep"})
ENTITY_LABELS = frozenset({"GPE", "NORP", "ORG", "PERSON", "FAC", "LOC"})


@dataclass
class Candidate:
    """A trigger found in a sentence, before actors, dates and modality are attached."""

    pattern: Pattern
    trigger: object  # spaCy Token
    anchor: object  # the verb whose clause carries the event (the trigger for verb events)
    nominal: bool
    words: list = field(default_factory=list)  # tokens of the trigger phrase


def _lemma(token) -> str:
    return token.lemma_.lower()


def _dependent_lemmas(token) -> tuple[set[str], set[str]]:
    """Lemmas and lower-case forms among the dependents up to two levels down, and child deps."""
    words: set[str] = set()
    deps: set[str] = set()
    for child in token.children:
        deps.add(child.dep_)
        words.add(_lemma(child))
        words.add(child.lower_)
        for grandchild in child.children:
            words.add(_lemma(grandchild))
            words.add(grandchild.lower_)
    return words, deps


def match(token, entries: list[Pattern]) -> Pattern | None:
    """The most specific pattern of this head whose required words are all present."""
    words = deps = None
    for p in entries:
        if not p.requires:
            return p
        if words is None:
            words, deps = _dependent_lemmas(token)
        if all((w[4:] in deps) if w.startswith("dep:") else (w in words) for w in p.requires):
            return p
    return None


def _phrase_tokens(token, pattern: Pattern) -> list:
    """The trigger token plus the dependents that matched the pattern's required words."""
    wanted = {w for w in pattern.requires if not w.startswith("dep:")}
    found = [token]
    for child in token.children:
        for t in (child, *child.children):
            if wanted and (_lemma(t) in wanted or t.lower_ in wanted):
                found.append(t)
                wanted.discard(_lemma(t))
                wanted.discard(t.lower_)
    return sorted(found, key=lambda t: t.i)


def find_candidates(sent, k: Knowledge) -> list[Candidate]:
    """Every lexicon trigger in the sentence (one pass over its tokens)."""
    found = []
    for token in sent:
        lemma = _lemma(token)
        if token.pos_ == "VERB" and lemma in k.verbs:
            p = match(token, k.verbs[lemma])
            if p and p.type:
                found.append(Candidate(p, token, token, False, _phrase_tokens(token, p)))
        elif token.pos_ == "NOUN" and lemma in k.nouns:
            p = match(token, k.nouns[lemma])
            if not p or not p.type:
                continue
            support = _support_verb(token, k)
            if support is not None:
                found.append(Candidate(p, token, support, True, sorted([support, *_phrase_tokens(token, p)],
                                                                        key=lambda t: t.i)))
            elif p.pos == "N" and _has_nominal_arguments(token):
                found.append(Candidate(p, token, token, True, _phrase_tokens(token, p)))
    return found


def _support_verb(noun, k: Knowledge):
    """The support verb whose object (or passive subject) this noun is: "held [talks]"."""
    head = noun.head
    if noun.dep_ in ("dobj", "nsubjpass", "attr") and head.pos_ == "VERB" and _lemma(head) in k.support_verbs:
        return head
    if noun.dep_ == "pobj" and head.dep_ == "prep" and head.head.pos_ == "VERB" \
            and _lemma(head.head) in k.support_verbs and head.lower_ in ("in", "on"):
        return head.head  # "engaged in talks", "went on strike"
    if noun.dep_ == "conj":
        return _support_verb(noun.head, k) if noun.head.pos_ == "NOUN" else None
    return None


def _has_nominal_arguments(noun) -> bool:
    """A bare noun trigger counts only when its own modifiers name who did it or to whom."""
    for child in noun.children:
        if child.dep_ == "poss":
            return True
        if child.dep_ in ("compound", "amod", "nmod") and (child.ent_type_ in ENTITY_LABELS):
            return True
        if child.dep_ == "prep" and child.lower_ in ("between", "by", "with", "against", "on", "of", "to"):
            if any(g.dep_ == "pobj" and (g.ent_type_ in ENTITY_LABELS or g.pos_ == "PROPN"
                                         or any(t.ent_type_ in ENTITY_LABELS for t in g.subtree))
                   for g in child.children):
                return True
    return False


# --- actors -----------------------------------------------------------------------------------

def _api_mention(parsed: ParsedArticle, span) -> ActorMention | None:
    return actors_stage.mention_for_span(parsed, span)


def _api_mentions(parsed: ParsedArticle, span) -> list[ActorMention]:
    mentions_in_span = getattr(actors_stage, "mentions_in_span", None)
    return list(mentions_in_span(parsed, span) or []) if mentions_in_span else []


def _np_span(token):
    """The noun phrase of a token without its relative clauses, appositions and conjuncts."""
    doc = token.doc
    keep = [token]
    stack = [c for c in token.children if c.dep_ not in NP_CUT_DEPS]
    while stack:
        t = stack.pop()
        keep.append(t)
        stack.extend(t.children)
    start = min(t.i for t in keep)
    end = max(t.i for t in keep) + 1
    return doc[start:end]


def _np_with_preps(token):
    """The noun phrase with its prepositional modifiers ("Security forces in Guinea")."""
    doc = token.doc
    keep = [token]
    stack = [c for c in token.children if c.dep_ not in NP_CUT_DEPS - {"prep"}]
    while stack:
        t = stack.pop()
        keep.append(t)
        stack.extend(c for c in t.children if c.dep_ not in ("relcl", "acl", "appos", "advcl"))
    return doc[min(t.i for t in keep): max(t.i for t in keep) + 1]


def _conjuncts(token) -> list:
    out = [token]
    for child in token.children:
        if child.dep_ == "conj" and child.pos_ in ("NOUN", "PROPN", "PRON", "ADJ"):
            out.extend(_conjuncts(child))
    return out


def _fallback_mention(span) -> ActorMention | None:
    """An unresolved mention for a named noun phrase the actors stage did not resolve."""
    ents = [e for e in span.ents if e.label_ in ENTITY_LABELS]
    if span.root.ent_type_ in ENTITY_LABELS or span.root.pos_ == "PROPN":
        text_span = span
        # trim leading determiners from the mention text
        while len(text_span) > 1 and text_span[0].pos_ in ("DET", "PUNCT"):
            text_span = text_span[1:]
        return ActorMention(text=text_span.text, name=None, country=None, sector=None,
                            start=text_span.start_char, end=text_span.end_char)
    if ents:
        e = ents[0]
        return ActorMention(text=e.text, name=None, country=None, sector=None,
                            start=e.start_char, end=e.end_char)
    return None


def actors_of(parsed: ParsedArticle, token) -> list[ActorMention]:
    """The actors a noun phrase names: one per conjunct ("Turkey and Russia" -> two)."""
    if token.lower_ in RELATIVE_PRONOUNS and token.dep_ in SUBJECT_DEPS | PASSIVE_SUBJECT_DEPS:
        clause = token.head
        if clause.dep_ == "relcl":
            token = clause.head
    mentions: list[ActorMention] = []
    for conjunct in _conjuncts(token):
        span = _np_span(conjunct)
        mention = _api_mention(parsed, span)
        if mention is None:
            wide = _np_with_preps(conjunct)
            mention = _api_mention(parsed, wide) if wide != span else None
        if mention is None:
            inner = _api_mentions(parsed, span)
            mention = inner[0] if inner else None
        if mention is None:
            mention = _fallback_mention(span)
        if mention is not None and all(m.start != mention.start or m.text != mention.text for m in mentions):
            mentions.append(mention)
    return mentions


# --- arguments of verbs and nouns ------------------------------------------------------------

def _child(token, deps) -> object | None:
    for child in token.children:
        if child.dep_ in deps:
            return child
    return None


def _prep_objects(token, preps) -> list:
    """Objects of the token's prepositions, in the order of ``preps``."""
    found = []
    for child in token.children:
        if child.dep_ in ("prep", "dative", "agent") and child.lower_ in preps:
            for g in child.children:
                if g.dep_ == "pobj":
                    found.append((preps.index(child.lower_), g.i, g))
    return [g for _, _, g in sorted(found, key=lambda x: (x[0], x[1]))]


def is_passive(verb) -> bool:
    return any(c.dep_ in PASSIVE_SUBJECT_DEPS or c.dep_ == "auxpass" for c in verb.children) \
        or (verb.dep_ == "acl" and verb.tag_ == "VBN")


def subject_tokens(verb, depth: int = 0) -> tuple[list, list]:
    """(source tokens, target tokens) from the verb's subject positions, following control,
    coordination and relative clauses when the verb has no subject of its own."""
    if depth > 6:
        return [], []
    subj = _child(verb, SUBJECT_DEPS)
    passive_subj = _child(verb, PASSIVE_SUBJECT_DEPS)
    agent = _child(verb, ("agent",))
    agent_obj = _child(agent, ("pobj",)) if agent is not None else None
    if subj is not None:
        return [subj], []
    if passive_subj is not None or agent_obj is not None:
        return ([agent_obj] if agent_obj is not None else []), ([passive_subj] if passive_subj is not None else [])
    head = verb.head
    if verb.dep_ == "xcomp":
        controller = _child(head, OBJECT_CONTROL_DEPS)
        if controller is None:
            on = [g for c in head.children if c.dep_ == "prep" and c.lower_ in ("on", "upon")
                  for g in c.children if g.dep_ == "pobj"]
            controller = on[0] if on else None
        if controller is not None and controller.pos_ in ("NOUN", "PROPN", "PRON"):
            return [controller], []
        return subject_tokens(head, depth + 1)
    if verb.dep_ in ("conj", "advcl") and head.pos_ in ("VERB", "AUX"):
        return subject_tokens(head, depth + 1)
    if verb.dep_ == "pcomp" and head.dep_ == "prep":
        return subject_tokens(head.head, depth + 1)
    if verb.dep_ in ("relcl", "acl") and head.pos_ in ("NOUN", "PROPN", "PRON"):
        if is_passive(verb):
            return [], [head]
        return [head], []
    return [], []


def verb_target_tokens(verb, skip=None) -> list:
    """Candidate target tokens of a verb, most likely first."""
    out = []
    for dep in ("dobj", "dative"):
        for child in verb.children:
            if child.dep_ == dep and child is not skip:
                out.append(child)
    out.extend(t for t in _prep_objects(verb, TARGET_PREPS) if t is not skip)
    for child in verb.children:  # "accused X of ...": keep the object; "told X that ..."
        if child.dep_ == "attr" and child is not skip:
            out.append(child)
    return out


def embedded_subject(verb):
    """The subject of a clause the verb embeds ("demanded that Hamas renounce ...")."""
    for child in verb.children:
        if child.dep_ in ("ccomp", "xcomp"):
            subj = _child(child, SUBJECT_DEPS | PASSIVE_SUBJECT_DEPS)
            if subj is not None and subj.lower_ not in RELATIVE_PRONOUNS:
                return subj
    return None


def first_actors(parsed: ParsedArticle, tokens, exclude: set[int] = frozenset()) -> list[ActorMention]:
    """The actors of the first candidate token that names any."""
    for token in tokens:
        mentions = [m for m in actors_of(parsed, token) if (m.start, m.end) not in exclude]
        if mentions:
            return mentions
    return []


def noun_arguments(noun) -> tuple[list, list]:
    """(source tokens, target tokens) from a noun trigger's own modifiers."""
    sources, targets = [], []
    for child in noun.children:
        if child.dep_ == "poss":
            sources.append(child)
        elif child.dep_ in ("compound", "amod", "nmod") and child.ent_type_ in ENTITY_LABELS:
            sources.append(child)
    for child in noun.children:
        if child.dep_ == "prep" and child.lower_ == "between":
            sources.extend(g for g in child.children if g.dep_ == "pobj")
        elif child.dep_ == "agent" or (child.dep_ == "prep" and child.lower_ == "by"):
            sources.extend(g for g in child.children if g.dep_ == "pobj")
    targets.extend(_prep_objects(noun, NOUN_TARGET_PREPS))
    return sources, targets
