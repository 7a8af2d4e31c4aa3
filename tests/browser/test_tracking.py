"""Record a hand delivery with its registration number in a real browser and see the due date."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

import pytest
from flask import Flask

from letterkit import deadlines
from tests.browser.conftest import shot
from tests.conftest import Factory
from tests.tracking.conftest import final_letter

pytestmark = pytest.mark.browser


def test_record_a_hand_delivery_and_see_the_due_date(
    page: Any, live_server: str, app: Flask, factory: Factory, database: Any
) -> None:
    backend = "pg" if "postgresql" in str(database["url"]) else "sqlite"
    person = factory.user(factory.group("Harm Reduction Moscow"), "coordinator", name="Anna")
    letter_id = final_letter(app, person)
    handed = date.today() - timedelta(days=3)
    registered = handed + timedelta(days=1)
    expected = deadlines.compute_due("RU", handed, registered_on=registered).due
    # "August 10, 2026 (Monday)": the English interface writes days the English way.
    day = deadlines.format_day(expected, deadlines.Speech(locale="en"))

    page.goto(live_server + "/login")
    page.get_by_label("E-mail").fill(person["email"])
    page.get_by_label("Password").fill(person["password"])
    page.get_by_role("button", name="Log in").click()
    page.wait_for_url(live_server + "/")
    page.get_by_role("link", name="Tracking").click()
    page.wait_for_url("**/tracking/")
    shot(page, f"tracking-1-dashboard-empty-{backend}")

    page.goto(f"{live_server}/tracking/letters/{letter_id}/dispatch")
    page.get_by_label("How it went").select_option("hand")
    page.get_by_label("Date it was handed over or sent").fill(handed.isoformat())
    page.get_by_label("Incoming registration number").fill("12-3/456")
    page.get_by_label("Registration date").fill(registered.isoformat())
    shot(page, f"tracking-2-record-{backend}")
    page.get_by_role("button", name="Record the dispatch").click()
    page.wait_for_url("**/tracking/dispatches/*")

    assert page.get_by_text("The dispatch was recorded.").is_visible()
    heading = page.locator(".due-heading")
    assert day in heading.inner_text()
    assert "Reply due by law" in heading.inner_text()
    assert page.get_by_text("12-3/456").is_visible()
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    shot(page, f"tracking-3-dispatch-{backend}")

    page.get_by_role("link", name="How this date was computed").click()
    assert page.get_by_text(f"Due date: {day}.").is_visible()
    shot(page, f"tracking-4-explanation-{backend}")

    page.get_by_role("link", name="Tracking").first.click()
    page.get_by_role("link", name="Waiting for a reply").click()
    page.wait_for_url("**/tracking/dispatches?view=open")
    assert page.get_by_text(expected.isoformat()).is_visible()  # tables keep ISO dates
    shot(page, f"tracking-5-open-{backend}")
