"""The preview is the printed page: laid out like the DOCX, measured in a real browser (no
screenshots compared, bounding boxes only)."""

from __future__ import annotations

from typing import Any

import pytest
from flask import Flask

from tests.browser.test_compose import fits_a_phone, log_in
from tests.compose.conftest import make_draft

pytestmark = pytest.mark.browser


@pytest.mark.parametrize("width", [1024, 360])
def test_russian_addressee_on_the_right(
    page: Any, live_server: str, app: Flask, group_with_details, width: int
) -> None:
    page.set_viewport_size({"width": width, "height": 800})
    letter_id = make_draft(app, group_with_details)
    log_in(page, live_server, group_with_details)
    page.goto(f"{live_server}/letters/{letter_id}/preview")
    letter = page.locator("article.letter").bounding_box()
    addressee = page.locator(".letter-addressee").bounding_box()
    requisites = page.locator(".letter-requisites").bounding_box()
    salutation = page.locator(".letter-salutation")
    # the addressee block sits in the right part of the letter, flush with its right edge …
    assert addressee["x"] > letter["x"] + letter["width"] * 0.3
    assert addressee["x"] + addressee["width"] == pytest.approx(
        letter["x"] + letter["width"], abs=2
    )
    # … below the reference and date, which are on the left
    assert requisites["x"] == pytest.approx(letter["x"], abs=2)
    assert addressee["y"] >= requisites["y"] + requisites["height"]
    assert salutation.evaluate("el => getComputedStyle(el).textAlign") == "center"
    # a draft says so above the letter; the signature line lies between title and name
    mark = page.locator(".letter-draft-mark")
    assert mark.is_visible() and mark.bounding_box()["y"] < requisites["y"]
    line = page.locator(".letter-signature-line").bounding_box()
    name = page.locator(".letter-signature-name").bounding_box()
    assert line["width"] > 40 and line["x"] + line["width"] <= name["x"] + 1
    if width == 360:
        fits_a_phone(page)
