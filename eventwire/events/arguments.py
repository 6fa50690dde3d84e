"""Source and target actors of an event candidate, read off the dependency parse.

Verb events take their source from the grammatical subject (the "by" agent in the passive) and
their target from the object, dative or a prepositional object. Noun events take their actors
from the support verb that governs them ("imposed sanctions on X") or from their own modifiers
("X's invasion of Y", "talks between X and Y"). Every mention comes from the actors stage, so
names, metonyms ("the Kremlin") and pronouns resolve the same way everywhere.
"""

from __future__ import annotations

from .. import actors as actors_stage
from ..records import ActorMention, ParsedArticle
from . import places, senses
from .triggers import ACTOR_LABELS, ENTITY_LABELS, NOT_ACTOR_LABELS, Candidate, entities, misparsed_finite

SUBJECT_DEPS = frozenset({"nsubj", "csubj"})
PASSIVE_SUBJECT_DEPS = frozenset({"nsubjpass", "csubjpass"})
TARGET_PREPS = ("with", "on", "against", "to", "toward", "towards", "at", "upon", "into", "over", "for", "from",
                "between")
# "in protest against X", "in retaliation for X's attack", "in solidarity with X"
PURPOSE_NOUNS = frozenset({"protest", "response", "retaliation", "solidarity", "support", "reprisal", "revenge"})
NOUN_TARGET_PREPS = ("on", "against", "with", "to", "toward", "towards", "of", "for", "upon", "into", "over")
RELATIVE_PRONOUNS = frozenset({"who", "which", "that", "whom"})
OBJECT_CONTROL_DEPS = ("dobj", "dative")
NP_CUT_DEPS = frozenset({"relcl", "acl", "appos", "conj", "cc", "punct", "advcl", "prep"})
PLACE_LABELS = frozenset({"GPE", "LOC", "FAC"})
OWN_OBJECT_TYPES = frozenset({"MOBILIZE", "RETREAT"})
VERBAL_TYPES_WITH_CLAUSE_TARGET = frozenset({"REQUEST", "ACCUSE", "REJECT", "THREATEN", "SUPPORT"})
SELF_PRONOUNS = frozenset({"it", "they", "we", "i", "he", "she"})
TOPIC_CLASSES = frozenset({"abstract", "document"})
# attitudes and answers to a policy, a demand or a proposal are directed at its author
# ("protested Israeli policies", "conceded to the rebels' demands")
ATTITUDE_TYPES = frozenset({"ACCUSE", "REJECT", "PROTEST", "SUPPORT", "REQUEST", "THREATEN", "CONCEDE", "AGREE"})
# acts that parties named together do with each other ("Turkey and Ukraine agreed", "talks
# between A and B"): PLOVER codes both as actors; eventwire keeps one as source, the others as
# target, and marks the event reciprocal (signing an agreement, CAMEO 057, is one too)
JOINT_TYPES = frozenset({"CONSULT", "AGREE", "COOPERATE"})
JOINT_CAMEO = frozenset({"057"})
NOT_MUTUAL_MODES = frozenset({"visit"})  # a visit has a visitor and a host

def _api_mention(parsed: ParsedArticle, span) -> ActorMention | None:
    return actors_stage.mention_for_span(parsed, span)


def _api_mentions(parsed: ParsedArticle, span) -> list[ActorMention]:
    return list(actors_stage.mentions_in_span(parsed, span) or [])


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


def _np_with_preps(token, keep_acl: bool = False):
    """The noun phrase with its prepositional modifiers ("border guards in Chad"),
    and with participle modifiers if asked ("miners linked to a union")."""
    doc = token.doc
    cut = NP_CUT_DEPS - {"prep"} - ({"acl"} if keep_acl else set())
    keep = [token]
    stack = [c for c in token.children if c.dep_ not in cut]
    while stack:
        t = stack.pop()
        keep.append(t)
        stack.extend(c for c in t.children if c.dep_ not in ("relcl", "appos", "advcl")
                     and (keep_acl or c.dep_ != "acl"))
    return doc[min(t.i for t in keep): max(t.i for t in keep) + 1]


