"""The home page says what to do, in a real browser: replies overdue and due soon, final letters
not yet sent, drafts; each item leads to where it is done."""

from __future__ import annotations

import re
from datetime import date, timedelta
from typing import Any

import pytest
from flask import Flask

from tests.browser.conftest import shot
from tests.browser.test_compose import log_in
from tests.tracking.conftest import final_letter, record
from tests.tracking.test_home import _draft

pytestmark = pytest.mark.browser

TODAY = date.today()


def test_the_home_page_leads_to_what_is_due(
    page: Any, live_server: str, app: Flask, group_with_details: dict[str, Any]
) -> None:
    person = group_with_details
    sent = final_letter(app, person)
    old = TODAY - timedelta(days=100)
    overdue = record(app, person, sent, sent_on=old, registered_on=old, registration_number="7")
    soon = TODAY - timedelta(days=25)
    record(app, person, sent, sent_on=soon, registered_on=soon, registration_number="8")
    unsent = final_letter(app, person, authority="ru-mvd")
    _draft(app, person, "A draft about naloxone")

    page.set_viewport_size({"width": 390, "height": 844})
    log_in(page, live_server, person)
    panels = page.locator(".home-panel")
    assert panels.count() == 4
    overdue_panel = page.locator("#home-overdue")
    assert overdue_panel.get_by_role("heading").inner_text().endswith("(1)")
    assert page.locator("#home-due-soon").get_by_role("heading").inner_text().endswith("(1)")
    assert page.locator("#home-drafts").get_by_text("A draft about naloxone").is_visible()
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    shot(page, "home-panels")
    overdue_panel.get_by_role("link").first.click()
    page.wait_for_url(re.compile(rf".*/tracking/dispatches/{overdue}$"))
    page.go_back()
    page.locator("#home-unsent").get_by_role("link").first.click()
    page.wait_for_url(re.compile(rf".*/tracking/letters/{unsent}/dispatch$"))
