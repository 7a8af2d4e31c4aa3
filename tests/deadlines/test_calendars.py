"""Working-day calendars on top of the ``holidays`` package."""

from __future__ import annotations

from datetime import date

import pytest

from letterkit.deadlines import (
    InvalidSubdivisionError,
    add_months,
    calendar_for,
    compute_due,
    holiday_language,
)

D = date


@pytest.mark.parametrize(
    ("code", "day", "working"),
    [
        # Transferred working Saturdays / Sundays (weekend_workdays) are working days.
        ("RU", D(2025, 11, 1), True),
        ("RU", D(2027, 2, 20), True),
        ("BY", D(2025, 1, 11), True),
        ("BY", D(2026, 4, 25), True),
        ("KZ", D(2025, 1, 5), True),
        ("KZ", D(2021, 7, 3), True),
        ("UZ", D(2026, 12, 12), True),
        ("UZ", D(2025, 1, 4), True),
        ("AZ", D(2024, 12, 29), True),  # only known from the 2025 data (transfer across years)
        ("LV", D(2026, 6, 27), True),
        # ... and the days off they pay for are not.
        ("RU", D(2025, 11, 3), False),
        ("RU", D(2026, 1, 9), False),
        ("BY", D(2026, 4, 20), False),
        ("UZ", D(2026, 12, 31), False),
        # Pitfall 1: commemorative days in the `workday` category are working days.
        ("BY", D(2026, 2, 23), True),
        # Observed days are days off.
        ("RU", D(2026, 3, 9), False),
        ("KZ", D(2026, 3, 24), False),
        # Ordinary weekends and holidays.
        ("RU", D(2026, 2, 7), False),
        ("RU", D(2026, 1, 1), False),
        ("LT", D(2026, 12, 24), False),
        # Pitfall 2: Ukraine has no public holidays in the package since 2023.
        ("UA", D(2026, 1, 1), True),
        # No calendar at all (EU, UN): weekends only.
        (None, D(2026, 12, 25), True),
        (None, D(2026, 12, 26), False),
    ],
)
def test_working_day(code: str | None, day: date, working: bool) -> None:
    assert calendar_for(code).is_working_day(day) is working


def test_holiday_names_come_from_the_package() -> None:
    info = calendar_for("RU").info(D(2026, 1, 9))
    assert info.holiday == "Day off (substituted from 01/03/2026)"
    assert not info.working and not info.weekend
    worked = calendar_for("RU").info(D(2025, 11, 1))
    assert worked.transferred_workday


def test_holiday_names_in_another_language() -> None:
    assert calendar_for("RU", language="ru").info(D(2026, 1, 7)).holiday == "Рождество Христово"
    assert calendar_for("LT", language="uk").info(D(2026, 12, 25)).holiday == "Різдво Христове"
    # A regional variant of the language: Kyrgyzstan has Russian as ru_KG.
    assert calendar_for("KG", language="ru").info(D(2026, 3, 21)).holiday == (
        "Народный праздник Нооруз"
    )
    # A language the package lacks for the country falls back to English, never to the
    # country's own language (a Russian reader gets no Lithuanian or Kazakh names).
    assert calendar_for("LT", language="xx").info(D(2026, 12, 25)).holiday == "Christmas Day"
    assert calendar_for("KZ", language="ru").info(D(2026, 3, 9)).holiday == (
        "International Women's Day (observed)"
    )


@pytest.mark.parametrize(
    ("code", "wanted", "language"),
    [
        ("RU", "ru", "ru"),
        ("KG", "ru", "ru_KG"),
        ("KG", "uk", "en_US"),
        ("UZ", "uk", "uk"),
        ("AM", "ru", "en_US"),
        ("GB", "en", "en_US"),
        ("GB", "en_GB", "en_GB"),
        ("BY", None, "en_US"),
    ],
)
def test_holiday_language_prefers_the_readers_then_english(
    code: str, wanted: str | None, language: str
) -> None:
    assert holiday_language(code, wanted) == language


def test_calendars_are_cached_per_country_subdivision_and_language() -> None:
    assert calendar_for("GB", "ENG") is calendar_for("GB", "ENG")
    assert calendar_for("GB", "ENG") is not calendar_for("GB", "SCT")
    assert calendar_for("RU") is not calendar_for("RU", language="ru")


@pytest.mark.parametrize(
    ("day", "months", "expected", "clamped"),
    [
        (D(2026, 1, 31), 1, D(2026, 2, 28), True),
        (D(2028, 1, 31), 1, D(2028, 2, 29), True),
        (D(2026, 3, 31), 1, D(2026, 4, 30), True),
        (D(2026, 1, 15), 1, D(2026, 2, 15), False),
        (D(2026, 11, 30), 3, D(2027, 2, 28), True),
        (D(2026, 12, 31), 2, D(2027, 2, 28), True),
        (D(2026, 8, 31), 6, D(2027, 2, 28), True),
        (D(2026, 5, 31), 12, D(2027, 5, 31), False),
    ],
)
def test_add_months_clamps_to_the_month_end(
    day: date, months: int, expected: date, clamped: bool
) -> None:
    assert add_months(day, months) == (expected, clamped)


def test_gb_defaults_to_england_and_takes_other_subdivisions() -> None:
    assert compute_due("GB", D(2026, 12, 14)).subdiv == "ENG"
    assert compute_due("GB", D(2026, 12, 14), subdiv="sct").subdiv == "SCT"


@pytest.mark.parametrize(("country", "subdiv"), [("GB", "XX"), ("RU", "MOW"), ("DE", "ZZ")])
def test_unknown_subdivision_is_an_error(country: str, subdiv: str) -> None:
    with pytest.raises(InvalidSubdivisionError, match=subdiv):
        compute_due(country, D(2026, 1, 5), subdiv=subdiv)
