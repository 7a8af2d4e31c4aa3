"""Petitions through the API: read only, and a signer shows only what they chose to show."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest
import sqlalchemy as sa
from flask import Flask

from letterkit.extensions import db
from letterkit.models import Display, Group, Letter, Petition, Signature, SignerKind, User, utcnow
from letterkit.petitions import operations as ops
from tests.petitions.helpers import make_signon_draft, open_petition

from .conftest import ApiClient

SIGNERS = [
    # kind, display, name, city, country, email, contact person
    (SignerKind.PERSON, Display.FULL, "Maria Ivanova", "Kazan", "RU", "maria@example.org", ""),
    (SignerKind.PERSON, Display.INITIALS, "Анна Петрова", "Самара", "RU", "anna@example.org", ""),
    (SignerKind.PERSON, Display.COUNT, "Oleg Quietov", "Tver", "RU", "oleg.q@example.org", ""),
    (SignerKind.ORGANISATION, Display.FULL, "Harm Reduction Vilnius", "Vilnius", "LT", "", "Jonas"),
    (SignerKind.ORGANISATION, Display.COUNT, "Silent Collective", "Omsk", "RU", "", "Pyotr"),
]
#: what a counted-only signer typed: none of it may ever leave through the API
COUNTED_ONLY = ("Oleg", "Quietov", "Tver", "oleg.q", "Silent Collective", "Omsk", "Pyotr")
#: parts of signers' data the annex never shows, whatever they chose
NEVER_SHOWN = ("maria@example.org", "anna@example.org", "Анна", "Петрова", "Jonas")


def sign(app: Flask, code: str, signers: list[tuple[Any, ...]]) -> None:
    """Sign through the signing operation, as the public page does."""
    with app.test_request_context():
        for kind, display, name, city, country, email, contact in signers:
            details = ops.SignerDetails(
                kind=kind,
                name=name,
                city=city,
                country=country,
                display=display,
                email=email,
                contact_person=contact,
            )
            ops.sign(db.session.connection(), code, details, language="en")
        db.session.commit()


@pytest.fixture
def petition(app: Flask, group_with_details: dict[str, Any]) -> dict[str, Any]:
    """A petition of the api token's group with five signers, and a hidden sixth."""
    letter_id = make_signon_draft(app, group_with_details)
    petition_id, code = open_petition(
        app, group_with_details, letter_id, goal=100, closes_on=date(2099, 12, 31)
    )
    sign(app, code, SIGNERS)
    sign(app, code, [(SignerKind.PERSON, Display.FULL, "Spam Spammer", "X", "RU", "", "")])
    with app.test_request_context():
        spam = db.session.scalar(sa.select(Signature).where(Signature.name == "Spam Spammer"))
        group = db.session.get(Group, group_with_details["group_id"])
        ops.set_hidden(spam, True, group, db.session.get(User, group_with_details["id"]))
        db.session.commit()
        letter_public_id = db.session.get(Letter, letter_id).public_id
    return {"id": petition_id, "code": code, "letter": letter_public_id}


def raw(response: Any) -> str:
    return response.get_data(as_text=True)


def test_the_list_gives_each_petition_with_its_counts(
    api: ApiClient, petition: dict[str, Any]
) -> None:
    response = api.get("/api/v1/petitions")
    assert response.status_code == 200
    page = response.get_json()
    assert page["next_cursor"] is None
    [item] = page["items"]
    assert item["code"] == petition["code"]
    assert item["letter"] == petition["letter"] and item["letter"].startswith("let_")
    assert item["language"] == "ru" and item["title"] == "О гуманизации наркополитики"
    assert item["is_open"] is True and item["accepts_signatures"] is True
    assert item["goal"] == 100 and item["closes_on"] == "2099-12-31"
    assert item["counts"] == {
        "total": 6,
        "hidden": 1,
        "shown_publicly": 5,
        "listed": 3,
        "organisations": 2,
        "people": 3,
    }


def test_one_petition_with_its_text_and_settings(
    app: Flask, api: ApiClient, petition: dict[str, Any]
) -> None:
    response = api.get(f"/api/v1/petitions/{petition['code']}")
    assert response.status_code == 200
    item = response.get_json()
    assert item["code"] == petition["code"] and item["counts"]["shown_publicly"] == 5
    assert item["public_url"].endswith(f"/s/{petition['code']}")
    assert item["default_display"] == "count" and item["retention_days"] == 90
    assert item["closed_at"] is None
    with app.app_context():
        stored = db.session.get(Petition, petition["id"])
        assert item["texts"] == stored.texts
        assert item["purge_after"] is not None  # it closes on a date, 90 days before purging


