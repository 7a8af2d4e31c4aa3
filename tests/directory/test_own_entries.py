"""Coordinators add and change their group's own authorities, demands and sets."""

from __future__ import annotations

import re
from typing import Any

import pytest
import sqlalchemy as sa
from flask import Flask

from letterkit.catalogue import get_catalogue
from letterkit.extensions import db
from letterkit.models import AuditEvent, GroupAuthority, GroupDemand, GroupDemandSet
from tests.conftest import Client, count, login

DISPENSARY = {
    "country": "RU",
    "kind": "local-health",
    "language": "ru",
    "name": "ГБУЗ «Наркологический диспансер № 1»",
    "addressee_ru": "Главному врачу ГБУЗ «Наркологический диспансер № 1»",
    "salutation_ru": "Уважаемый главный врач!",
    "city": "Оренбург",
}


def add_authority(client: Client, **change: str) -> Any:
    return client.post("/catalogue/authorities/new", data={**DISPENSARY, **change})


def test_adding_a_local_body_takes_five_fields(app: Flask, logged_in: Client) -> None:
    response = add_authority(logged_in)
    assert response.status_code == 302, response.get_data(as_text=True)
    slug = response.headers["Location"].rsplit("/", 1)[1]
    assert re.fullmatch(r"own-\d+", slug)
    page = logged_in.get(f"/catalogue/authorities/{slug}").get_data(as_text=True)
    assert "Главному врачу ГБУЗ «Наркологический диспансер № 1»" in page
    assert "unverified" in page and "badge own" in page
    # The country page lists it, and the reply rule is Russia's.
    country = logged_in.get("/catalogue/countries/RU").get_data(as_text=True)
    assert "Наркологический диспансер № 1" in country
    assert "59-" in page
    with app.app_context():
        assert db.session.scalars(sa.select(AuditEvent.action)).all()[-1] == "authority.saved"


@pytest.mark.parametrize(
    ("change", "field", "message"),
    [
        ({"name": ""}, "name", "This field is required."),
        ({"name": "x" * 301}, "name", "longer than 300"),
        ({"addressee_ru": "", "salutation_ru": ""}, "addressee_en", "at least one letter language"),
        ({"salutation_ru": ""}, "salutation_ru", "both the addressee line and the salutation"),
        ({"country": "XX"}, "country", "Not a valid choice"),
        ({"kind": "bank"}, "kind", "Not a valid choice"),
        ({"verified": "y"}, "source", "Say where the entry was checked."),
        ({"name": "Bad\x07name"}, "name", "control characters"),
        ({"email": "not an address"}, "email", ""),
    ],
)
def test_bad_authority_changes_nothing(
    app: Flask, logged_in: Client, change: dict[str, str], field: str, message: str
) -> None:
    response = add_authority(logged_in, **change)
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    assert f'id="{field}-error"' in page
    assert message in page.split(f'id="{field}-error"', 1)[1].split("</p>", 1)[0]
    assert "Уважаемый главный врач!" in page or change.get("salutation_ru") == ""  # input kept
    assert count(app, GroupAuthority) == 0


def test_override_of_a_shipped_authority_is_for_the_group_only(
    app: Flask, factory, logged_in: Client
) -> None:
    shipped = get_catalogue().authority("ru-minzdrav")
    page = logged_in.get("/catalogue/authorities/ru-minzdrav/edit").get_data(as_text=True)
    assert shipped.addressee("ru").text in page  # the form starts from the shipped entry
    form = {
        "country": "RU",
        "kind": "ministry-health",
        "language": "ru",
        "name": shipped.name("ru").text,
        "name_en": shipped.name("en").text,
        "addressee_en": shipped.addressee("en").text,
        "salutation_en": shipped.salutation("en").text,
        "addressee_ru": "Министру здравоохранения Российской Федерации (изменено)",
        "salutation_ru": "Уважаемая госпожа Министр!",
        "verified": "y",
        "source": "minzdrav.gov.ru, 2026-11-21",
    }
    response = logged_in.post("/catalogue/authorities/ru-minzdrav/edit", data=form)
    assert response.status_code == 302
    assert response.headers["Location"].endswith("/catalogue/authorities/ru-minzdrav")
    page = logged_in.get("/catalogue/authorities/ru-minzdrav").get_data(as_text=True)
    assert "Уважаемая госпожа Министр!" in page
    # Another group still sees the shipped entry; the shipped data is unchanged.
    other = factory.user(factory.group("Other"), "member")
    client = app.test_client()
    login(client, other)
    assert "Уважаемая госпожа Министр!" not in client.get(
        "/catalogue/authorities/ru-minzdrav"
    ).get_data(as_text=True)
    assert get_catalogue().authority("ru-minzdrav").salutation("ru").text != (
        "Уважаемая госпожа Министр!"
    )
    # Undoing brings the shipped entry back for the group.
    assert logged_in.post("/catalogue/authorities/ru-minzdrav/remove").status_code == 302
    assert count(app, GroupAuthority) == 0
    page = logged_in.get("/catalogue/authorities/ru-minzdrav").get_data(as_text=True)
    assert "Уважаемая госпожа Министр!" not in page


