"""Stories across outlets: reprints, story clusters, canonical events and dyad series.

Over records: :func:`find_reprints`, :func:`cluster_articles`, :func:`merge_events`,
:func:`series`. Over the store: :func:`link_article` (called after each ``Store.save``),
:func:`rebuild`, :func:`stories`, :func:`story`, :func:`canonical_event`, :func:`dyad_series`.
"""

from __future__ import annotations

from .clusters import StoryClusterer, cluster_articles
from .dyads import dyad_events, dyad_series, series, store_series, write_outputs
from .linking import Link, link_article, rebuild
from .merge import CanonicalEvent, EventMerger, merge_events
from .queries import canonical_event, count_stories, stories, story
from .reprints import ReprintIndex, find_reprints

__all__ = [
    "CanonicalEvent", "EventMerger", "Link", "ReprintIndex", "StoryClusterer", "canonical_event",
    "cluster_articles", "count_stories", "dyad_events", "dyad_series", "find_reprints",
    "link_article", "merge_events", "rebuild", "series", "stories", "store_series", "story",
    "write_outputs",
]
