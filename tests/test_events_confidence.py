"""The learned decision on event candidates: features, the confidence model's scoring and
calibration, threshold choice, the audit's figures, and the shipped model on real events."""

from __future__ import annotations

import json

import numpy as np
import pytest

from eventwire.evaluation.events_audit import Judged, _metrics, calibration
from eventwire.events import confidence, features, training
from eventwire.records import ActorMention, Event, Evidence, Modality


def _example(named: dict, right: bool, split: str = "train") -> training.Example:
    return training.Example(1, split, named, np.zeros(4, np.float32), right, right, {}, None)


def _toy_sets():
    """Examples where the feature "type=ASSAULT" marks the right ones, with some noise."""
    rng = np.random.default_rng(3)
    out = []
    for n in range(200):
        right = n % 3 == 0
        named = {"bias": 1.0, ("type=ASSAULT" if right or rng.random() < 0.1 else "type=CONSULT"): 1.0}
        out.append(_example(named, right, "train" if n < 140 else "tune"))
    return [e for e in out if e.split == "train"], [e for e in out if e.split == "tune"]


def test_compared_models_learn_and_keep_their_vocabulary():
    train, tune = _toy_sets()
    fits = training.candidates(train, tune)
    assert len(fits) == 2 and all(f.tune_ap > 0.8 for f in fits)
    model = fits[0].model
    assert set(model.vocabulary) == {"bias", "type=ASSAULT", "type=CONSULT"}
    strong, weak = model.raw([({"bias": 1.0, "type=ASSAULT": 1.0}, np.zeros(4)),
                              ({"bias": 1.0, "type=CONSULT": 1.0}, np.zeros(4))])
    assert strong > weak


def test_calibration_interpolates_and_the_model_survives_a_round_trip(tmp_path):
    train, tune = _toy_sets()
    model = training.candidates(train, tune)[0].model
    model.calibration_x, model.calibration_y = [0.1, 0.5, 0.9], [0.0, 0.4, 1.0]
    assert model.calibrate(0.3) == pytest.approx(0.2) and model.calibrate(0.95) == 1.0
    path = tmp_path / "model.pkl"
    model.save(path)
    loaded = confidence.load(path)
    row = [({"bias": 1.0, "type=ASSAULT": 1.0}, np.zeros(4))]
    assert loaded.scores(row) == model.scores(row)


def test_threshold_has_the_best_f1():
    scores = np.array([0.9, 0.8, 0.7, 0.6, 0.5, 0.4, 0.3])
    right = np.array([1, 1, 0, 0, 1, 1, 0], dtype=bool)
    # shown from 0.4: precision 4/6, recall 1, F1 0.8; from 0.8: 1 and 0.5, F1 0.67
    assert training.choose_threshold(scores, right) == pytest.approx(0.4)
    # a wrong event below the only right one stays hidden
    assert training.choose_threshold(np.array([0.9, 0.5]), np.array([1, 0], dtype=bool)) == pytest.approx(0.9)


def test_calibration_table_is_monotone():
    rng = np.random.default_rng(0)
    raw = rng.random(500)
    y = rng.random(500) < raw  # the raw score is the true probability
    xs, ys = training.calibration_table(raw, y)
    assert xs == sorted(xs) and ys == sorted(ys) and 0.0 <= ys[0] and ys[-1] <= 1.0


def _event(type_="ASSAULT", conf=0.9, factual=True, source="SYR", target="TUR"):
    return Event(id="e", type=type_, mode=None, contexts=[],
                 source=[ActorMention(text=source, name=None, country=source, sector=None)] if source else [],
                 target=[ActorMention(text=target, name=None, country=target, sector=None)] if target else [],
                 date=None, location=None, modality=Modality(historical=not factual),
                 evidence=Evidence("s", 0, 1), cameo="190", score=-10.0, confidence=conf)


def test_audit_counts_precision_recall_and_sides_of_shown_events():
    real = {"real": True, "type": "ASSAULT", "source": ["SYR-MIL"], "target": ["TUR"]}
    wrong_type = {"real": True, "type": "COERCE", "source": ["SYR"], "target": []}
    false = {"real": False}
    candidates = [
        Judged(1, _event(conf=0.9), real, (0, 10)),
        Judged(1, _event(conf=0.8), wrong_type, (20, 30)),
        Judged(1, _event(conf=0.2), false, (40, 50)),
        Judged(1, _event(conf=0.95, source="IRQ"), None, (60, 70)),  # shown but never labelled
    ]
    acts = [{"line": 1, "sentence": [5, 8], "type": "ASSAULT"}, {"line": 1, "sentence": [80, 90], "type": "AID"}]
    m = _metrics(candidates, acts, lambda j: j.event.confidence >= 0.5)
    assert m["shown"] == 3 and m["judged_share"] == pytest.approx(2 / 3, abs=1e-4)
    assert m["precision"] == pytest.approx(0.5)  # one of the two judged shown events is right
    assert m["recall"] == pytest.approx(2 / 4)  # the real candidate and the first act; not the COERCE one nor AID
    assert m["source_accuracy"] == pytest.approx(1.0) and m["target_accuracy"] == pytest.approx(1.0)


