"""Events on the five seed articles (read from ../shared/seeds at run time): the events
the texts clearly state, with their actors' countries and modality."""

from __future__ import annotations

import pytest

from eventwire.records import Article


def _article(seed_articles, prefix: str) -> Article:
    name = next(n for n in seed_articles if n.startswith(prefix))
    article = seed_articles[name]
    assert isinstance(article, Article), f"{name} failed: {article}"
    return article


def _countries(mentions) -> set[str]:
    return {m.country for m in mentions if m.country}


def _parties(event) -> set[str]:
    return _countries(event.source) | _countries(event.target)


@pytest.mark.parametrize("prefix", ["000", "001", "002", "003", "004"])
def test_every_event_carries_its_sentence(seed_articles, prefix):
    article = _article(seed_articles, prefix)
    assert article.events
    for event in article.events:
        assert article.text[event.evidence.start:event.evidence.end] == event.evidence.sentence
        assert event.id.startswith(article.id)
        assert not event.evidence.sentence.lower().startswith("also on")  # related links


# The acts of the news each seed clearly reports, with both sides: (type, source, target).
# A reciprocal event may name the parties either way round.
NEWS_ACTS = {
    "000": [("SUPPORT", "TUR", "UKR"), ("CONSULT", "TUR", "UKR"), ("AGREE", "TUR", "UKR"),
            ("ACCUSE", "USA", "RUS")],
    "002": [("CONSULT", "TUR", "USA"), ("REJECT", "RUS", "TUR"), ("SUPPORT", "UKR", "TUR")],
    "003": [("CONSULT", "TUR", "RUS"), ("SANCTION", "USA", "TUR"), ("AGREE", "TUR", "RUS")],
    "004": [("CONSULT", "TUR", "USA"), ("AGREE", "TUR", "USA")],
}
# Older acts the seeds recap as background: never shown as news. (type, source, target)
RECAPS = {
    "000": [("COERCE", "RUS", "UKR"), ("ASSAULT", "RUS", "UKR")],  # Crimea, 2014
    "002": [("COERCE", "RUS", "UKR"), ("ASSAULT", "RUS", "UKR"), ("ASSAULT", "UKR", None)],  # 2014 on
    "004": [("SANCTION", "USA", "TUR")],  # the sanctions of December 2020
}


def _matches(event, type_: str, source: str | None, target: str | None) -> bool:
    sources, targets = _countries(event.source), _countries(event.target)
    if event.type != type_:
        return False
    forward = source in sources and (target is None or target in targets)
    backward = event.reciprocal and source in targets and target in sources
    return forward or backward


@pytest.mark.parametrize("prefix, act", [(p, a) for p, acts in NEWS_ACTS.items() for a in acts])
def test_news_acts_come_out_with_both_sides(seed_articles, prefix, act):
    events = _article(seed_articles, prefix).events
    found = [e for e in events if _matches(e, *act)]
    assert any(e.modality.factual and e.both_sides for e in found), \
        [(e.type, _countries(e.source), _countries(e.target), e.modality) for e in events if e.type == act[0]]


@pytest.mark.parametrize("prefix, act", [(p, a) for p, acts in RECAPS.items() for a in acts])
def test_background_recaps_are_not_news(seed_articles, prefix, act):
    events = _article(seed_articles, prefix).events
    assert not any(e.modality.factual and _matches(e, *act) for e in events)


def test_002_denied_invasion_is_not_a_factual_assault(seed_articles):
    events = _article(seed_articles, "002").events
    denial = [e for e in events if "denies" in e.evidence.sentence and e.type == "ASSAULT"]
    assert all(e.modality.negated for e in denial)
    assert not any(e.type == "ASSAULT" and e.modality.factual and "RUS" in _countries(e.source)
                   and "UKR" in _countries(e.target) for e in events)


def test_002_annexation_is_background(seed_articles):
    events = _article(seed_articles, "002").events
    annexed = [e for e in events if e.trigger and "annex" in e.trigger]
    assert annexed and all(e.modality.historical for e in annexed)


def test_undated_seeds_keep_news_undated(seed_articles):
    for prefix in ("001", "002", "004"):
        article = _article(seed_articles, prefix)
        assert article.published is None
        assert all(e.date_basis in ("sentence", "reporting", "none") for e in article.events)
