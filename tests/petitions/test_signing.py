"""Signing on the public page: display choices, consent, bad input, duplicates, honeypot, limits."""

from __future__ import annotations

import logging
import re
import statistics
from typing import Any

import pytest
import sqlalchemy as sa
from flask import Flask
from limits.storage import MemoryStorage
from markupsafe import escape

from letterkit.extensions import db
from letterkit.models import Display, Group, Petition, Signature, SignerKind
from letterkit.petitions import keys, signing
from letterkit.petitions import operations as ops
from letterkit.petitions.operations import token_hash
from letterkit.services import annexes
from tests.conftest import SIGNING_FORM_TOKEN, Client, count, login, make_config

from .helpers import form_data, make_signon_draft, open_petition, opened, prepare_group


def signatures(app: Flask) -> list[Signature]:
    with app.app_context():
        rows = db.session.scalars(sa.select(Signature).order_by(Signature.id)).all()
        for row in rows:
            db.session.expunge(row)
        return list(rows)


def public_count(client: Client, code: str) -> int:
    page = client.get(f"/s/{code}").get_data(as_text=True)
    match = re.search(r'id="signature-count">(\d+)', page)
    assert match, page
    return int(match.group(1))


def test_public_page_shows_the_letter_and_the_form_without_login(
    signer: Client, petition: dict[str, Any]
) -> None:
    response = signer.get(f"/s/{petition['code']}")
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "О гуманизации наркополитики" in page
    assert "Министру здравоохранения Российской Федерации" in page
    assert 'name="csrf_token"' in page and 'name="consent"' in page
    # No inline script; only the share button's, from this host (the page works without it).
    assert re.findall(r"<script[^>]*>", page) == ['<script src="/static/js/share.js" defer>']
    # The form offers "counted only" first: the default of a new petition.
    assert re.search(r'<input[^>]* checked [^>]*value="count"', page)
    assert not re.search(r'<input[^>]* checked [^>]*value="(full|initials)"', page)
    # The person who signs for the group is not published, and no asset comes from elsewhere.
    assert "Anna Coordinator" not in page
    assert not re.search(r'(src|href)="(https?:)?//', page)


def test_public_page_shows_no_group_navigation_to_a_signed_in_member(
    logged_in: Client, petition: dict[str, Any]
) -> None:
    page = logged_in.get(f"/s/{petition['code']}").get_data(as_text=True)
    assert 'aria-label="Main"' not in page
    assert "/petitions" not in page and "/members" not in page
    assert 'class="context"' not in page
    # ...while the coordinator's own pages do have it, with the new link.
    home = logged_in.get("/petitions").get_data(as_text=True)
    assert 'href="/petitions">Petitions</a>' in home


def test_unknown_code_is_404(signer: Client, petition: dict[str, Any]) -> None:
    assert signer.get("/s/doesnotexist").status_code == 404
    assert signer.post("/s/doesnotexist", data=form_data()).status_code == 404


@pytest.mark.parametrize(
    ("overrides", "kind", "display", "annex_row"),
    [
        (
            {"display": "full"},
            SignerKind.PERSON,
            Display.FULL,
            ("Анна Петрова", "Москва", "Россия"),
        ),
        ({"display": "initials"}, SignerKind.PERSON, Display.INITIALS, ("А. П.", "Москва", "")),
        ({"display": "count"}, SignerKind.PERSON, Display.COUNT, None),
        (
            {
                "kind": "organisation",
                "name": "Фонд «Гуманитарное действие»",
                "city": "Санкт-Петербург",
                "contact_person": "Иван Иванов",
                "display": "full",
            },
            SignerKind.ORGANISATION,
            Display.FULL,
            ("Фонд «Гуманитарное действие»", "Санкт-Петербург", "Россия"),
        ),
        (
            {"kind": "organisation", "name": "Quiet Org", "display": "count"},
            SignerKind.ORGANISATION,
            Display.COUNT,
            None,
        ),
    ],
    ids=["person-full", "person-initials", "person-count", "org-full", "org-count"],
)
def test_every_display_choice_is_stored_and_annexed_as_chosen(
    app: Flask,
    signer: Client,
    petition: dict[str, Any],
    overrides: dict[str, Any],
    kind: SignerKind,
    display: Display,
    annex_row: tuple[str, ...] | None,
) -> None:
    response = signer.post(f"/s/{petition['code']}", data=form_data(**overrides))
    assert response.status_code == 303
    assert response.headers["Location"] == f"/s/{petition['code']}/thanks"
    [row] = signatures(app)
    assert (row.kind, row.display) == (kind, display)
    assert row.consented_at is not None and row.consent_language == "en"
    assert row.withdraw_token_hash and len(row.dedupe_hash) == 64
    with app.app_context():
        item = db.session.get(Petition, petition["id"])
        rows = list(annexes.annex_rows(item, "ru"))
        assert annexes.public_count(item) == 1
    assert rows == ([annex_row] if annex_row else [])


