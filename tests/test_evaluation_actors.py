"""Actor evaluation on tiny hand-made PLOVER-style gold files."""

from __future__ import annotations

import json

import pytest

from eventwire import evaluation
from eventwire.evaluation.actors import NONCOUNTRY, gold_items, split_part


def _gold(tmp_path, records) -> str:
    path = tmp_path / "gold.json"
    header = {"id": "DOC-0001", "text": "licence"}  # no event: not an item
    path.write_text(json.dumps([header, *records]), encoding="utf-8")
    return path


def _record(n, source, target):
    return {"id": f"T-{n}", "event": "AGREE", "text": "...", "source": source, "target": target}


def test_all_correct_scores_one(tmp_path, settings):
    path = _gold(tmp_path, [
        _record(1, [{"actorText": "Turkish Foreign Minister", "code": "TUR", "sector": "GOV"}],
                [{"actorText": "the Kremlin", "code": "RUS", "sector": "GOV"}]),
        _record(2, [{"actorText": "NATO", "code": "IGO"}],
                [{"actorText": "Japanese troops", "code": "JAP", "sector": "MIL"}]),
    ])
    report = evaluation.run("actors", path, settings)
    assert report.items == 4
    assert report.metrics["accuracy"] == 1.0
    assert report.metrics["country_acc"] == 1.0 and report.metrics["org_acc"] == 1.0
    assert report.metrics["sector_acc"] == 1.0
    assert report.errors == []


def test_errors_lower_the_score_and_are_listed(tmp_path, settings):
    path = _gold(tmp_path, [
        _record(1, [{"actorText": "Hungarian officials", "code": "HUN", "sector": "GOV"}],
                [{"actorText": "Kurdish villagers", "code": "IRQ", "sector": "CVL"}]),
        _record(2, [{"actorText": "the Pentagon", "code": "USA"}],
                [{"actorText": "Moscow", "code": "UKR"}]),
        _record(3, [{"actorText": "Amnesty International", "code": "NGO"}], ""),
    ])
    report = evaluation.run("actors", path, settings)
    assert report.items == 5
    assert report.metrics["country_acc"] == 0.5  # 2 of the 4 country items
    assert report.metrics["org_acc"] == 1.0
    assert report.metrics["accuracy"] == 0.6
    # only the tuning part's errors are listed: the held-out part is never read
    expected = {("Kurdish villagers", "IRQ", "(none)", "T-1"), ("Moscow", "UKR", "RUS", "T-2")}
    wrong = {(e["text"], e["gold"], e["predicted"], e["id"]) for e in report.errors}
    assert wrong == {x for x in expected if split_part(x[3]) == "tune"}
    assert all(split_part(e["id"]) == "tune" for e in report.errors)
    if split_part("T-2") == "tune":
        assert {"gold": "UKR", "predicted": "RUS", "count": 1} in report.confusions
    assert {"country@tune", "country@held", "sector@tune", "sector@held"} <= set(report.metrics)
    assert any("skipped" in n and "1 source/target" in n for n in report.notes)
    assert "pycountry-names" in report.peers
    assert "country_acc" in report.render()


def test_in_context_reading_uses_the_sentence_and_its_markup(tmp_path, settings):
    text = "Palestinian Islamic Jihad rejected talks, and Palestinian factions met Hezbollah."
    markup = ("(SRC: Palestinian Islamic Jihad) (EVT: rejected) talks, and "
              "(TAR: Palestinian) factions met Hezbollah.")
    path = _gold(tmp_path, [{
        "id": "T-1", "event": "REJECT", "text": text, "textInfo": {"markup": markup},
        "source": [{"actorText": "Palestinian Islamic Jihad", "code": "PSE", "sector": "REB"}],
        "target": [{"actorText": "Palestinian", "code": "PSE"}]}])
    report = evaluation.run("actors", path, settings)
    assert report.metrics["context_acc"] == 1.0
    assert report.metrics["accuracy"] == 1.0


def test_gold_items_reads_codes_and_skips_free_text(tmp_path):
    path = _gold(tmp_path, [_record(1, [{"actorText": " Greece ", "code": "GRC"}], "diplomatic")])
    items, skipped = gold_items(path)
    assert [(i["text"], i["code"]) for i in items] == [("Greece", "GRC")]
    assert skipped == 1
    assert NONCOUNTRY == "(org)"


def test_missing_gold_file_is_a_clear_error(tmp_path, settings):
    with pytest.raises(FileNotFoundError):
        evaluation.run("actors", tmp_path / "nope.json", settings)


def test_split_is_fixed_and_divides_the_records():
    ids = [f"PLOVER-X-{n:04d}" for n in range(200)]
    parts = [split_part(i) for i in ids]
    assert parts == [split_part(i) for i in ids]  # the same every run
    assert 60 < parts.count("tune") < 140 and set(parts) == {"tune", "held"}


def test_actor_case_file_scores_country_and_sector_by_date(tmp_path, settings):
    cases = tmp_path / "cases.tsv"
    cases.write_text(
        "# text\tdate\tcountry\tsector\n"
        "Kassym-Jomart Tokayev\t2022-01-05\tKAZ\tGOV\n"
        "Tokayev\t2012-06-01\t-\tIGO\n"  # at the UN office at Geneva then
        "NATO\t-\t-\tIGO\n"
        "Israeli soldiers\t-\tISR\tMIL\n"
        "Estonian Defence Minister Jaan Tamm\t-\tEST\tGOV\n"
        "Sudanese rebels\t-\tSDN\tGOV\n", encoding="utf-8")  # the last sector is wrong on purpose
    report = evaluation.run("actors", cases, settings)
    assert report.items == 6
    assert report.metrics["country_acc"] == 1.0
    assert report.metrics["sector_acc"] == round(5 / 6, 4)
    listed = {e["text"] for e in report.errors}
    assert listed == ({"Sudanese rebels"} if split_part("Sudanese rebels|") == "tune" else set())


def test_a_held_out_case_file_gives_figures_and_no_errors(tmp_path, settings):
    cases = tmp_path / "cases.tsv"
    rows = "".join(f"Sudanese rebels {k}\t-\tSDN\tGOV\n" for k in range(8))  # all wrong sectors
    cases.write_text("# held out: for evaluation only\n# text\tdate\tcountry\tsector\n" + rows,
                     encoding="utf-8")
    report = evaluation.run("actors", cases, settings)
    assert report.metrics["sector_acc"] == 0.0 and report.errors == []
    assert not any(n.startswith("error:") for n in report.notes)
    cases.write_text("# text\tdate\tcountry\tsector\n" + rows, encoding="utf-8")
    assert evaluation.run("actors", cases, settings).errors  # unmarked: the tuning part's listed


def test_bench_case_file_is_well_formed():
    from pathlib import Path

    from eventwire.evaluation.actors import held_out_file, read_cases
    bench = Path(__file__).resolve().parent.parent / "bench"
    cases = read_cases(bench / "actor_cases.tsv")
    assert len(cases) > 300
    assert all(c["date"] is None or len(c["date"]) == 10 for c in cases)
    held = read_cases(bench / "actor_cases_3.tsv")
    assert len(held) > 400 and held_out_file(bench / "actor_cases_3.tsv")
    assert not {c["text"] for c in held} & {c["text"] for c in cases}
