"""Exports: a CSV safe to open in a spreadsheet, and a secret, revocable iCalendar feed."""

from __future__ import annotations

import csv
import hashlib
import io
import re
from collections.abc import Iterator
from datetime import UTC, date, datetime, timedelta
from typing import Any

import icalendar
import pytest
import sqlalchemy as sa
from flask import Flask

from letterkit.catalogue import get_catalogue
from letterkit.extensions import db
from letterkit.models import CalendarFeed, Dispatch, Letter
from letterkit.tracking import exports
from tests.conftest import Client, login
from tests.tracking.conftest import final_letter, record

TODAY = date.today()


@pytest.fixture
def mixed(app: Flask, group_with_details: dict[str, Any], letter_id: int) -> dict[str, int]:
    """Open, planned, closed and answered dispatches of the coordinator's group."""
    from letterkit.models import DispatchState

    person = group_with_details
    ua = final_letter(
        app, person, authority="ua-moz", language="uk", fields={"subject": "Щодо ЗПТ"}
    )
    ids = {
        "registered": record(
            app,
            person,
            letter_id,
            sent_on=TODAY - timedelta(days=10),
            registered_on=TODAY - timedelta(days=9),
            registration_number='=HYPERLINK("http://evil.example")',
            handed_by_name="Ivan Secretperson",
        ),
        "ua": record(app, person, ua, sent_on=TODAY - timedelta(days=3)),
        "planned": record(app, person, letter_id, sent_on=None, planned_on=TODAY),
        "closed": record(app, person, letter_id, sent_on=TODAY - timedelta(days=5)),
        "refused": record(app, person, letter_id, sent_on=TODAY, method=_method("refused")),
    }
    with app.app_context():
        db.session.execute(
            sa.update(Dispatch)
            .where(Dispatch.id == ids["closed"])
            .values(state=DispatchState.CLOSED, is_open=False)
        )
        db.session.commit()
    return ids


def _method(value: str) -> Any:
    from letterkit.models import DispatchMethod

    return DispatchMethod(value)


def test_csv_has_one_row_per_dispatch_and_defuses_formulas(
    app: Flask, logged_in: Client, mixed: dict[str, int]
) -> None:
    response = logged_in.get("/tracking/dispatches.csv")
    assert response.status_code == 200
    assert response.mimetype == "text/csv"
    assert response.headers["Content-Disposition"].startswith("attachment;")
    text = response.data.decode("utf-8-sig")  # a BOM first, for spreadsheets
    rows = list(csv.DictReader(io.StringIO(text, newline="")))
    assert sorted(int(r["dispatch"]) for r in rows) == sorted(mixed.values())
    by_id = {int(r["dispatch"]): r for r in rows}
    registered = by_id[mixed["registered"]]
    assert registered["registration_number"] == '\'=HYPERLINK("http://evil.example")'
    with app.app_context():
        due = db.session.get(Dispatch, mixed["registered"]).due_on
        reference = db.session.get(
            Letter, db.session.get(Dispatch, mixed["ua"]).letter_id
        ).reference
    assert registered["due_on"] == due.isoformat() and registered["state"] == "registered"
    assert by_id[mixed["ua"]]["letter_reference"] == reference
    assert by_id[mixed["planned"]]["due_on"] == "" and by_id[mixed["planned"]]["state"] == "planned"
    assert "Secretperson" not in text and "@example.org" not in text

    only_ua = list(
        csv.DictReader(
            io.StringIO(
                logged_in.get("/tracking/dispatches.csv?country=UA").data.decode("utf-8-sig"),
                newline="",
            )
        )
    )
    assert [int(r["dispatch"]) for r in only_ua] == [mixed["ua"]]


def test_csv_is_for_coordinators(member_client: Client) -> None:
    assert member_client.get("/tracking/dispatches.csv").status_code == 403


@pytest.mark.parametrize(
    ("value", "cell"),
    [
        ("=1+1", "'=1+1"),
        ("+7 495", "'+7 495"),
        ("-2", "'-2"),
        ("@SUM(A1)", "'@SUM(A1)"),
        ("\tx", "'\tx"),
        ("\rx", "'\rx"),
        ("12-3/456", "12-3/456"),
        (None, ""),
        (date(2026, 1, 5), "2026-01-05"),
        (-3, "-3"),
        (True, "1"),
    ],
)
def test_safe_cell(value: object, cell: str) -> None:
    assert exports.safe_cell(value) == cell