def test_a_closed_petition_says_so(app: Flask, api: ApiClient, petition: dict[str, Any]) -> None:
    with app.app_context():
        stored = db.session.get(Petition, petition["id"])
        ops.close(stored, db.session.get(Group, stored.group_id), None)  # type: ignore[arg-type]
        db.session.commit()
    item = api.get(f"/api/v1/petitions/{petition['code']}").get_json()
    assert item["is_open"] is False and item["accepts_signatures"] is False
    assert item["closed_at"] is not None


def test_signatures_are_given_as_the_annex_shows_them(
    api: ApiClient, petition: dict[str, Any]
) -> None:
    response = api.get(f"/api/v1/petitions/{petition['code']}/signatures")
    assert response.status_code == 200
    page = response.get_json()
    assert page["next_cursor"] is None
    today = utcnow().date().isoformat()
    assert page["items"] == [
        {
            "kind": "person",
            "display": "full",
            "name": "Maria Ivanova",
            "initials": None,
            "city": "Kazan",
            "country": "RU",
            "signed_on": today,
        },
        {
            "kind": "person",
            "display": "initials",
            "name": None,
            "initials": "А. П.",
            "city": "Самара",
            "country": None,
            "signed_on": today,
        },
        {
            "kind": "person",
            "display": "count",
            "name": None,
            "initials": None,
            "city": None,
            "country": None,
            "signed_on": today,
        },
        {
            "kind": "organisation",
            "display": "full",
            "name": "Harm Reduction Vilnius",
            "initials": None,
            "city": "Vilnius",
            "country": "LT",
            "signed_on": today,
        },
        {
            "kind": "organisation",
            "display": "count",
            "name": None,
            "initials": None,
            "city": None,
            "country": None,
            "signed_on": today,
        },
    ]


def test_nothing_a_counted_only_signer_typed_leaves_through_the_api(
    app: Flask, api: ApiClient, petition: dict[str, Any]
) -> None:
    # A row signed before sealing existed keeps its data in clear columns: still not shown.
    with app.app_context():
        db.session.add(
            Signature(
                petition_id=petition["id"],
                kind=SignerKind.PERSON,
                display=Display.COUNT,
                name="Legacy Person",
                city="Pskov",
                country="RU",
                email="legacy@example.org",
                dedupe_hash="0" * 64,
                withdraw_token_hash="1" * 64,
                consented_at=utcnow(),
                consent_language="en",
            )
        )
        db.session.commit()
    code = petition["code"]
    responses = [
        api.get("/api/v1/petitions"),
        api.get(f"/api/v1/petitions/{code}"),
        api.get(f"/api/v1/petitions/{code}/signatures"),
        api.get(f"/api/v1/petitions/{code}/signatures?limit=1"),
    ]
    assert all(r.status_code == 200 for r in responses)
    everything = "".join(raw(r) for r in responses)
    # a signer who chose to be shown is, as written (not escaped: the searches below can fail)
    assert "Maria Ivanova" in everything and "Самара" in everything
    for secret in (*COUNTED_ONLY, *NEVER_SHOWN, "Legacy", "Pskov", "legacy@example.org", "@"):
        assert secret not in everything, secret
    assert "Spam Spammer" not in everything  # hidden by moderation, as in the annex
    with app.app_context():
        hashes = db.session.scalars(sa.select(Signature.dedupe_hash)).all()
    assert not any(value in everything for value in hashes)


def test_signature_pages_cover_every_signature_once(
    api: ApiClient, petition: dict[str, Any]
) -> None:
    everything = api.get(f"/api/v1/petitions/{petition['code']}/signatures").get_json()["items"]
    seen: list[Any] = []
    cursor = None
    while True:
        path = f"/api/v1/petitions/{petition['code']}/signatures?limit=2"
        page = api.get(path + (f"&cursor={cursor}" if cursor else "")).get_json()
        assert len(page["items"]) <= 2
        seen += page["items"]
        cursor = page["next_cursor"]
        if cursor is None:
            break
    assert seen == everything and len(seen) == 5


