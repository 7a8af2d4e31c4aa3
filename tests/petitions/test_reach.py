"""A petition beyond the screen: its link to copy, a QR code made on the server, a flyer."""

from __future__ import annotations

import io
import re
from typing import Any

import segno

from letterkit.petitions.reach import qr_svg
from tests.conftest import Client

from .helpers import form_data


def test_the_qr_code_is_an_svg_of_the_public_link(signer: Client, petition: dict[str, Any]) -> None:
    code = petition["code"]
    response = signer.get(f"/s/{code}/qr.svg")
    assert response.status_code == 200
    assert response.mimetype == "image/svg+xml"
    assert "Set-Cookie" not in response.headers
    svg = response.data
    assert b"<svg" in svg and b"<script" not in svg
    # The same modules as a QR code of the public link made apart (segno, error level M).
    expected = io.BytesIO()
    segno.make(f"http://localhost/s/{code}", error="m", micro=False).save(
        expected, kind="svg", scale=8, border=4
    )
    assert svg == expected.getvalue() == qr_svg(f"http://localhost/s/{code}")
    other = io.BytesIO()
    segno.make("http://localhost/s/other", error="m").save(other, kind="svg", scale=8, border=4)
    assert svg != other.getvalue()


def test_unknown_codes_have_no_qr_code_or_flyer(signer: Client, petition: dict[str, Any]) -> None:
    for path in ("/s/doesnotexist/qr.svg", "/s/doesnotexist/flyer", "/s/" + "x" * 40 + "/flyer"):
        assert signer.get(path).status_code == 404


def test_the_flyer_has_the_title_text_qr_code_and_link_and_no_personal_data(
    signer: Client, petition: dict[str, Any]
) -> None:
    code = petition["code"]
    signer.post(f"/s/{code}", data=form_data(display="full", email="anna@example.org"))
    public = signer.get(f"/s/{code}").get_data(as_text=True)
    response = signer.get(f"/s/{code}/flyer")
    assert response.status_code == 200
    assert "Set-Cookie" not in response.headers
    page = response.get_data(as_text=True)
    title = re.search(r"<h1>(.*?)</h1>", public, re.S).group(1).strip()
    assert f"<h1>{title}</h1>" in page
    assert f'src="/s/{code}/qr.svg"' in page
    assert f"http://localhost/s/{code}" in page
    assert "/static/css/flyer.css" in page and "<script" not in page
    for personal in ("Анна", "Петрова", "anna@example.org", "Москва", "Harm Reduction Moscow"):
        assert personal not in page
    assert "csrf_token" not in page


def test_the_signing_page_offers_the_link_to_copy_the_flyer_and_the_qr_code(
    signer: Client, petition: dict[str, Any]
) -> None:
    code = petition["code"]
    page = signer.get(f"/s/{code}").get_data(as_text=True)
    # Without script: a read-only field with the link; the script adds the copy button.
    assert re.search(
        rf'<input id="share-link" type="text" readonly value="http://localhost/s/{code}"', page
    )
    assert '<script src="/static/js/share.js" defer></script>' in page
    assert f'href="/s/{code}/flyer"' in page and f'href="/s/{code}/qr.svg"' in page
    script = signer.get("/static/js/share.js")
    script.close()
    assert script.status_code == 200


def test_the_coordinators_page_links_the_flyer(logged_in: Client, petition: dict[str, Any]) -> None:
    page = logged_in.get(f"/petitions/{petition['id']}").get_data(as_text=True)
    assert f'href="/s/{petition["code"]}/flyer"' in page
