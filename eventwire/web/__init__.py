"""The web layer of eventwire: a REST API and server-rendered pages over the store (``eventwire serve``)."""

from .app import create_app

__all__ = ["create_app"]
