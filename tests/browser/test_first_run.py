"""First-run set-up and login in a real browser."""

from __future__ import annotations

from typing import Any

import pytest

from tests.browser.conftest import shot

pytestmark = pytest.mark.browser


def test_first_run_set_up_then_log_in(page: Any, live_server: str, database: Any) -> None:
    backend = "pg" if "postgresql" in str(database["url"]) else "sqlite"
    page.goto(live_server + "/")
    assert page.url.endswith("/setup")
    shot(page, f"first-run-1-setup-{backend}")
    page.get_by_label("Name of your group or organisation").fill("Harm Reduction Odesa")
    page.get_by_label("Usual language of your letters").select_option("uk")
    page.get_by_label("Your name as the group sees it").fill("Olena")
    page.get_by_label("E-mail").fill("olena@example.org")
    page.get_by_label("Password", exact=True).fill("a long enough password")
    page.get_by_label("Repeat the password").fill("a long enough password")
    page.get_by_role("button", name="Create the group").click()
    page.wait_for_url("**/group/settings")
    assert page.get_by_text("Your group is ready").is_visible()
    shot(page, f"first-run-2-group-{backend}")

    page.get_by_role("button", name="Log out").click()
    page.wait_for_url("**/login")
    page.get_by_label("E-mail").fill("olena@example.org")
    page.get_by_label("Password").fill("wrong password here")
    page.get_by_role("button", name="Log in").click()
    assert page.get_by_text("The e-mail or the password is not right.").is_visible()
    page.get_by_label("Password").fill("a long enough password")
    page.get_by_role("button", name="Log in").click()
    page.wait_for_url(live_server + "/")
    assert page.get_by_role("heading", name="Harm Reduction Odesa").is_visible()
    shot(page, f"first-run-3-home-{backend}")

    # Switch the interface to Russian with the keyboard-accessible switch.
    page.get_by_label("Interface language").select_option("ru")
    with page.expect_navigation():
        page.get_by_role("button", name="Switch").first.click()
    assert page.get_by_role("link", name="Участники").is_visible()
    # Nothing overflows a 390 px wide phone screen.
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
