"""Framing across outlets: contested terms, distinctive words, quoted speakers, tone, missing events."""

from __future__ import annotations

from collections import Counter

import pytest

from eventwire import framing, pipeline
from eventwire.errors import KnowledgeFileError
from eventwire.records import RawDocument

# Two outlets tell the same stories. The Harbour Courier says "annexation", "Kyiv",
# "separatists", quotes Ukrainian officials and reports the sanctions; the Steppe Herald says
# "reunification", "Kiev", "militias", quotes Russian officials and leaves the sanctions out.
COURIER = [
    ("Ministers meet in Kyiv over Crimea annexation anniversary",
     "Ukrainian Foreign Minister Olena Marchuk met Polish Foreign Minister Adam Nowicki in Kyiv "
     "on Monday. The talks focused on the annexation of Crimea and on the separatists who still "
     "hold parts of the east.\n\n"
     "\u201cThe occupation of our land will never be accepted,\u201d Marchuk said after the talks.\n\n"
     "The European Union imposed sanctions on Russia on Tuesday over the shelling of Kharkiv. "
     "Separatists shelled villages near the front, killing two civilians, officials said."),
    ("Kyiv rejects talks with separatists",
     "Ukraine rejected any talks with the separatists on Wednesday. Russian forces brutally "
     "shelled the city of Kharkiv again, destroying homes and a hospital.\n\n"
     "\u201cWe will defend every village,\u201d Ukrainian President Andriy Koval said in Kyiv."),
]
HERALD = [
    ("Kiev holds talks as Crimea marks reunification",
     "Ukrainian Foreign Minister Olena Marchuk met Polish Foreign Minister Adam Nowicki in Kiev "
     "on Monday. Crimea marked the anniversary of its reunification with Russia, and local "
     "militias reported calm along the line of contact.\n\n"
     "\u201cThe reunification of Crimea is final and the people have chosen,\u201d Kremlin "
     "spokesman Pavel Orlov said on Monday."),
    ("Moscow says militias hold positions",
     "Militias in Donetsk said they held their positions on Wednesday. Russian Foreign Minister "
     "Igor Belov praised the calm and thanked the militias for their restraint.\n\n"
     "\u201cWe are ready for a peaceful settlement,\u201d Belov said."),
]


@pytest.fixture(scope="module")
def corpus(settings):
    raws = []
    for outlet, items in (("Harbour Courier", COURIER), ("Steppe Herald", HERALD)):
        for n, (title, text) in enumerate(items):
            raws.append(RawDocument(origin=f"{outlet}-{n}", text=f"{title}\n\n{text}", title=title,
                                    outlet=outlet, published="2024-03-18"))
    articles = list(pipeline.process_documents(raws, settings))
    assert [a.outlet for a in articles] == ["Harbour Courier"] * 2 + ["Steppe Herald"] * 2
    return articles


@pytest.fixture(scope="module")
def report(corpus):
    return framing.compare_outlets(corpus, scope="test corpus")


def test_contested_terms_per_outlet(report):
    courier, herald = report.outlet("Harbour Courier"), report.outlet("Steppe Herald")
    assert "annexation" in courier.terms["crimea_status"]
    assert "reunification" not in courier.terms["crimea_status"]
    assert set(herald.terms["crimea_status"]) == {"reunification"}
    assert set(courier.terms["ukraine_capital"]) == {"Kyiv"}
    assert set(herald.terms["ukraine_capital"]) == {"Kiev"}
    assert "separatists" in courier.terms["donbas_fighters"]
    assert set(herald.terms["donbas_fighters"]) == {"militias"}


def test_distinctive_words_have_positive_z(report):
    courier_words = {d["word"] for d in report.outlet("Harbour Courier").distinctive}
    herald_words = {d["word"] for d in report.outlet("Steppe Herald").distinctive}
    assert "separatists" in courier_words
    assert "militias" in herald_words
    assert not courier_words & herald_words
    assert all(d["z"] > 0 for d in report.outlet("Steppe Herald").distinctive)
    zs = [d["z"] for d in report.outlet("Steppe Herald").distinctive]
    assert zs == sorted(zs, reverse=True)


