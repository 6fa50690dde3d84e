"""The eventwire database: :class:`Store` saves processed articles and answers queries."""

from .database import Store

__all__ = ["Store"]
