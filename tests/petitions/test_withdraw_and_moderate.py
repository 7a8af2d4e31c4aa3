"""Withdrawal through the private link; moderation (hide, show, remove) and counts."""

from __future__ import annotations

import re
from typing import Any

import pytest
import sqlalchemy as sa
from flask import Flask

from letterkit.extensions import db
from letterkit.models import AuditEvent, Display, Petition, Signature
from letterkit.petitions import operations as ops
from letterkit.services import annexes
from tests.conftest import Client, count, login

from .helpers import form_data, make_signon_draft, open_petition, opened


def sign_and_get_token(signer: Client, code: str, **overrides: Any) -> str:
    """Sign; return the withdrawal code the thank-you page shows (and check its link)."""
    assert signer.post(f"/s/{code}", data=form_data(**overrides)).status_code == 303
    page = signer.get(f"/s/{code}/thanks").get_data(as_text=True)
    match = re.search(r'id="withdraw-code" class="wide" type="text" readonly value="([^"]+)"', page)
    assert match, page
    token = match.group(1)
    # the link carries the token only after "#", which browsers never send to the server
    assert f'value="http://localhost/s/{code}/withdraw#{token}"' in page
    return token


def withdraw(signer: Client, code: str, token: str, **kwargs: Any) -> Any:
    return signer.post(f"/s/{code}/withdraw", data={"token": token}, **kwargs)


def test_withdrawal_deletes_the_signature(
    app: Flask, signer: Client, petition: dict[str, Any]
) -> None:
    code = petition["code"]
    sign_and_get_token(signer, code, name="Keep Me")
    sign_and_get_token(signer, code, name="Withdraw Me", email="w@example.org")
    token_two = sign_and_get_token(signer, code, name="Withdraw Me Too")
    assert count(app, Signature) == 3

    confirm = signer.get(f"/s/{code}/withdraw")
    page = confirm.get_data(as_text=True)
    assert confirm.status_code == 200
    assert "Withdraw my signature" in page and 'name="token"' in page
    assert "/static/js/withdraw.js" in page  # fills the code in from the link's fragment
    assert count(app, Signature) == 3  # a GET changes nothing
    response = withdraw(signer, code, token_two)
    assert response.status_code == 303 and response.headers["Location"] == f"/s/{code}/withdrawn"
    done = signer.get(f"/s/{code}/withdrawn").get_data(as_text=True)
    assert "is withdrawn" in done and "Withdraw Me Too" not in done
    names = [signature["name"] for signature in opened(app, petition["group_id"])]
    assert names == ["Keep Me", "Withdraw Me"]
    # the code again: the same answer, nothing else changes
    assert withdraw(signer, code, token_two).status_code == 303
    assert count(app, Signature) == 2
    # the withdrawn signer may sign again
    sign_and_get_token(signer, code, name="Withdraw Me Too")
    assert count(app, Signature) == 3
    # signing, thanking and withdrawing never gave the supporter a session
    assert signer.get_cookie("letterkit_session") is None


@pytest.mark.parametrize(
    "token", ["", "x", "a" * 32, "a" * 500, "A" * 40, "<script>alert(1)</script>"]
)
def test_a_wrong_withdrawal_code_is_refused_and_changes_nothing(
    app: Flask, signer: Client, petition: dict[str, Any], token: str
) -> None:
    sign_and_get_token(signer, petition["code"])
    response = withdraw(signer, petition["code"], token)
    page = response.get_data(as_text=True)
    assert response.status_code == 422
    assert "This code is not right" in page and "<script>alert" not in page
    assert count(app, Signature) == 1


def test_a_token_works_only_for_its_own_petition(
    app: Flask, coordinator: dict[str, Any], signer: Client, petition: dict[str, Any]
) -> None:
    token = sign_and_get_token(signer, petition["code"])
    other_letter = make_signon_draft(app, coordinator)
    _other_id, other_code = open_petition(app, coordinator, other_letter)
    assert withdraw(signer, other_code, token).status_code == 422
    assert count(app, Signature) == 1


def test_withdrawal_without_csrf_is_refused(
    app: Flask, signer: Client, petition: dict[str, Any]
) -> None:
    code = petition["code"]
    token = sign_and_get_token(signer, code)
    refused = withdraw(signer, code, token, csrf=False)
    assert refused.status_code == 400
    assert "Nothing was withdrawn" in refused.get_data(as_text=True)
    assert count(app, Signature) == 1
    # a form made for another browser's cookie does not work in this one either
    other = Client(app, app.response_class, use_cookies=True)
    stolen = other.csrf_token(f"/s/{code}/withdraw")
    response = signer.post(
        f"/s/{code}/withdraw", data={"token": token, "csrf_token": stolen}, csrf=False
    )
    assert response.status_code == 400
    assert count(app, Signature) == 1
    assert withdraw(signer, code, token).status_code == 303
    assert count(app, Signature) == 0