def test_who_each_outlet_quotes(report):
    courier_countries = Counter({g["country"]: g["count"]
                                 for g in report.outlet("Harbour Courier").speaker_groups})
    herald_countries = Counter({g["country"]: g["count"]
                                for g in report.outlet("Steppe Herald").speaker_groups})
    assert courier_countries["UKR"] >= 2 and courier_countries["RUS"] == 0
    assert herald_countries["RUS"] >= 2 and herald_countries["UKR"] == 0


def test_tone_is_aggregated_per_actor(report):
    tone = {t["actor"]: t for t in report.outlet("Harbour Courier").tone}
    assert tone, "no actor tone computed"
    assert all(-1.0 <= t["tone"] <= 1.0 and t["sentences"] >= 1 for t in tone.values())


def test_events_missing_from_an_outlet(report):
    missing = report.outlet("Steppe Herald").missing_events
    assert any(e["type"] == "SANCTION" and e["reported_by"] == ["Harbour Courier"] for e in missing)
    assert not any(e["type"] == "SANCTION" for e in report.outlet("Harbour Courier").missing_events)


def test_report_renders_and_serialises(report):
    text = report.render()
    assert "Harbour Courier" in text and "Steppe Herald" in text and "contested terms" in text
    data = report.to_dict()
    assert [o["outlet"] for o in data["outlets"]] == ["Harbour Courier", "Steppe Herald"]


def test_log_odds_prior_shrinks_rare_words():
    focus = Counter({"alpha": 30, "common": 50, "rare": 1})
    rest = Counter({"beta": 30, "common": 50})
    scores = framing.log_odds_dirichlet(focus, rest, focus + rest, prior_weight=20)
    assert scores["alpha"][1] > 1.96 > scores["rare"][1]
    assert scores["beta"][1] < -1.96
    assert abs(scores["common"][1]) < 1.0


def test_user_terms_file_extends_and_bad_file_is_named(tmp_path):
    good = tmp_path / "terms.tsv"
    good.write_text("# my terms\ngrain\tcorridor\tgrain corridor|sea corridor\n", encoding="utf-8")
    variants = framing.load_terms([good])
    assert framing.count_terms("The grain corridor reopened.", variants) == {"grain": {"corridor": 1}}
    bad = tmp_path / "bad.tsv"
    bad.write_text("grain\tcorridor\n", encoding="utf-8")
    with pytest.raises(KnowledgeFileError, match=r"bad\.tsv:1"):
        framing.load_terms([bad])


def test_exact_case_phrases_and_word_boundaries():
    variants = framing.load_terms()
    assert framing.count_terms("kiev-style cake", variants) == {}
    assert framing.count_terms("In Kiev and in Kyiv", variants)["ukraine_capital"] == {"Kiev": 1, "Kyiv": 1}


def test_events_without_a_known_party_are_not_compared():
    from eventwire.records import ActorMention, Article, Event, Evidence, Modality

    def event(eid, sources):
        return Event(id=eid, type="ASSAULT", mode=None, contexts=[],
                     source=[ActorMention(text=c, name=c, country=c, sector=None) for c in sources],
                     target=[], date=None, location=None, modality=Modality(),
                     evidence=Evidence("Shots were fired.", 0, 17), cameo="19", score=-10.0)

    a = Article(id="a", text="Shots were fired.", outlet="A",
                events=[event("a-1", []), event("a-2", ["SYR"])])
    b = Article(id="b", text="Nothing happened.", outlet="B")
    missing = framing.compare_outlets([a, b]).outlet("B").missing_events
    assert [(e["type"], e["source"]) for e in missing] == [("ASSAULT", ["SYR"])]
