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
from . import cameo as dict_cameo
from . import patterns as dict_patterns
from . import places
from .lexicon import Knowledge, Pattern

SUBJECT_DEPS = frozenset({"nsubj", "csubj"})
PASSIVE_SUBJECT_DEPS = frozenset({"nsubjpass", "csubjpass"})
TARGET_PREPS = ("with", "on", "against", "to", "toward", "towards", "at", "upon", "into", "over", "for", "from",
                "between")
# "in protest against X", "in retaliation for X's attack", "in solidarity with X"
PURPOSE_NOUNS = frozenset({"protest", "response", "retaliation", "solidarity", "support", "reprisal", "revenge"})
NOUN_TARGET_PREPS = ("on", "against", "with", "to", "toward", "towards", "of", "for", "upon", "into", "over")
NOUN_SOURCE_DEPS = frozenset({"poss", "compound", "amod", "nmod"})
RELATIVE_PRONOUNS = frozenset({"who", "which", "that", "whom"})
OBJECT_CONTROL_DEPS = ("dobj", "dative")
NP_CUT_DEPS = frozenset({"relcl", "acl", "appos", "conj", "cc", "punct", "advcl", "prep"})
ENTITY_LABELS = frozenset({"GPE", "NORP", "ORG", "PERSON", "FAC", "LOC"})
ACTOR_LABELS = frozenset({"GPE", "NORP", "ORG", "PERSON"})
PLACE_LABELS = frozenset({"GPE", "LOC", "FAC"})
NOT_ACTOR_LABELS = frozenset({"DATE", "TIME", "CARDINAL", "ORDINAL", "QUANTITY", "MONEY", "PERCENT"})


@dataclass
class Candidate:
    """A trigger found in a sentence, before actors, dates and modality are attached."""

    pattern: Pattern
    trigger: object  # spaCy Token
    anchor: object  # the verb whose clause carries the event (the trigger for verb events)
    nominal: bool
    words: list = field(default_factory=list)  # tokens of the trigger phrase
    reciprocal: bool = False  # the dictionary codes the act both ways ("A and B negotiated")
    reverse: bool = False  # the dictionary codes the act from the target to the source
    target_prep: object | None = None  # a preposition whose object is the target


def verb_candidate(token, k: Knowledge) -> Candidate | None:
    """The event a verb token codes: eventwire's own lexicon entry when it is at least as specific
    as the CAMEO dictionary's reading (own entries fix what the dictionary lacks or codes against
    the PLOVER codebook), else the dictionary's reading through the CAMEO-to-PLOVER table."""
    lemma = _lemma(token)
    own = match(token, k.verbs[lemma]) if lemma in k.verbs else None
    reading = dict_patterns.match_verb(token, k.dictionary, k.pattern_scope,
                                       k.block_defaults) if k.dictionary else None
    if own is not None and (reading is None or own.specificity >= (reading.pattern.size if reading.pattern else 0)
                            or _refines_default(reading)):
        return Candidate(own, token, token, False, _phrase_tokens(token, own)) if own.type else None
    if reading is None:
        return None
    code = dict_cameo.paired(reading.cameo)
    plover = dict_cameo.to_plover(code.forward or code.backward)
    if plover is None or (reading.pattern is None and _reports_a_clause(token, plover.type, k)):
        return None
    line = reading.pattern.line if reading.pattern else reading.entry.line
    pattern = Pattern("V", lemma, (), plover.type, plover.mode, plover.cameo, line)
    return Candidate(pattern, token, token, False, sorted(reading.words, key=lambda t: t.i),
                     reciprocal=code.reciprocal, reverse=code.forward is None,
                     target_prep=reading.target_prep)


VERBAL_QUADS = frozenset({"vcoop", "vconf"})


def _reports_a_clause(token, type_: str, k: Knowledge) -> bool:
    """A verb that takes a that-clause reports speech or thought ("added that ...", "claimed
    that ..."): a verb of saying is never an act by its default code, and no material act takes
    a clause as its object, so the dictionary's default code does not apply."""
    if not any(c.dep_ == "ccomp" for c in token.children):
        return False
    return _lemma(token) in k.modality["speech"] or k.types[type_].quad not in VERBAL_QUADS


