"""A petition beyond the screen, in a real browser: copy its link, print its flyer on one A4."""

from __future__ import annotations

import re
from typing import Any

import pytest
from flask import Flask

from tests.browser.conftest import shot
from tests.petitions.helpers import make_signon_draft, open_petition, prepare_group

pytestmark = pytest.mark.browser


@pytest.fixture
def code(app: Flask, coordinator: dict[str, Any]) -> str:
    prepare_group(app, coordinator["group_id"])
    letter_id = make_signon_draft(app, coordinator)
    return open_petition(app, coordinator, letter_id)[1]


def test_copy_the_link_and_print_the_flyer(page: Any, live_server: str, code: str) -> None:
    page.context.grant_permissions(["clipboard-read", "clipboard-write"])
    page.goto(f"{live_server}/s/{code}")
    field = page.get_by_label("Link to this page")
    assert field.input_value() == f"{live_server}/s/{code}"
    page.get_by_role("button", name="Copy link").click()
    copied = page.get_by_role("status").filter(has_text="Link copied")
    copied.wait_for()  # the script writes it after the clipboard answers: wait, do not race
    assert copied.count() == 1
    assert page.evaluate("navigator.clipboard.readText()") == f"{live_server}/s/{code}"

    page.get_by_role("link", name="Printable flyer with a QR code").click()
    page.wait_for_url(f"{live_server}/s/{code}/flyer")
    qr = page.get_by_role("img", name="QR code of the link to sign")
    assert qr.evaluate("img => img.complete && img.naturalWidth > 0")
    assert page.get_by_text(f"{live_server}/s/{code}").count() == 1
    shot(page, "petition-flyer")
    pdf = page.pdf(format="A4", print_background=True)
    assert len(re.findall(rb"/Type\s*/Page[^s]", pdf)) == 1  # one A4 page
    page.emulate_media(media="print")
    assert not page.get_by_role("link", name="Back to the signing page").is_visible()


def test_without_javascript_the_link_is_a_field_to_copy(
    browser: Any, live_server: str, code: str
) -> None:
    context = browser.new_context(java_script_enabled=False)
    try:
        tab = context.new_page()
        tab.goto(f"{live_server}/s/{code}")
        assert tab.get_by_label("Link to this page").input_value() == f"{live_server}/s/{code}"
        assert tab.get_by_role("button", name="Copy link").count() == 0
        assert tab.get_by_role("link", name="Printable flyer with a QR code").count() == 1
    finally:
        context.close()
