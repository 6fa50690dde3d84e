"""Hand-made articles and events for the stories tests (merging, linking, dyads)."""

from __future__ import annotations

from eventwire.records import ActorMention, Article, Event, Evidence, Modality, content_hash

FILLER = ("Officials from both governments spoke to reporters after the meeting and described "
          "the atmosphere as businesslike, while analysts in the region cautioned that earlier "
          "understandings between the two sides had not lasted long, and that the central bank "
          "had already moved much of its reserves to accounts abroad before the announcement.")


def mention(code: str) -> ActorMention:
    return ActorMention(text=code, name=code, country=code if len(code) == 3 else None,
                        sector=None, actor_id=code)


def event(article_id: str, article_text: str, sentence: str, type_: str, source: str, target: str,
          date: str | None, score: float | None = None, **modality) -> Event:
    start = article_text.index(sentence)
    return Event(id=content_hash(f"{article_id}|{start}|{type_}|{sorted(modality.items())}"), type=type_, mode=None,
                 contexts=[], source=[mention(source)], target=[mention(target)], date=date,
                 location=None, modality=Modality(**modality),
                 evidence=Evidence(sentence, start, start + len(sentence)), cameo=None, score=score)


def article(title: str, body: str, published: str | None, outlet: str,
            events: list[tuple] = (), filler: bool = False) -> Article:
    """An article whose ``events`` are (sentence, type, source, target, date, score, modality);
    ``filler`` adds a paragraph, long enough for a reprint signature."""
    text = body + (" " + FILLER if filler else "")
    made = Article(id=content_hash(title + text), text=text, title=title, published=published,
                   outlet=outlet)
    for sentence, type_, source, target, date, score, modality in events:
        made.events.append(event(made.id, text, sentence, type_, source, target, date, score, **modality))
    return made
