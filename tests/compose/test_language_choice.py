"""The letter language choice: languages named (never codes), the country's offered ones first.

The order comes from data: the authority's letter language, then its country's
``offered_languages`` (``letter_languages`` in ``countries.toml``, or derived), then every
other language of the registry with templates.
"""

from __future__ import annotations

import re

from flask import Flask

from letterkit.catalogue import get_catalogue
from letterkit.services.languages import letter_language_order, offered_for
from tests.compose.conftest import make_draft
from tests.conftest import Client, login


def _options(page: str) -> list[tuple[str, str]]:
    select = page.split('name="language"', 1)[1].split("</select>", 1)[0]
    return re.findall(r'<option[^>]*value="([^"]+)"[^>]*>([^<]+)</option>', select)


def test_the_order_puts_the_offered_languages_first_and_keeps_every_other() -> None:
    catalogue = get_catalogue()
    templates = list(catalogue.template_languages)
    for authority in catalogue.authorities.values():
        order = letter_language_order(offered_for(authority))
        assert sorted(order) == sorted(templates), authority.slug
        offered = [code for code in offered_for(authority) if code in templates]
        assert order[: len(offered)] == offered, authority.slug
        if authority.letter_language in templates:
            assert order[0] == authority.letter_language, authority.slug


def test_compose_names_the_languages_and_offers_the_country_s_first(
    app: Flask, group_with_details, client: Client
) -> None:
    login(client, group_with_details)
    authority = get_catalogue().authority("ua-moz")
    letter_id = make_draft(app, group_with_details, authority_slug="ua-moz", language="uk")
    page = client.get(f"/letters/{letter_id}/template").get_data(as_text=True)
    options = _options(page)
    codes = [code for code, _ in options]
    assert codes == letter_language_order(offered_for(authority))
    assert codes[0] == "uk"
    for code, label in options:
        language = get_catalogue().language(code)
        assert label.strip() == language.label("en"), code
        assert label.strip() != code


def test_the_letter_page_names_its_language(app: Flask, group_with_details, client: Client) -> None:
    login(client, group_with_details)
    letter_id = make_draft(app, group_with_details)
    page = client.get(f"/letters/{letter_id}").get_data(as_text=True)
    shown = page.split("Letter language</dt><dd>", 1)[1].split("</dd>", 1)[0]
    assert shown == get_catalogue().language("ru").label("en")
