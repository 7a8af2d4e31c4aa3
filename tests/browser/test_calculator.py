"""Anyone works out a due date in the browser, without an account and without a cookie."""

from __future__ import annotations

import re
from typing import Any

import pytest

from tests.browser.conftest import shot

pytestmark = pytest.mark.browser


def test_the_public_deadline_calculator(
    page: Any, live_server: str, coordinator: dict[str, Any]
) -> None:
    page.goto(live_server + "/login")
    page.get_by_role("link", name=re.compile("deadline calculator")).click()
    page.wait_for_url(live_server + "/deadline")
    page.context.clear_cookies()  # the login form's session; the calculator must set none
    page.reload()
    page.get_by_label("Country").select_option("MD")
    page.get_by_label("Day the letter was delivered").fill("2026-03-02")
    page.get_by_role("button", name="Work out the due date").click()
    page.wait_for_url(re.compile(r".*/deadline\?.*country=MD.*"))
    heading = page.get_by_role("heading", level=2)
    assert heading.inner_text().startswith(("Reply due by law", "Reply expected", "No statutory"))
    assert page.locator("ol.explanation li").count() >= 3
    # Moldova's own kinds of proceeding are offered now, and no other country's.
    options = page.locator("#kind option").all_inner_texts()
    assert "House" not in " ".join(options)
    shot(page, "deadline-calculator")
    assert page.context.cookies() == []
    # A wrong day gets a clear message next to the field, not an error page.
    page.get_by_label("Day the letter was delivered").fill("1999-12-31")
    page.get_by_role("button", name="Work out the due date").click()
    assert page.get_by_text("The due date could not be worked out.").count() == 1
    assert page.locator("#delivered_on-error").inner_text().startswith("Give a day between")
    assert page.context.cookies() == []