def test_only_what_the_kind_uses_is_kept(
    app: Flask, signer: Client, petition: dict[str, Any]
) -> None:
    signer.post(
        f"/s/{petition['code']}",
        data=form_data(email="Anna@Example.org", contact_person="Should be dropped"),
    )
    signer.post(
        f"/s/{petition['code']}",
        data=form_data(
            kind="organisation",
            name="Org",
            display="full",
            email="org@example.org",
            contact_person="Olga",
        ),
    )
    person, organisation = opened(app, petition["group_id"])
    assert (person["email"], person["contact_person"]) == ("anna@example.org", "")
    assert (organisation["email"], organisation["contact_person"]) == ("", "Olga")
    # in clear: only what the annex shows (initials and city; name, city and country)
    assert person["row"] == {
        "name": "",
        "initials": "А. П.",
        "city": "Москва",
        "country": "",
        "email": None,
        "contact_person": "",
    }
    assert organisation["row"] == {
        "name": "Org",
        "initials": "",
        "city": "Москва",
        "country": "RU",
        "email": None,
        "contact_person": "",
    }


def test_thank_you_page_has_no_personal_data_and_shows_the_withdrawal_link_once(
    signer: Client, petition: dict[str, Any]
) -> None:
    code = petition["code"]
    response = signer.post(f"/s/{code}", data=form_data(name="Zinaida Uniquename"))
    assert "Zinaida" not in response.headers["Location"]
    first = signer.get(f"/s/{code}/thanks").get_data(as_text=True)
    assert "Zinaida" not in first
    assert f"/s/{code}/withdraw#" in first
    assert "1 signature so far" in first
    assert "withdraw your signature with this link and sign again" in first
    again = signer.get(f"/s/{code}/thanks").get_data(as_text=True)
    assert "/withdraw#" not in again


def test_the_withdrawal_token_reaches_only_the_thank_you_page_and_is_not_cached(
    app: Flask, signer: Client, petition: dict[str, Any]
) -> None:
    code = petition["code"]
    response = signer.post(f"/s/{code}", data=form_data())
    (cookie,) = response.headers.getlist("Set-Cookie")
    token = cookie.split(";", 1)[0].partition("=")[2]
    assert cookie.startswith(f"{signing.THANKS_COOKIE}=")
    assert f"Path=/s/{code}/thanks;" in cookie and "Max-Age=600" in cookie
    assert "HttpOnly" in cookie and "Secure" in cookie
    assert token not in response.headers["Location"]
    with app.app_context():
        stored = db.session.scalar(sa.select(Signature.withdraw_token_hash))
    assert stored == token_hash(token) and token not in stored
    thanks = signer.get(f"/s/{code}/thanks")
    assert f"/withdraw#{token}" in thanks.get_data(as_text=True)
    assert f'id="withdraw-code" class="wide" type="text" readonly value="{token}"' in (
        thanks.get_data(as_text=True)
    )
    assert thanks.headers["Cache-Control"] == "no-store"
    assert any(
        c.startswith(f"{signing.THANKS_COOKIE}=;") for c in thanks.headers.getlist("Set-Cookie")
    )


def test_a_forged_thank_you_cookie_shows_no_link(signer: Client, petition: dict[str, Any]) -> None:
    code = petition["code"]
    signer.set_cookie(signing.THANKS_COOKIE, '"><script>x</script>', path=f"/s/{code}/thanks")
    page = signer.get(f"/s/{code}/thanks").get_data(as_text=True)
    assert "/withdraw#" not in page and "<script>x" not in page


def test_count_goes_up_with_each_signature(signer: Client, petition: dict[str, Any]) -> None:
    code = petition["code"]
    assert public_count(signer, code) == 0
    signer.post(f"/s/{code}", data=form_data(name="One Person"))
    signer.post(f"/s/{code}", data=form_data(name="Two Person", display="count"))
    assert public_count(signer, code) == 2


