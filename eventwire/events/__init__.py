"""Events stage: PLOVER events with actors, dates, places, modality and evidence."""

from __future__ import annotations

from ..records import Event, ParsedArticle
from ..settings import Settings


def code_events(parsed: ParsedArticle, settings: Settings) -> list[Event]:
    """Code every PLOVER event stated in the article."""
    return []