def _refines_default(reading: dict_patterns.VerbMatch) -> bool:
    """A dictionary pattern that codes the same PLOVER type as the verb's own code only refines
    the verb's default reading; an own entry that corrects the default corrects it too."""
    if reading.pattern is None:
        return True
    def plover_type(code: str):
        paired = dict_cameo.paired(code)
        found = dict_cameo.to_plover(paired.forward or paired.backward)
        return found.type if found else None
    found = plover_type(reading.cameo)
    return found is not None and found == plover_type(reading.entry.cameo)


def _lemma(token) -> str:
    return token.lemma_.lower()


def entities(span) -> list:
    """The named entities inside a span, from a per-document list built once
    (``Span.ents`` rebuilds the whole document's list on every call)."""
    doc = span.doc
    ents = doc.user_data.get("eventwire.events.ents")
    if ents is None:
        ents = doc.user_data["eventwire.events.ents"] = list(doc.ents)
    return [e for e in ents if e.start >= span.start and e.end <= span.end]


PARTICLES = frozenset({"in", "on", "out", "off", "up", "down", "over", "back", "for", "to", "with", "by",
                       "from", "upon", "away", "into", "at", "about", "through", "against"})


def _dependent_lemmas(token) -> tuple[set[str], set[str], set[str]]:
    """Lemmas and lower-case forms among the dependents up to three levels down
    ("declared a state of siege"), those of the direct children, and the children's labels."""
    words: set[str] = set()
    children = {w for c in token.children for w in (_lemma(c), c.lower_)}
    deps = {child.dep_ for child in token.children}
    if token.dep_ in ("acl", "relcl"):
        words.add(_lemma(token.head))  # "a statement released by X": the noun is the object
    level = list(token.children)
    for _ in range(3):
        nxt = []
        for t in level:
            words.add(_lemma(t))
            words.add(t.lower_)
            nxt.extend(t.children)
        level = nxt
    return words, children, deps


def _has_word(word: str, words: set[str], children: set[str], deps: set[str]) -> bool:
    """A required word: a dependency label, a particle or preposition of the head itself,
    or any other word among its dependents."""
    if word.startswith("dep:"):
        return word[4:] in deps
    if "|" in word:
        return any(_has_word(w, words, children, deps) for w in word.split("|"))
    return word in (children if word in PARTICLES else words)


def match(token, entries: list[Pattern]) -> Pattern | None:
    """The most specific pattern of this head whose required words are all present."""
    found = None
    for p in entries:
        if not p.requires:
            return p
        if found is None:
            found = _dependent_lemmas(token)
        if all(_has_word(w, *found) for w in p.requires):
            return p
    return None


def _phrase_tokens(token, pattern: Pattern) -> list:
    """The trigger token plus the dependents that matched the pattern's required words."""
    wanted = {a for w in pattern.requires if not w.startswith("dep:") for a in w.split("|")}
    found = [token]
    level = list(token.children)
    for _ in range(3):
        nxt = []
        for t in level:
            if wanted and (_lemma(t) in wanted or t.lower_ in wanted):
                found.append(t)
                wanted.discard(_lemma(t))
                wanted.discard(t.lower_)
            nxt.extend(t.children)
        level = nxt
    return sorted(found, key=lambda t: t.i)


