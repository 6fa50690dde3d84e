"""Limits that hold before the cost is paid: the size of a page handed to the HTML parsers,
the least text that makes an article, and the time budget of one document.

Reading limits (bytes per document and line, decompression) are applied while reading, in
:mod:`eventwire.ingest`; text longer than ``settings.section_chars`` reaches spaCy in sections
(:func:`eventwire.nlp.parse`). Every limit is a field of :class:`~eventwire.settings.Settings`.
"""

from __future__ import annotations

import re
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar

from .errors import InputError, OverTimeBudget, TooLittleText
from .settings import Settings

_ELEMENT = re.compile(r"<[A-Za-z]")
# A start tag up to its end or the next tag: linear, even for a '<' that is never closed.
_TAG = re.compile(r"<[A-Za-z][^<>]*")
_WORD = re.compile(r"[^\W_]{1,}", re.UNICODE)


def check_page(html: str, settings: Settings) -> None:
    """Raise InputError for a page with more elements or attributes than the HTML parsers are
    given (their cost grows with both, and with attributes per element faster than linearly)."""
    elements = len(_ELEMENT.findall(html))
    if elements > settings.max_html_elements:
        raise InputError(f"page of {elements} HTML elements, more than the limit of "
                         f"{settings.max_html_elements} (settings.max_html_elements)")
    total = 0
    for tag in _TAG.finditer(html):
        attributes = tag.group().count("=")
        if attributes > settings.max_attributes_per_element:
            raise InputError(f"an HTML element with {attributes} attributes, more than the limit of "
                             f"{settings.max_attributes_per_element} "
                             "(settings.max_attributes_per_element)")
        total += attributes
    if total > settings.max_html_attributes:
        raise InputError(f"page of {total} HTML attributes, more than the limit of "
                         f"{settings.max_html_attributes} (settings.max_html_attributes)")


def check_text(text: str, settings: Settings) -> None:
    """Raise TooLittleText when the clean text has fewer than ``settings.min_words`` words
    (invisible characters and punctuation are not words)."""
    words = 0
    for _ in _WORD.finditer(text):
        words += 1
        if words >= settings.min_words:
            return
    raise TooLittleText(f"too little text to be an article: {words} word{'s' * (words != 1)} "
                        f"(at least {settings.min_words}, settings.min_words)")


class Budget:
    """The processing time one document may use, in CPU seconds of the thread that runs it.

    CPU time rather than wall time, so a busy machine does not fail long articles. Each stage
    runs inside :meth:`spend`, which refuses to start once the budget is used up and makes the
    budget the one :func:`checkpoint` checks; the stages call :func:`checkpoint` inside their
    loops (per sentence, per candidate) and the parser checks between sections of a long text,
    so a document stops within one step of its budget, not one stage. OverTimeBudget derives
    from BaseException: library code catching ``Exception`` between two checks cannot swallow it.
    """

    def __init__(self, seconds: float):
        self.seconds = seconds
        self.used = 0.0
        self._clock: int | None = None
        self._started = 0.0

    @property
    def left(self) -> float:
        return self.seconds - self.used - self._running()

    @contextmanager
    def spend(self) -> Iterator[None]:
        """Run one stage of the document, counting its CPU time."""
        self.check()
        self._clock = time.pthread_getcpuclockid(threading.get_ident())
        self._started = time.clock_gettime(self._clock)
        token = _RUNNING.set(self)
        try:
            yield
        finally:
            _RUNNING.reset(token)
            self.used += self._running()
            self._clock = None

    def check(self) -> None:
        """Raise OverTimeBudget when the budget is used up (the running stage included)."""
        if self.left <= 0:
            raise OverTimeBudget(self.message())

    def charge(self, seconds: float) -> None:
        """Count time spent for this document outside :meth:`spend` (its share of a batch)."""
        self.used += seconds

    def message(self) -> str:
        """What an error line says about a document over its budget."""
        return (f"processing took more than the time budget of {self.seconds:g} CPU seconds "
                "(settings.time_budget_seconds, EVENTWIRE_TIME_BUDGET)")

    def _running(self) -> float:
        return time.clock_gettime(self._clock) - self._started if self._clock is not None else 0.0


_RUNNING: ContextVar[Budget | None] = ContextVar("eventwire_running_budget", default=None)


def checkpoint() -> None:
    """Raise OverTimeBudget when the budget of the stage running in this thread is used up.

    Stages call it at cheap points inside their loops (a few microseconds each); outside
    :meth:`Budget.spend` (a stage called on its own, an evaluation) it does nothing.
    """
    budget = _RUNNING.get()
    if budget is not None:
        budget.check()
