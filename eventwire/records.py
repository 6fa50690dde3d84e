"""The shared vocabulary of eventwire: every stage reads and writes these records.

Records are plain dataclasses. ``to_dict`` gives the documented JSON shape
(docs/records.md); ``from_dict`` reads it back, so records survive a round trip
through JSON, a database row or a Spark partition.
"""

from __future__ import annotations

import hashlib
from dataclasses import asdict, dataclass, field, fields
from typing import Any

PLOVER_TYPES: tuple[str, ...] = (
    "AGREE", "CONSULT", "SUPPORT", "CONCEDE", "COOPERATE", "AID", "RETREAT", "REQUEST",
    "ACCUSE", "REJECT", "THREATEN", "PROTEST", "SANCTION", "MOBILIZE", "COERCE", "ASSAULT",
)
# The four quad classes events are summed into, as CAMEO roots fall into them (GDELT's QuadClass
# 1-4): verbal cooperation, material cooperation, verbal conflict, material conflict.
QUAD_CLASS: dict[str, str] = {
    **dict.fromkeys(("AGREE", "CONSULT", "SUPPORT", "CONCEDE", "REQUEST"), "verbal cooperation"),
    **dict.fromkeys(("COOPERATE", "AID", "RETREAT"), "material cooperation"),
    **dict.fromkeys(("ACCUSE", "REJECT", "THREATEN", "PROTEST"), "verbal conflict"),
    **dict.fromkeys(("SANCTION", "MOBILIZE", "COERCE", "ASSAULT"), "material conflict"),
}
QUAD_CODE = {"verbal cooperation": 1, "material cooperation": 2, "verbal conflict": 3,
             "material conflict": 4}


def content_hash(text: str) -> str:
    """Stable id of a piece of content: the first 16 hex digits of its SHA-256."""
    return hashlib.sha256(text.encode("utf-8", errors="replace")).hexdigest()[:16]


@dataclass
class RawDocument:
    """One input document as read from disk or stdin, before extraction.

    Exactly one of ``text`` or ``html`` is normally set. ``origin`` names where it
    came from for error messages (``path`` or ``path:line``).
    """

    origin: str
    text: str | None = None
    html: str | None = None
    url: str | None = None
    title: str | None = None
    published: str | None = None
    outlet: str | None = None
    source_path: str | None = None


@dataclass
class Sentence:
    """A sentence of the clean article text, by character offsets."""

    start: int
    end: int
    text: str


@dataclass
class Actor:
    """A canonical actor: a country, an IGO, a person, a group or an institution.

    ``id`` is stable across articles: ``TUR`` for a country, ``TUR-GOV`` for a
    country's sector, ``IGO:NATO``, ``PER:mevlut-cavusoglu``, ``GRP:YPG``.
    """

    id: str
    name: str
    kind: str  # country | igo | person | group | institution
    country: str | None = None  # ISO 3166 alpha-3, or None
    sector: str | None = None  # PLOVER sector code: GOV, MIL, REB, ...
    role: str | None = None  # e.g. "foreign minister"
    period: str | None = None  # a known person's office period used: "2019-03-20.."
    basis: str | None = None  # why that period: "period covering the date 2022-05-01", ...

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


@dataclass
class ActorMention:
    """Where an actor is named in the article text, and who it resolves to."""

    text: str
    name: str | None
    country: str | None
    sector: str | None
    actor_id: str | None = None
    start: int | None = None
    end: int | None = None

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def from_actor(cls, text: str, actor: Actor | None, start: int | None = None,
                   end: int | None = None) -> "ActorMention":
        if actor is None:
            return cls(text=text, name=None, country=None, sector=None, start=start, end=end)
        return cls(text=text, name=actor.name, country=actor.country, sector=actor.sector,
                   actor_id=actor.id, start=start, end=end)


