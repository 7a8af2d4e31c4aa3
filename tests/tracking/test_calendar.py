"""The dashboard's month calendar of due dates and the list of dispatches due on one day."""

from __future__ import annotations

import re
from datetime import date, timedelta
from typing import Any

import pytest
import sqlalchemy as sa
from flask import Flask

from letterkit.extensions import db
from letterkit.models import Dispatch, DispatchMethod, DispatchState
from letterkit.tracking import month, queries
from tests.conftest import Client

TODAY = date.today()
FIRST = TODAY.replace(day=1)


def _insert(app: Flask, group_id: int, letter_id: int, days: list[date], **values: Any) -> None:
    rows = [
        {
            "group_id": group_id,
            "letter_id": letter_id,
            "authority_slug": "ru-minzdrav",
            "authority_name": f"Authority {n}",
            "country": "RU",
            "method": DispatchMethod.HAND,
            "state": DispatchState.SENT,
            "is_open": True,
            "sent_on": day - timedelta(days=30),
            "due_on": day,
            "very_overdue_on": day + timedelta(days=30),
            "due_kind": "statutory",
            "handed_by_name": "",
            "registration_number": "",
            **values,
        }
        for n, day in enumerate(days)
    ]
    with app.app_context():
        db.session.execute(sa.insert(Dispatch), rows)
        db.session.commit()


def _calendar(page: str) -> str:
    match = re.search(
        r'<section class="dashboard-section" id="section-calendar".*?</section>', page, re.S
    )
    assert match
    return match.group(0)


def _cell(calendar: str, day: int) -> str:
    for cell in re.findall(r"<td[^>]*>.*?</td>", calendar, re.S):
        if re.search(rf'<span class="day-number">{day}</span>', cell):
            return cell
    raise AssertionError(day)


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (None, FIRST),
        ("", FIRST),
        ("2026-12", date(2026, 12, 1)),
        ("1990-01", date(1990, 1, 1)),
        ("2026-13", None),
        ("2026-00", None),
        ("26-12", None),
        ("2026-12-01", None),
        ("9999-01", None),
        ("١٢٣٤-١٢", None),
    ],
)
def test_parse_month(value: str | None, expected: date | None) -> None:
    assert month.parse_month(value, TODAY) == expected


def test_build_lays_out_a_monday_first_grid_and_marks_overdue_days() -> None:
    today = date(2026, 12, 10)  # a Thursday
    counts = {date(2026, 12, 1): 2, date(2026, 12, 10): 1, date(2026, 12, 31): 4}
    cal = month.build(date(2026, 12, 1), counts, today)
    assert [len(week) for week in cal.weeks] == [7] * 5
    assert cal.weeks[0][0].day is None and cal.weeks[0][1].day == date(2026, 12, 1)
    first = cal.weeks[0][1]
    assert (first.count, first.overdue, first.today) == (2, True, False)
    tenth = cal.weeks[1][3]
    assert (tenth.day, tenth.count, tenth.overdue, tenth.today) == (today, 1, False, True)
    assert (cal.total, cal.overdue) == (7, 2)
    assert (cal.previous, cal.next, cal.key) == ("2026-11", "2027-01", "2026-12")
    assert month.build(date(2200, 12, 1), {}, today).next is None
    assert month.build(date(1990, 1, 1), {}, today).previous is None


def test_calendar_counts_open_dispatches_per_day_and_links_to_them(
    app: Flask, logged_in: Client, letter_id: int, coordinator: dict[str, Any]
) -> None:
    group = coordinator["group_id"]
    other = FIRST + timedelta(days=14)  # the 15th, in this month whatever today is
    _insert(app, group, letter_id, [FIRST, FIRST, FIRST, other])
    _insert(app, group, letter_id, [other], is_open=False, state=DispatchState.ANSWERED)
    _insert(app, group, letter_id, [FIRST - timedelta(days=1)])  # last month: not counted here
    _insert(app, group, letter_id, [other], country="UA", authority_slug="ua-moz")
    page = logged_in.get("/tracking/").get_data(as_text=True)
    calendar = _calendar(page)
    assert (
        "<table" in calendar and '<th scope="col"><abbr title="Monday">Mon</abbr></th>' in calendar
    )
    first = _cell(calendar, 1)
    assert "3 due" in first
    assert ("overdue-mark" in first) is (FIRST < TODAY)
    assert "2 due" in _cell(calendar, 15)
    link = re.search(r'href="([^"]*due=' + FIRST.isoformat() + r'[^"]*)"', first)
    assert link
    listing = logged_in.get(link.group(1).replace("&amp;", "&")).get_data(as_text=True)
    assert len(set(re.findall(r'href="/tracking/dispatches/(\d+)"', listing))) == 3
    assert "Only dispatches due on" in listing

    page = logged_in.get("/tracking/?country=UA").get_data(as_text=True)
    assert "1 due" in _cell(_calendar(page), 15)
    assert "due" not in _cell(_calendar(page), 1).replace("day-number", "")


def test_previous_and_next_months(
    app: Flask, logged_in: Client, letter_id: int, coordinator: dict[str, Any]
) -> None:
    _insert(app, coordinator["group_id"], letter_id, [date(2026, 11, 30), date(2027, 1, 1)])
    page = logged_in.get("/tracking/?month=2026-12").get_data(as_text=True)
    calendar = _calendar(page)
    assert "December 2026" in calendar
    assert "due=" not in calendar
    assert "month=2026-11" in calendar and "month=2027-01" in calendar
    november = _calendar(logged_in.get("/tracking/?month=2026-11").get_data(as_text=True))
    assert "1 due" in _cell(november, 30)
    assert ("overdue-mark" in _cell(november, 30)) is (date(2026, 11, 30) < TODAY)


@pytest.mark.parametrize(
    "query",
    [
        "?month=2026-13",
        "?month=x",
        "?month=0001-01",
        "/dispatches?due=2026-02-30",
        "/dispatches?due=x",
    ],
)
def test_bad_month_or_due_day_is_a_clear_400(logged_in: Client, query: str) -> None:
    path = "/tracking" + (query if query.startswith("/") else "/" + query)
    response = logged_in.get(path)
    assert response.status_code == 400
    assert "YYYY-MM" in response.get_data(as_text=True)


def test_due_by_day_is_one_grouped_query(
    app: Flask, letter_id: int, coordinator: dict[str, Any]
) -> None:
    group = coordinator["group_id"]
    _insert(app, group, letter_id, [date(2026, 12, 3)] * 4 + [date(2026, 12, 9)])
    statements: list[str] = []
    with app.test_request_context():
        sa.event.listen(db.engine, "before_cursor_execute", _collect(statements))
        try:
            counts = queries.due_by_day(
                group, queries.Filters(), date(2026, 12, 1), date(2026, 12, 31)
            )
        finally:
            sa.event.remove(db.engine, "before_cursor_execute", _collect.last)
    assert counts == {date(2026, 12, 3): 4, date(2026, 12, 9): 1}
    assert len(statements) == 1 and "GROUP BY" in statements[0].upper()


def _collect(out: list[str]) -> Any:
    def listener(conn: Any, cursor: Any, statement: str, *args: Any) -> None:
        out.append(statement)

    _collect.last = listener  # type: ignore[attr-defined]
    return listener
