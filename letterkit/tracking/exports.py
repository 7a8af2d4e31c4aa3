"""Writers for exports: CSV rows safe to open in a spreadsheet, and an iCalendar feed (RFC 5545).

Pure Python, no Flask: the views hand in rows and get text back.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from letterkit.core.csvexport import csv_lines, safe_cell

__all__ = ["csv_lines", "safe_cell"]


# --- iCalendar ---------------------------------------------------------------------------------


def escape_text(text: str) -> str:
    """Escape a TEXT value (RFC 5545 section 3.3.11)."""
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    return text.replace("\\", "\\\\").replace(";", "\\;").replace(",", "\\,").replace("\n", "\\n")


def fold(line: str, limit: int = 75) -> str:
    """Fold a content line into lines of at most ``limit`` octets, never inside a character."""
    out: list[str] = []
    current: list[str] = []
    size = 0
    budget = limit
    for char in line:
        width = len(char.encode("utf-8"))
        if size + width > budget:
            out.append("".join(current))
            current, size = [], 0
            budget = limit - 1  # continuation lines start with a space
        current.append(char)
        size += width
    out.append("".join(current))
    return "\r\n ".join(out)


@dataclass(frozen=True)
class Event:
    """An all-day event: a reply due."""

    uid: str
    day: date
    summary: str
    description: str = ""
    stamp: datetime | None = None


def _utc(moment: datetime) -> str:
    return moment.strftime("%Y%m%dT%H%M%SZ")


def calendar_lines(
    name: str, events: Iterable[Event], *, now: datetime, prodid: str = "-//letterkit//tracking//EN"
) -> Iterator[str]:
    """Yield an iCalendar document (CRLF line ends, folded lines), one chunk per event."""
    head = [
        "BEGIN:VCALENDAR",
        "VERSION:2.0",
        f"PRODID:{escape_text(prodid)}",
        "CALSCALE:GREGORIAN",
        "METHOD:PUBLISH",
        f"X-WR-CALNAME:{escape_text(name)}",
    ]
    yield "".join(fold(line) + "\r\n" for line in head)
    for event in events:
        lines = [
            "BEGIN:VEVENT",
            f"UID:{escape_text(event.uid)}",
            f"DTSTAMP:{_utc(event.stamp or now)}",
            f"DTSTART;VALUE=DATE:{event.day.strftime('%Y%m%d')}",
            f"DTEND;VALUE=DATE:{(event.day + timedelta(days=1)).strftime('%Y%m%d')}",
            f"SUMMARY:{escape_text(event.summary)}",
        ]
        if event.description:
            lines.append(f"DESCRIPTION:{escape_text(event.description)}")
        lines += ["TRANSP:TRANSPARENT", "END:VEVENT"]
        yield "".join(fold(line) + "\r\n" for line in lines)
    yield "END:VCALENDAR\r\n"
