"""First-run set-up: the first group and its coordinator."""

from __future__ import annotations

from typing import Any

import pytest
import sqlalchemy as sa
from flask import Flask

from letterkit.models import AuditEvent, Group, Membership, Role, User
from tests.conftest import Client, count

GOOD = {
    "group_name": "Союз «Вместе»",
    "default_letter_language": "ru",
    "display_name": "Анна",
    "email": "Anna@Example.org",
    "password": "a long enough password",
    "confirm": "a long enough password",
    "interface_language": "ru",
}


def test_first_page_is_the_set_up_form(client: Client) -> None:
    response = client.get("/")
    assert response.status_code == 302
    assert response.headers["Location"].endswith("/setup")
    page = client.get("/setup").get_data(as_text=True)
    assert "Set up letterkit" in page
    assert 'for="group_name"' in page


def test_set_up_creates_group_and_coordinator(app: Flask, client: Client) -> None:
    response = client.post("/setup", data=GOOD)
    assert response.status_code == 302
    assert response.headers["Location"].endswith("/group/settings")
    with app.app_context():
        from letterkit.extensions import db

        user = db.session.scalars(sa.select(User)).one()
        assert user.email == "anna@example.org"
        assert user.password_hash.startswith("$argon2id$")
        assert "a long enough password" not in user.password_hash
        membership = db.session.scalars(sa.select(Membership)).one()
        assert membership.role is Role.COORDINATOR
        assert membership.group.name == "Союз «Вместе»"
        assert membership.group.slug == "soyuz-vmeste"
        assert membership.group.default_letter_language == "ru"
    # Signed in, and the interface follows the chosen language.
    page = client.get("/").get_data(as_text=True)
    assert "Союз «Вместе»" in page
    assert count(app, AuditEvent) >= 2


def test_set_up_is_closed_once_done(app: Flask, client: Client) -> None:
    client.post("/setup", data=GOOD)
    other = app.test_client()
    response = other.get("/setup")
    assert response.status_code == 302 and response.headers["Location"].endswith("/login")
    response = other.post("/setup", data={**GOOD, "email": "second@example.org"})
    assert response.status_code == 302
    assert count(app, User) == 1 and count(app, Group) == 1


LONG = "x" * 10_000


@pytest.mark.parametrize(
    ("change", "field", "message"),
    [
        ({"group_name": ""}, "group_name", "This field is required."),
        ({"group_name": "   "}, "group_name", "This field is required."),
        ({"group_name": LONG}, "group_name", "cannot be longer than 200 characters"),
        ({"display_name": ""}, "display_name", "This field is required."),
        ({"display_name": LONG}, "display_name", "cannot be longer than 120 characters"),
        ({"display_name": "A\x00B"}, "display_name", "control characters"),
        ({"group_name": "Line\nbreak"}, "group_name", "single line"),
        ({"email": "not-an-address"}, "email", "Enter an e-mail address"),
        ({"email": "a@b"}, "email", "Enter an e-mail address"),
        ({"email": ""}, "email", "This field is required."),
        ({"confirm": "something else entirely"}, "confirm", "The passwords do not match."),
        ({"password": "short", "confirm": "short"}, "password", "Use between 10 and 200"),
        ({"interface_language": "de"}, "interface_language", "Not a valid choice"),
        ({"default_letter_language": "xx"}, "default_letter_language", "Not a valid choice"),
    ],
)
def test_bad_input_is_refused_next_to_the_field(
    app: Flask, client: Client, change: dict[str, Any], field: str, message: str
) -> None:
    response = client.post("/setup", data={**GOOD, **change})
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    assert f'id="{field}-error"' in page
    error_block = page.split(f'id="{field}-error"', 1)[1].split("</p>", 1)[0]
    assert message in error_block
    assert 'aria-invalid="true"' in page
    # What was typed is kept (but never the password).
    if field not in {"email", "display_name"} and change.get("display_name") is None:
        assert "Анна" in page
    assert "a long enough password" not in page
    assert count(app, User) == 0 and count(app, Group) == 0


def test_errors_are_shown_in_the_interface_language(client: Client) -> None:
    client.post("/language", data={"lang": "ru", "next": "/setup"})
    page = client.post("/setup", data={**GOOD, "confirm": "other password 123"}).get_data(
        as_text=True
    )
    assert "Пароли не совпадают." in page


def test_set_up_can_load_the_example_campaigns(app: Flask, client: Client) -> None:
    from letterkit.models import Campaign, CampaignTarget, Letter

    assert client.post("/setup", data={**GOOD, "load_examples": "y"}).status_code == 302
    assert count(app, Campaign) == 2
    assert count(app, CampaignTarget) == 17 and count(app, Letter) == 17
    page = client.get("/campaigns/").get_data(as_text=True)
    assert "1 December 2011" in page and "26 June 2019" in page