def find_candidates(sent, k: Knowledge) -> list[Candidate]:
    """Every lexicon trigger in the sentence (one pass over its tokens)."""
    found = []
    for token in sent:
        lemma = _lemma(token)
        # participles used as modifiers ("the occupied territory") and as prepositions
        # ("according to") are not events; a finite verb parsed as a modifier is
        if token.pos_ == "VERB" and (token.dep_ not in ("amod", "compound", "prep") or misparsed_finite(token)):
            candidate = verb_candidate(token, k)
            if candidate is not None:
                found.append(candidate)
        elif token.pos_ == "NOUN" and lemma in k.nouns:
            p = match(token, k.nouns[lemma])
            if not p or not p.type:
                continue
            support = _support_verb(token, k)
            if support is not None:
                found.append(Candidate(p, token, support, True, sorted([support, *_phrase_tokens(token, p)],
                                                                        key=lambda t: t.i)))
            elif p.pos == "N" and (_has_nominal_arguments(token) or _reported_as_happening(token, k)):
                found.append(Candidate(p, token, token, True, _phrase_tokens(token, p)))
    return found


def is_support(verb, k: Knowledge) -> bool:
    """A support verb by lemma (also when the lemmatizer clipped it: "staged" -> "stag")."""
    lemma = _lemma(verb)
    return verb.pos_ == "VERB" and (lemma in k.support_verbs or f"{lemma}e" in k.support_verbs)


def misparsed_finite(verb) -> bool:
    """A finite verb the parser took for a modifier: past tense, or right after a name
    that modifies the same noun ("the Kremlin annexed Ukraine's peninsula")."""
    if verb.dep_ != "amod":
        return False
    if verb.tag_ == "VBD":
        return True
    prev = verb.doc[verb.i - 1] if verb.i > 0 else None
    return prev is not None and prev.dep_ == "nmod" and prev.pos_ == "PROPN" and prev.head.i == verb.head.i


def _support_verb(noun, k: Knowledge):
    """The support verb whose object (or passive subject) this noun is: "held [talks]",
    also through a quantity ("sent 100 tons of [aid]") or a preposition ("engaged in [talks]")."""
    head = noun.head
    if noun.dep_ in ("dobj", "nsubjpass", "attr") and is_support(head, k):
        return head
    if noun.dep_ == "pobj" and head.dep_ == "prep":
        governor = head.head
        if head.lower_ in ("in", "on", "for") and is_support(governor, k):
            return governor  # "engaged in talks", "went on strike", "arrived for talks"
        if head.lower_ == "of" and governor.dep_ in ("dobj", "nsubjpass") and governor.pos_ in ("NOUN", "NUM") \
                and is_support(governor.head, k) and not _actor_like(governor):
            return governor.head  # "launched ten days of war games", "sent 100 tons of food"
    if noun.dep_ == "conj":
        return _support_verb(noun.head, k) if noun.head.pos_ == "NOUN" else None
    return None


def _actor_like(token) -> bool:
    return token.ent_type_ in ACTOR_LABELS or token.pos_ == "PROPN"


def _reported_as_happening(noun, k: Knowledge) -> bool:
    """A noun event that is the subject of a verb of occurrence: "protests erupted"."""
    head = noun.head
    if noun.dep_ not in ("nsubj", "nsubjpass") or head.pos_ not in ("VERB", "AUX"):
        return False
    entries = k.occurrence_verbs.get(_lemma(head))
    return bool(entries) and match(head, entries) is not None


def _has_nominal_arguments(noun) -> bool:
    """A bare noun trigger counts only when its own modifiers name who did it or to whom."""
    for child in noun.children:
        if child.dep_ == "poss":
            return True
        if child.dep_ in ("compound", "amod", "nmod") and (child.ent_type_ in ENTITY_LABELS):
            return True
        if child.dep_ == "prep" and child.lower_ in ("between", "by", "with", "against", "on", "of", "to"):
            if any(g.dep_ == "pobj" and g.ent_type_ not in NOT_ACTOR_LABELS
                   and (g.ent_type_ in ACTOR_LABELS or g.pos_ == "PROPN"
                        or any(t.ent_type_ in ACTOR_LABELS for t in g.subtree))
                   for g in child.children):
                return True
    return False


# --- actors -----------------------------------------------------------------------------------

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
    """The noun phrase with its prepositional modifiers ("Security forces in Guinea"),
    and with participle modifiers if asked ("workers affiliated with X")."""
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