@dataclass
class Modality:
    """How the text asserts an event: denied, planned, conditional, background or generic."""

    negated: bool = False
    future: bool = False
    hypothetical: bool = False
    historical: bool = False
    generic: bool = False  # a description or a habit ("rebels fighting to overthrow ..."), not one act

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)

    @property
    def factual(self) -> bool:
        """True when the event is reported as having happened, as news of this article."""
        return not (self.negated or self.future or self.hypothetical or self.historical or self.generic)


@dataclass
class Evidence:
    """The sentence an event was read from, with its offsets into ``Article.text``."""

    sentence: str
    start: int
    end: int

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


@dataclass
class Location:
    """A place named in an event's sentence, resolved against GeoNames data."""

    name: str
    country: str | None = None
    geonameid: int | None = None
    latitude: float | None = None
    longitude: float | None = None

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


DATE_BASES = ("sentence", "relative", "reporting", "publication", "none")
TENSES = ("past", "present", "future", "conditional", "none")
ASPECTS = ("simple", "perfect", "progressive", "perfect-progressive")


@dataclass
class Event:
    """One PLOVER event read from one sentence of one article.

    ``date_basis`` says where ``date`` comes from: ``sentence`` (a date written in the event's
    clause), ``relative`` (an expression such as "on Friday" resolved against the publication
    date), ``reporting`` (the date of the clause that reports the event), ``publication`` (no
    date in the text: the news is dated by its publication) or ``none`` (no date; ``date_note``
    says why). ``tense`` and ``aspect`` are read off the event's clause. A ``reciprocal`` event
    is an act of both sides towards each other ("Turkey and Ukraine agreed"): dyad series,
    exports and the store count it both ways. ``confidence`` is the probability that this is a
    real current act of this type between these actors (None before it is scored).
    """

    id: str
    type: str
    mode: str | None
    contexts: list[str]
    source: list[ActorMention]
    target: list[ActorMention]
    date: str | None
    location: Location | None
    modality: Modality
    evidence: Evidence
    cameo: str | None
    score: float | None
    trigger: str | None = None
    date_note: str | None = None
    date_basis: str = "none"
    tense: str = "none"
    aspect: str = "simple"
    reciprocal: bool = False
    confidence: float | None = None

    @property
    def both_sides(self) -> bool:
        """Source and target are both known (resolved to an actor or a country)."""
        return any(m.country or m.actor_id for m in self.source) and \
            any(m.country or m.actor_id for m in self.target)

    @property
    def international(self) -> bool:
        """The two sides belong to different countries."""
        sources = {m.country for m in self.source if m.country}
        targets = {m.country for m in self.target if m.country}
        return bool(sources and targets and sources != targets)

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "type": self.type,
            "mode": self.mode,
            "contexts": list(self.contexts),
            "source": [m.to_dict() for m in self.source],
            "target": [m.to_dict() for m in self.target],
            "reciprocal": self.reciprocal,
            "both_sides": self.both_sides,
            "international": self.international,
            "date": self.date,
            "date_basis": self.date_basis,
            "date_note": self.date_note,
            "tense": self.tense,
            "aspect": self.aspect,
            "location": self.location.to_dict() if self.location else None,
            "modality": self.modality.to_dict(),
            "evidence": self.evidence.to_dict(),
            "cameo": self.cameo,
            "score": self.score,
            "trigger": self.trigger,
            "confidence": self.confidence,
        }

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> "Event":
        return cls(
            id=d["id"], type=d["type"], mode=d.get("mode"), contexts=list(d.get("contexts") or []),
            source=[ActorMention(**m) for m in d.get("source") or []],
            target=[ActorMention(**m) for m in d.get("target") or []],
            date=d.get("date"), date_note=d.get("date_note"), date_basis=d.get("date_basis") or "none",
            tense=d.get("tense") or "none", aspect=d.get("aspect") or "simple",
            reciprocal=bool(d.get("reciprocal")), confidence=d.get("confidence"),
            location=Location(**d["location"]) if d.get("location") else None,
            modality=Modality(**(d.get("modality") or {})),
            evidence=Evidence(**d["evidence"]), cameo=d.get("cameo"), score=d.get("score"),
            trigger=d.get("trigger"),
        )


