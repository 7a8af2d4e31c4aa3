"""The home page says what to do: replies overdue and due soon, final letters not yet sent,
drafts; and the dashboard lists the final letters that were never sent."""

from __future__ import annotations

import re
from datetime import date, timedelta
from typing import Any

from flask import Flask

from letterkit.extensions import db
from letterkit.models import Group, User
from letterkit.services import drafts
from tests.conftest import Client, login
from tests.tracking.conftest import final_letter, record

TODAY = date.today()


def _panel(page: str, key: str) -> str:
    match = re.search(
        rf'<section class="home-panel[^"]*" id="home-{key}">(.*?)</section>', page, re.S
    )
    assert match, key
    return match.group(1)


def _draft(app: Flask, person: dict[str, Any], subject: str) -> int:
    with app.test_request_context():
        letter = drafts.create_draft(
            db.session.get(Group, person["group_id"]),
            db.session.get(User, person["id"]),
            template="appeal",
            language="en",
            authority_slug="ua-moz",
            demand_slugs=[],
            paragraphs=[],
            fields={"subject": subject},
            letter_date=TODAY,
        )
        db.session.commit()
        return letter.id


def test_the_home_page_says_what_to_do(
    app: Flask, logged_in: Client, group_with_details: dict[str, Any], factory: Any
) -> None:
    person = group_with_details
    sent = final_letter(app, person)
    # a hand delivery registered 25 days ago: the 30-day term ends in 5 days
    day = TODAY - timedelta(days=25)
    record(app, person, sent, sent_on=day, registered_on=day, registration_number="1")
    # one registered 100 days ago: overdue
    old = TODAY - timedelta(days=100)
    record(app, person, sent, sent_on=old, registered_on=old, registration_number="2")
    unsent = final_letter(app, person, authority="ru-mvd")
    _draft(app, person, "A draft about naloxone")

    page = logged_in.get("/").get_data(as_text=True)
    assert "(1)" in _panel(page, "due-soon") and "/tracking/dispatches/" in _panel(page, "due-soon")
    assert "(1)" in _panel(page, "overdue")
    unsent_panel = _panel(page, "unsent")
    assert "(1)" in unsent_panel and f"/tracking/letters/{unsent}/dispatch" in unsent_panel
    assert "A draft about naloxone" in _panel(page, "drafts")

    dashboard = logged_in.get("/tracking/").get_data(as_text=True)
    section = dashboard.split('id="section-unsent"')[1].split("</section>")[0]
    assert f"/tracking/letters/{unsent}/dispatch" in section
    assert f"/tracking/letters/{sent}/dispatch" not in section  # it was sent
    listing = logged_in.get("/tracking/unsent").get_data(as_text=True)
    assert f"/tracking/letters/{unsent}/dispatch" in listing
    assert logged_in.get("/tracking/unsent?page=2").status_code == 404

    # another group sees none of it
    other = app.test_client()
    login(other, factory.user(factory.group("Other group"), "member"))
    theirs = other.get("/").get_data(as_text=True)
    for key in ("due-soon", "overdue", "unsent", "drafts"):
        assert "(0)" in _panel(theirs, key)
    assert "naloxone" not in theirs


def test_an_empty_group_gets_empty_panels(logged_in: Client) -> None:
    page = logged_in.get("/").get_data(as_text=True)
    for key in ("overdue", "due-soon", "unsent", "drafts"):
        assert "None." in _panel(page, key)
