"""Scorers of the events evaluations on tiny hand-made gold files."""

from __future__ import annotations

import json

import pytest

from eventwire.errors import InputError
from eventwire.evaluation import events as plover_eval
from eventwire.evaluation import events_case as case_eval
from eventwire.records import ActorMention, Event, Evidence, Modality


def _event(type_: str, source: list[str], target: list[str]) -> Event:
    def mentions(codes):
        return [ActorMention(text=c, name=c, country=c, sector=None) for c in codes]
    return Event(id="x-1", type=type_, mode=None, contexts=[], source=mentions(source), target=mentions(target),
                 date=None, location=None, modality=Modality(), evidence=Evidence("s", 0, 1),
                 cameo="04", score=1.0, trigger="met")


def _gold_file(tmp_path, records) -> str:
    path = tmp_path / "gold.json"
    path.write_text(json.dumps(records), encoding="utf-8")
    return path


GOLD = [
    {"id": "T-DOCUMENT-0001", "event": "DOCUMENT", "license": "test"},
    {"id": "T-AGREE-0001", "event": "AGREE", "text": "Kenya and Uganda signed a trade agreement.",
     "source": [{"actorText": "Kenya", "code": "KEN"}, {"actorText": "Uganda", "code": "UGA"}]},
    {"id": "T-DEMAND-0001", "event": "DEMAND", "text": "Iran rejected the European proposal.",
     "source": [{"actorText": "Iran", "code": "IRN"}], "target": "stray string"},
    {"id": "T-FIGHT-0001", "event": "FIGHT", "text": "Rebels attacked a convoy in Mali.",
     "source": [{"actorText": "Rebels", "code": "IGO"}], "target": [{"actorText": "Mali", "code": "MLI"}]},
]


def test_load_gold_maps_old_names_and_skips_the_document(tmp_path):
    gold = plover_eval.load_gold(_gold_file(tmp_path, GOLD))
    assert [g.type for g in gold] == ["AGREE", "REQUEST", "ASSAULT"]
    assert gold[0].source_countries == ["KEN", "UGA"]
    assert gold[1].target_countries == []  # a stray string is no actor list
    assert gold[2].source_countries == []  # IGO is not a country


def test_load_gold_errors_name_the_file(tmp_path):
    path = tmp_path / "broken.json"
    path.write_text("{not json", encoding="utf-8")
    with pytest.raises(InputError, match="broken.json"):
        plover_eval.load_gold(path)
    with pytest.raises(InputError, match="unknown event type"):
        plover_eval.load_gold(_gold_file(tmp_path, [{"id": "x", "event": "BOMB", "text": "t"}]))


def test_score_counts_types_and_countries_exactly(tmp_path):
    gold = plover_eval.load_gold(_gold_file(tmp_path, GOLD))
    predicted = [_event("AGREE", ["UGA"], []), _event("REJECT", ["IRN"], []), None]
    metrics, per_class, confusions, errors = plover_eval.score(gold, predicted)
    assert metrics["type_accuracy"] == pytest.approx(1 / 3, abs=1e-4)
    assert metrics["source_country_accuracy"] == 1.0  # UGA is among the gold source countries
    assert metrics["source_country_set_match"] == 0.5  # {IRN} matches, {UGA} != {KEN, UGA}
    assert metrics["target_country_accuracy"] == 0.0  # the one gold target (MLI) was missed
    assert metrics["coverage"] == pytest.approx(2 / 3, abs=1e-4)
    assert per_class["AGREE"]["f1"] == 1.0 and per_class["REQUEST"]["recall"] == 0.0
    assert {"gold": "REQUEST", "predicted": "REJECT", "count": 1} in confusions
    kinds = {e["class"]: e["count"] for e in errors if "class" in e}
    assert kinds["no event found"] == 1 and kinds["wrong type"] == 1


def test_run_end_to_end_on_a_tiny_file(tmp_path, settings):
    report = plover_eval.run(_gold_file(tmp_path, GOLD), settings)
    assert report.items == 3
    assert report.metrics["type_accuracy"] == pytest.approx(2 / 3, abs=1e-4)  # DEMAND read as REJECT
    assert report.metrics["type_macro_f1"] < 1.0
    assert any("no peer" in n for n in report.notes)