@dataclass
class Quote:
    """A direct or indirect quotation with its resolved speaker."""

    id: str
    text: str
    kind: str  # direct | partial | indirect
    speaker: ActorMention | None
    cue: str | None
    start: int
    end: int

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": self.id, "text": self.text, "kind": self.kind,
            "speaker": self.speaker.to_dict() if self.speaker else None,
            "cue": self.cue, "start": self.start, "end": self.end,
        }

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> "Quote":
        sp = d.get("speaker")
        return cls(id=d["id"], text=d["text"], kind=d["kind"],
                   speaker=ActorMention(**sp) if sp else None, cue=d.get("cue"),
                   start=d["start"], end=d["end"])


@dataclass
class Article:
    """One news article: clean text, metadata, and everything read from it."""

    id: str
    text: str
    source_path: str | None = None
    url: str | None = None
    outlet: str | None = None
    reprint: bool = False
    title: str | None = None
    published: str | None = None  # YYYY-MM-DD or None
    # the outlet's web domain when the page shows it; the store keeps it as an alias of the name
    outlet_domain: str | None = None
    published_note: str | None = None  # why the date is what it is (or why it is missing)
    language: str | None = None
    removed: list[str] = field(default_factory=list)  # boilerplate lines dropped by extraction
    sentences: list[Sentence] = field(default_factory=list)
    actors: list[Actor] = field(default_factory=list)
    mentions: list[ActorMention] = field(default_factory=list)  # every resolved actor mention
    events: list[Event] = field(default_factory=list)
    quotes: list[Quote] = field(default_factory=list)

    ARTICLE_FIELDS = ("id", "source_path", "url", "outlet", "reprint", "title", "published",
                      "published_note", "language", "text")

    def to_dict(self, include_removed: bool = False) -> dict[str, Any]:
        """The documented JSON record of this article (docs/records.md)."""
        article = {name: getattr(self, name) for name in self.ARTICLE_FIELDS}
        if include_removed:
            article["removed"] = list(self.removed)
        return {
            "article": article,
            "actors": [a.to_dict() for a in self.actors],
            "mentions": [m.to_dict() for m in self.mentions],
            "events": [e.to_dict() for e in self.events],
            "quotes": [q.to_dict() for q in self.quotes],
        }

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> "Article":
        a = d["article"]
        known = {f.name for f in fields(cls)}
        article = cls(**{k: v for k, v in a.items() if k in known})
        article.actors = [Actor(**x) for x in d.get("actors") or []]
        article.mentions = [ActorMention(**x) for x in d.get("mentions") or []]
        article.events = [Event.from_dict(x) for x in d.get("events") or []]
        article.quotes = [Quote.from_dict(x) for x in d.get("quotes") or []]
        return article


@dataclass
class ParsedArticle:
    """An article with its spaCy parse and resolved actor mentions, handed from stage to stage.

    ``doc`` is the spaCy ``Doc`` of ``article.text``; ``mentions`` lists every actor
    mention the actors stage resolved, in text order, with character offsets.
    """

    article: Article
    doc: Any
    mentions: list[ActorMention] = field(default_factory=list)


@dataclass
class AlreadyStored:
    """A document whose article (same clean text, so same id) the store already holds: it is
    recognised right after extraction and not parsed again."""

    id: str
    origin: str


@dataclass
class ProcessingError:
    """A document that could not be processed, and why. Batches carry on past it."""

    origin: str
    reason: str
    code: str = "E000"
    count: int = 1  # documents it stands for: a summary of a file's repeated errors counts them all

    def __str__(self) -> str:
        return f"{self.origin}: {self.code} {self.reason}"