def conjuncts(token) -> list:
    out = [token]
    for child in token.children:
        if child.dep_ == "conj" and child.pos_ in ("NOUN", "PROPN", "PRON", "ADJ"):
            out.extend(conjuncts(child))
    return out


def _fallback_mention(span) -> ActorMention | None:
    """An unresolved mention for a named noun phrase the actors stage did not resolve."""
    ents = [e for e in entities(span) if e.label_ in ACTOR_LABELS] if span.root.ent_type_ not in ACTOR_LABELS else []
    root = span.root
    if root.ent_type_ in ACTOR_LABELS or (root.pos_ == "PROPN" and not root.ent_type_):
        text_span = span
        # trim leading determiners from the mention text
        while len(text_span) > 1 and text_span[0].pos_ in ("DET", "PUNCT"):
            text_span = text_span[1:]
        return _unresolved(text_span, root.ent_type_)
    if ents:
        return _unresolved(ents[0], ents[0].label_)
    return None


def _unresolved(span, label: str) -> ActorMention | None:
    """A mention the actors stage did not resolve. A place is an actor only where it stands for
    its government, by metonymy (a capital: "shelled Bamako" is aimed at Mali); another town or
    region is where the act happened, not who it was aimed at."""
    if label in PLACE_LABELS:
        country = places.government_of(span.text)
        if country is None:
            return None
        return ActorMention(text=span.text, name=None, country=country, sector=None,
                            start=span.start_char, end=span.end_char)
    return ActorMention(text=span.text, name=None, country=None, sector=None,
                        start=span.start_char, end=span.end_char)


def _np_with_of(token):
    """The noun phrase with its "of" modifiers ("the offices of the Palestinian administrators")."""
    doc = token.doc
    keep = [token]
    stack = [c for c in token.children if c.dep_ not in NP_CUT_DEPS or (c.dep_ == "prep" and c.lower_ == "of")]
    while stack:
        t = stack.pop()
        keep.append(t)
        stack.extend(c for c in t.children if c.dep_ not in ("relcl", "acl", "appos", "advcl"))
    return doc[min(t.i for t in keep): max(t.i for t in keep) + 1]


def actors_of(parsed: ParsedArticle, token, role: str = "target", authors: bool = False) -> list[ActorMention]:
    """The actors a noun phrase names: one per conjunct ("Turkey and Russia" -> two).
    A source may be named by a prepositional modifier ("border guards in Chad"). A phrase about
    a thing names actors only as its owner or partners, or, with ``authors``, as its author
    ("rejected Israeli proposals": an attitude to a policy is an attitude to its author)."""
    if token.ent_type_ in NOT_ACTOR_LABELS:
        return []
    if token.lower_ in RELATIVE_PRONOUNS and token.dep_ in SUBJECT_DEPS | PASSIVE_SUBJECT_DEPS:
        clause = token.head
        if clause.dep_ == "relcl":
            token = clause.head
    mentions: list[ActorMention] = []
    for conjunct in conjuncts(token):
        if _topic(conjunct):
            mentions.extend(m for m in _partners(parsed, conjunct, authors) if m not in mentions)
            continue
        shared = _shared_role(parsed, conjunct)
        if shared:  # "the presidents of Chile and Peru": one actor per country
            mentions.extend(m for m in shared if m not in mentions)
            continue
        span = _np_span(conjunct)
        mention = _api_mention(parsed, span)
        if mention is None and role == "source":
            wide = _np_with_preps(conjunct)
            mention = _api_mention(parsed, wide) if wide != span else None
        if mention is None:
            inner = _api_mentions(parsed, _np_with_of(conjunct))
            mention = inner[0] if inner else None
        if mention is None and role == "source":
            # "miners linked to the national miners' federation"
            inner = _api_mentions(parsed, _np_with_preps(conjunct, keep_acl=True))
            mention = inner[0] if inner else None
        if mention is None and role == "target":
            # "relations with Chile", "families escaping the fighting in Darfur"
            inner = _api_mentions(parsed, _np_with_preps(conjunct, keep_acl=True))
            mention = inner[0] if inner else None
        if mention is None and role == "source":
            # "their forces": the owner stands for the forces
            owner = next((c for c in conjunct.children if c.dep_ == "poss" and c.pos_ == "PRON"), None)
            mention = _api_mention(parsed, owner.doc[owner.i: owner.i + 1]) if owner is not None else None
        if mention is None:
            mention = _fallback_mention(span)
        if mention is not None and all(m.start != mention.start or m.text != mention.text for m in mentions):
            mentions.append(mention)
    return mentions


