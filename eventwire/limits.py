"""Limits that hold before the cost is paid: the size of a page handed to the HTML parsers,
the least text that makes an article, and the time budget of one document.

Reading limits (bytes per document and line, decompression) are applied while reading, in
:mod:`eventwire.ingest`; text longer than ``settings.section_chars`` reaches spaCy in sections
(:func:`eventwire.nlp.parse`). Every limit is a field of :class:`~eventwire.settings.Settings`.
"""

from __future__ import annotations

import ctypes
import re
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager

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

    CPU time rather than wall time, so a busy machine does not fail long articles. Each
    stage runs inside :meth:`spend`; a watchdog thread raises OverTimeBudget in the
    stage's thread once the budget is spent. That exception derives from BaseException,
    so library code catching ``Exception`` cannot swallow it. The interruption lands at the
    next Python instruction, so stages keep their compiled steps short (sections of text).
    """

    def __init__(self, seconds: float):
        self.seconds = seconds
        self.used = 0.0

    @property
    def left(self) -> float:
        return self.seconds - self.used

    @contextmanager
    def spend(self) -> Iterator[None]:
        """Run the block against what is left; OverTimeBudget when it is used up."""
        if self.left <= 0:
            raise OverTimeBudget()
        thread = threading.get_ident()
        clock = time.pthread_getcpuclockid(thread)
        start = time.clock_gettime(clock)
        guard = _WATCHDOG.watch(thread, clock, start, self.left)
        try:
            yield
        finally:
            _WATCHDOG.release(guard)
            self.used += time.clock_gettime(clock) - start

    def charge(self, seconds: float) -> None:
        """Count time spent for this document outside :meth:`spend` (its share of a batch)."""
        self.used += seconds

    def message(self) -> str:
        """What an error line says about a document over its budget."""
        return (f"processing took more than the time budget of {self.seconds:g} CPU seconds "
                "(settings.time_budget_seconds, EVENTWIRE_TIME_BUDGET)")


class _Guard:
    __slots__ = ("thread", "clock", "start", "seconds", "fired", "done")

    def __init__(self, thread: int, clock: int, start: float, seconds: float):
        self.thread, self.clock, self.start, self.seconds = thread, clock, start, seconds
        self.fired = False
        self.done = False


class _Watchdog:
    """One daemon thread that checks the running guards a few times a second."""

    INTERVAL = 0.05

    def __init__(self):
        self.lock = threading.Lock()
        self.guards: set[_Guard] = set()
        self.thread: threading.Thread | None = None

    def watch(self, thread: int, clock: int, start: float, seconds: float) -> _Guard:
        guard = _Guard(thread, clock, start, seconds)
        with self.lock:
            self.guards.add(guard)
            if self.thread is None:
                self.thread = threading.Thread(target=self._run, name="eventwire-budget",
                                               daemon=True)
                self.thread.start()
        return guard

    def release(self, guard: _Guard) -> None:
        with self.lock:
            guard.done = True
            self.guards.discard(guard)
            if guard.fired:  # an interruption still pending must not land after the stage
                _clear_async_exception(guard.thread)

    def _run(self) -> None:
        while True:
            time.sleep(self.INTERVAL)
            with self.lock:
                for guard in list(self.guards):
                    try:
                        used = time.clock_gettime(guard.clock) - guard.start
                    except OSError:  # the thread is gone
                        self.guards.discard(guard)
                        continue
                    if used > guard.seconds and not guard.done:
                        # again at every tick, in case a bare except swallowed the first one
                        guard.fired = True
                        _raise_in_thread(guard.thread, OverTimeBudget)


_WATCHDOG = _Watchdog()

_SET_ASYNC_EXC = ctypes.pythonapi.PyThreadState_SetAsyncExc
_SET_ASYNC_EXC.argtypes = (ctypes.c_ulong, ctypes.py_object)
_CLEAR_ASYNC_EXC = ctypes.PYFUNCTYPE(ctypes.c_int, ctypes.c_ulong, ctypes.c_void_p)(
    ("PyThreadState_SetAsyncExc", ctypes.pythonapi))


def _raise_in_thread(thread: int, exc_type: type[BaseException]) -> None:
    _SET_ASYNC_EXC(thread, exc_type)


def _clear_async_exception(thread: int) -> None:
    _CLEAR_ASYNC_EXC(thread, None)