def _feed_link(client: Client) -> str:
    page = client.post("/tracking/calendar").get_data(as_text=True)
    match = re.search(r'value="(http://localhost/tracking/calendar/[^"]+\.ics)"', page)
    assert match, page
    return match.group(1).replace("http://localhost", "")


def test_calendar_feed_has_one_event_per_open_dispatch(
    app: Flask, logged_in: Client, mixed: dict[str, int]
) -> None:
    link = _feed_link(logged_in)
    anonymous = app.test_client()
    response = anonymous.get(link)
    assert response.status_code == 200
    assert response.mimetype == "text/calendar"
    raw = response.get_data()
    assert b"\r\n" in raw and b"\n" not in raw.replace(b"\r\n", b"")
    assert all(len(line) <= 75 for line in raw.split(b"\r\n"))

    calendar = icalendar.Calendar.from_ical(raw)
    events = calendar.walk("VEVENT")
    with app.app_context():
        open_ids = set(
            db.session.scalars(
                sa.select(Dispatch.id).where(
                    Dispatch.is_open.is_(True), Dispatch.due_on.is_not(None)
                )
            )
        )
        due = {i: db.session.get(Dispatch, i).due_on for i in open_ids}
    assert open_ids == {mixed["registered"], mixed["ua"]}
    assert len(events) == len(open_ids)
    by_uid = {str(e["UID"]): e for e in events}
    for dispatch_id in open_ids:
        event = by_uid[f"dispatch-{dispatch_id}@letterkit"]
        assert event.decoded("DTSTART") == due[dispatch_id]
    ua_name = get_catalogue().authority("ua-moz").name("uk").text
    ua_event = by_uid[f"dispatch-{mixed['ua']}@letterkit"]
    assert str(ua_event["SUMMARY"]).startswith(f"Reply due: {ua_name} (")  # folded, unfolded back
    text = raw.decode()
    assert (
        "Secretperson" not in text and "@example.org" not in text and "Harm Reduction" not in text
    )

    # Only the hash of the token is stored.
    token = link.rsplit("/", 1)[1].removesuffix(".ics")
    with app.app_context():
        stored = db.session.scalar(sa.select(CalendarFeed.token_hash))
    assert stored == hashlib.sha256(token.encode()).hexdigest() and token not in stored


def test_calendar_links_are_replaced_and_revoked(app: Flask, logged_in: Client, mixed: Any) -> None:
    anonymous = app.test_client()
    first = _feed_link(logged_in)
    second = _feed_link(logged_in)
    assert anonymous.get(first).status_code == 404
    assert anonymous.get(second).status_code == 200
    assert logged_in.post("/tracking/calendar/revoke").status_code == 302
    assert anonymous.get(second).status_code == 404
    assert anonymous.get("/tracking/calendar/not-a-token.ics").status_code == 404
    assert "There is no calendar link." in logged_in.get("/tracking/calendar").get_data(
        as_text=True
    )


def test_only_coordinators_manage_calendar_links(member_client: Client) -> None:
    assert member_client.get("/tracking/calendar").status_code == 403
    assert member_client.post("/tracking/calendar").status_code == 403


def _feed(*events: exports.Event, name: str = "Test") -> bytes:
    """The whole feed for ``events``, as the view sends it."""
    now = datetime(2026, 1, 1, tzinfo=UTC)
    return "".join(exports.calendar_lines(name, events, now=now)).encode()


