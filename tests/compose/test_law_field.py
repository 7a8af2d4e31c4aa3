"""The details step shows the law field prefilled from the rule of the authority's state, and the
letter prints it; a law the user typed is kept."""

from __future__ import annotations

import html

from flask import Flask
from flask.testing import FlaskClient as Client

from tests.compose.test_flow import docx_text, start
from tests.conftest import login


def _to_details(client: Client, authority: str, country: str) -> int:
    letter_id = start(client, authority=authority, country=country)
    response = client.post(
        f"/letters/{letter_id}/template", data={"template": "appeal", "language": "ru"}
    )
    assert response.status_code == 302
    return letter_id


def test_details_prefill_the_law_of_moldova(app: Flask, group_with_details, client: Client) -> None:
    login(client, group_with_details)
    letter_id = _to_details(client, "md-parliament", "MD")
    page = html.unescape(client.get(f"/letters/{letter_id}/details").get_data(as_text=True))
    assert 'value="Административный кодекс Республики Молдова № 116 от 19.07.2018, ст. 60"' in page
    assert "59-ФЗ" not in page
    response = client.post(f"/letters/{letter_id}/details", data={"f_subject": "О наркополитике"})
    assert response.status_code == 302
    text = docx_text(client.get(f"/letters/{letter_id}/letter.docx").data)
    assert "законом (Административный кодекс Республики Молдова" in text


def test_a_typed_law_is_kept(app: Flask, group_with_details, client: Client) -> None:
    login(client, group_with_details)
    letter_id = _to_details(client, "md-parliament", "MD")
    response = client.post(
        f"/letters/{letter_id}/details",
        data={"f_subject": "О наркополитике", "f_law": "Закон, который мы цитируем сами"},
    )
    assert response.status_code == 302
    page = html.unescape(client.get(f"/letters/{letter_id}/details").get_data(as_text=True))
    assert 'value="Закон, который мы цитируем сами"' in page
    text = docx_text(client.get(f"/letters/{letter_id}/letter.docx").data)
    assert "законом (Закон, который мы цитируем сами)" in text
    assert "Административный кодекс" not in text
