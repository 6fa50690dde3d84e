"""Online story clustering on small hand-written article sets."""

from __future__ import annotations

from eventwire.evaluation.stories import bcubed
from eventwire.records import Actor, Article, content_hash
from eventwire.stories import clusters, representations

DAM = [
    ("Dam talks collapse as Nile states trade blame",
     "Negotiations over the giant hydroelectric dam on the Blue Nile collapsed in Kinshasa on "
     "Monday after Egypt, Sudan and Ethiopia failed to agree on how fast the reservoir should be "
     "filled. Cairo said Addis Ababa rejected every compromise on drought-year releases."),
    ("Ethiopia to go ahead with second reservoir filling",
     "Ethiopia will begin the second filling of the Blue Nile dam reservoir during the rainy "
     "season, its water minister said, a day after the Kinshasa negotiations with Egypt and Sudan "
     "broke down without an agreement on drought releases."),
    ("Sudan asks Security Council to take up Nile dam dispute",
     "Sudan asked the UN Security Council to discuss the Blue Nile dam after talks in Kinshasa "
     "failed, warning that the reservoir filling threatens its own dams downstream. Egypt backed "
     "the request, while Ethiopia said the Kinshasa talks should resume."),
]
ELECTION = [
    ("Ruling party claims victory in Peru runoff count",
     "Peru's electoral office said the leftist candidate led the presidential runoff by forty "
     "thousand votes with nearly all ballots counted in Lima and the provinces. His rival alleged "
     "fraud at polling stations and asked for thousands of ballots to be annulled."),
    ("Peru's presidential race tightens as fraud claims mount",
     "The conservative candidate in Peru's presidential runoff filed requests to annul ballots "
     "from hundreds of polling stations, alleging fraud, as the electoral office finished the "
     "count that gives the leftist a narrow lead of forty thousand votes."),
    ("Observers find no fraud in Peru vote",
     "International observers said Peru's presidential runoff was clean and found no evidence of "
     "fraud at polling stations, rejecting the conservative candidate's claims as the electoral "
     "office count showed the leftist candidate narrowly ahead."),
]
DAM_LATER = ("Nile dam talks resume under African Union mediation",
             "Egypt, Sudan and Ethiopia returned to negotiations over the Blue Nile dam reservoir "
             "under African Union mediation, months after the Kinshasa talks collapsed over "
             "drought releases and the filling schedule.")


def make(title: str, text: str, published: str | None, outlet: str, actors=()) -> Article:
    return Article(id=content_hash(title + text), text=text, title=title, published=published,
                   outlet=outlet, actors=list(actors))


def stream() -> tuple[list[Article], dict[str, str]]:
    """Two stories on the same days from three outlets, then a later episode of the first."""
    outlets = ["Daily A", "Daily B", "Daily C"]
    articles, gold = [], {}
    for i in range(3):
        for story, items in (("dam", DAM), ("election", ELECTION)):
            a = make(*items[i], f"2021-04-0{5 + i}", outlets[i])
            articles.append(a)
            gold[a.id] = story
    later = make(*DAM_LATER, "2021-07-20", "Daily A")
    articles.append(later)
    gold[later.id] = "dam-later"
    return articles, gold


def test_same_day_stories_are_told_apart_and_grouped_across_outlets():
    articles, gold = stream()
    predicted = clusters.cluster_articles(articles)
    assert bcubed(gold, predicted) == {"precision": 1.0, "recall": 1.0, "f1": 1.0}


def test_time_window_keeps_a_later_episode_apart_but_text_alone_joins_it():
    articles, gold = stream()
    later = articles[-1]
    windowed = clusters.cluster_articles(articles)
    dam_story = windowed[articles[0].id]
    assert windowed[later.id] != dam_story
    unbounded = clusters.cluster_articles(articles, window_days=10_000)
    assert unbounded[later.id] == unbounded[articles[0].id]


