"""The dashboard: sections computed in SQL on stored due dates, filters, pages, statistics."""

from __future__ import annotations

import re
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa
from flask import Flask

from letterkit import deadlines
from letterkit.extensions import db
from letterkit.models import (
    Dispatch,
    DispatchMethod,
    DispatchState,
    Group,
    Model,
    ReplyChannel,
    ReplyOutcome,
    User,
)
from letterkit.tracking import operations as ops
from letterkit.tracking import queries
from tests.conftest import Client
from tests.tracking.conftest import final_letter, record

TODAY = date.today()


def _registered(app: Flask, person: dict[str, Any], letter: int, due_in: int) -> int:
    """A hand delivery registered the same day whose 30-day term ends ``due_in`` days from now."""
    day = TODAY + timedelta(days=due_in - 30)
    return record(app, person, letter, sent_on=day, registered_on=day, registration_number="1")


def _reply(
    app: Flask, person: dict[str, Any], dispatch_id: int, on: date, outcome: ReplyOutcome
) -> None:
    with app.test_request_context():
        ops.record_reply(
            db.session.get(Dispatch, dispatch_id),
            db.session.get(Group, person["group_id"]),
            db.session.get(User, person["id"]),
            received_on=on,
            channel=ReplyChannel.POST,
            outcome=outcome,
        )
        db.session.commit()


def _section(page: str, view: str) -> str:
    match = re.search(
        rf'<section class="dashboard-section" id="section-{view}">(.*?)</section>', page, re.S
    )
    assert match, view
    return match.group(1)


def _ids(html: str) -> set[int]:
    return {int(i) for i in re.findall(r'href="/tracking/dispatches/(\d+)"', html)}


@pytest.fixture
def spread(app: Flask, group_with_details: dict[str, Any]) -> dict[str, int]:
    """Dispatches in every section of the dashboard."""
    person = group_with_details
    letter = final_letter(app, person)
    ua_letter = final_letter(
        app, person, authority="ua-moz", language="uk", fields={"subject": "Щодо ЗПТ"}
    )
    ids = {
        "soon": _registered(app, person, letter, 3),
        "later": _registered(app, person, letter, 20),
        "overdue": _registered(app, person, letter, -5),
        "very": _registered(app, person, letter, -40),
        "answered": _registered(app, person, letter, -60),
        "refused": _registered(app, person, letter, -90),
        "ua": record(app, person, ua_letter, sent_on=TODAY - timedelta(days=40)),
        "planned": record(app, person, letter, sent_on=None, planned_on=TODAY),
    }
    _reply(app, person, ids["answered"], TODAY - timedelta(days=70), ReplyOutcome.MERITS)
    _reply(app, person, ids["refused"], TODAY - timedelta(days=100), ReplyOutcome.REFUSAL)
    return ids


def test_sections_hold_the_right_dispatches_with_the_engines_due_dates(
    app: Flask, logged_in: Client, spread: dict[str, int]
) -> None:
    page = logged_in.get("/tracking/").get_data(as_text=True)
    assert _ids(_section(page, "due_soon")) == {spread["soon"]}
    assert _ids(_section(page, "overdue")) == {spread["overdue"], spread["ua"]}
    assert _ids(_section(page, "very_overdue")) == {spread["very"]}
    assert _ids(_section(page, "answered")) == {spread["answered"], spread["refused"]}
    assert _ids(_section(page, "refused")) == {spread["refused"]}
    assert "(1)" in _section(page, "due_soon") and "(2)" in _section(page, "overdue")

    soon = _section(page, "due_soon")
    day = TODAY + timedelta(days=3) - timedelta(days=30)
    assert deadlines.compute_due("RU", day, registered_on=day).due.isoformat() in soon
    ua_due = deadlines.compute_due("UA", TODAY - timedelta(days=40)).due
    row = re.search(rf'dispatches/{spread["ua"]}".*?</tr>', _section(page, "overdue"), re.S)
    assert row and ua_due.isoformat() in row.group(0)


def test_filters_by_country_and_authority(logged_in: Client, spread: dict[str, int]) -> None:
    page = logged_in.get("/tracking/?country=UA").get_data(as_text=True)
    assert _ids(_section(page, "overdue")) == {spread["ua"]}
    assert _ids(_section(page, "due_soon")) == set()
    page = logged_in.get("/tracking/?authority=ru-minzdrav").get_data(as_text=True)
    assert _ids(_section(page, "overdue")) == {spread["overdue"]}
    listing = logged_in.get("/tracking/dispatches?view=all&country=UA").get_data(as_text=True)
    assert _ids(listing) == {spread["ua"]}
    listing = logged_in.get("/tracking/dispatches?view=planned").get_data(as_text=True)
    assert _ids(listing) == {spread["planned"]}


