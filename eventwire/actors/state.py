"""What the actors stage knows about one article while it reads it: its knowledge tokens and
matched terms, the people found, and the mentions resolved so far (most recent last)."""

from __future__ import annotations

from bisect import bisect_left
from dataclasses import dataclass, field

from spacy.attrs import IDX, LENGTH

from ..records import Actor
from .knowledge import Knowledge, tokens
from .resolver import Match, Phrase, Tok, compose

STATE_KEY = "eventwire.actors"


@dataclass
class Mention:
    """One resolved mention: spaCy token range, the actor, and how it was found."""

    start: int  # spaCy token index
    end: int
    actor: Actor
    how: str  # name | phrase | person | description | pronoun
    plural: bool = False
    role_words: tuple[str, ...] = ()
    subject: bool = False


@dataclass
class ArticleActors:
    """Everything the actors stage learned about one article."""

    kb: Knowledge
    toks: list[Tok]
    first_sub: list[int]  # spaCy token index -> index of its first sub-token in toks
    matches: list[Match]
    day: str | None = None  # the article's date: people hold the office of that day
    mentions: list[Mention] = field(default_factory=list)
    persons: dict[str, list[tuple[int, Actor]]] = field(default_factory=dict)
    # name key (full name, surname) -> the people it was given to, with the token where
    first_names: dict[str, Actor | None] = field(default_factory=dict)  # None: ambiguous
    person_roles: dict[str, tuple[str, ...]] = field(default_factory=dict)  # person id -> role words
    person_units: list[tuple[int, int, int, int, Actor]] = field(default_factory=list)
    # (unit start, unit end, name start, name end, actor) in spaCy token indices
    genders: dict[str, str] = field(default_factory=dict)  # person id -> "m" | "f"
    scenes: dict[tuple[str, int], str | None] = field(default_factory=dict)  # scene.py's cache
    _starts: list[int] | None = None
    _phrases: dict = field(default_factory=dict)

    def sub_range(self, start: int, end: int) -> tuple[int, int]:
        return self.first_sub[start], self.first_sub[end]

    def matches_in(self, start: int, end: int) -> list[Match]:
        a, b = self.sub_range(start, end)
        if self._starts is None:
            self._starts = [m.start for m in self.matches]
        i = bisect_left(self._starts, a)
        out = []
        while i < len(self.matches) and self.matches[i].start < b:
            if self.matches[i].end <= b:
                out.append(self.matches[i])
            i += 1
        return out

    def phrase(self, start: int, end: int, as_actor: bool = True) -> Phrase:
        key = (start, end, as_actor)
        cached = self._phrases.get(key)
        if cached is None:
            a, b = self.sub_range(start, end)
            local = [Match(m.start - a, m.end - a, m.entries) for m in self.matches_in(start, end)]
            cached = self._phrases[key] = compose(self.kb, self.toks[a:b], local, as_actor, self.day)
        return cached

    def bound(self, key: str, position: int | None = None) -> Actor | None:
        """The person an article's name refers to at token ``position``: the last one given
        that name before it ("Trump" after "Melania Trump ... Donald Trump" is Donald)."""
        found = [a for i, a in self.persons.get(key, ()) if position is None or i <= position]
        return found[-1] if found else None

    def bearers(self, key: str) -> set[str]:
        """Ids of every person of the article given this name."""
        return {a.id for _, a in self.persons.get(key, ())}

    def before(self, token_i: int) -> list[Mention]:
        """Mentions that end before token ``token_i``, most recent first."""
        return [m for m in reversed(self.mentions) if m.end <= token_i]


def build_tokens(doc) -> tuple[list[Tok], list[int]]:
    """Sub-tokens of the doc in the knowledge tokenisation, mapped back to spaCy tokens."""
    toks: list[Tok] = []
    first_sub: list[int] = []
    full = doc.text
    # offsets from the doc's arrays: much cheaper than creating a Token object per token
    for i, (idx, length) in enumerate(doc.to_array([IDX, LENGTH]).tolist()):
        first_sub.append(len(toks))
        text = full[idx:idx + length]
        if text.isascii() and text.isalnum():  # most tokens: one sub-token, no regex needed
            toks.append(Tok(text, text.lower(), idx, idx + length, i))
            continue
        pos = 0
        for sub in tokens(text) if not text.isspace() else ():
            k = text.find(sub, pos)
            k = pos if k < 0 else k
            pos = k + len(sub)
            toks.append(Tok(sub, sub.lower(), idx + k, idx + pos, i))
    first_sub.append(len(toks))
    return toks, first_sub


def entity_of(doc, i: int):
    """The entity covering token i, from the doc's entity arrays (no Span per entity)."""
    token = doc[i]
    if token.ent_iob_ in ("", "O"):
        return None
    start = i
    while start > 0 and doc[start].ent_iob_ == "I":
        start -= 1
    end = i + 1
    while end < len(doc) and doc[end].ent_iob_ == "I":
        end += 1
    return doc[start:end]
