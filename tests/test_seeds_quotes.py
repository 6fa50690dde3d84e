"""Quotes on the seed articles (read from ../shared/seeds at run time): speakers and offsets."""

from __future__ import annotations

import pytest

from eventwire.records import Article


def seed(seed_articles, prefix: str) -> Article:
    matches = [a for name, a in seed_articles.items() if name.startswith(prefix)]
    assert len(matches) == 1 and isinstance(matches[0], Article), seed_articles.keys()
    return matches[0]


def spoken_by(article: Article, name_part: str, kind: str | None = None):
    return [q for q in article.quotes if q.speaker and name_part in q.speaker.text
            and (kind is None or q.kind == kind)]


@pytest.mark.parametrize("prefix", ["000", "001", "002", "003", "004"])
def test_quote_and_speaker_offsets_point_into_the_text(seed_articles, prefix):
    article = seed(seed_articles, prefix)
    assert article.quotes
    for quote in article.quotes:
        assert article.text[quote.start:quote.end] == quote.text
        assert quote.kind in ("direct", "partial", "indirect")
        if quote.speaker is not None and quote.speaker.start is not None:
            assert article.text[quote.speaker.start:quote.speaker.end] == quote.speaker.text
    assert len({q.id for q in article.quotes}) == len(article.quotes)


def test_seed_000_erdogan_and_peskov(seed_articles):
    article = seed(seed_articles, "000")
    erdogan = spoken_by(article, "Erdogan", "direct")
    assert erdogan and all(q.speaker.country == "TUR" and q.speaker.sector == "GOV" for q in erdogan)
    peskov = spoken_by(article, "Peskov")
    assert peskov and all(q.speaker.country == "RUS" for q in peskov)


def test_seed_001_altun_and_the_communications_director(seed_articles):
    article = seed(seed_articles, "001")
    director = spoken_by(article, "communications director", "direct")
    assert len(director) >= 2
    altun = spoken_by(article, "Altun")
    assert altun
    for quote in director + altun:
        assert quote.speaker.country == "TUR"
    assert len({q.speaker.actor_id for q in director + altun}) == 1


def test_seed_003_cavusoglu_lavrov_and_the_turkish_minister(seed_articles):
    article = seed(seed_articles, "003")
    cavusoglu = spoken_by(article, "Çavuşoğlu", "direct")
    lavrov = spoken_by(article, "Lavrov", "direct")
    assert len(cavusoglu) >= 2 and len(lavrov) >= 2
    assert all(q.speaker.country == "TUR" for q in cavusoglu)
    assert all(q.speaker.country == "RUS" for q in lavrov)
    minister = spoken_by(article, "the Turkish minister")
    assert minister
    assert {q.speaker.actor_id for q in minister} == {cavusoglu[-1].speaker.actor_id}


def test_seed_004_he_said_in_a_statement_is_the_ministry(seed_articles):
    article = seed(seed_articles, "004")
    ministry = spoken_by(article, "Foreign Ministry")
    assert ministry and all(q.speaker.country == "TUR" for q in ministry)
    statement = [q for q in article.quotes if q.kind == "direct" and q.speaker
                 and q.speaker.text == "he" and "in a statement" in (q.cue or "")]
    assert len(statement) == 1
    assert statement[0].speaker.country == "TUR" and statement[0].speaker.sector == "GOV"
