"""The stories scorer (B-cubed) on tiny hand-made clusterings, and reading BASIL."""

from __future__ import annotations

import pytest

from eventwire.evaluation.stories import bcubed, read_basil

GOLD = {"a1": "A", "a2": "A", "a3": "A", "b1": "B", "b2": "B"}


def test_perfect_clustering_scores_one():
    predicted = {"a1": 1, "a2": 1, "a3": 1, "b1": 2, "b2": 2}
    assert bcubed(GOLD, predicted) == {"precision": 1.0, "recall": 1.0, "f1": 1.0}


def test_merging_two_stories_costs_precision_only():
    everything = {item: 0 for item in GOLD}
    # a*: 3/5 of their cluster is right; b*: 2/5
    expected_p = (3 * 3 / 5 + 2 * 2 / 5) / 5
    score = bcubed(GOLD, everything)
    assert score["recall"] == 1.0
    assert score["precision"] == pytest.approx(expected_p, abs=1e-4)
    assert score["precision"] < 1.0


def test_splitting_a_story_costs_recall_only():
    predicted = {"a1": 1, "a2": 1, "a3": 3, "b1": 2, "b2": 2}
    score = bcubed(GOLD, predicted)
    assert score["precision"] == 1.0
    assert score["recall"] == pytest.approx((2 / 3 * 2 + 1 / 3 + 1 + 1) / 5, abs=1e-4)
    assert score["f1"] == pytest.approx(2 * score["recall"] / (1 + score["recall"]), abs=1e-4)


def test_missing_prediction_is_a_singleton():
    predicted = {"a1": 1, "a2": 1, "b1": 2, "b2": 2}
    assert bcubed(GOLD, predicted) == bcubed(GOLD, {**predicted, "a3": "alone"})
    assert bcubed({}, {}) == {"precision": 0.0, "recall": 0.0, "f1": 0.0}


def test_read_basil_gives_three_articles_per_story_in_date_order(shared):
    items = read_basil(shared / "bench" / "stories" / "basil_dev")
    assert len(items) == 150
    stories = {}
    for raw, story in items:
        stories.setdefault(story, set()).add(raw.outlet)
    assert len(stories) == 50
    assert all(outlets == {"fox", "nyt", "hpo"} for outlets in stories.values())
    dates = [raw.published for raw, _ in items]
    assert dates == sorted(dates)
    assert all(raw.text and raw.title for raw, _ in items)
