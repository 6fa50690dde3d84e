"""eventwire: news articles in; source-attributed events, quotes and actors out."""

from .actors import resolve_actor
from .pipeline import process, process_documents
from .records import Actor, ActorMention, Article, Event, Quote
from .settings import Settings

__all__ = ["process", "process_documents", "resolve_actor", "Settings",
           "Article", "Actor", "ActorMention", "Event", "Quote"]
__version__ = "0.1.0"
