"""How an explanation is worded: translations, plural forms, dates and holiday names.

A :class:`Speech` carries what the caller's interface language gives: ``gettext`` and
``ngettext`` from its catalogue (plain lookups: templates come back with their placeholders and
are formatted here) and its Babel locale. With a locale, days are written the locale's way
(«4 февраля 2026 г. (среда)», "February 4, 2026 (Wednesday)") and holiday names are looked up
again in that language (see :func:`letterkit.deadlines.calendars.holiday_language`: the
``holidays`` package's own translation, else English, never the country's own language). Without
a locale (the default) days stay ISO (``2026-02-04 (Wednesday)``) and holiday names stay as
computed, which suits logs, JSON and tests of the computation itself.

Pure: Babel is a formatting library, not Flask; the web layer passes the locale in.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date

from babel.dates import format_date

from letterkit.deadlines.calendars import WorkCalendar, calendar_for
from letterkit.markers import N_

Gettext = Callable[[str], str]
Ngettext = Callable[[str, str, int], str]


def identity(message: str) -> str:
    """Return ``message`` untranslated (the default ``gettext``)."""
    return message


def english_ngettext(singular: str, plural: str, n: int) -> str:
    """Pick the English form for ``n`` (the default ``ngettext``)."""
    return singular if n == 1 else plural


@dataclass(frozen=True)
class Speech:
    """The interface language an explanation is written in."""

    gettext: Gettext = identity
    ngettext: Ngettext = english_ngettext
    locale: str | None = None  # a Babel locale ("ru", "uk", "en"); None: ISO dates


def as_speech(speech: Speech | Gettext) -> Speech:
    """Accept a bare ``gettext`` where a :class:`Speech` is wanted (no locale, English plurals)."""
    return speech if isinstance(speech, Speech) else Speech(gettext=speech)


WEEKDAYS = (
    N_("Monday"),
    N_("Tuesday"),
    N_("Wednesday"),
    N_("Thursday"),
    N_("Friday"),
    N_("Saturday"),
    N_("Sunday"),
)
DAY = N_("{date} ({weekday})")


def format_day(value: str | date, speech: Speech | Gettext = identity) -> str:
    """Write a day with its weekday: in the locale's long format, or ISO without a locale."""
    speech = as_speech(speech)
    day = value if isinstance(value, date) else date.fromisoformat(value)
    template = speech.gettext(DAY)
    if speech.locale is None:
        weekday = speech.gettext(WEEKDAYS[day.weekday()])
        return template.format(date=day.isoformat(), weekday=weekday)
    return template.format(
        date=format_date(day, "long", locale=speech.locale),
        weekday=format_date(day, "EEEE", locale=speech.locale),
    )


def term_text(amount: int, unit: str, speech: Speech | Gettext = identity) -> str:
    """Write a term with the plural form its number needs: «30 календарных дней», "1 month"."""
    ngettext = as_speech(speech).ngettext
    if unit == "months":
        text = ngettext("{num} month", "{num} months", amount)
    elif unit == "working_days":
        text = ngettext("{num} working day", "{num} working days", amount)
    else:
        text = ngettext("{num} calendar day", "{num} calendar days", amount)
    return text.format(num=amount)


def holiday_calendar(code: str | None, subdiv: str | None, speech: Speech) -> WorkCalendar | None:
    """The calendar that names holidays in ``speech``'s language (None: keep the stored names)."""
    if speech.locale is None or not code:
        return None
    try:
        return calendar_for(code, subdiv, speech.locale)
    except (NotImplementedError, KeyError, ValueError):
        return None


def holiday_name(stored: str, day: str | date | None, calendar: WorkCalendar | None) -> str:
    """The name of the holiday on ``day`` in the calendar's language, else ``stored``."""
    if calendar is None or day is None:
        return stored
    when = day if isinstance(day, date) else date.fromisoformat(day)
    return calendar.info(when).holiday or stored
