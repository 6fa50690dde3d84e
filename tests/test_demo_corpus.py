"""The bundled demo corpus (examples/corpus) end to end: every page's outlet, title and date, and
evidence sentences without page clutter."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from eventwire import ingest, pipeline
from eventwire.records import Article
from page_clutter import clutter_in

CORPUS = Path(__file__).resolve().parent.parent / "examples" / "corpus"
DOMAIN_LIKE = re.compile(r"^[\w-]+(\.[\w-]+)+$")


@pytest.fixture(scope="module")
def demo(settings) -> list[Article]:
    results = list(pipeline.process_documents(ingest.read_paths([str(CORPUS)], settings), settings))
    assert all(isinstance(r, Article) for r in results), [r for r in results if not isinstance(r, Article)]
    return results


def test_every_outlet_is_known_by_one_name(demo):
    outlets = {a.outlet for a in demo}
    assert None not in outlets
    # every site of the corpus names itself in some article: no article is left under a bare domain
    named = {a.outlet_domain: a.outlet for a in demo if a.outlet_domain and a.outlet != a.outlet_domain}
    shown = {named.get(a.outlet, a.outlet) for a in demo}
    assert not [o for o in shown if DOMAIN_LIKE.match(o)]
    assert len(shown) == len({re.sub(r"\W", "", o.lower()) for o in shown})


def test_titles_are_headlines_and_dated_files_get_their_date(demo):
    for article in demo:
        name = Path(article.source_path).name
        assert article.title and len(article.title.split()) >= 4, name
        assert not DOMAIN_LIKE.search(article.title.split()[-1]), (name, article.title)
        if re.match(r"\d{4}-\d{2}-\d{2}_", name) and not article.reprint:
            # the date a page prints (stamp, dateline with its year, markup) is its date;
            # a republishing site's copy prints none
            assert article.published == name[:10], (name, article.published, article.published_note)


def test_evidence_sentences_carry_no_page_clutter(demo):
    problems = [(Path(a.source_path).name, *found) for a in demo for found in clutter_in(a)]
    assert problems == []
    assert sum(len(a.events) for a in demo) > 150


def test_story_ids_and_members_survive_a_rebuild(demo, tmp_path):
    """The same articles give the same stories with the same ids, rebuilt or not: a rebuild
    links the articles again in the order they were first linked (here not date order)."""
    from eventwire.store import Store
    from eventwire.stories import clusters, link_article, rebuild

    def members(store) -> dict[str, set[str]]:
        out: dict[str, set[str]] = {}
        for row in store.articles(limit=None):
            out.setdefault(row["story_id"], set()).add(row["id"])
        return out

    with Store(str(tmp_path / "demo.db")) as store:
        for article in sorted(demo, key=lambda a: Path(a.source_path).name, reverse=True):
            store.save(article)
            link_article(store, article)
        before = members(store)
        assert len(before) < len(demo)  # some stories hold several articles
        assert all(story_id in {clusters.story_id_for(a) for a in ids} for story_id, ids in before.items())
        rebuild(store)
        assert members(store) == before
