"""Actors stage: resolve names, metonyms, roles and pronouns to canonical actors.

``resolve_actors`` runs once per article over its spaCy parse and keeps what it learned in
``doc.user_data``; the events and quotes stages then ask ``mention_for_span`` and
``mentions_in_span`` about any span without parsing again. ``resolve_actor`` resolves a
free-standing text with the knowledge files alone (no parser). People are resolved as of the
article's publication date (their office then), or of the ``date`` given to ``resolve_actor``.
"""

from __future__ import annotations

import re

from ..records import Actor, ActorMention, ParsedArticle
from ..settings import Settings
from .knowledge import Knowledge, knowledge_for, load_knowledge
from .memory import (PERSON_PRONOUNS, PLURAL_PRONOUNS, THING_PRONOUNS, ArticleActors, get_state,
                     resolve_pronoun, resolve_span)
from .resolver import BOUNDARY, resolve_text

__all__ = ["resolve_actors", "mention_for_span", "mentions_in_span", "resolve_actor", "role_of"]

PRONOUNS = PERSON_PRONOUNS | THING_PRONOUNS | PLURAL_PRONOUNS


def _day(value: str | None) -> str | None:
    """A YYYY-MM-DD day from a date or timestamp string, else None."""
    if value and re.match(r"^\d{4}-\d{2}-\d{2}", value):
        return value[:10]
    return None


def resolve_actors(parsed: ParsedArticle, settings: Settings) -> ParsedArticle:
    """Fill ``parsed.mentions`` (text order, with offsets) and ``parsed.article.actors``."""
    state = get_state(parsed.doc, knowledge_for(settings), _day(parsed.article.published))
    doc = parsed.doc
    mentions = []
    actors: dict[str, Actor] = {}
    for m in state.mentions:
        span = doc[m.start:m.end]
        mentions.append(ActorMention.from_actor(span.text, m.actor, span.start_char, span.end_char))
        actors.setdefault(m.actor.id, m.actor)
    parsed.mentions = mentions
    parsed.article.actors = list(actors.values())
    return parsed


def _state(parsed: ParsedArticle) -> ArticleActors:
    state = parsed.doc.user_data.get("eventwire.actors")
    if state is None:
        state = get_state(parsed.doc, load_knowledge(()), _day(parsed.article.published))
    return state


def _actors_for(state: ArticleActors, doc, start: int, end: int, root) -> list[Actor]:
    """Actors of one conjunct doc[start:end] headed by ``root``."""
    if end - start == 1 and doc[start].lower_ in PRONOUNS:
        return resolve_pronoun(state, doc[start])
    # a person named as a possessor ("bin Laden's al-Qaeda") is not the span's actor
    inside = [u for u in state.person_units if u[2] >= start and u[3] <= end
              and not (u[3] < end and doc[u[3]].lower_ in ("'s", "'", "’s") and u[3] + 1 < end)]
    if inside:
        for u in inside:
            if u[2] <= root.i < u[3]:
                return [u[4]]
        cut = next((t.i for t in doc[start:end] if t.lower_ in BOUNDARY and t.i > start), end)
        heads = [u for u in inside if u[3] <= cut]
        if heads:
            return [heads[0][4]]
    return resolve_span(state, doc, start, end, root)


def _conjuncts(span) -> list[tuple[int, int, object]]:
    """The conjuncts of a span ("Turkey and Russia" -> Turkey, Russia), as token ranges."""
    root = span.root
    heads = [root]
    stack = [root]
    while stack:
        h = stack.pop()
        for c in h.children:
            if c.dep_ == "conj" and span.start <= c.i < span.end:
                heads.append(c)
                stack.append(c)
    if len(heads) == 1:
        return [(span.start, span.end, root)]
    heads.sort(key=lambda t: t.i)
    out = []
    for k, h in enumerate(heads):
        start = max(span.start, h.left_edge.i) if k else span.start
        if k:
            start = max(start, out[-1][1])
        nxt = heads[k + 1] if k + 1 < len(heads) else None
        end = span.end if nxt is None else max(start + 1, nxt.left_edge.i)
        while nxt is not None and end > start + 1 and span.doc[end - 1].dep_ in ("cc", "punct"):
            end -= 1
        out.append((start, end, h))
    return out


def _mention(span, actor: Actor) -> ActorMention:
    return ActorMention.from_actor(span.text, actor, span.start_char, span.end_char)


def mention_for_span(parsed: ParsedArticle, span) -> ActorMention | None:
    """The actor a spaCy span (a noun phrase, a name or a pronoun) refers to, if any."""
    if span is None or len(span) == 0:
        return None
    state = _state(parsed)
    found = _actors_for(state, parsed.doc, span.start, span.end, span.root)
    if not found:
        conj = _conjuncts(span)
        if len(conj) > 1:
            s, e, h = conj[0]
            found = _actors_for(state, parsed.doc, s, e, h)
    return _mention(span, found[0]) if found else None


def mentions_in_span(parsed: ParsedArticle, span) -> list[ActorMention]:
    """All actors a span names, for compound actors ("Turkey and Russia", "the two leaders")."""
    if span is None or len(span) == 0:
        return []
    state = _state(parsed)
    doc = parsed.doc
    out: dict[str, ActorMention] = {}
    for start, end, head in _conjuncts(span):
        part = doc[start:end]
        for actor in _actors_for(state, doc, start, end, head):
            out.setdefault(actor.id, _mention(part, actor))
    return list(out.values())


def resolve_actor(text: str, settings: Settings | None = None,
                  date: str | None = None) -> Actor | None:
    """Resolve a free-standing actor text ("Turkish Foreign Minister", "the Kremlin"); a
    person takes the office of ``date`` (YYYY-MM-DD), or their latest known one."""
    if not text or not text.strip():
        return None
    kb: Knowledge = knowledge_for(settings)
    return resolve_text(kb, text, day=_day(date)).actor


def role_of(word: str, settings: Settings | None = None) -> tuple[str, str | None] | None:
    """(form, sector) of a role noun ("police" -> ("group", "COP"), "backers" -> ("relational",
    None)), or None for a word that names no role."""
    return knowledge_for(settings).roles.get(word.lower())
