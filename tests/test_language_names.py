"""Pages name languages ("Russian", «русский»), never by their codes ("ru")."""

from __future__ import annotations

import re
from typing import Any

import pytest
from flask import Flask

from tests.compose.conftest import make_draft
from tests.conftest import Client, login

pytestmark = pytest.mark.parametrize("database", ["sqlite"], indirect=True)


@pytest.mark.parametrize(
    ("lang", "usual", "russian"),
    [
        ("en", "The authority's usual language is Russian.", "Russian"),
        ("ru", "русский", "русский"),
    ],
)
def test_the_letter_pages_name_the_language(
    app: Flask, client: Client, factory: Any, lang: str, usual: str, russian: str
) -> None:
    person = factory.user(factory.group(), "coordinator", language=lang)
    login(client, person)
    letter = make_draft(app, person)  # to the Russian Ministry of Health, in Russian

    page = client.get(f"/letters/{letter}/template").get_data(as_text=True)
    hint = re.search(r'<p class="hint" id="language-hint">(.*?)</p>', page, re.S)
    assert hint and usual in hint.group(1)
    assert not re.search(r"\bru\b", hint.group(1))

    page = client.get(f"/letters/{letter}").get_data(as_text=True)
    assert re.search(rf"<dd>{russian}</dd>", page)

    page = client.get("/catalogue/authorities/ru-minzdrav").get_data(as_text=True)
    cells = re.findall(r"<tr><td>([^<]*)</td><td lang=", page)
    assert russian in cells and "ru" not in cells and "en" not in cells


def test_an_unknown_code_is_shown_as_it_is(app: Flask) -> None:
    from letterkit.core.i18n import letter_language_name

    with app.test_request_context(headers={"Accept-Language": "en"}):
        assert letter_language_name("uk") == "Ukrainian"
        assert letter_language_name("xx") == "xx"