def test_ics_escaping_and_folding() -> None:
    tricky = "a,b;c\\d\ne"
    raw = _feed(exports.Event(uid="x@letterkit", day=date(2026, 2, 4), summary=tricky), name=tricky)
    assert b"SUMMARY:a\\,b\\;c\\\\d\\ne\r\n" in raw
    assert b"X-WR-CALNAME:a\\,b\\;c\\\\d\\ne\r\n" in raw
    event = icalendar.Calendar.from_ical(raw).walk("VEVENT")[0]
    assert str(event["SUMMARY"]) == tricky

    long = "Министерство здравоохранения" * 4
    raw = _feed(exports.Event(uid="y@letterkit", day=date(2026, 2, 4), summary=long))
    lines = raw.split(b"\r\n")
    assert all(len(line) <= 75 for line in lines)
    for line in lines:
        line.decode()  # folded between characters, never inside one
    start = next(i for i, line in enumerate(lines) if line.startswith(b"SUMMARY:"))
    assert lines[start + 1].startswith(b" ")
    event = icalendar.Calendar.from_ical(raw).walk("VEVENT")[0]
    assert str(event["SUMMARY"]) == long

    raw = _feed(exports.Event(uid="x@letterkit", day=date(2026, 2, 4), summary="Due, soon; really"))
    event = icalendar.Calendar.from_ical(raw).walk("VEVENT")[0]
    assert str(event["SUMMARY"]) == "Due, soon; really"
    assert event.decoded("DTSTART") == date(2026, 2, 4)
    assert event.decoded("DTEND") == date(2026, 2, 5)


def test_ics_feed_content() -> None:
    raw = _feed(
        exports.Event(
            uid="dispatch-7@letterkit",
            day=date(2026, 3, 2),
            summary="Reply due: Ministry (HRM-7)",
            description="Due by law.",
            stamp=datetime(2025, 12, 3, 4, 5, 6),  # naive, as stored: UTC
        ),
        exports.Event(uid="dispatch-8@letterkit", day=date(2026, 3, 3), summary="Reply due"),
        name="letterkit: replies due",
    )
    assert raw.startswith(b"BEGIN:VCALENDAR\r\n") and raw.endswith(b"END:VCALENDAR\r\n")
    calendar = icalendar.Calendar.from_ical(raw)
    assert str(calendar["VERSION"]) == "2.0"
    assert str(calendar["PRODID"]) == "-//letterkit//tracking//EN"
    assert str(calendar["CALSCALE"]) == "GREGORIAN" and str(calendar["METHOD"]) == "PUBLISH"
    assert b"X-WR-CALNAME:letterkit: replies due\r\n" in raw
    first, second = calendar.walk("VEVENT")
    assert str(first["UID"]) == "dispatch-7@letterkit"
    assert str(first["DESCRIPTION"]) == "Due by law." and str(first["TRANSP"]) == "TRANSPARENT"
    assert first.decoded("DTSTAMP") == datetime(2025, 12, 3, 4, 5, 6, tzinfo=UTC)
    assert b"DTSTAMP:20251203T040506Z\r\n" in raw and b"DTSTAMP:20260101T000000Z\r\n" in raw
    assert b"DTSTART;VALUE=DATE:20260302\r\n" in raw and b"DTEND;VALUE=DATE:20260303\r\n" in raw
    assert "DESCRIPTION" not in second


def test_ics_feed_streams_one_event_at_a_time() -> None:
    pulled: list[int] = []

    def events() -> Iterator[exports.Event]:
        for n in range(3):
            pulled.append(n)
            yield exports.Event(uid=f"{n}@letterkit", day=date(2026, 1, 1), summary=str(n))

    now = datetime(2026, 1, 1, tzinfo=UTC)
    chunks = exports.calendar_lines("Test", events(), now=now)
    assert next(chunks).startswith("BEGIN:VCALENDAR") and pulled == []
    assert "UID:0@letterkit" in next(chunks) and pulled == [0]
    assert "UID:1@letterkit" in next(chunks) and pulled == [0, 1]
    assert list(chunks)[-1] == "END:VCALENDAR\r\n"


def test_another_groups_feed_and_csv_show_nothing_of_ours(
    app: Flask, client: Client, factory: Any, mixed: dict[str, int]
) -> None:
    other = factory.user(factory.group("Other group"), "coordinator")
    login(client, other)
    text = client.get("/tracking/dispatches.csv").data.decode("utf-8-sig")
    assert len(list(csv.reader(io.StringIO(text, newline="")))) == 1  # the header only
    link = _feed_link(client)
    assert icalendar.Calendar.from_ical(client.get(link).get_data()).walk("VEVENT") == []
