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


def test_budget_interrupts_a_stage_and_counts_what_it_used():
    budget = limits.Budget(0.3)
    started = time.perf_counter()
    with pytest.raises(OverTimeBudget):
        with budget.spend():
            busy(5)
    assert time.perf_counter() - started < 2
    assert budget.left <= 0
    with pytest.raises(OverTimeBudget):  # nothing left: the next stage does not start
        with budget.spend():
            pass


def test_budget_lets_a_stage_within_it_finish_and_never_fires_afterwards():
    budget = limits.Budget(1.0)
    for _ in range(3):
        with budget.spend():
            busy(0.1)
    assert 0.25 < budget.used < 0.6
    busy(1.5)  # well past the budget, outside any stage: no interruption arrives


def test_budget_swallowed_by_a_bare_except_is_raised_again():
    budget = limits.Budget(0.2)
    with pytest.raises(OverTimeBudget):
        with budget.spend():
            try:
                busy(5)
            except BaseException:  # code that swallows everything
                pass
            busy(5)


def test_budget_works_in_a_worker_thread_as_the_web_server_runs_it():
    outcome = []

    def work():
        budget = limits.Budget(0.2)
        try:
            with budget.spend():
                busy(5)
            outcome.append("finished")
        except OverTimeBudget:
            outcome.append("interrupted")

    worker = threading.Thread(target=work)
    worker.start()
    worker.join(10)
    assert outcome == ["interrupted"]


def test_budget_counts_cpu_time_not_waiting():
    budget = limits.Budget(0.2)
    with budget.spend():
        time.sleep(0.5)  # a slow machine or a wait is not work
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
