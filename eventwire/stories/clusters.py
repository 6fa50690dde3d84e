"""Online story clustering: each new article joins the best open story or starts a new one.

A story is open to an article published within ``window_days`` of the story's first/last
date. The score of a story is the text similarity of the article to the story centroid
(TF-IDF vectors include the actor ids), plus a bonus for shared actors (dense vectors) and
for shared event dates. Nothing is ever re-clustered,
so the cost of one article is its comparisons with the open stories of its time window.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from ..records import content_hash
from . import representations

THRESHOLD = 0.12  # minimum score to join a story (tfidf; dense encoders use their own)
UNDATED_MARGIN = 0.08  # an undated article is open to any recent story: it must score this much higher
CANDIDATES_WITHOUT_DATE = 200  # an undated article is compared with the latest stories only
RECENT_UNDATED_STORIES = 50  # stories of undated articles stay open while among the latest 50
WINDOW_DAYS = 4
DATE_WEIGHT = 0.05
# Bonus for shared actors. TF-IDF vectors hold the actor ids as terms already, weighted by how
# rare they are; a flat bonus there lets ubiquitous actors (a president in every story) glue
# unrelated stories together (BASIL text-only B-cubed F1 0.83 instead of 0.95).
ACTOR_WEIGHTS = {"tfidf": 0.0, "spacy": 0.05, "use": 0.05, "minilm": 0.05}
# Thresholds per representation, set on the BASIL dev half (BENCHMARKS.md).
THRESHOLDS = {"tfidf": 0.12, "spacy": 0.90, "use": 0.65, "minilm": 0.65}
# Actor ids so common that sharing them says nothing about the story.
_IGNORED_ACTOR_KINDS = frozenset({"country"})


def story_id_for(article_id: str) -> str:
    """The id of a story started by an article (stable, so rebuilds give the same ids)."""
    return content_hash(f"story:{article_id}")


def parse_date(value: str | None) -> dt.date | None:
    if not value:
        return None
    try:
        return dt.date.fromisoformat(value[:10])
    except ValueError:
        return None


def article_actors(article: Any) -> set[str]:
    """Actor ids that identify a story: people, groups, organisations (not whole countries)."""
    return {a.id for a in getattr(article, "actors", None) or [] if a.kind not in _IGNORED_ACTOR_KINDS}


def article_event_dates(article: Any) -> set[str]:
    return {e.date for e in getattr(article, "events", None) or [] if e.date and e.modality.factual}


@dataclass
class Story:
    """A story as the clusterer sees it: centroid, dates, and what its articles share."""

    id: str
    centroid: Any
    first_date: str | None = None
    last_date: str | None = None
    size: int = 0
    title: str | None = None
    actors: Counter = field(default_factory=Counter)
    event_dates: set[str] = field(default_factory=set)
    members: list[str] = field(default_factory=list)

    def open_to(self, date: dt.date | None, window: dt.timedelta) -> bool:
        """Whether an article of this date may join (undated stories: see ``candidates``)."""
        first, last = self.dates()
        if date is None or first is None or last is None:
            return True
        return first - window <= date <= last + window

    def dates(self) -> tuple[dt.date | None, dt.date | None]:
        """First and last date as dates (parsed once per change)."""
        key = (self.first_date, self.last_date)
        if getattr(self, "_dates_key", None) != key:
            self._dates_key = key
            self._dates = (parse_date(self.first_date), parse_date(self.last_date))
        return self._dates


@dataclass
class Assignment:
    """Where an article went and why."""

    story_id: str
    score: float
    new: bool


class StoryClusterer:
    """Holds the open stories in memory and assigns articles to them one at a time."""

    def __init__(self, representation: representations.Representation | None = None,
                 threshold: float | None = None, window_days: int = WINDOW_DAYS,
                 actor_weight: float | None = None, date_weight: float = DATE_WEIGHT):
        self.representation = representation or representations.make()
        self.threshold = (threshold if threshold is not None
                          else THRESHOLDS.get(self.representation.name, THRESHOLD))
        self.window = dt.timedelta(days=window_days)
        self.actor_weight = (actor_weight if actor_weight is not None
                             else ACTOR_WEIGHTS.get(self.representation.name, 0.05))
        self.date_weight = date_weight
        self.stories: dict[str, Story] = {}

    def score(self, article: Any, vector: Any, story: Story) -> float:
        """Text similarity to the centroid plus the actor and event-date bonuses."""
        score = self.representation.similarity(vector, story.centroid)
        actors = article_actors(article)
        if actors and story.actors:
            score += self.actor_weight * len(actors & story.actors.keys()) / len(actors)
        if article_event_dates(article) & story.event_dates:
            score += self.date_weight
        return score

    def threshold_for(self, article: Any) -> float:
        """The score needed to join a story: higher without a publication date to narrow it."""
        return self.threshold + (0.0 if parse_date(article.published) else UNDATED_MARGIN)

    def candidates(self, article: Any) -> list[Story]:
        """Stories open to the article: the dated ones of its time window (the latest ones
        when it is undated), plus the most recently started undated stories. Both bounded,
        so the cost of one article does not grow with the corpus."""
        date = parse_date(article.published)
        dated = [s for s in self.stories.values() if s.first_date]
        undated = [s for s in self.stories.values() if not s.first_date][-RECENT_UNDATED_STORIES:]
        if date is None:
            latest = sorted(dated, key=lambda s: s.last_date, reverse=True)[:CANDIDATES_WITHOUT_DATE]
            return latest + undated
        return [s for s in dated if s.open_to(date, self.window)] + undated

    def best(self, article: Any, vector: Any,
             stories: Iterable[Story] | None = None) -> tuple[Story | None, float]:
        """The best-scoring open story and its score (None when there is no open story)."""
        best, best_score = None, float("-inf")
        query = self.representation.prepare(vector)
        for story in self.candidates(article) if stories is None else stories:
            s = self.score(article, query, story)
            if s > best_score:
                best, best_score = story, s
        return best, best_score

    def assign(self, article: Any, vector: Any | None = None, story_id: str | None = None) -> Assignment:
        """Put an article into a story (``story_id`` forces one, e.g. the story of its original)."""
        if vector is None:
            vector = self.representation.encode([article])[0]
        self.representation.observe(vector)
        if story_id is not None and story_id in self.stories:
            story, score = self.stories[story_id], 1.0
        else:
            story, score = self.best(article, vector)
            if story is None or score < self.threshold_for(article):
                story = Story(id=story_id or story_id_for(article.id), centroid=None,
                              title=article.title)
                self.stories[story.id] = story
                score = score if score != float("-inf") else 0.0
                self.join(story, article, vector)
                return Assignment(story.id, score, True)
        self.join(story, article, vector)
        return Assignment(story.id, score, False)

    def join(self, story: Story, article: Any, vector: Any) -> None:
        story.centroid = self.representation.add(story.centroid, vector)
        story.size += 1
        story.members.append(article.id)
        story.actors.update(article_actors(article))
        story.event_dates |= article_event_dates(article)
        if article.published:
            date = article.published[:10]
            story.first_date = min(filter(None, [story.first_date, date]))
            story.last_date = max(filter(None, [story.last_date, date]))
        if not story.title and article.title:
            story.title = article.title


def cluster_articles(articles: Sequence[Any], representation: str | representations.Representation = "tfidf",
                     threshold: float | None = None, window_days: int = WINDOW_DAYS,
                     batch_size: int = 64) -> dict[str, str]:
    """Cluster Article records online, in the given order: ``{article id: story id}``."""
    rep = representations.make(representation) if isinstance(representation, str) else representation
    clusterer = StoryClusterer(rep, threshold=threshold, window_days=window_days)
    out: dict[str, str] = {}
    for start in range(0, len(articles), batch_size):
        batch = articles[start:start + batch_size]
        for article, vector in zip(batch, rep.encode(batch)):
            out[article.id] = clusterer.assign(article, vector).story_id
    return out