def test_own_demand_and_set(app: Flask, logged_in: Client) -> None:
    response = logged_in.post(
        "/catalogue/demands/new",
        data={
            "title_en": "Naloxone in every pharmacy",
            "text_en": "Make naloxone available without prescription in every pharmacy.",
            "title_ru": "Налоксон в каждой аптеке",
            "text_ru": "Обеспечить безрецептурную продажу налоксона в каждой аптеке.",
            "sources": "WHO guidelines on community management of opioid overdose (2014)",
        },
    )
    assert response.status_code == 302
    own = response.headers["Location"].rsplit("/", 1)[1]
    first, second = get_catalogue().demand_set("inpud-2011-russia").slugs[:2]
    response = logged_in.post(
        "/catalogue/sets/new",
        data={
            "title_en": "Our action day",
            "demand": [first, own, second],
            f"position-{own}": "1",
            f"position-{first}": "2",
            f"position-{second}": "3",
        },
    )
    assert response.status_code == 302, response.get_data(as_text=True)
    set_slug = response.headers["Location"].rsplit("/", 1)[1]
    with app.app_context():
        row = db.session.scalars(sa.select(GroupDemandSet)).one()
        assert row.data["demands"] == [own, first, second]
    page = logged_in.get(f"/catalogue/sets/{set_slug}").get_data(as_text=True)
    assert page.index("Make naloxone available") < page.index(
        get_catalogue().demand(first).text("en").text.replace("'", "&#39;")
    )


@pytest.mark.parametrize(
    ("data", "field", "message"),
    [
        ({"title_en": "Only a title"}, "text_en", "both the title and the text"),
        ({}, "text_en", "at least one language"),
        ({"title_en": "T", "text_en": "x" * 4001}, "text_en", "longer than 4000"),
    ],
)
def test_bad_demand_changes_nothing(
    app: Flask, logged_in: Client, data: dict[str, str], field: str, message: str
) -> None:
    response = logged_in.post("/catalogue/demands/new", data=data)
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    assert message in page.split(f'id="{field}-error"', 1)[1].split("</p>", 1)[0]
    assert count(app, GroupDemand) == 0


def test_set_needs_a_title_and_demands(app: Flask, logged_in: Client) -> None:
    page = logged_in.post("/catalogue/sets/new", data={"title_en": "Empty"}).get_data(as_text=True)
    assert "Choose at least one demand." in page
    page = logged_in.post("/catalogue/sets/new", data={"demand": ["inpud-2011-ost-nsp"]}).get_data(
        as_text=True
    )
    assert "Give the set a title." in page
    assert count(app, GroupDemandSet) == 0


@pytest.mark.parametrize(
    ("method", "path"),
    [
        ("get", "/catalogue/authorities/new"),
        ("post", "/catalogue/authorities/new"),
        ("post", "/catalogue/authorities/ru-minzdrav/edit"),
        ("post", "/catalogue/demands/new"),
        ("post", "/catalogue/sets/new"),
    ],
)
def test_members_cannot_change_the_catalogue(
    app: Flask, factory, client: Client, method: str, path: str
) -> None:
    login(client, factory.user(factory.group(), "member"))
    assert (
        getattr(client, method)(
            path, **({"data": DISPENSARY} if method == "post" else {})
        ).status_code
        == 403
    )
    assert count(app, GroupAuthority) == 0


def test_other_groups_entries_are_404(app: Flask, factory, logged_in: Client) -> None:
    slug = add_authority(logged_in).headers["Location"].rsplit("/", 1)[1]
    client = app.test_client()
    login(client, factory.user(factory.group("Other"), "coordinator"))
    for method, path in [
        ("get", f"/catalogue/authorities/{slug}"),
        ("get", f"/catalogue/authorities/{slug}/edit"),
        ("post", f"/catalogue/authorities/{slug}/edit"),
        ("post", f"/catalogue/authorities/{slug}/remove"),
    ]:
        kwargs = {"data": DISPENSARY} if method == "post" else {}
        assert getattr(client, method)(path, **kwargs).status_code == 404, path
    assert count(app, GroupAuthority) == 1
    assert "Наркологический диспансер" not in client.get("/catalogue/countries/RU").get_data(
        as_text=True
    )
