"""Limits: page caps and the least text counted without parsing, and the time budget that
interrupts a stage in whichever thread runs it, then leaves that thread alone."""

from __future__ import annotations

import dataclasses
import threading
import time

import pytest

from eventwire import limits
from eventwire.errors import InputError, OverTimeBudget, TooLittleText


def busy(seconds: float) -> int:
    """Pure Python work for about ``seconds`` of CPU."""
    end, n = time.thread_time() + seconds, 0
    while time.thread_time() < end:
        n += 1
    return n


def test_budget_stops_a_stage_at_its_next_check_and_counts_what_it_used():
    budget = limits.Budget(0.3)
    steps = 0
    with pytest.raises(OverTimeBudget, match="time budget of 0.3 CPU seconds"):
        with budget.spend():
            for steps in range(1, 100):
                busy(0.05)
                budget.check()
    assert 6 <= steps <= 8  # stopped at the first check past 0.3 s
    assert budget.left <= 0
    with pytest.raises(OverTimeBudget):  # nothing left: the next stage does not start
        with budget.spend():
            pass


def test_budget_counts_stages_together():
    budget = limits.Budget(1.0)
    for _ in range(3):
        with budget.spend():
            busy(0.1)
    assert 0.25 < budget.used < 0.6
    budget.charge(0.5)  # a share of a batch parsed together
    with pytest.raises(OverTimeBudget):
        with budget.spend():
            busy(0.3)
            budget.check()


def test_budget_is_not_swallowed_by_except_exception():
    budget = limits.Budget(0.05)
    with pytest.raises(OverTimeBudget):
        with budget.spend():
            try:
                busy(0.1)
                budget.check()
            except Exception:  # library code that catches what it expects to handle
                pass


def test_checkpoint_checks_the_budget_of_the_running_stage_and_nothing_outside_one():
    limits.checkpoint()  # a stage called on its own, without a budget: no limit
    budget = limits.Budget(1e-6)  # a tiny budget: the stage starts, then stops at its first check
    with pytest.raises(OverTimeBudget):
        with budget.spend():
            busy(0.01)
            limits.checkpoint()
    limits.checkpoint()  # that stage is over: its budget no longer applies here
    roomy = limits.Budget(60)
    with roomy.spend():
        limits.checkpoint()
        inner = limits.Budget(1e-6)
        with pytest.raises(OverTimeBudget):  # a stage inside a stage: the inner budget counts
            with inner.spend():
                busy(0.01)
                limits.checkpoint()
        limits.checkpoint()  # the outer budget is back, with time left


def test_budget_works_in_a_worker_thread_as_the_web_server_runs_it():
    outcome = []

    def work():
        budget = limits.Budget(0.2)
        try:
            with budget.spend():
                for _ in range(100):
                    busy(0.05)
                    budget.check()
            outcome.append("finished")
        except OverTimeBudget:
            outcome.append("interrupted")

    busy_main = threading.Thread(target=busy, args=(1.0,))  # another thread's CPU is not counted
    busy_main.start()
    worker = threading.Thread(target=work)
    worker.start()
    worker.join(10)
    busy_main.join(10)
    assert outcome == ["interrupted"]


def test_budget_counts_cpu_time_not_waiting():
    budget = limits.Budget(0.2)
    with budget.spend():
        time.sleep(0.5)  # a slow machine or a wait is not work
        budget.check()
    assert budget.used < 0.1


def test_page_caps(settings):
    small = dataclasses.replace(settings, max_html_elements=100, max_html_attributes=50,
                                max_attributes_per_element=10)
    limits.check_page("<html><body>" + "<p class='a'>x</p>" * 40 + "</body></html>", small)
    with pytest.raises(InputError, match="HTML elements"):
        limits.check_page("<p>x</p>" * 101, small)
    with pytest.raises(InputError, match="11 attributes"):
        limits.check_page("<div " + " ".join(f"a{i}=1" for i in range(11)) + ">", small)
    with pytest.raises(InputError, match="60 HTML attributes"):
        limits.check_page("<p a=1 b=2>x</p>" * 30, small)


def test_page_caps_are_linear_on_unclosed_tags(settings):
    started = time.perf_counter()
    limits.check_page("<a" * 2_000_000, dataclasses.replace(settings, max_html_elements=10**7))
    assert time.perf_counter() - started < 5


def test_too_little_text(settings):
    limits.check_text("Turkey condemned Russia.", settings)
    for text in ("", "Hello", "\u200b\u200b\u2060", "... --- ...", "Hello there"):
        with pytest.raises(TooLittleText, match="too little text"):
            limits.check_text(text, settings)