NAME_ERROR = re.compile(r'<p class="error" id="(?P<field>[a-z_]+)-error">(?P<message>[^<]+)</p>')


@pytest.mark.parametrize(
    ("overrides", "field", "message"),
    [
        ({"name": ""}, "name", "This is required."),
        ({"name": "   "}, "name", "This is required."),
        ({"name": "Я" * 10_000}, "name", "This is too long: at most 200 characters."),
        ({"city": "x" * 10_000}, "city", "This is too long: at most 120 characters."),
        (
            {"email": "a" * 10_000 + "@example.org"},
            "email",
            "This is too long: at most 254 characters.",
        ),
        (
            {"contact_person": "c" * 10_000},
            "contact_person",
            "This is too long: at most 200 characters.",
        ),
        ({"email": "not-an-address"}, "email", "Enter an e-mail address such as name@example.org."),
        ({"country": "XX"}, "country", "Choose a country from the list."),
        ({"country": ""}, "country", "This is required."),
        ({"consent": None}, "consent", "Please agree to the use of your data to sign."),
        (
            {"name": "Anna\x00Petrova"},
            "name",
            "Remove the invisible control characters from this field.",
        ),
        (
            {"city": "Mos\x1bcow"},
            "city",
            "Remove the invisible control characters from this field.",
        ),
        ({"name": "Anna\nPetrova"}, "name", "This field takes a single line."),
        (
            {"kind": "organisation", "name": "Org", "display": "initials"},
            "display",
            "Organisations are listed by name or counted only.",
        ),
    ],
    ids=[
        "empty-name",
        "blank-name",
        "long-name",
        "long-city",
        "long-email",
        "long-contact",
        "bad-email",
        "unknown-country",
        "no-country",
        "no-consent",
        "nul-in-name",
        "escape-in-city",
        "newline-in-name",
        "organisation-initials",
    ],
)
def test_bad_input_is_refused_next_to_the_field_and_changes_nothing(
    app: Flask,
    signer: Client,
    petition: dict[str, Any],
    overrides: dict[str, Any],
    field: str,
    message: str,
) -> None:
    data = form_data(**overrides)
    response = signer.post(f"/s/{petition['code']}", data=data)
    page = response.get_data(as_text=True)
    assert response.status_code == 422
    errors = {m["field"]: m["message"] for m in NAME_ERROR.finditer(page)}
    assert errors == {field: message}
    assert "Please correct the fields marked below" in page
    assert count(app, Signature) == 0
    # What the signer typed is still in the form, also the refused text.
    for name in ("name", "city", "email", "contact_person"):
        if data[name].strip() and "\x00" not in data[name]:
            typed = re.escape(str(escape(data[name])))
            assert re.search(rf'<input[^>]* name="{name}"[^>]* value="{typed}"', page), name


def test_errors_are_in_the_page_language(
    app: Flask, signer: Client, petition: dict[str, Any]
) -> None:
    signer.post("/language", data={"lang": "ru"})
    response = signer.post(
        f"/s/{petition['code']}", data=form_data(name="", city="г" * 500, email="плохой")
    )
    page = response.get_data(as_text=True)
    assert response.status_code == 422
    assert '<html lang="ru">' in page
    errors = {m["field"]: m["message"] for m in NAME_ERROR.finditer(page)}
    assert errors["name"] == "Это обязательное поле."
    assert errors["city"] == "Слишком длинный текст: допускается не более 120 симв."
    assert errors["email"] == "Введите адрес электронной почты, например name@example.org."
    assert count(app, Signature) == 0


def test_a_request_without_the_csrf_token_is_refused(
    app: Flask, signer: Client, petition: dict[str, Any]
) -> None:
    response = signer.post(f"/s/{petition['code']}", data=form_data(), csrf=False)
    assert response.status_code == 400
    assert count(app, Signature) == 0


def _token_and_cookie(client: Client, code: str) -> tuple[str, str]:
    page = client.get(f"/s/{code}").get_data(as_text=True)
    match = SIGNING_FORM_TOKEN.search(page)
    cookie = client.get_cookie(signing.NONCE_COOKIE, path="/s/")
    assert match and cookie
    return match.group(1), cookie.value