def test_petition_pages_cover_every_petition_once(
    app: Flask, api: ApiClient, group_with_details: dict[str, Any], petition: dict[str, Any]
) -> None:
    codes = [petition["code"]]
    for _ in range(2):
        letter_id = make_signon_draft(app, group_with_details)
        codes.append(open_petition(app, group_with_details, letter_id)[1])
    first = api.get("/api/v1/petitions?limit=2").get_json()
    assert len(first["items"]) == 2 and first["next_cursor"]
    second = api.get(f"/api/v1/petitions?limit=2&cursor={first['next_cursor']}").get_json()
    assert second["next_cursor"] is None
    assert [i["code"] for i in first["items"] + second["items"]] == codes


@pytest.mark.parametrize("query", ["limit=0", "limit=501", "limit=x", "cursor=%24%24"])
def test_bad_queries_get_422(api: ApiClient, petition: dict[str, Any], query: str) -> None:
    for path in ("/api/v1/petitions", f"/api/v1/petitions/{petition['code']}/signatures"):
        response = api.get(f"{path}?{query}")
        assert response.status_code == 422, (path, raw(response))
        assert response.mimetype == "application/problem+json"


def test_a_cursor_of_another_list_or_group_gets_422(
    app: Flask,
    api: ApiClient,
    other_api: ApiClient,
    group_with_details: dict[str, Any],
    petition: dict[str, Any],
) -> None:
    code = petition["code"]
    cursor = api.get(f"/api/v1/petitions/{code}/signatures?limit=1").get_json()["next_cursor"]
    assert cursor
    assert api.get(f"/api/v1/petitions?cursor={cursor}").status_code == 422
    other_code = open_petition(app, group_with_details, make_signon_draft(app, group_with_details))[
        1
    ]
    assert api.get(f"/api/v1/petitions/{other_code}/signatures?cursor={cursor}").status_code == 422
    assert other_api.get(f"/api/v1/petitions?cursor={cursor}").status_code == 422


def test_another_groups_token_finds_nothing(
    api: ApiClient, other_api: ApiClient, petition: dict[str, Any]
) -> None:
    code = petition["code"]
    assert other_api.get("/api/v1/petitions").get_json() == {"items": [], "next_cursor": None}
    for path in (f"/api/v1/petitions/{code}", f"/api/v1/petitions/{code}/signatures"):
        response = other_api.get(path)
        assert response.status_code == 404 and response.mimetype == "application/problem+json"
        assert "Maria" not in raw(response)
    assert api.get("/api/v1/petitions/nosuchcode").status_code == 404
    assert api.get("/api/v1/petitions/nosuchcode/signatures").status_code == 404
    for odd in ("%00", f"{code}%00", "a" * 17, "%D0%B6", f"{code}%20"):
        assert api.get(f"/api/v1/petitions/{odd}").status_code == 404, odd
        assert api.get(f"/api/v1/petitions/{odd}/signatures").status_code == 404, odd


def test_a_read_only_token_reads_and_nothing_writes(
    app: Flask, read_only_api: ApiClient, api: ApiClient, petition: dict[str, Any]
) -> None:
    code = petition["code"]
    assert read_only_api.get(f"/api/v1/petitions/{code}/signatures").status_code == 200
    assert read_only_api.get(f"/api/v1/petitions/{code}").status_code == 200
    # The resource is read only for every token: no method changes a petition or a signature.
    for client in (api, read_only_api):
        for method in ("POST", "PATCH", "DELETE"):
            for path in (f"/api/v1/petitions/{code}", f"/api/v1/petitions/{code}/signatures"):
                assert client.request(method, path, json={}).status_code == 405
    with app.app_context():
        assert db.session.scalar(sa.select(sa.func.count()).select_from(Signature)) == 6


def test_the_document_shows_no_personal_field(app: Flask) -> None:
    document = app.test_client().get("/api/v1/openapi.json").get_json()
    signature = document["components"]["schemas"]["SignatureOut"]["properties"]
    assert set(signature) == {"kind", "display", "name", "initials", "city", "country", "signed_on"}
    for path in (
        "/api/v1/petitions/{petition_code}",
        "/api/v1/petitions/{petition_code}/signatures",
    ):
        assert set(document["paths"][path]) == {"get"}
