"""Properties that hold for any delivery day, checked against the calendar day by day."""

from __future__ import annotations

from datetime import date, timedelta

from hypothesis import given, settings
from hypothesis import strategies as st

from letterkit.deadlines import calendar_for, compute_due

days = st.dates(min_value=date(2024, 1, 1), max_value=date(2027, 12, 31))
FAST = settings(max_examples=40, deadline=None)


@FAST
@given(day=days, country=st.sampled_from(["KZ", "AZ", "LT", "GB", "KG"]))
def test_working_day_terms_end_on_the_nth_working_day(day: date, country: str) -> None:
    result = compute_due(country, day, registered_on=day)
    cal = calendar_for(country, "ENG" if country == "GB" else None)
    assert cal.is_working_day(result.due)
    span = (result.due - result.start_day).days
    counted = [
        d
        for d in (result.start_day + timedelta(days=i) for i in range(1, span + 1))
        if cal.is_working_day(d)
    ]
    assert len(counted) == result.term.amount
    # Every day passed that is not counted is listed as skipped, with its reason.
    passed = {result.start_day + timedelta(days=i) for i in range(1, span + 1)}
    off = {s.day for s in result.skipped if s.reason != "working_weekend"}
    assert off == passed - set(counted)


@FAST
@given(day=days, country=st.sampled_from(["RU", "RO", "MD"]))
def test_calendar_day_terms_are_never_moved(day: date, country: str) -> None:
    result = compute_due(country, day, registered_on=day)
    assert result.due - day == timedelta(days=30)
    assert result.end_on_non_working_day is (not calendar_for(country).is_working_day(result.due))


@FAST
@given(day=days)
def test_later_delivery_never_gives_an_earlier_due_date(day: date) -> None:
    for country in ("KZ", "UA", "LV", "BY"):
        first = compute_due(country, day).due
        second = compute_due(country, day + timedelta(days=1)).due
        assert first <= second or country == "LV" and day == date(2026, 2, 28)