def _clause_subjects(noun) -> list:
    """The subject of the clause an adjunct noun sits in ("said after talks with X"): the noun
    hangs from a preposition of that clause's verb, not from its subject or object."""
    if noun.dep_ != "pobj" or noun.head.dep_ != "prep":
        return []
    token = noun.head
    for _ in range(5):  # up through the adjunct ("at a press conference following talks with X")
        token = token.head
        if token.pos_ in ("VERB", "AUX") and token.dep_ != "prep":
            return subject_tokens(token)[0]
        if token.dep_ not in ("prep", "pobj") or token.head.i == token.i:
            return []
    return []


def _shared_role(parsed: ParsedArticle, token) -> list[ActorMention]:
    """Holders of one role in several countries ("the foreign ministers of Chile and Peru"):
    a plural role noun whose "of" names two actors or more gives each of them."""
    if token.tag_ not in ("NNS", "NNPS"):
        return []
    for child in token.children:
        if child.dep_ == "prep" and child.lower_ == "of":
            pobj = next((g for g in child.children if g.dep_ == "pobj"), None)
            if pobj is not None and len(conjuncts(pobj)) > 1:
                found = actors_of(parsed, pobj)
                return found if len(found) > 1 else []
    return []


def _topic(token) -> bool:
    """A noun phrase about a thing, not naming an actor ("the sanctions", "the voting method"):
    an idea or a document by its head noun, and not itself a name or a role."""
    if token.pos_ != "NOUN" or token.ent_type_ in ACTOR_LABELS:
        return False
    return senses.token_class(token, None) in TOPIC_CLASSES


def _partners(parsed: ParsedArticle, token, authors: bool) -> list[ActorMention]:
    """The actors a topic phrase still names: its owner ("Iran's programme") and the partners
    of a relation ("ties with Chile", "talks between A and B"); with ``authors`` also its author
    ("Israeli policies", "demands from the rebels", "action against Peru"). Otherwise a country
    that only modifies it ("discussed U.S. sanctions") is not an actor of the event."""
    preps = ("with", "between") + (("of", "by", "from", "against", "on", "toward", "towards") if authors else ())
    found: list[ActorMention] = []
    for child in token.children:
        if child.dep_ == "poss" or authors and child.dep_ in ("compound", "amod", "nmod") \
                and child.ent_type_ in ACTOR_LABELS:
            found.extend(actors_of(parsed, child))
        elif child.dep_ == "prep" and child.lower_ in preps:
            for pobj in child.children:
                if pobj.dep_ == "pobj":
                    found.extend(actors_of(parsed, pobj))
    return found


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