@pytest.mark.parametrize(
    "tamper",
    [
        "no cookie",  # the form posted from another site: the browser sends no Lax cookie
        "other cookie",  # a token from one browser sent with another browser's cookie
        "forged token",  # a cookie and a token made without the app's secret
        "planted cookie",  # a cookie planted by someone else, with our form's token
    ],
)
def test_a_token_that_does_not_belong_to_the_cookie_is_refused_and_the_input_kept(
    app: Flask, signer: Client, petition: dict[str, Any], tamper: str
) -> None:
    code = petition["code"]
    token, cookie = _token_and_cookie(signer, code)
    if tamper == "no cookie":
        signer.delete_cookie(signing.NONCE_COOKIE, path="/s/")
    elif tamper == "other cookie":
        other = app.test_client()
        _other_token, other_cookie = _token_and_cookie(other, code)  # type: ignore[arg-type]
        signer.set_cookie(signing.NONCE_COOKIE, other_cookie, path="/s/")
    elif tamper == "forged token":
        token = signing.form_token("not the secret", cookie)
    else:
        signer.set_cookie(signing.NONCE_COOKIE, signing.new_nonce(), path="/s/")
    data = form_data(name="Keep This Name", city="Keep This City")
    response = signer.post(f"/s/{code}", data={**data, "csrf_token": token}, csrf=False)
    page = response.get_data(as_text=True)
    assert response.status_code == 400
    assert count(app, Signature) == 0
    assert "Nothing was signed" in page
    assert 'value="Keep This Name"' in page and 'value="Keep This City"' in page
    # the page offers a form that works: sending it again signs once
    retry = SIGNING_FORM_TOKEN.search(page)
    assert retry
    again = signer.post(f"/s/{code}", data={**data, "csrf_token": retry.group(1)}, csrf=False)
    assert again.status_code == 303
    assert count(app, Signature) == 1


def test_the_signing_cookie_is_limited_to_the_public_pages(
    signer: Client, petition: dict[str, Any]
) -> None:
    response = signer.get(f"/s/{petition['code']}")
    cookies = response.headers.getlist("Set-Cookie")
    assert len(cookies) == 1, cookies  # no session: a supporter carries no other cookie
    attributes = {part.strip().split("=")[0].lower() for part in cookies[0].split(";")}
    assert cookies[0].startswith(f"{signing.NONCE_COOKIE}=")
    assert {"httponly", "secure", "samesite", "path"} <= attributes
    assert "Path=/s/;" in cookies[0] + ";" and "SameSite=Lax" in cookies[0]
    # the same cookie (and so the same token) serves the next page view
    again = signer.get(f"/s/{petition['code']}")
    assert again.headers.getlist("Set-Cookie") == []


def _without_tokens(page: str, *tokens: str) -> str:
    """A page with its per-request parts (form token, withdrawal token) blanked out."""
    page = SIGNING_FORM_TOKEN.sub("csrf", page)
    for token in tokens:
        page = page.replace(token, "TOKEN")
    return page


def _sign_and_thank(signer: Client, code: str, data: dict[str, Any]) -> tuple[Any, str, str]:
    response = signer.post(f"/s/{code}", data=data)
    cookie = response.headers.get("Set-Cookie", "")
    token = cookie.split(";", 1)[0].partition("=")[2]
    thanks = signer.get(f"/s/{code}/thanks").get_data(as_text=True)
    return response, token, thanks