def _unresolved(span, label: str) -> ActorMention:
    """A mention the actors stage did not resolve; a place name still gives its country
    ("shelled Juba": the target is the city, in Sudan)."""
    country = places.resolve_place(span.text).country if label in PLACE_LABELS else None
    return ActorMention(text=span.text, name=None, country=country, sector=None,
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


def actors_of(parsed: ParsedArticle, token, role: str = "target") -> list[ActorMention]:
    """The actors a noun phrase names: one per conjunct ("Turkey and Russia" -> two).
    A source may be named by a prepositional modifier ("security forces in Guinea")."""
    if token.ent_type_ in NOT_ACTOR_LABELS:
        return []
    if token.lower_ in RELATIVE_PRONOUNS and token.dep_ in SUBJECT_DEPS | PASSIVE_SUBJECT_DEPS:
        clause = token.head
        if clause.dep_ == "relcl":
            token = clause.head
    mentions: list[ActorMention] = []
    for conjunct in conjuncts(token):
        span = _np_span(conjunct)
        mention = _api_mention(parsed, span)
        if mention is None and role == "source":
            wide = _np_with_preps(conjunct)
            mention = _api_mention(parsed, wide) if wide != span else None
        if mention is None:
            inner = _api_mentions(parsed, _np_with_of(conjunct))
            mention = inner[0] if inner else None
        if mention is None and role == "source":
            # "workers affiliated with the Serbian Workers' Union"
            inner = _api_mentions(parsed, _np_with_preps(conjunct, keep_acl=True))
            mention = inner[0] if inner else None
        if mention is None and role == "target":
            # "relations with Russia", "refugees fleeing the war in Liberia"
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
            controller = None  # "threatened to deliver blows ..., a weekly reports": misattached
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
        # "accused Moscow of amassing troops": the object of the governing verb does it
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
            # ("Doctors from two aid groups donated ...", "A newspaper called on Arabs ...")
            return [root], []
        if is_passive(verb):
            return [], [head]
        # "issued a declaration demanding ...": the declaration's author is the source
        outer = subject_tokens(head.head, depth + 1)[0] if head.dep_ in ("dobj", "pobj") else []
        return [head, *outer], []
    return [], []


def owned_by_subject(token) -> bool:
    """An object the subject owns: "strengthened its forces", "completed their withdrawal"."""
    return any(c.dep_ == "poss" and c.pos_ == "PRON" for c in token.children)


def verb_target_tokens(verb, skip: int | None = None, depth: int = 0) -> list:
    """Candidate target tokens of a verb, most likely first: the object and dative, the
    author of a rejected proposal ("rejected an appeal from X"), the target of an embedded
    act ("threatened to break relations with X"), then prepositional objects."""
    objects = [c for c in verb.children if c.dep_ in ("dobj", "dative") and c.i != skip]
    xcomp = _child(verb, ("xcomp",))
    late = [o for o in objects if xcomp is not None and o.i > xcomp.right_edge.i]
    objects = [o for o in objects if o not in late]  # an object after the embedded clause is misattached
    out = list(objects)
    for obj in objects:
        out.extend(t for t in _prep_objects(obj, ("by", "from", "of")) if t.i != skip)
    if depth < 2:
        for child in verb.children:
            # "threatened to break relations with X", "went on strike to protest X"
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
    """The subject of a clause the verb embeds ("demanded that Hamas renounce ...")."""
    for child in verb.children:
        if child.dep_ in ("ccomp", "xcomp"):
            subj = _child(child, SUBJECT_DEPS | PASSIVE_SUBJECT_DEPS)
            if subj is not None and subj.lower_ not in RELATIVE_PRONOUNS:
                return subj
    return None


def first_actors(parsed: ParsedArticle, tokens, exclude: set = frozenset(),
                 role: str = "target") -> list[ActorMention]:
    """The actors of the first candidate token that names any."""
    for token in tokens:
        mentions = [m for m in actors_of(parsed, token, role) if (m.start, m.end) not in exclude]
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
