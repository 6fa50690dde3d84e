"""Who said it: cue verbs and attribution phrases in the parse, and the speaker's noun phrase."""

from __future__ import annotations

from dataclasses import dataclass, replace

from spacy.tokens import Doc, Span, Token

from .. import actors
from ..records import ActorMention, ParsedArticle
from .lexicon import CueLexicon

SUBJECT_DEPS = ("nsubj", "nsubjpass")
# a clause that shares its subject with the clause it hangs from ("..., adding that ...")
SHARED_SUBJECT_DEPS = ("advcl", "xcomp", "conj", "pcomp", "prep", "ccomp", "parataxis")
NOUN_PHRASE_DEPS = {"compound", "amod", "det", "poss", "case", "flat", "nmod", "nummod",
                    "quantmod", "prt"}
OBJECT_PREPS = ("by", "from", "of")
CLIMB = 3


@dataclass
class Attribution:
    """A cue and the noun phrase of its speaker (None when the text names nobody)."""

    cue: str | None
    speaker: Span | None
    cue_token: Token | None = None
    speech: bool = True


def is_cue_verb(token: Token, lexicon: CueLexicon) -> bool:
    return token.pos_ in ("VERB", "AUX") and lexicon.is_cue_verb(token.lemma_)


def noun_phrase(head: Token) -> Span:
    """The compact noun phrase of ``head``: its modifiers and name parts, not its clauses."""
    doc = head.doc
    if head.tag_ in ("WP", "WDT") and head.head.dep_ == "relcl":
        head = head.head.head  # "Peskov, who said ..." -> Peskov
    low = high = head.i
    stack = [head]
    while stack:
        token = stack.pop()
        for child in token.children:
            # a name right after its title is part of the phrase: "minister Jane Doe"
            close_appos = (child.dep_ == "appos" and child.left_edge.i == token.i + 1
                           and not doc[child.left_edge.i].is_punct)
            if child.dep_ in NOUN_PHRASE_DEPS or close_appos:
                low, high = min(low, child.i), max(high, child.i)
                stack.append(child)
    while high > low and doc[high].is_punct:
        high -= 1
    while low < high and doc[low].is_punct:
        low += 1
    return doc[low:high + 1]


def author_of(phrase: Span, lexicon: CueLexicon) -> Span:
    """A document speaks for its author: "a statement by the ministry" -> the ministry."""
    root = phrase.root
    if root.lemma_.lower() not in lexicon.document:
        return phrase
    for child in root.children:
        if child.dep_ == "poss":
            return noun_phrase(child)
        if child.dep_ == "prep" and child.lower_ in OBJECT_PREPS:
            objects = [c for c in child.children if c.dep_ == "pobj"]
            if objects:
                return noun_phrase(objects[0])
        if child.dep_ == "acl":  # "a statement released by Ankara"
            for agent in child.children:
                if agent.dep_ == "agent":
                    objects = [c for c in agent.children if c.dep_ == "pobj"]
                    if objects:
                        return noun_phrase(objects[0])
    return phrase


def subject_of(verb: Token, lexicon: CueLexicon, quoted: list[bool] | None = None) -> Span | None:
    """The speaker of a cue verb: its subject, or the subject of the clause it hangs from.

    ``quoted`` marks tokens inside quotation marks: the speaker is never found in there.
    """
    token = verb
    for _ in range(CLIMB + 1):
        for child in token.children:
            if quoted is not None and quoted[child.i]:
                continue
            if child.dep_ in SUBJECT_DEPS:
                if child.dep_ == "nsubjpass":
                    break  # "it was said": the speaker, if any, is the agent
                return author_of(noun_phrase(child), lexicon)
            if child.dep_ == "agent":
                objects = [c for c in child.children if c.dep_ == "pobj"]
                if objects:
                    return author_of(noun_phrase(objects[0]), lexicon)
        if token.dep_ == "acl" and token.head.pos_ in ("PROPN", "NOUN", "PRON"):
            return author_of(noun_phrase(token.head), lexicon)  # "footage of Clinton asking"
        if token.dep_ not in SHARED_SUBJECT_DEPS or token.head is token:
            return None
        token = token.head
        if quoted is not None and quoted[token.i]:
            return None
    return None


def cue_text(verb: Token, lexicon: CueLexicon) -> str:
    """The cue verb with its particle and any channel phrase: "pointed out", "said in a statement"."""
    parts = [verb.doc[verb.i:verb.i + 1]]
    parts += [verb.doc[c.i:c.i + 1] for c in verb.children if c.dep_ == "prt"]
    for child in verb.children:
        if child.dep_ == "prep" and child.lower_ in lexicon.phrase_starts:
            phrase = match_phrase(verb.doc, child.i, lexicon.channel)
            if phrase is not None:
                parts.append(phrase)
    return " ".join(p.text for p in sorted(parts, key=lambda p: p.start))


def match_phrase(doc: Doc, i: int, phrases: tuple[tuple[str, ...], ...]) -> Span | None:
    """The longest listed word sequence that starts at token ``i``."""
    for phrase in phrases:
        n = len(phrase)
        if i + n <= len(doc) and all(doc[i + k].lower_ == phrase[k] for k in range(n)):
            return doc[i:i + n]
    return None


def source_phrase(doc: Doc, i: int, lexicon: CueLexicon) -> tuple[Span, Span] | None:
    """An "according to X" phrase starting at token ``i``: (the cue words, the speaker)."""
    if doc[i].lower_ not in lexicon.phrase_starts:
        return None
    cue = match_phrase(doc, i, lexicon.source)
    if cue is None:
        return None
    for token in cue:
        for child in token.children:
            if child.dep_ == "pobj":
                return cue, author_of(noun_phrase(child), lexicon)
    following = doc[cue.end] if cue.end < len(doc) else None  # a parse that left the object loose
    if following is not None and following.pos_ in ("PROPN", "NOUN", "PRON"):
        return cue, author_of(noun_phrase(following), lexicon)
    return None


def speaker_mention(parsed: ParsedArticle, span: Span | None) -> ActorMention | None:
    """The speaker as an ActorMention through the actors stage, with the speaker span's own offsets.

    An unknown speaker ("a campaign aide") is kept with its text and offsets and no actor.
    """
    if span is None or not span.text.strip():
        return None
    mention = actors.mention_for_span(parsed, span)
    if mention is None:
        return ActorMention(text=span.text, name=None, country=None, sector=None,
                            start=span.start_char, end=span.end_char)
    return replace(mention, text=span.text, start=span.start_char, end=span.end_char)
