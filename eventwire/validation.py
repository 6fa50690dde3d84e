"""Checks of query filters, shared by the command line and the REST API so that both answer
the same bad input with the same message (the API with 422, the CLI with exit status 2)."""

from __future__ import annotations

import datetime as dt

from .records import PLOVER_TYPES

PREFIX = "invalid request: "


class InvalidFilter(ValueError):
    """A filter value that cannot be used: ``field`` names it, ``problem`` says why."""

    def __init__(self, field: str, problem: str):
        self.field, self.problem = field, problem
        super().__init__(f"{field}: {problem}" if field else problem)

    @property
    def message(self) -> str:
        """The message both interfaces print."""
        return PREFIX + str(self)


def day_problem(value: str) -> str:
    return f"{value!r} is not a date in the form YYYY-MM-DD"


def day(field: str, value: str | dt.date | None) -> dt.date | None:
    """A YYYY-MM-DD value as a date; None for no value ("" too: an empty form field)."""
    if value in (None, ""):
        return None
    if isinstance(value, dt.date):
        return value
    try:
        return dt.date.fromisoformat(str(value))
    except ValueError:
        raise InvalidFilter(field, day_problem(str(value))) from None


def plover_type(value: str | None) -> str | None:
    """A PLOVER event type in any case, as its upper-case name."""
    if not value:
        return None
    if value.upper() not in PLOVER_TYPES:
        raise InvalidFilter("type", f"unknown PLOVER type {value!r}; expected one of "
                                    f"{', '.join(PLOVER_TYPES)}")
    return value.upper()


def date_range(since: dt.date | str | None, until: dt.date | str | None) -> None:
    """Refuse a range whose start is after its end."""
    if since and until and str(since) > str(until):
        raise InvalidFilter("", f"since ({since}) is after until ({until})")
