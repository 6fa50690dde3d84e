"""Find event triggers in a parsed sentence: the candidates the rest of the events stage
reads actors, time and modality for.

A verb is coded by the CAMEO verb dictionary (patterns.py) unless eventwire's own lexicon has
an entry at least as specific (lexicon.tsv: what the dictionary lacks or codes against the
PLOVER codebook). A noun trigger ("sanctions", "talks") counts when a support verb governs it
("imposed sanctions"), when a verb of occurrence reports it ("protests erupted"), or when its
own modifiers name who did it ("Russia's invasion of Ukraine").
"""

from __future__ import annotations

from bisect import bisect_left
from dataclasses import dataclass, field

from . import cameo as dict_cameo
from . import patterns as dict_patterns
from . import senses
from .lexicon import Knowledge, Pattern

ENTITY_LABELS = frozenset({"GPE", "NORP", "ORG", "PERSON", "FAC", "LOC"})
ACTOR_LABELS = frozenset({"GPE", "NORP", "ORG", "PERSON"})
NOT_ACTOR_LABELS = frozenset({"DATE", "TIME", "CARDINAL", "ORDINAL", "QUANTITY", "MONEY", "PERCENT"})


@dataclass
class Candidate:
    """A trigger found in a sentence, before actors, dates and modality are attached."""

    pattern: Pattern
    trigger: object  # spaCy Token
    anchor: object  # the verb whose clause carries the event (the trigger for verb events)
    nominal: bool
    words: list = field(default_factory=list)  # tokens of the trigger phrase
    # dictionary-pattern | dictionary-verb (its own code) | dictionary-block (its block's code)
    # | lexicon | noun | obligation
    origin: str = "lexicon"
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
    if plover is None:
        return None
    if reading.pattern is None and (_reports_a_clause(token, plover.type, k) or _lends_to_a_thing(token, k)):
        return None
    line = reading.pattern.line if reading.pattern else reading.entry.line
    pattern = Pattern("V", lemma, (), plover.type, plover.mode, plover.cameo, line)
    return Candidate(pattern, token, token, False, sorted(reading.words, key=lambda t: t.i),
                     origin="dictionary-pattern" if reading.pattern else
                     "dictionary-verb" if reading.entry.own_code or reading.entry.lemma == reading.entry.block
                     else "dictionary-block",
                     reciprocal=code.reciprocal, reverse=code.forward is None,
                     target_prep=reading.target_prep)


VERBAL_QUADS = frozenset({"vcoop", "vconf"})
# what an act can be done to (senses.py classes)
ARGUMENT_CLASSES = frozenset({"state", "official", "military", "police", "rebels", "workers", "civilians", "person",
                              "group", "igo", "pronoun", "place", "facility", "vehicle"})


def _reports_a_clause(token, type_: str, k: Knowledge) -> bool:
    """A verb that takes a that-clause reports speech or thought ("added that ...", "claimed
    that ..."): a verb of saying is never an act by its default code, and no material act takes
    a clause as its object, so the dictionary's default code does not apply."""
    if not any(c.dep_ == "ccomp" for c in token.children):
        return False
    return _lemma(token) in k.modality["speech"] or k.types[type_].quad not in VERBAL_QUADS


def _lends_to_a_thing(token, k: Knowledge) -> bool:
    """A support verb whose object is a thing or a notion ("provided training", "engaged in
    decision-making") is an act only through an event noun or a pattern of its own, not by its
    default code; with no object, or an actor or a place as object ("struck the camps"), it is."""
    if not is_support(token, k):
        return False
    objects = [c for c in token.children if c.dep_ == "dobj"] or \
        [g for c in token.children if c.dep_ == "prep" and c.lower_ == "in" for g in c.children if g.dep_ == "pobj"]
    return any(senses.token_class(o, None) not in ARGUMENT_CLASSES for o in objects)


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
    """The named entities inside a span, from a per-document index built once
    (``Span.ents`` rebuilds the whole document's list on every call)."""
    doc = span.doc
    index = doc.user_data.get("eventwire.events.ents")
    if index is None:
        ents = list(doc.ents)  # sorted by start, not overlapping
        index = doc.user_data["eventwire.events.ents"] = ([e.start for e in ents], ents)
    starts, ents = index
    out = []
    for i in range(bisect_left(starts, span.start), len(ents)):
        if ents[i].start >= span.end:
            break
        if ents[i].end <= span.end:
            out.append(ents[i])
    return out


PARTICLES = frozenset({"in", "on", "out", "off", "up", "down", "over", "back", "for", "to", "with", "by",
                       "from", "upon", "away", "into", "at", "about", "through", "against"})


def _dependent_lemmas(token) -> tuple[set[str], set[str], set[str]]:
    """Lemmas and lower-case forms among the dependents up to three levels down
    ("declared a state of alert"), those of the direct children, and the children's labels."""
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
                                                                        key=lambda t: t.i), origin="noun"))
            elif p.pos == "N" and (_has_nominal_arguments(token) or _reported_as_happening(token, k)):
                found.append(Candidate(p, token, token, True, _phrase_tokens(token, p), origin="noun"))
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
        if head.lower_ == "with" and is_support(governor, k) and any(c.dep_ in ("dobj", "dative")
                                                                    for c in governor.children):
            return governor  # "provided the army with weapons": the with-object is what is given
        if head.lower_ == "of" and governor.dep_ in ("dobj", "nsubjpass") and governor.pos_ in ("NOUN", "NUM") \
                and is_support(governor.head, k) and not _actor_like(governor):
            return governor.head  # "began five days of naval drills", "sent 40 tons of grain"
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


def obligation_requests(sent, k: Knowledge, candidates: list[Candidate]) -> list[Candidate]:
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
            found.append(Candidate(pattern, token.head, token.head, False, [token.head, *aux], origin="obligation"))
            taken.add(token.head.i)
    return found
