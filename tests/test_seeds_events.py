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


def test_000_turkey_meets_and_backs_ukraine(seed_articles):
    events = _article(seed_articles, "000").events
    assert any(e.type in ("CONSULT", "AGREE") and {"TUR", "UKR"} <= _parties(e) for e in events)
    assert any(e.type == "SUPPORT" and "TUR" in _countries(e.source) and "UKR" in _countries(e.target)
               and e.modality.factual for e in events)


def test_002_denied_invasion_is_not_a_factual_assault(seed_articles):
    events = _article(seed_articles, "002").events
    denial = [e for e in events if "denies" in e.evidence.sentence and e.type == "ASSAULT"]
    assert all(e.modality.negated for e in denial)
    assert not any(e.type == "ASSAULT" and e.modality.factual and "RUS" in _countries(e.source)
                   and "UKR" in _countries(e.target) for e in events)


def test_002_annexation_is_background(seed_articles):
    events = _article(seed_articles, "002").events
    annexed = [e for e in events if e.trigger and "annexed" in e.trigger]
    assert annexed and all(e.modality.historical for e in annexed)


def test_003_us_blacklists_turkish_officials(seed_articles):
    events = _article(seed_articles, "003").events
    assert any(e.type in ("SANCTION", "COERCE") and e.trigger and "blacklisted" in e.trigger
               and "USA" in _countries(e.source) and "TUR" in _countries(e.target) for e in events)


def test_003_turkish_and_russian_ministers_meet(seed_articles):
    events = _article(seed_articles, "003").events
    assert any(e.type == "CONSULT" and {"TUR", "RUS"} <= _parties(e) for e in events)


def test_004_turkey_and_us_hold_talks(seed_articles):
    events = _article(seed_articles, "004").events
    assert any(e.type == "CONSULT" and {"TUR", "USA"} <= _parties(e) and e.modality.factual for e in events)