@pytest.mark.parametrize(
    ("first", "second", "field"),
    [
        (
            {"email": "anna@example.org"},
            {"email": "ANNA@example.org ", "name": "Other Name"},
            "email",
        ),
        ({}, {"name": "  анна   ПЕТРОВА ", "city": "МОСКВА"}, "name"),
        # NFKC: full-width letters and a non-breaking space compare equal
        (
            {"name": "Anna Petrova", "city": "Kyiv"},
            {"name": "Ａｎｎａ\u00a0Petrova", "city": "kyiv"},
            "name",
        ),
        (
            {"kind": "organisation", "name": "Org One", "display": "full"},
            {"kind": "organisation", "name": "ORG ONE", "display": "count"},
            "name",
        ),
    ],
    ids=["same-email", "same-name-and-city", "nfkc", "organisation"],
)
def test_duplicates_get_the_same_answer_as_new_signatures_and_are_stored_once(
    app: Flask,
    signer: Client,
    petition: dict[str, Any],
    first: dict[str, Any],
    second: dict[str, Any],
    field: str,
) -> None:
    code = petition["code"]
    new, new_token, new_thanks = _sign_and_thank(signer, code, form_data(**first))
    dup, dup_token, dup_thanks = _sign_and_thank(signer, code, form_data(**{**first, **second}))
    assert (new.status_code, dup.status_code) == (303, 303)
    assert new.headers["Location"] == dup.headers["Location"] == f"/s/{code}/thanks"
    assert new.get_data() == dup.get_data()
    assert signing.well_formed(new_token) and signing.well_formed(dup_token)
    assert len(new_token) == len(dup_token) and new_token != dup_token
    # the cookies differ in the token and, at a second's turn, in their Expires date only
    cookies = [
        re.sub(r"Expires=[^;]+; ", "", response.headers["Set-Cookie"].replace(token, "T"))
        for response, token in ((new, new_token), (dup, dup_token))
    ]
    assert cookies[0] == cookies[1]
    assert _without_tokens(new_thanks, new_token) == _without_tokens(dup_thanks, dup_token)
    assert "has already signed this letter" not in dup_thanks
    assert count(app, Signature) == 1
    # the first signature is the one kept; the duplicate's token withdraws nothing
    with app.app_context():
        assert db.session.scalar(sa.select(Signature.withdraw_token_hash)) == token_hash(new_token)
    response = signer.post(f"/s/{code}/withdraw", data={"token": dup_token})
    assert response.status_code == 303
    assert count(app, Signature) == 1
    response = signer.post(f"/s/{code}/withdraw", data={"token": new_token})
    assert response.status_code == 303
    assert count(app, Signature) == 0


def test_a_duplicate_takes_about_as_long_as_a_new_signature(
    app: Flask, signer: Client, petition: dict[str, Any]
) -> None:
    """The same work for both (hash, seal, one upsert that writes): medians of interleaved runs
    stay close. Bounds are loose: this catches a skipped step (a query, the sealing), not noise."""
    import time

    code = petition["code"]
    signer.post(f"/s/{code}", data=form_data(name="Already Here", email="here@example.org"))
    token = signer.csrf_token(f"/s/{code}")
    new_times, dup_times = [], []
    for n in range(30):
        for times, data in (
            (new_times, form_data(name=f"Person {n}", email=f"p{n}@example.org")),
            (dup_times, form_data(name="Already Here", email="here@example.org")),
        ):
            started = time.perf_counter()
            response = signer.post(f"/s/{code}", data={**data, "csrf_token": token}, csrf=False)
            times.append(time.perf_counter() - started)
            assert response.status_code == 303
    ratio = statistics.median(dup_times) / statistics.median(new_times)
    assert 0.6 < ratio < 1.6, ratio
    assert count(app, Signature) == 31


def test_same_name_in_another_city_or_with_an_email_is_not_a_duplicate(
    app: Flask, signer: Client, petition: dict[str, Any]
) -> None:
    code = petition["code"]
    assert signer.post(f"/s/{code}", data=form_data()).status_code == 303
    assert signer.post(f"/s/{code}", data=form_data(city="Казань")).status_code == 303
    assert signer.post(f"/s/{code}", data=form_data(email="anna@example.org")).status_code == 303
    assert count(app, Signature) == 3


def test_the_duplicate_key_is_a_keyed_hash(app: Flask, petition: dict[str, Any]) -> None:
    with app.test_request_context():
        item = db.session.get(Petition, petition["id"])
        details = ops.SignerDetails(
            kind=SignerKind.PERSON,
            name="Anna Petrova",
            city="Kyiv",
            country="UA",
            display=Display.COUNT,
            email="anna@example.org",
        )
        signature_id, token = ops.sign(db.session.connection(), item.code, details, language="en")
        db.session.commit()
        signature = db.session.get(Signature, signature_id)
        key, _field = ops.dedupe_key("Anna Petrova", "Kyiv", "anna@example.org")
        salt = keys.key_of(db.session.get(Group, item.group_id)).dedupe_salt
        secret = app.config["SECRET_KEY"]
        assert signature.dedupe_hash == keys.dedupe_hash(secret, salt, item.code, key)
        assert "anna" not in signature.dedupe_hash
        # another secret or another group's salt, another hash: it cannot be recomputed
        # without the app's key, and links nobody across groups
        other = "another-secret-key-0123456789abcdef"
        assert keys.dedupe_hash(other, salt, item.code, key) != signature.dedupe_hash
        assert keys.dedupe_hash(secret, b"x" * 32, item.code, key) != signature.dedupe_hash
        assert signature.withdraw_token_hash == ops.token_hash(token) != token
        # the database refuses a second row with the same hash, whatever raced the check
        db.session.add(
            Signature(
                petition_id=item.id,
                kind=SignerKind.PERSON,
                display=Display.COUNT,
                dedupe_hash=signature.dedupe_hash,
                withdraw_token_hash="x" * 64,
                consented_at=signature.consented_at,
                consent_language="en",
            )
        )
        with pytest.raises(sa.exc.IntegrityError):
            db.session.flush()
        db.session.rollback()


