"""The empty Petitions page says what to do and links to writing a draft."""

from __future__ import annotations

import re

from flask import Flask

from tests.compose.conftest import make_draft
from tests.conftest import Client


def test_empty_petitions_page_links_to_writing_a_letter(logged_in: Client) -> None:
    page = logged_in.get("/petitions").get_data(as_text=True)
    assert "Write a draft letter first" in page
    link = re.search(r'<a class="button" href="([^"]+)">Write a letter</a>', page)
    assert link and link.group(1) == "/letters/new"
    assert logged_in.get(link.group(1)).status_code == 200


def test_with_a_draft_the_page_offers_it_instead(
    app: Flask, logged_in: Client, coordinator: dict
) -> None:
    letter_id = make_draft(app, coordinator)
    page = logged_in.get("/petitions").get_data(as_text=True)
    assert f"/petitions/new/{letter_id}" in page
    assert "Write a draft letter first" not in page