CASE_ROWS = [
    ("1", "Thousands of students protested against the reform in Santiago.", "PEACE_PROTEST"),
    ("2", "Heavy rain flooded the valley overnight.", "NATURAL_DISASTER"),
    ("3", "Police arrested three opposition activists in Minsk.", "ARREST"),
    ("4", "Rebels attacked a convoy in Mali.", "MOB_VIOL"),
]


def _case_file(tmp_path, rows, header="id\tEventSnippet\tSubType") -> str:
    path = tmp_path / "case.tsv"
    path.write_text(header + "\n" + "".join(f"{a}\t{b}\t{c}\n" for a, b, c in rows), encoding="utf-8")
    return path


def test_case_mapping_covers_all_thirty_types():
    assert len(case_eval.CASE_TO_PLOVER) == 30
    assert case_eval.CASE_TO_PLOVER["NATURAL_DISASTER"] == ()


def test_case_score_with_and_without_unmapped_types(tmp_path):
    rows = case_eval.load_gold(_case_file(tmp_path, CASE_ROWS))
    metrics, per_class, confusions, errors = case_eval.score(rows, ["PROTEST", "ASSAULT", None, "PROTEST"])
    assert metrics["accuracy_all"] == 0.5  # protest right, disaster coded, arrest missed, mob ok
    assert metrics["accuracy_mapped"] == pytest.approx(2 / 3, abs=1e-4)
    assert metrics["no_event_accuracy"] == 0.0
    kinds = {e["class"]: e.get("count") for e in errors}
    assert kinds["no event found"] == 1 and kinds["event where CASE has no PLOVER equivalent"] == 1


def test_case_load_errors_name_file_and_line(tmp_path):
    with pytest.raises(InputError, match=r"case.tsv:1"):
        case_eval.load_gold(_case_file(tmp_path, CASE_ROWS, header="a\tb\tc"))
    with pytest.raises(InputError, match=r"case.tsv:2.*unknown CASE type"):
        case_eval.load_gold(_case_file(tmp_path, [("1", "text", "EARTHQUAKE")]))


def test_case_run_end_to_end(tmp_path, settings):
    report = case_eval.run(_case_file(tmp_path, CASE_ROWS), settings)
    assert report.items == 4
    assert 0.0 < report.metrics["accuracy_all"] <= 1.0
    assert any("83.9" in n for n in report.notes)


def test_split_is_fixed_by_key_and_seed():
    from eventwire.evaluation.splits import REPORT, TUNE, part_of, split
    keys = [f"record-{n}" for n in range(400)]
    parts = split(keys, key=lambda k: k)
    assert 150 < len(parts[TUNE]) < 250 and len(parts[TUNE]) + len(parts[REPORT]) == 400
    assert split(reversed(keys), key=lambda k: k)[TUNE] == list(reversed(parts[TUNE]))
    assert [part_of(k) for k in keys] != [part_of(k, seed="another seed") for k in keys]


def test_pentaclass_of_an_event_follows_its_cameo_root():
    from eventwire.evaluation.events_pentaclass import pentaclass
    from eventwire.records import Event, Evidence, Modality

    def event(cameo):
        return Event(id="e", type="AGREE", mode=None, contexts=[], source=[], target=[], date=None,
                     location=None, modality=Modality(), evidence=Evidence("s", 0, 1), cameo=cameo, score=None)
    assert [pentaclass(event(c)) for c in ("020", "036", "0331", "073", "112", "1383", "173", "190", "163")] == \
        ["0", "1", "1", "2", "3", "3", "4", "4", "3"]
    assert pentaclass(None) == "0"


def test_pentaclass_file_errors_name_the_line(tmp_path):
    import pytest

    from eventwire.errors import InputError
    from eventwire.evaluation.events_pentaclass import load
    path = tmp_path / "classes.tsv"
    path.write_text("The council met on Monday.\t1\nno class here\n", encoding="utf-8")
    with pytest.raises(InputError, match=r"classes.tsv:2"):
        load(path)