def test_honeypot_looks_accepted_but_stores_and_counts_nothing(
    app: Flask, signer: Client, petition: dict[str, Any]
) -> None:
    code = petition["code"]
    response = signer.post(f"/s/{code}", data=form_data(homepage="http://spam.example"))
    assert response.status_code == 303
    assert response.headers["Location"] == f"/s/{code}/thanks"
    page = signer.get(f"/s/{code}/thanks").get_data(as_text=True)
    assert "Thank you for signing" in page and "/withdraw#" in page
    assert count(app, Signature) == 0
    assert public_count(signer, code) == 0


def test_a_closed_petition_takes_no_signatures(
    app: Flask,
    coordinator: dict[str, Any],
    logged_in: Client,
    signer: Client,
    petition: dict[str, Any],
) -> None:
    response = logged_in.post(f"/petitions/{petition['id']}/close")
    assert response.status_code == 302
    page = signer.get(f"/s/{petition['code']}").get_data(as_text=True)
    assert "no longer takes signatures" in page and 'name="consent"' not in page
    response = signer.post(f"/s/{petition['code']}", data=form_data())
    assert response.status_code == 409
    assert count(app, Signature) == 0


def test_a_petition_past_its_closing_date_takes_no_signatures(
    app: Flask, signer: Client, petition: dict[str, Any]
) -> None:
    from datetime import date

    with app.app_context():
        db.session.get(Petition, petition["id"]).closes_on = date(2020, 1, 1)
        db.session.commit()
    assert signer.post(f"/s/{petition['code']}", data=form_data()).status_code == 409
    assert count(app, Signature) == 0