def _ids(app: Flask) -> list[int]:
    with app.app_context():
        return list(db.session.scalars(sa.select(Signature.id).order_by(Signature.id)))


def _counts(app: Flask, petition_id: int) -> annexes.Counts:
    with app.app_context():
        return annexes.counts(db.session.get(Petition, petition_id))


def test_hide_show_and_remove_with_counts(
    app: Flask, logged_in: Client, signer: Client, petition: dict[str, Any]
) -> None:
    code, pid = petition["code"], petition["id"]
    signer.post(f"/s/{code}", data=form_data(name="Full One", display="full"))
    signer.post(f"/s/{code}", data=form_data(name="Initials Two", display="initials"))
    signer.post(f"/s/{code}", data=form_data(name="Counted Three", display="count"))
    signer.post(f"/s/{code}", data=form_data(kind="organisation", name="Spam Org", display="full"))
    first, second, third, spam = _ids(app)

    page = logged_in.get(f"/petitions/{pid}").get_data(as_text=True)
    assert re.search(r'id="count-total">4<', page) and re.search(r'id="count-hidden">0<', page)

    assert logged_in.post(f"/petitions/{pid}/signatures/{second}/hide").status_code == 302
    assert logged_in.post(f"/petitions/{pid}/signatures/{spam}/remove").status_code == 302
    numbers = _counts(app, pid)
    assert (numbers.total, numbers.visible, numbers.hidden) == (3, 2, 1)
    assert numbers.by_display == {Display.FULL: 1, Display.INITIALS: 0, Display.COUNT: 1}
    assert (numbers.organisations, numbers.people) == (0, 2)
    assert re.search(r'id="signature-count">2 ', signer.get(f"/s/{code}").get_data(as_text=True))
    page = logged_in.get(f"/petitions/{pid}").get_data(as_text=True)
    assert re.search(r'id="count-visible">2<', page) and re.search(r'id="count-hidden">1<', page)

    annex = logged_in.get(f"/petitions/{pid}/annex").get_data(as_text=True)
    assert "Full One" in annex and "I. T." not in annex and "Spam Org" not in annex

    hidden_list = logged_in.get(f"/petitions/{pid}/signatures?show=hidden").get_data(as_text=True)
    # the key is locked: the list shows what signers chose to show
    assert "I. T." in hidden_list and "Full One" not in hidden_list
    assert "Initials Two" not in hidden_list
    logged_in.post(f"/petitions/{pid}/signatures/{second}/show")
    assert _counts(app, pid).hidden == 0
    assert _ids(app) == [first, second, third]

    with app.app_context():
        actions = db.session.scalars(sa.select(AuditEvent.action)).all()
        details = db.session.scalars(sa.select(AuditEvent.details)).all()
    assert {"signature.hidden", "signature.shown", "signature.removed"} <= set(actions)
    assert "Spam Org" not in repr(details) and "Initials Two" not in repr(details)


def test_moderation_needs_the_csrf_token_and_the_right_group(
    app: Flask,
    factory: Any,
    client: Client,
    logged_in: Client,
    signer: Client,
    petition: dict[str, Any],
) -> None:
    signer.post(f"/s/{petition['code']}", data=form_data())
    [signature_id] = _ids(app)
    url = f"/petitions/{petition['id']}/signatures/{signature_id}/remove"
    assert logged_in.post(url, csrf=False).status_code == 400
    outsider = factory.user(factory.group("Other group"), "coordinator")
    other = app.test_client()
    login(other, outsider)
    assert other.post(url).status_code == 404
    assert other.get(f"/petitions/{petition['id']}").status_code == 404
    assert other.get(f"/petitions/{petition['id']}/export.csv").status_code == 404
    # a signature id of another petition is not found under this one
    assert logged_in.post(f"/petitions/{petition['id']}/signatures/999999/hide").status_code == 404
    assert count(app, Signature) == 1


def test_the_moderation_list_is_paginated(
    app: Flask, logged_in: Client, petition: dict[str, Any]
) -> None:
    with app.test_request_context():
        item = db.session.get(Petition, petition["id"])
        for n in range(120):
            ops.sign(
                db.session.connection(),
                item.code,
                ops.SignerDetails(
                    kind=ops.SignerKind.PERSON,
                    name=f"Signer {n:03d}",
                    city="Tallinn",
                    country="EE",
                    display=Display.FULL,
                ),
                language="en",
            )
        db.session.commit()
    url = f"/petitions/{petition['id']}/signatures"
    first = logged_in.get(url).get_data(as_text=True)
    assert "Page 1 of 3" in first and "Signer 119" in first and "Signer 069" not in first
    third = logged_in.get(url + "?page=3").get_data(as_text=True)
    assert "Signer 000" in third and "Signer 119" not in third
    assert "Signer" in logged_in.get(url + "?page=0").get_data(as_text=True)
    assert "No signatures here." in logged_in.get(url + "?page=99").get_data(as_text=True)
