"""Working-day calendars built on the ``holidays`` package, cached per country and subdivision.

Only the default ``public`` category is used: ``categories=("public", "workday")`` would turn
commemorative *working* days (e.g. Belarus, 23 February) into days off. Transferred working
Saturdays and Sundays come from ``weekend_workdays`` and count as working days.
"""

from __future__ import annotations

import calendar as _stdcal
import threading
from dataclasses import dataclass
from datetime import date, timedelta
from functools import cache, lru_cache

import holidays

from letterkit.deadlines.errors import InvalidSubdivisionError

WEEKEND = frozenset({5, 6})  # every country the rules cover has a Saturday-Sunday weekend
DEFAULT_LANGUAGE = "en_US"


@dataclass(frozen=True)
class DayInfo:
    """What a calendar says about one day."""

    day: date
    working: bool
    weekend: bool
    holiday: str | None  # the holiday's name(s) from the `holidays` package, if any

    @property
    def transferred_workday(self) -> bool:
        """A weekend day made a working day by a transfer (e.g. a working Saturday)."""
        return self.weekend and self.working


class WorkCalendar:
    """Tells working days from days off for one country and subdivision.

    The underlying ``holidays`` object grows year by year; years are populated under a lock,
    together with their neighbours, because a transfer can name a day in the adjacent year
    (Azerbaijan 2025-01-03 is "substituted from 12/29/2024").
    """

    def __init__(self, code: str | None, subdiv: str | None, language: str | None) -> None:
        self.code = code
        self.subdiv = subdiv
        self.language = language
        self._lock = threading.Lock()
        self._years: set[int] = set()
        self._holidays: holidays.HolidayBase | None = (
            holidays.country_holidays(code, subdiv=subdiv, language=language, years=())
            if code
            else None
        )

    @property
    def label(self) -> str:
        """``RU``, ``GB-ENG``; empty when only weekends are known."""
        if not self.code:
            return ""
        return f"{self.code}-{self.subdiv}" if self.subdiv else self.code

    def _ensure(self, year: int) -> holidays.HolidayBase | None:
        h = self._holidays
        if h is not None and year not in self._years:
            with self._lock:
                for y in (year - 1, year, year + 1):
                    if y not in self._years:
                        h.get(date(y, 1, 1))  # populates year y (expand=True)
                        self._years.add(y)
        return h

    def info(self, day: date) -> DayInfo:
        """Describe ``day``: working or not, weekend, holiday name."""
        weekend = day.weekday() in WEEKEND
        h = self._ensure(day.year)
        if h is None:
            return DayInfo(day, not weekend, weekend, None)
        name = h.get(day)
        working = day in h.weekend_workdays if weekend else name is None
        return DayInfo(day, working, weekend, name)

    def is_working_day(self, day: date) -> bool:
        return self.info(day).working

    def next_working_day(self, day: date) -> date:
        """Return the first working day after ``day``."""
        d = day + timedelta(days=1)
        while not self.is_working_day(d):
            d += timedelta(days=1)
        return d

    def add_working_days(self, day: date, n: int) -> tuple[date, tuple[DayInfo, ...]]:
        """Return the n-th working day after ``day`` (``day`` itself not counted).

        Also returns the days passed that matter to an explanation: days off skipped, and
        weekend days counted because a transfer made them working days.
        """
        d = day
        noted: list[DayInfo] = []
        counted = 0
        while counted < n:
            d += timedelta(days=1)
            info = self.info(d)
            if info.working:
                counted += 1
                if info.weekend:
                    noted.append(info)
            else:
                noted.append(info)
        return d, tuple(noted)

    def subtract_working_days(self, day: date, n: int) -> date:
        """Return the n-th working day before ``day``."""
        d = day
        counted = 0
        while counted < n:
            d -= timedelta(days=1)
            if self.is_working_day(d):
                counted += 1
        return d


def add_months(day: date, n: int) -> tuple[date, bool]:
    """Add calendar months; a day missing in the end month becomes its last day.

    Returns the date and whether it was clamped (2026-01-31 + 1 month = 2026-02-28, True).
    """
    month_index = day.month - 1 + n
    year, month = day.year + month_index // 12, month_index % 12 + 1
    last = _stdcal.monthrange(year, month)[1]
    return date(year, month, min(day.day, last)), day.day > last


@cache
def _supported() -> dict[str, frozenset[str]]:
    return {
        cc: frozenset(subdivs)
        for cc, subdivs in holidays.list_supported_countries(include_aliases=False).items()
    }


@cache
def _languages(code: str) -> tuple[str, ...]:
    return tuple(holidays.country_holidays(code, years=()).supported_languages)


def check_subdiv(code: str | None, country: str, subdiv: str | None) -> str | None:
    """Normalise a subdivision code, or raise :class:`InvalidSubdivisionError`."""
    if subdiv is None or subdiv == "":
        return None
    known = _supported().get(code or "", frozenset())
    wanted = subdiv.strip().upper()
    if wanted not in known:
        raise InvalidSubdivisionError(country, subdiv, ", ".join(sorted(known)) or "none")
    return wanted


@lru_cache(maxsize=256)
def _calendar(code: str | None, subdiv: str | None, language: str | None) -> WorkCalendar:
    return WorkCalendar(code, subdiv, language)


def calendar_for(
    code: str | None, subdiv: str | None = None, language: str | None = DEFAULT_LANGUAGE
) -> WorkCalendar:
    """Return the cached calendar for a ``holidays`` country code (None: weekends only).

    Holiday names come in ``language`` (see :func:`holiday_language`), so a reader of the
    Russian interface gets Russian names where the package has them, and English otherwise.
    """
    if code is None:
        return _calendar(None, None, None)
    return _calendar(code, subdiv, holiday_language(code, language))


def holiday_language(code: str, wanted: str | None) -> str | None:
    """The language of the ``holidays`` package to name ``code``'s holidays in for ``wanted``.

    ``wanted`` is a locale such as ``ru``, ``uk``, ``en`` or ``en_US``. The package's own
    translation is taken when it has one: exactly (``ru``), else a regional variant of the same
    language (Kyrgyzstan has ``ru_KG``). Otherwise names come in English (``en_US``), never in
    the country's own language, which the reader may not read (Kyrgyz names in a Russian
    explanation); only a country without English would keep its default language.
    """
    # Always pass a language the package has: with None it would follow the process locale.
    languages = _languages(code)
    if wanted in languages:
        return wanted
    base = (wanted or "").replace("-", "_").split("_")[0].lower()
    regional = sorted(lang for lang in languages if lang.split("_")[0] == base)
    if base == "en" and DEFAULT_LANGUAGE in languages:
        return DEFAULT_LANGUAGE
    if regional:
        return regional[0]
    if DEFAULT_LANGUAGE in languages:
        return DEFAULT_LANGUAGE
    return _default_language(code)


@cache
def _default_language(code: str) -> str | None:
    return holidays.country_holidays(code, years=()).default_language