def test_nothing_of_the_signer_reaches_the_logs(
    app: Flask, signer: Client, petition: dict[str, Any], caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    code = petition["code"]
    secret_name, secret_mail = "Leakcheck Personname", "leakcheck@example.org"
    responses = [
        signer.post(f"/s/{code}", data=form_data(name=secret_name, email=secret_mail)),
        signer.post(f"/s/{code}", data=form_data(name=secret_name, email=secret_mail)),
        signer.post(f"/s/{code}", data=form_data(name=secret_name, email="broken")),
    ]
    assert [r.status_code for r in responses] == [303, 303, 422]
    for response in responses:
        assert "Leakcheck" not in response.headers.get("Location", "")
    logged = "\n".join(r.getMessage() for r in caplog.records)
    assert "Leakcheck" not in logged and "leakcheck" not in logged


def test_text_in_the_interface_language_when_translated(
    app: Flask, coordinator: dict[str, Any], signer: Client
) -> None:
    prepare_group(app, coordinator["group_id"])
    letter_id = make_signon_draft(app, coordinator)
    _petition_id, code = open_petition(
        app,
        coordinator,
        letter_id,
        translations={"en": ("On humane drug policy", "We, the undersigned, ask you:\n\n1. OST.")},
    )
    english = signer.get(f"/s/{code}").get_data(as_text=True)
    assert "On humane drug policy" in english and "О гуманизации" not in english
    assert f'href="/s/{code}?text=ru"' in english
    russian_text = signer.get(f"/s/{code}?text=ru").get_data(as_text=True)
    assert "О гуманизации наркополитики" in russian_text
    signer.post("/language", data={"lang": "ru"})
    assert "О гуманизации наркополитики" in signer.get(f"/s/{code}").get_data(as_text=True)


class TestRateLimit:
    @pytest.fixture
    def app_config(self) -> dict[str, Any]:
        return {"RATELIMIT_ENABLED": True, "SIGNING_RATE_LIMIT": "2 per minute"}

    def test_signing_is_rate_limited_per_client(
        self, app: Flask, signer: Client, petition: dict[str, Any]
    ) -> None:
        code = petition["code"]
        responses = [
            signer.post(f"/s/{code}", data=form_data(name=f"Person {n}")) for n in range(3)
        ]
        assert [r.status_code for r in responses] == [303, 303, 429]
        assert count(app, Signature) == 2
        refused = responses[2].get_data(as_text=True)
        assert "Nothing was signed" in refused and 'value="Person 2"' in refused
        # reading the page is not limited
        assert signer.get(f"/s/{code}").status_code == 200

    def test_another_client_address_may_still_sign(
        self, app: Flask, signer: Client, petition: dict[str, Any]
    ) -> None:
        code = petition["code"]
        for n in range(2):
            signer.post(f"/s/{code}", data=form_data(name=f"Person {n}"))
        other = signer.post(
            f"/s/{code}",
            data=form_data(name="Elsewhere"),
            environ_overrides={"REMOTE_ADDR": "192.0.2.7"},
        )
        assert other.status_code == 303
        assert count(app, Signature) == 3

    def test_forms_another_site_sends_do_not_use_up_the_limit(
        self, app: Flask, signer: Client, petition: dict[str, Any]
    ) -> None:
        code = petition["code"]
        for n in range(3):  # posted from another site: no signing cookie comes with them
            forged = signer.post(f"/s/{code}", data=form_data(name=f"Forged {n}"), csrf=False)
            assert forged.status_code == 400
        assert signer.post(f"/s/{code}", data=form_data(name="Real Person")).status_code == 303
        assert count(app, Signature) == 1


class FailingStorage(MemoryStorage):
    """A rate-limit storage whose server is down (as a Redis server that stopped would be)."""

    STORAGE_SCHEME = ["letterkit-test-down"]

    def incr(self, *args: Any, **kwargs: Any) -> int:
        raise ConnectionError("storage unreachable")

    def acquire_entry(self, *args: Any, **kwargs: Any) -> bool:
        raise ConnectionError("storage unreachable")


class TestRateLimitStorageDown:
    @pytest.fixture
    def app_config(self) -> dict[str, Any]:
        return {
            "RATELIMIT_ENABLED": True,
            "RATELIMIT_STORAGE_URI": "letterkit-test-down://",
            "SIGNING_RATE_LIMIT": "2 per minute",
        }

    def test_a_signature_is_taken_when_the_limit_cannot_be_counted(
        self,
        app: Flask,
        signer: Client,
        petition: dict[str, Any],
        caplog: pytest.LogCaptureFixture,
    ) -> None:
        with caplog.at_level(logging.WARNING):
            response = signer.post(f"/s/{petition['code']}", data=form_data(name="Anna Pavlova"))
        assert response.status_code == 303
        assert count(app, Signature) == 1
        assert "rate-limit storage failed (ConnectionError)" in caplog.text
        assert "127.0.0.1" not in caplog.text and "Pavlova" not in caplog.text


@pytest.mark.parametrize("setting", ["SIGNING_RATE_LIMIT", "LOGIN_RATE_LIMIT"])
def test_a_rate_limit_that_does_not_parse_stops_the_app_naming_the_setting(
    database: dict[str, Any], setting: str
) -> None:
    from letterkit import create_app

    with pytest.raises(ValueError, match=f"{setting} = 'thirty a minute' is not a rate limit"):
        create_app(make_config(database, **{setting: "thirty a minute"}))


def test_the_signing_cookie_follows_the_app_under_a_path_prefix(
    signer: Client, petition: dict[str, Any]
) -> None:
    response = signer.get(f"/s/{petition['code']}", environ_overrides={"SCRIPT_NAME": "/lk"})
    (cookie,) = response.headers.getlist("Set-Cookie")
    assert "Path=/lk/s/;" in cookie + ";"


def test_members_see_the_petition_but_cannot_moderate(
    app: Flask, factory: Any, client: Client, petition: dict[str, Any], coordinator: dict[str, Any]
) -> None:
    member = factory.user(coordinator["group_id"], "member")
    login(client, member)
    assert client.get(f"/petitions/{petition['id']}").status_code == 200
    assert client.get(f"/petitions/{petition['id']}/annex").status_code == 200
    for url in ("signatures", "settings", "export.csv"):
        assert client.get(f"/petitions/{petition['id']}/{url}").status_code == 403
    assert client.get(f"/petitions/new/{petition['letter_id']}").status_code == 403
