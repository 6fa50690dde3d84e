"""Reprints and near-duplicates: MinHash signatures, the LSH index, originals, the demo corpus."""

from __future__ import annotations

from pathlib import Path

from eventwire.records import Article, content_hash
from eventwire.stories import reprints

ORIGINAL = """The foreign ministers of the two neighbouring countries met in the port city on Tuesday
and agreed to reopen the border crossing that has been closed for three years. The agreement
covers freight lorries first and passenger traffic from the spring, officials said after the
talks. Both sides will station customs officers at a joint checkpoint and share electronic
manifests so that inspections take minutes rather than days. Farmers in the valley, who lost
their nearest market when the crossing closed, welcomed the decision and said the first apple
harvest could cross before the winter. The ministers also set up a working group on water
rights along the river that forms much of the frontier, a dispute that has soured relations
for a decade. The group is to report within six months. Opposition parties in both capitals
criticised the deal as rushed, but neither parliament needs to ratify it."""

BOILERPLATE_TOP = "Home | World | Business | Sport\nShare this article on social media\n"
BOILERPLATE_BOTTOM = "\nSource link\nComments are closed.\nSign up for our morning newsletter\nJohn Smith"

OTHER_REPORT = """Lorries will again roll across the long-closed frontier after the neighbours' top
diplomats struck an accord in the harbour town, a move the valley's fruit growers have demanded
since the crossing shut. Under the plan, customs teams from each country will work side by side,
and travellers may use the route next year. Critics at home called the pact hasty. A panel will
look into the old quarrel over river water and present findings by the summer."""


def article(text: str, published: str | None = None, outlet: str | None = None) -> Article:
    return Article(id=content_hash(text), text=text, published=published, outlet=outlet)


def reworded(text: str) -> str:
    return text.replace("welcomed the decision", "hailed the move").replace("on Tuesday", "this week")


def test_reprint_with_boilerplate_and_rewording_is_a_near_duplicate():
    original = reprints.signature(ORIGINAL)
    copy = reprints.signature(BOILERPLATE_TOP + reworded(ORIGINAL) + BOILERPLATE_BOTTOM)
    other = reprints.signature(OTHER_REPORT)
    assert original.jaccard(copy) >= reprints.THRESHOLD
    assert original.jaccard(other) < 0.1


def test_reprint_points_to_its_original_and_other_reports_stay_apart():
    first = article(ORIGINAL, "2024-05-07", "Valley Post")
    copy = article(BOILERPLATE_TOP + reworded(ORIGINAL) + BOILERPLATE_BOTTOM, "2024-05-08", "Aggregator")
    other = article(OTHER_REPORT, "2024-05-07", "Harbour Times")
    assert reprints.find_reprints([first, copy, other]) == {copy.id: first.id}


def test_original_is_the_earliest_published_even_when_ingested_later():
    copy = article(BOILERPLATE_TOP + ORIGINAL, "2024-05-09", "Aggregator")
    second_copy = article(ORIGINAL + BOILERPLATE_BOTTOM, "2024-05-10", "Another aggregator")
    first = article(ORIGINAL, "2024-05-07", "Valley Post")
    index = reprints.ReprintIndex()
    assert index.link(copy.id, reprints.signature(copy.text), copy.published) == {copy.id: None}
    index.link(second_copy.id, reprints.signature(second_copy.text), second_copy.published)
    changes = index.link(first.id, reprints.signature(first.text), first.published)
    assert changes[first.id] is None
    assert changes[copy.id] == first.id and changes[second_copy.id] == first.id
    assert index.original_of == {copy.id: first.id, second_copy.id: first.id}


def test_undated_copies_follow_ingestion_order():
    a, b = article(ORIGINAL), article(ORIGINAL + BOILERPLATE_BOTTOM)
    assert reprints.find_reprints([a, b]) == {b.id: a.id}
    assert reprints.find_reprints([b, a]) == {a.id: b.id}


def test_short_texts_are_not_judged():
    assert reprints.signature("Too short to say anything.") is None
    short = article("Breaking: ministers meet.")
    assert reprints.find_reprints([short, article(short.text + " Updated.")]) == {}


def test_signature_survives_bytes_round_trip():
    minhash = reprints.signature(ORIGINAL)
    again = reprints.from_bytes(reprints.to_bytes(minhash))
    assert again.jaccard(minhash) == 1.0
    assert again.jaccard(reprints.signature(OTHER_REPORT)) == minhash.jaccard(
        reprints.signature(OTHER_REPORT))


def test_demo_corpus_reprints(settings):
    """The three reprints listed in examples/README.md point to their originals, and nothing else does."""
    from eventwire import extract, ingest
    corpus = Path(__file__).resolve().parent.parent / "examples" / "corpus"
    raws = [r for r in ingest.read_paths([str(corpus)], settings) if not hasattr(r, "reason")]
    articles = [extract.extract(r, settings) for r in raws]
    articles.sort(key=lambda a: (a.published or "9999", a.source_path or ""))
    found = reprints.find_reprints(articles)
    by_id = {a.id: Path(a.source_path).name for a in articles}
    pairs = {by_id[r]: by_id[o] for r, o in found.items()}
    assert pairs == {
        "2024-03-06_newspulse24_black-sea-grain-corridor.txt": "2024-03-04_bosphorus-daily_grain-deal.html",
        "2024-09-19_worldbriefnow_marevo-sanctions.txt": "2024-09-16_continental-review_eu-sanctions-shipping.txt",
        "2025-02-05_newspulse24_russia-greece-diplomat.txt": "2025-02-04_steppe-herald_athens-expulsion-response.txt",
    }
