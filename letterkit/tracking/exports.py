"""Writers for exports: CSV rows safe to open in a spreadsheet, and an iCalendar feed (RFC 5545).

Pure Python, no Flask: the views hand in rows and get text back. The feed is serialised by the
``icalendar`` library (escaping, line folding, CRLF line ends) one event at a time, so a feed of
any length holds only one event in memory.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta

import icalendar

from letterkit.core.csvexport import csv_lines, safe_cell

__all__ = ["Event", "calendar_lines", "csv_lines", "safe_cell"]


# --- iCalendar ---------------------------------------------------------------------------------

_END = b"END:VCALENDAR\r\n"


@dataclass(frozen=True)
class Event:
    """An all-day event: a reply due."""

    uid: str
    day: date
    summary: str
    description: str = ""
    stamp: datetime | None = None


def _utc(moment: datetime) -> datetime:
    """``moment`` in UTC; a naive time is taken to be UTC already (as stored)."""
    if moment.tzinfo is None:
        return moment.replace(tzinfo=UTC)
    return moment.astimezone(UTC)


def _vevent(event: Event, now: datetime) -> icalendar.Event:
    """The VEVENT of one due date, an all-day event that does not block time."""
    vevent = icalendar.Event()
    vevent.add("uid", event.uid)
    vevent.add("dtstamp", _utc(event.stamp or now))
    vevent.add("dtstart", event.day)
    vevent.add("dtend", event.day + timedelta(days=1))
    vevent.add("summary", event.summary)
    if event.description:
        vevent.add("description", event.description)
    vevent.add("transp", "TRANSPARENT")
    return vevent


def calendar_lines(
    name: str, events: Iterable[Event], *, now: datetime, prodid: str = "-//letterkit//tracking//EN"
) -> Iterator[str]:
    """Yield an iCalendar document in chunks: its head, one chunk per event, its end."""
    calendar = icalendar.Calendar()
    calendar.add("version", "2.0")
    calendar.add("prodid", prodid)
    calendar.add("calscale", "GREGORIAN")
    calendar.add("method", "PUBLISH")
    # An extension property: without the explicit type icalendar would not escape it as TEXT.
    calendar.add("x-wr-calname", icalendar.vText(name))
    document = calendar.to_ical(sorted=False)
    assert document.endswith(_END), document  # icalendar ends a component with its END line
    yield document[: -len(_END)].decode()
    for event in events:
        yield _vevent(event, now).to_ical(sorted=False).decode()
    yield _END.decode()
