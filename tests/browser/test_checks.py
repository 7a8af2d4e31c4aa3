"""A coordinator records a check of an authority's printed details in a real browser, and the
warning leaves the letter's preview."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest
from flask import Flask

from tests.browser.conftest import shot
from tests.browser.test_compose import log_in
from tests.compose.conftest import make_draft

pytestmark = pytest.mark.browser
WARNING = "Not checked against an official source"


def test_recording_a_check_clears_the_warning_from_the_preview(
    app: Flask, group_with_details: dict[str, Any], live_server: str, page: Any
) -> None:
    letter_id = make_draft(app, group_with_details, authority_slug="md-parliament")
    log_in(page, live_server, group_with_details)
    page.goto(f"{live_server}/letters/{letter_id}/preview")
    notice = page.locator(".unverified-parts")
    assert WARNING in notice.inner_text()
    assert "the postal address" in notice.inner_text()
    shot(page, "check-1-preview-warns")

    notice.get_by_role("link", name="Record a check of this authority").click()
    page.wait_for_url("**/catalogue/authorities/md-parliament#checks")
    page.get_by_label("Checked on").fill(date.today().isoformat())
    page.get_by_label("Checked against").select_option("web")
    page.get_by_label("Source").fill("https://www.parlament.md/contacts")
    for part in ("the addressee line", "the postal address", "the salutation"):
        page.get_by_label(part, exact=True).check()
    page.get_by_label("Note").fill("Compared with the contacts page.")
    shot(page, "check-2-form")
    page.get_by_role("button", name="Record the check").click()
    page.wait_for_url("**/catalogue/authorities/md-parliament#checks")
    assert "The check was recorded for your group." in page.content()
    assert "https://www.parlament.md/contacts" in page.locator("#checks table").inner_text()

    page.goto(f"{live_server}/letters/{letter_id}/preview")
    assert page.locator(".letter-preview").count() == 1
    assert page.locator(".unverified-parts").count() == 0
    assert WARNING not in page.content()
    shot(page, "check-3-preview-clear")