def subject_tokens(verb, depth: int = 0, active: bool = False) -> tuple[list, list]:
    """(source tokens, target tokens) from the verb's subject positions, following control,
    coordination and relative clauses when the verb has no subject of its own.
    ``active`` reads a passive-looking support verb as active ("were engaged in fighting")."""
    if depth > 6:
        return [], []
    subj = _child(verb, SUBJECT_DEPS | (PASSIVE_SUBJECT_DEPS if active else frozenset()))
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
        if controller is not None and controller.i > verb.i:
            controller = None  # an object after the embedded verb belongs to a later phrase: misattached
        if controller is None:
            on = [g for c in head.children if c.dep_ == "prep" and c.lower_ in ("on", "upon")
                  for g in c.children if g.dep_ == "pobj"]
            controller = on[0] if on else None
        if controller is not None and controller.pos_ in ("NOUN", "PROPN", "PRON"):
            return [controller], []
        return subject_tokens(head, depth + 1)
    if verb.dep_ in ("conj", "advcl", "acomp", "oprd") and head.pos_ in ("VERB", "AUX", "ADJ"):
        return subject_tokens(head, depth + 1)
    if verb.dep_ == "pcomp" and head.dep_ == "prep":
        # "accused Lima of hiding weapons": the object of the governing verb does it
        controller = _child(head.head, ("dobj",)) if head.lower_ == "of" else None
        if controller is not None:
            return [controller], []
        return subject_tokens(head.head, depth + 1)
    if verb.dep_ in ("relcl", "acl") and head.pos_ in ("NOUN", "PROPN", "PRON"):
        root = verb.sent.root
        if verb.dep_ == "acl" and root.pos_ in ("NOUN", "PROPN") and verb.tag_ in ("VBD", "VBN") \
                and not any(c.dep_ in ("auxpass", "agent") for c in verb.children) \
                and all(a.pos_ not in ("VERB", "AUX") for a in verb.ancestors):
            # no main verb in the sentence: the parser hung the real verb on the subject
            # ("Nurses from a charity treated ...", "A weekly urged voters ...")
            return [root], []
        if is_passive(verb):
            return [], [head]
        # "published a statement urging ...": the statement's author is the source
        outer = subject_tokens(head.head, depth + 1)[0] if head.dep_ in ("dobj", "pobj") else []
        return [head, *outer], []
    return [], []


def owned_by_subject(token) -> bool:
    """An object the subject owns: "moved its tanks", "finished their pullout"."""
    return any(c.dep_ == "poss" and c.pos_ == "PRON" for c in token.children)


def verb_target_tokens(verb, skip: int | None = None, depth: int = 0) -> list:
    """Candidate target tokens of a verb, most likely first: the object and dative, the
    author of a rejected proposal ("turned down an offer from X"), the target of an embedded
    act ("threatened to cut ties with X"), then prepositional objects."""
    objects = [c for c in verb.children if c.dep_ in ("dobj", "dative") and c.i != skip]
    xcomp = _child(verb, ("xcomp",))
    late = [o for o in objects if xcomp is not None and o.i > xcomp.right_edge.i]
    objects = [o for o in objects if o not in late]  # an object after the embedded clause is misattached
    out = list(objects)
    for obj in objects:
        out.extend(t for t in _prep_objects(obj, ("by", "from", "of")) if t.i != skip)
    if depth < 2:
        for child in verb.children:
            # "threatened to cut ties with X", "stopped work to oppose X"
            if child.dep_ == "xcomp" or (child.dep_ == "advcl" and any(
                    g.dep_ == "aux" and g.lower_ == "to" for g in child.children)):
                out.extend(verb_target_tokens(child, skip, depth + 1))
    out.extend(t for t in _prep_objects(verb, TARGET_PREPS) if t.i != skip)
    for child in verb.children:
        if child.dep_ == "prep" and child.lower_ == "in":
            for pobj in child.children:
                if pobj.dep_ == "pobj" and pobj.lemma_.lower() in PURPOSE_NOUNS:
                    out.extend(_prep_objects(pobj, ("against", "at", "over", "of", "to", "with", "for")))
    return out


def embedded_subject(verb):
    """The subject of a clause the verb embeds ("insisted that the junta free ...")."""
    for child in verb.children:
        if child.dep_ in ("ccomp", "xcomp"):
            subj = _child(child, SUBJECT_DEPS | PASSIVE_SUBJECT_DEPS)
            if subj is not None and subj.lower_ not in RELATIVE_PRONOUNS:
                return subj
    return None


def first_actors(parsed: ParsedArticle, tokens, exclude: set = frozenset(),
                 role: str = "target", authors: bool = False) -> list[ActorMention]:
    """The actors of the first candidate token that names any."""
    for token in tokens:
        mentions = [m for m in actors_of(parsed, token, role, authors) if (m.start, m.end) not in exclude]
        if mentions:
            return mentions
    return []