def test_story_dates_and_members_grow_online():
    articles, _ = stream()
    clusterer = clusters.StoryClusterer()
    first = clusterer.assign(articles[0])
    assert first.new and first.story_id == clusters.story_id_for(articles[0].id)
    joined = clusterer.assign(articles[2])  # the dam story, next day, another outlet
    assert not joined.new and joined.story_id == first.story_id
    story = clusterer.stories[first.story_id]
    assert (story.first_date, story.last_date, story.size) == ("2021-04-05", "2021-04-06", 2)
    assert story.title == DAM[0][0]


def test_shared_actors_raise_the_score():
    minister = Actor(id="PER:test-minister", name="Test Minister", kind="person", country="ETH")
    base = make(*DAM[0], "2021-04-05", "Daily A", [minister])
    clusterer = clusters.StoryClusterer()
    clusterer.assign(base)
    story = next(iter(clusterer.stories.values()))
    with_actor = make(*DAM[1], "2021-04-06", "Daily B", [minister])
    without = make(*DAM[1], "2021-04-06", "Daily C")
    rep = clusterer.representation
    assert (clusterer.score(with_actor, rep.encode([with_actor])[0], story)
            > clusterer.score(without, rep.encode([without])[0], story))


def test_undated_article_needs_a_higher_score():
    clusterer = clusters.StoryClusterer()
    dated = make(*DAM[0], "2021-04-05", "Daily A")
    assert clusterer.threshold_for(make(*DAM[1], None, "Daily B")) > clusterer.threshold_for(dated)


def test_centroid_round_trips_through_bytes():
    rep = representations.make("tfidf")
    articles, _ = stream()
    vectors = rep.encode(articles[:2])
    for v in vectors:
        rep.observe(v)
    centroid = rep.add(rep.add(None, vectors[0]), vectors[1])
    again = rep.loads(rep.dumps(centroid))
    assert abs(rep.similarity(vectors[0], again) - rep.similarity(vectors[0], centroid)) < 1e-6


def test_spacy_vectors_representation_clusters_the_stream():
    articles, gold = stream()
    predicted = clusters.cluster_articles(articles, "spacy")
    assert bcubed(gold, predicted)["f1"] >= 0.8


def test_demo_corpus_ingested_into_a_store_forms_its_stories(tmp_path, settings):
    """examples/README.md: five stories, each within one month, and three reprints."""
    import re
    from pathlib import Path

    from eventwire.store import Store
    from eventwire.store.loader import load
    from eventwire.stories import stories

    corpus = Path(__file__).resolve().parent.parent / "examples" / "corpus"
    with Store(str(tmp_path / "demo.db")) as store:
        summary = load([str(corpus)], store, settings)
        assert summary.failed == 0
        rows = store.articles(limit=None)
        listed = stories(store, limit=None)
    gold, predicted = {}, {}
    for row in rows:
        # every story of the answer key happens within one month, named in the file name or URL
        name = Path(row["source_path"]).name
        month = re.search(r"(20\d\d)[-/](\d\d)", row["url"] if name.endswith(".jsonl") else name)
        gold[row["id"]] = month.groups() if month else row["id"]
        predicted[row["id"]] = row["story_id"]
    assert all(predicted.values())  # every article was linked at ingest
    assert bcubed(gold, predicted)["f1"] >= 0.85
    names = {row["id"]: Path(row["source_path"]).name for row in rows}
    reprints = {names[r["id"]]: names[r["reprint_of"]] for r in rows if r["reprint_of"]}
    assert reprints == {
        "2024-03-06_newspulse24_black-sea-grain-corridor.txt": "2024-03-04_bosphorus-daily_grain-deal.html",
        "2024-09-19_worldbriefnow_marevo-sanctions.txt": "2024-09-16_continental-review_eu-sanctions-shipping.txt",
        "2025-02-05_newspulse24_russia-greece-diplomat.txt": "2025-02-04_steppe-herald_athens-expulsion-response.txt",
    }
    story_of = {r["id"]: r["story_id"] for r in rows}
    assert all(story_of[r["id"]] == story_of[r["reprint_of"]] for r in rows if r["reprint_of"])
    assert sum(s["article_count"] for s in listed) == len(rows) - 3  # reprints not counted
