"""Log in, log out, passwords, rate limit."""

from __future__ import annotations

from typing import Any

import pytest
from flask import Flask

from tests.conftest import Client, login


def test_login_and_logout(client: Client, coordinator: dict[str, Any]) -> None:
    assert client.get("/members").status_code == 302
    login(client, coordinator)
    assert client.get("/members").status_code == 200
    response = client.post("/logout")
    assert response.status_code == 302
    assert client.get("/members").status_code == 302


def test_login_accepts_any_case_of_the_email(client: Client, coordinator: dict[str, Any]) -> None:
    login(client, {**coordinator, "email": coordinator["email"].upper()})
    assert client.get("/members").status_code == 200


@pytest.mark.parametrize(
    "credentials",
    [
        {"password": "wrong password 123"},
        {"email": "nobody@example.org"},
    ],
)
def test_wrong_credentials_say_so_without_telling_which(
    client: Client, coordinator: dict[str, Any], credentials: dict[str, str]
) -> None:
    data = {"email": coordinator["email"], "password": coordinator["password"], **credentials}
    response = client.post("/login", data=data)
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    assert "The e-mail or the password is not right." in page
    assert data["password"] not in page
    assert client.get("/members").status_code == 302


def test_login_redirects_only_within_the_site(client: Client, coordinator: dict[str, Any]) -> None:
    data = {"email": coordinator["email"], "password": coordinator["password"]}
    response = client.post("/login?next=https://evil.example/", data=data)
    assert response.headers["Location"] == "/"
    client.post("/logout")
    response = client.post("/login?next=/members", data=data)
    assert response.headers["Location"] == "/members"


def test_removed_member_cannot_log_in(app: Flask, client: Client, factory) -> None:
    group = factory.group()
    factory.user(group, "coordinator")
    member = factory.user(group, "member")
    from letterkit.extensions import db
    from letterkit.models import Membership

    with app.app_context():
        db.session.delete(db.session.get(Membership, member["membership_id"]))
        db.session.commit()
    page = client.post("/login", data={"email": member["email"], "password": member["password"]})
    assert "not a member of any group" in page.get_data(as_text=True)


@pytest.fixture
def app_config() -> dict[str, Any]:
    return {"RATELIMIT_ENABLED": True, "LOGIN_RATE_LIMIT": "3 per minute"}


def test_login_attempts_are_limited(client: Client, coordinator: dict[str, Any]) -> None:
    data = {"email": coordinator["email"], "password": "wrong password 123"}
    statuses = [client.post("/login", data=data).status_code for _ in range(4)]
    assert statuses == [200, 200, 200, 429]
    response = client.post("/login", data={**data, "password": coordinator["password"]})
    assert response.status_code == 429
    assert "Too many attempts" in response.get_data(as_text=True)


def test_change_password_ends_other_sessions(
    app: Flask, client: Client, coordinator: dict[str, Any]
) -> None:
    login(client, coordinator)
    other = app.test_client()
    login(other, coordinator)
    new = "a brand new password"
    response = client.post(
        "/account/password",
        data={"current_password": coordinator["password"], "password": new, "confirm": new},
    )
    assert response.status_code == 302
    assert client.get("/members").status_code == 200  # this session goes on
    assert other.get("/members").status_code == 302  # the other one ended
    client.post("/logout")
    login(client, {**coordinator, "password": new})


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"current_password": "not it at all"}, "The current password is not right."),
        ({"confirm": "different new password"}, "The passwords do not match."),
        ({"password": "short", "confirm": "short"}, "Use between 10 and 200"),
    ],
)
def test_change_password_refuses_bad_input(
    client: Client, coordinator: dict[str, Any], data: dict[str, str], message: str
) -> None:
    login(client, coordinator)
    form = {
        "current_password": coordinator["password"],
        "password": "another good password",
        "confirm": "another good password",
        **data,
    }
    response = client.post("/account/password", data=form)
    assert response.status_code == 200
    assert message in response.get_data(as_text=True)
    client.post("/logout")
    login(client, coordinator)  # the old password still works


def test_logout_ends_every_copy_of_the_session_cookie(
    app: Flask, client: Client, coordinator: dict[str, Any]
) -> None:
    login(client, coordinator)
    cookie = client.get_cookie("letterkit_session")
    assert cookie is not None
    copy = app.test_client()
    copy.set_cookie("letterkit_session", cookie.value)
    assert copy.get("/members").status_code == 200  # the copy works while the session lives
    assert client.post("/logout").status_code == 302
    assert copy.get("/members").status_code == 302  # and stops working at logout


@pytest.mark.parametrize(
    ("base_url", "max_age", "expected"),
    [
        ("https://localhost", 63_072_000, "max-age=63072000"),
        ("https://localhost", 600, "max-age=600"),
        ("https://localhost", 0, None),
        ("http://localhost", 63_072_000, None),  # never over plain http (RFC 6797)
    ],
)
def test_strict_transport_security_over_https_only(
    app: Flask, base_url: str, max_age: int, expected: str | None
) -> None:
    app.config["HSTS_MAX_AGE"] = max_age
    response = app.test_client().get("/healthz", base_url=base_url)
    assert response.headers.get("Strict-Transport-Security") == expected