def test_audit_labels_of_shown_events_count_for_precision_not_for_recall():
    real = {"real": True, "type": "ASSAULT", "source": ["SYR"], "target": ["TUR"]}
    audit_real = dict(real, draw="shown")
    audit_false = {"real": False, "draw": "shown"}
    candidates = [
        Judged(1, _event(conf=0.9), real, (0, 10)),
        Judged(1, _event(conf=0.8), audit_real, (20, 30)),
        Judged(1, _event(conf=0.7), audit_false, (40, 50)),
        Judged(1, _event(conf=0.1), real, (60, 70)),  # a real act of the sample, not shown
    ]
    shown = lambda j: j.event.confidence >= 0.5  # noqa: E731
    model = _metrics(candidates, [], shown, audited=True)
    assert model["precision"] == pytest.approx(2 / 3, abs=1e-4) and model["judged_share"] == pytest.approx(1.0)
    assert model["recall"] == pytest.approx(1 / 2)  # the sample's two real acts, one shown
    rules = _metrics(candidates, [], shown)  # other rows: the random sample only
    assert rules["precision"] == pytest.approx(1.0) and rules["judged_share"] == pytest.approx(1 / 3, abs=1e-4)


def test_shown_wrong_events_are_counted_by_the_labels_reason():
    from eventwire.evaluation.events_audit import shown_wrong
    labels = [{"real": False, "reason": "background"}, {"real": False, "reason": "background"},
              {"real": True, "type": "COERCE"}, {"real": True, "type": "ASSAULT"},
              {"real": False, "reason": "generic"}]
    candidates = [Judged(1, _event(conf=0.9), label, None) for label in labels]
    candidates.append(Judged(1, _event(conf=0.1), {"real": False, "reason": "future"}, None))  # not shown
    candidates.append(Judged(1, _event(conf=0.9), None, None))  # shown, no label
    assert shown_wrong(candidates, 0.5) == [("background", 2), ("wrong type", 1), ("generic", 1)]


def test_calibration_error_is_zero_when_confidence_matches_the_share_right():
    right = {"real": True, "type": "ASSAULT"}
    wrong = {"real": False}
    candidates = [Judged(1, _event(conf=0.75), right if n < 3 else wrong, None) for n in range(4)]
    error, table = calibration(candidates)
    assert error == pytest.approx(0.0) and table[0]["events"] == 4


def test_features_name_the_rules_readings(parse, settings):
    from eventwire.events import code_article, contexts
    parsed = parse("Chilean troops shelled Peruvian positions on Friday.")
    coded = code_article(parsed, settings, scored=False)
    named, dense = features.candidate_features(coded[0], coded[0].trigger.sent, contexts(coded, parsed.doc)[0])
    assert named["type=ASSAULT"] == 1.0 and named["flag:factual"] == 1.0 and named["lemma=shell"] == 1.0
    assert any(name.startswith("origin=dictionary") for name in named)
    assert dense.shape == (600,) and np.isfinite(dense).all()


def test_features_read_the_clause_time_words_and_title(parse, settings):
    from dataclasses import replace

    from eventwire.events import code_article, contexts
    parsed = parse("Ghana will not expel the envoys it accused in 2009, officials said on Monday.",
                   published="2011-05-02")
    parsed = replace(parsed, article=replace(parsed.article, title="Accra expels envoys"))
    coded = code_article(parsed, settings, scored=False)
    expel = next(c for c in coded if c.trigger.lemma_ == "expel")
    context = contexts(coded, parsed.doc, parsed.article)[coded.index(expel)]
    assert context.published_year == 2011 and "envoys" in context.title_words
    named, _ = features.candidate_features(expel, expel.trigger.sent, context)
    assert named["aux=will"] == 1.0 and named["neg=not"] == 1.0 and named["tag=VB"] == 1.0
    assert named["title_names_trigger"] == 1.0
    assert named["year_named"] == 1.0 and named["earlier_year_named"] == 1.0
    assert "publication_year_named" not in named and "no_publication_date" not in named
    assert named["time_word=monday"] == 1.0


def test_features_without_an_article_mark_the_missing_date(parse, settings):
    from eventwire.events import code_article, contexts
    parsed = parse("Chilean troops shelled Peruvian positions on Friday.")
    coded = code_article(parsed, settings, scored=False)
    named, _ = features.candidate_features(coded[0], coded[0].trigger.sent, contexts(coded, parsed.doc)[0])
    assert named["no_publication_date"] == 1.0 and "title_names_trigger" not in named


def test_the_shipped_model_scores_every_event(events):
    if confidence.load() is None:
        pytest.skip("no shipped model")
    found = events("Chilean troops shelled Peruvian positions on Friday.")
    assert found and all(e.confidence is not None and 0.0 <= e.confidence <= 1.0 for e in found)


def test_labels_are_keyed_by_offsets_and_carry_a_split():
    text = training.LABELS.read_text(encoding="utf-8").splitlines()
    records = [json.loads(line) for line in text]
    assert len([r for r in records if r["kind"] == "candidate" and r["corpus"] == "allsides_sample_3000"]) >= 2000
    assert {r["split"] for r in records} == {"train", "tune", "test"}
    for r in records[:50]:
        assert "text" not in r and isinstance(r.get("sentence", [0, 0])[0], int)
