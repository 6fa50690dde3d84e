"""Events stage: PLOVER events with actors, time, places, modality and evidence.

For each sentence (sentence.py): find triggers (triggers.py: the CAMEO verb dictionary and
eventwire's own lexicon), check their sense against their arguments (senses.py), read their
modality (modality.py), recode announced acts the PLOVER way, attach source and target actors
(arguments.py), read tense, date and background (time.py), then place, mode, contexts, CAMEO
code and score. Knowledge lives in data/events/ (docs/events.md).
"""

from __future__ import annotations

import re

from ..limits import checkpoint
from ..records import Article, Event, ParsedArticle
from ..settings import Settings
from . import confidence, dates, features, time
from .lexicon import Knowledge, knowledge, user_lexicons
from .sentence import CodedEvent, code_sentence

__all__ = ["code_events", "primary_event", "code_article", "dates"]


def code_events(parsed: ParsedArticle, settings: Settings) -> list[Event]:
    """Code every PLOVER event stated in the article."""
    return [c.event for c in code_article(parsed, settings)]


def primary_event(parsed: ParsedArticle, settings: Settings) -> Event | None:
    """The article's main event by a fixed rule: the first sentence with a non-negated event;
    within it the event whose trigger is highest in the parse tree, then the earliest."""
    coded = [c for c in code_article(parsed, settings) if not c.event.modality.negated]
    if not coded:
        return None
    first_sentence = min(c.event.evidence.start for c in coded)
    in_first = [c for c in coded if c.event.evidence.start == first_sentence]
    return min(in_first, key=lambda c: (c.depth, c.trigger.i)).event


def code_article(parsed: ParsedArticle, settings: Settings, scored: bool = True) -> list[CodedEvent]:
    """All events of the article with their trigger tokens, in text order; ``scored`` sets their
    confidence with the shipped model."""
    k = knowledge(user_lexicons(settings.knowledge_files))
    published = dates.parse_published(parsed.article.published)
    reference = time.news_reference(parsed.doc, published)
    coded: list[CodedEvent] = []
    for sent in parsed.doc.sents:
        checkpoint()  # the document's time budget, per sentence
        if sent.text.strip().lower().startswith(k.skip_prefixes):
            continue
        coded.extend(code_sentence(parsed, sent, k, published, reference))
    coded = [c for c in coded if reportable(c.event, k)]
    if scored:
        score(coded, parsed.doc, parsed.article)
    for n, c in enumerate(coded, start=1):
        c.event.id = f"{parsed.article.id}-{n}"
    return coded


def score(coded: list[CodedEvent], doc, article: Article | None = None) -> None:
    """Set every event's confidence with the shipped model (confidence.py), if there is one."""
    model = confidence.load()
    if model is None or not coded:
        return
    rows = []
    for c, context in zip(coded, contexts(coded, doc, article)):
        checkpoint()
        rows.append(features.candidate_features(c, c.trigger.sent, context))
    for c, value in zip(coded, model.scores(rows)):
        c.event.confidence = value


def contexts(coded: list[CodedEvent], doc, article: Article | None = None) -> list[features.CandidateContext]:
    """Each candidate's place in its article: sentence index and count, candidates beside it,
    the title's words and the publication year."""
    starts = [s.start for s in doc.sents]
    per_sentence: dict[int, int] = {}
    for c in coded:
        per_sentence[c.trigger.sent.start] = per_sentence.get(c.trigger.sent.start, 0) + 1
    index = {start: n for n, start in enumerate(starts)}
    title = frozenset(re.findall(r"\w+", (article.title or "").lower())) if article is not None else frozenset()
    published = dates.parse_published(article.published) if article is not None else None
    year = published.year if published is not None else None
    return [features.CandidateContext(index.get(c.trigger.sent.start, 0), len(starts),
                                      per_sentence[c.trigger.sent.start], title, year) for c in coded]


def reportable(event: Event, k: Knowledge) -> bool:
    """Verbal and cooperative events are defined by their parties: one needs at least one
    identified party, a resolved actor or a named one the actors stage does not know
    ("Mueller", "Google"), so "the duo met" or "they agreed" with nobody identified is dropped.
    Material conflict and protest are news by the act itself ("grenades were hurled at a
    patrol", "hundreds marched"), as in conflict-event datasets, and stay without a party."""
    if event.source or event.target:
        return True
    return k.types[event.type].quad == "mconf" or event.type == "PROTEST"