def test_lists_are_paginated(
    app: Flask, logged_in: Client, letter_id: int, coordinator: Any
) -> None:
    rows = [
        {
            "group_id": coordinator["group_id"],
            "letter_id": letter_id,
            "authority_slug": "ru-minzdrav",
            "authority_name": f"Authority {n:03d}",
            "country": "RU",
            "method": DispatchMethod.HAND,
            "state": DispatchState.SENT,
            "is_open": True,
            "sent_on": TODAY - timedelta(days=60),
            "due_on": TODAY - timedelta(days=1 + n % 20),
            "very_overdue_on": TODAY + timedelta(days=5),
            "due_kind": "statutory",
            "handed_by_name": "",
            "registration_number": "",
        }
        for n in range(120)
    ]
    with app.app_context():
        db.session.execute(sa.insert(Dispatch), rows)
        db.session.commit()
    page = logged_in.get("/tracking/").get_data(as_text=True)
    assert len(_ids(_section(page, "overdue"))) == queries.DASHBOARD_ROWS
    assert "See all 120" in page
    seen: set[int] = set()
    for number, size in ((1, 50), (2, 50), (3, 20)):
        html = logged_in.get(f"/tracking/dispatches?view=overdue&page={number}").get_data(
            as_text=True
        )
        ids = _ids(html)
        assert len(ids) == size and not ids & seen
        seen |= ids
    assert logged_in.get("/tracking/dispatches?view=overdue&page=4").status_code == 404
    assert logged_in.get("/tracking/dispatches?view=nonsense").status_code == 404


def test_responsiveness_per_authority(
    app: Flask, logged_in: Client, group_with_details: dict[str, Any], letter_id: int
) -> None:
    person = group_with_details
    start = TODAY - timedelta(days=200)
    answered = [
        record(app, person, letter_id, sent_on=start, registered_on=start) for _ in range(3)
    ]
    for dispatch_id, days in zip(answered, (10, 20, 40), strict=True):
        _reply(app, person, dispatch_id, start + timedelta(days=days), ReplyOutcome.MERITS)
    record(app, person, letter_id, sent_on=TODAY - timedelta(days=100))  # due passed, no reply
    record(app, person, letter_id, sent_on=TODAY - timedelta(days=5))  # not yet due
    with app.test_request_context():
        (stats,) = queries.authority_stats(person["group_id"], queries.Filters(), TODAY)
    assert (stats.slug, stats.sent, stats.due, stats.in_time, stats.late, stats.no_answer) == (
        "ru-minzdrav",
        5,
        4,
        2,
        1,
        1,
    )
    assert (stats.formal, stats.forwarded, stats.pending) == (0, 0, 1)
    assert stats.median_days == 20 and stats.share_in_time == 0.5
    page = logged_in.get("/tracking/authorities").get_data(as_text=True)
    assert "(50%)" in page and "<td>20</td>" in page
    assert 'role="img"' in page and "no answer: 1." in page


def test_a_formal_reply_is_not_an_answer_on_the_merits(
    app: Flask, group_with_details: dict[str, Any], letter_id: int
) -> None:
    """A formal reply (отписка) in time counts apart; a later answer on the merits is timed by
    its own date, not by the formal reply's."""
    person = group_with_details
    start = TODAY - timedelta(days=200)
    formal_only, formal_then_merits, refused, forwarded = (
        record(app, person, letter_id, sent_on=start, registered_on=start) for _ in range(4)
    )
    _reply(app, person, formal_only, start + timedelta(days=5), ReplyOutcome.FORMAL)
    _reply(app, person, formal_then_merits, start + timedelta(days=5), ReplyOutcome.FORMAL)
    _reply(app, person, formal_then_merits, start + timedelta(days=150), ReplyOutcome.MERITS)
    _reply(app, person, refused, start + timedelta(days=6), ReplyOutcome.REFUSAL)
    _reply(app, person, forwarded, start + timedelta(days=3), ReplyOutcome.FORWARDED)
    with app.test_request_context():
        (stats,) = queries.authority_stats(person["group_id"], queries.Filters(), TODAY)
    assert (stats.in_time, stats.late, stats.formal, stats.forwarded, stats.no_answer) == (
        1,
        1,
        1,
        1,
        0,
    )
    assert stats.share_in_time == 0.25


@pytest.mark.parametrize(
    ("histogram", "median"),
    [
        ([], None),
        ([(5, 1)], 5),
        ([(1, 1), (3, 1)], 2),
        ([(1, 2), (9, 1)], 1),
        ([(2, 2), (4, 2)], 3),
    ],
)
def test_median_from_a_histogram(histogram: list[tuple[int, int]], median: float | None) -> None:
    assert queries._median(histogram) == median


INDEX_OF = {
    queries.View.DUE_SOON: "ix_dispatch_group_id_is_open_due_on",
    queries.View.OVERDUE: "ix_dispatch_group_id_is_open_due_on",
    queries.View.VERY_OVERDUE: "ix_dispatch_group_id_is_open_very_overdue_on",
}


@pytest.mark.parametrize("view", list(queries.View))
def test_sqlite_plans_use_an_index(tmp_path: Path, view: queries.View) -> None:
    engine = sa.create_engine(f"sqlite:///{tmp_path / 'plan.sqlite3'}")
    Model.metadata.create_all(engine)
    statements = [
        queries.count_statement(1, view, queries.Filters(), TODAY),
        queries.dispatches(1, view, queries.Filters(), TODAY).limit(10),
    ]
    with engine.connect() as connection:
        for statement in statements:
            sql = str(statement.compile(engine, compile_kwargs={"literal_binds": True}))
            plan = " ".join(
                row[-1] for row in connection.exec_driver_sql("EXPLAIN QUERY PLAN " + sql)
            )
            assert plan.startswith("SEARCH dispatch USING") and "INDEX" in plan, plan
            assert "TEMP B-TREE" not in plan and "SCAN" not in plan, plan
            if view in INDEX_OF:
                assert f"INDEX {INDEX_OF[view]} (group_id=? AND is_open=? AND" in plan, plan
    engine.dispose()
