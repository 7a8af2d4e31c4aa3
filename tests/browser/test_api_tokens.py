"""A coordinator makes an API token in a real browser, copies it, sees it once and revokes it.

The answer page that shows the new token is reached only by a form, so the crawl of
tests/browser/test_axe.py never opens it: axe checks it here.
"""

from __future__ import annotations

from typing import Any

import pytest
from flask import Flask

from tests.api.conftest import ApiClient
from tests.browser.conftest import shot
from tests.browser.test_axe import AXE, RUN_AXE
from tests.browser.test_compose import log_in
from tests.conftest import skip_or_fail

pytestmark = pytest.mark.browser


def test_a_token_is_made_shown_once_and_revoked(
    page: Any, live_server: str, app: Flask, coordinator: dict[str, Any]
) -> None:
    if not AXE.is_file():
        skip_or_fail("axe", f"{AXE} is missing (`make axe` installs axe-core with npm)")
    page.context.add_init_script(path=str(AXE))
    log_in(page, live_server, coordinator)
    page.goto(live_server + "/group/api-tokens")
    page.get_by_label("Name").fill("Coalition spreadsheet")
    page.get_by_label("Read only (cannot change anything)").check()
    page.get_by_role("button", name="Make a token").click()
    status = page.get_by_role("status")
    assert "Your new token" in status.inner_text()
    token = page.get_by_label("Token").input_value()
    assert token.startswith("lk_")
    violations = page.evaluate(RUN_AXE)
    assert not violations, violations
    shot(page, "api-token-made")
    assert ApiClient(app, token).get("/api/v1/countries").status_code == 200

    page.goto(live_server + "/group/api-tokens")
    assert token not in page.content()
    row = page.get_by_role("row", name="Coalition spreadsheet")
    assert "Read only" in row.inner_text()
    row.get_by_role("button", name="Revoke Coalition spreadsheet").click()
    assert "revoked" in page.get_by_role("status").first.inner_text()
    assert "Revoked on" in page.get_by_role("row", name="Coalition spreadsheet").inner_text()
    assert ApiClient(app, token).get("/api/v1/countries").status_code == 401
