"""Actors stage: resolve names, metonyms, roles and pronouns to canonical actors."""

from __future__ import annotations

from ..records import Actor, ActorMention, ParsedArticle
from ..settings import Settings


def resolve_actors(parsed: ParsedArticle, settings: Settings) -> ParsedArticle:
    """Fill ``parsed.mentions`` and ``parsed.article.actors``."""
    return parsed


def mention_for_span(parsed: ParsedArticle, span) -> ActorMention | None:
    """The actor a spaCy span (a noun phrase, a name or a pronoun) refers to, if any."""
    return None


def resolve_actor(text: str) -> Actor | None:
    """Resolve a free-standing actor text ("Turkish Foreign Minister", "the Kremlin")."""
    return None
