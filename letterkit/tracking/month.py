"""The dashboard's month calendar of due dates: which month, and its weeks as a grid.

The counts come from one grouped SQL query (``queries.due_by_day``); this module only lays
them out on a Monday-first grid of the month and marks the days that are overdue.
"""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass
from datetime import date, timedelta

_MONTH = re.compile(r"^(\d{4})-(\d{2})$")
# Months a coordinator may page to: wide enough for any letter, narrow enough that the links to
# the previous and next month stay valid dates.
FIRST_YEAR = 1990
LAST_YEAR = 2200


@dataclass(frozen=True)
class Day:
    """One cell of the calendar: a day of the month, or a blank before or after it."""

    day: date | None
    count: int = 0
    overdue: bool = False
    today: bool = False


@dataclass(frozen=True)
class Month:
    """A month's weeks, the open dispatches due in it, and the months before and after."""

    first: date
    last: date
    weeks: list[list[Day]]
    total: int
    overdue: int

    @property
    def key(self) -> str:
        return month_key(self.first)

    @property
    def previous(self) -> str | None:
        """The month before, if letterkit pages to it."""
        day = self.first - _ONE_DAY
        return month_key(day) if day.year >= FIRST_YEAR else None

    @property
    def next(self) -> str | None:
        """The month after, if letterkit pages to it."""
        day = self.last + _ONE_DAY
        return month_key(day) if day.year <= LAST_YEAR else None


_ONE_DAY = timedelta(days=1)


def month_key(day: date) -> str:
    """``YYYY-MM`` of a day's month (the ``month`` query parameter)."""
    return f"{day.year:04d}-{day.month:02d}"


def parse_month(value: str | None, today: date) -> date | None:
    """The first day of the month named ``YYYY-MM``; this month when none is given; ``None`` when
    the value is not a month letterkit pages to."""
    if not value:
        return today.replace(day=1)
    match = _MONTH.match(value.strip())
    if not match:
        return None
    year, month = int(match.group(1)), int(match.group(2))
    if not (FIRST_YEAR <= year <= LAST_YEAR and 1 <= month <= 12):
        return None
    return date(year, month, 1)


def last_day(first: date) -> date:
    """The last day of the month that starts on ``first``."""
    return first.replace(day=calendar.monthrange(first.year, first.month)[1])


def build(first: date, counts: dict[date, int], today: date) -> Month:
    """The month's weeks from Monday to Sunday, each day with its count of open dispatches due;
    a day before today with dispatches due is overdue."""
    weeks = [
        [
            Day(
                day=day,
                count=counts.get(day, 0),
                overdue=day < today and counts.get(day, 0) > 0,
                today=day == today,
            )
            if day.month == first.month
            else Day(day=None)
            for day in week
        ]
        for week in calendar.Calendar(calendar.MONDAY).monthdatescalendar(first.year, first.month)
    ]
    return Month(
        first=first,
        last=last_day(first),
        weeks=weeks,
        total=sum(counts.values()),
        overdue=sum(n for day, n in counts.items() if day < today),
    )