def misparsed_arguments(parsed: ParsedArticle, verb) -> tuple[list[ActorMention], list[ActorMention]]:
    """Source and target of a finite verb parsed as a modifier: the words before it and
    the rest of the noun phrase after it ("[the Kremlin] annexed [Ukraine's peninsula]")."""
    doc, head = verb.doc, verb.head

    def mentions(span):
        if len(span) == 0:
            return []
        found = _api_mention(parsed, span)
        return [found] if found else _api_mentions(parsed, span)[:1] or \
            ([m] if (m := _fallback_mention(span)) else [])
    return mentions(doc[head.left_edge.i: verb.i]), mentions(doc[verb.i + 1: head.i + 1])


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


def event_actors(parsed: ParsedArticle, c: Candidate, type_: str, mode: str | None = None,
                 cameo: str | None = None) -> tuple[list[ActorMention], list[ActorMention], bool]:
    """(source, target, reciprocal) of a candidate coded as ``type_``."""
    source, target = _sides(parsed, c, type_)
    joint = type_ in JOINT_TYPES or cameo in JOINT_CAMEO
    reciprocal = c.reciprocal
    if joint and not target and len(source) > 1:
        # "Kenya and Uganda agreed", "talks between A and B": the parties act towards each other
        source, target, reciprocal = source[:1], source[1:], True
    elif joint and source and target and mode not in NOT_MUTUAL_MODES and type_ != "AGREE":
        reciprocal = True  # a meeting or joint work with someone is mutual
    if reciprocal and not target:
        reciprocal = False
    return source, target, reciprocal


def _sides(parsed: ParsedArticle, c: Candidate, type_: str) -> tuple[list[ActorMention], list[ActorMention]]:
    authors = type_ in ATTITUDE_TYPES
    if c.nominal and c.anchor.i == c.trigger.i:
        src_tokens, tgt_tokens = noun_arguments(c.trigger)
        source = first_actors(parsed, src_tokens, role="source")
        if not source:
            # "spoke after talks with X", "following a meeting with X": the clause's subject
            source = first_actors(parsed, _clause_subjects(c.trigger), role="source")
        taken = {(m.start, m.end) for m in source}
        target = first_actors(parsed, tgt_tokens, taken, authors=authors)
        return source, target
    if not c.nominal and misparsed_finite(c.anchor):
        return misparsed_arguments(parsed, c.anchor)
    via_preposition = c.nominal and c.trigger.dep_ == "pobj" and c.trigger.head.head.i == c.anchor.i
    src_tokens, passive_targets = subject_tokens(c.anchor, active=via_preposition)
    if c.nominal:
        passive_targets = [t for t in passive_targets if t.i != c.trigger.i]
    source = first_actors(parsed, src_tokens, role="source")
    taken = {(m.start, m.end) for m in source}
    if passive_targets:
        target = first_actors(parsed, passive_targets, taken, authors=authors)
    else:
        target = []
    if not target and c.nominal:
        _noun_src, noun_tgt = noun_arguments(c.trigger)
        if source:  # the clause has its own source: "began a dialogue between X and Y"
            noun_tgt = noun_tgt + [t for t in _noun_src if t.dep_ == "pobj" and t.head.lower_ == "between"]
        target = first_actors(parsed, noun_tgt, taken, authors=authors)
        if not source and _noun_src:
            source = first_actors(parsed, _noun_src, role="source")
    if not target:
        candidates = verb_target_tokens(c.anchor, skip=c.trigger.i)
        if type_ in OWN_OBJECT_TYPES:  # "Peru moved its troops to the Andes"
            candidates = [t for t in candidates if not owned_by_subject(t)]
        if type_ == "CONSULT":  # what is discussed is a topic; the partner is met, called or talked "with"
            candidates = [t for t in candidates if t.dep_ != "dobj" or t.pos_ == "PROPN"
                          or senses.token_class(t, None) in senses.ACTOR_CLASSES]
        target = first_actors(parsed, candidates, taken, authors=authors)
    if not target and type_ in VERBAL_TYPES_WITH_CLAUSE_TARGET:
        subj = embedded_subject(c.anchor)
        if subj is not None and subj.lower_ in SELF_PRONOUNS:
            # "warned it would retaliate against X": the warner's own act is aimed at X
            target = first_actors(parsed, verb_target_tokens(subj.head), taken, authors=authors)
        elif subj is not None:
            target = first_actors(parsed, [subj], taken, authors=authors)
    return source, target
