"""The letters resource of the API: drafts, finalising, downloads; other groups and read-only
tokens; on both databases."""

from __future__ import annotations

import hashlib
import io
import shutil
from typing import Any

import docx
import pytest
import sqlalchemy as sa
from flask import Flask

from letterkit.catalogue import get_catalogue
from letterkit.extensions import db
from letterkit.models import AuditEvent, Group, HolderForm, Letter, ReferenceCounter, User

from .conftest import ApiClient
from .seed import own_authority

LETTERS = "/api/v1/letters"
RUSSIAN_DEMANDS = list(get_catalogue().demand_set("inpud-2011-russia").slugs)
MOLDOVAN_DEMANDS = list(get_catalogue().demand_set("sdp-2019-md-seven").slugs)


def docx_text(data: bytes) -> str:
    document = docx.Document(io.BytesIO(data))
    parts = [p.text for p in document.paragraphs]
    for table in document.tables:
        parts += [cell.text for row in table.rows for cell in row.cells]
    return "\n".join(parts)


def create(api: ApiClient, **body: Any) -> dict[str, Any]:
    values: dict[str, Any] = {"authority": "ru-minzdrav", "fields": {"subject": "О наркополитике"}}
    values.update(body)
    response = api.post(LETTERS, json=values)
    assert response.status_code == 201, response.get_json()
    return response.get_json()  # type: ignore[no-any-return]


def say_holder(app: Flask, person: dict[str, Any], authority: str, lang: str) -> None:
    """Record how the holder of the office is addressed (the pages ask it on the preview)."""
    from letterkit.services.holders import remember_holder

    with app.test_request_context():
        remember_holder(
            db.session.get(Group, person["group_id"]),
            authority,
            lang,
            form=HolderForm.MALE,
            addressee_name="",
            salutation_name="",
            actor=db.session.get(User, person["id"]),
        )
        db.session.commit()


def rows(app: Flask) -> list[dict[str, Any]]:
    """Every letter as stored, to show that a refused request changed nothing."""
    with app.app_context():
        letters = db.session.scalars(sa.select(Letter).order_by(Letter.id))
        return [
            {
                column.name: getattr(letter, column.key)
                for column in Letter.__table__.columns
                if column.key != "updated_at"
            }
            | {"updated_at": letter.updated_at}
            for letter in letters
        ]


def events(app: Flask, action: str) -> list[AuditEvent]:
    with app.app_context():
        return list(db.session.scalars(sa.select(AuditEvent).where(AuditEvent.action == action)))


def final_letter(app: Flask, api: ApiClient, person: dict[str, Any]) -> dict[str, Any]:
    letter = create(api, place="Москва")
    say_holder(app, person, "ru-minzdrav", "ru")
    response = api.post(f"{LETTERS}/{letter['id']}/finalise", json={})
    assert response.status_code == 200, response.get_json()
    return response.get_json()  # type: ignore[no-any-return]


# --- drafts -------------------------------------------------------------------------------------


def test_a_draft_is_started_as_the_pages_start_it(
    app: Flask, api: ApiClient, group_with_details: dict[str, Any]
) -> None:
    response = api.post(LETTERS, json={"authority": "ru-minzdrav"})
    assert response.status_code == 201
    letter = response.get_json()
    assert response.headers["Location"].endswith(f"/api/v1/letters/{letter['id']}")
    assert letter["id"].startswith("let_") and letter["status"] == "draft"
    assert (letter["template"], letter["language"], letter["country"]) == ("appeal", "ru", "RU")
    assert letter["demands"] == RUSSIAN_DEMANDS  # the set meant for the authority's country
    assert letter["reference"] is None and letter["sha256"] is None
    assert letter["finalised_at"] is None and letter["letter_date"] is None
    assert api.get(response.headers["Location"]).get_json() == letter
    with app.app_context():
        row = db.session.scalar(sa.select(Letter))
        assert row.public_id == letter["id"] and row.group_id == group_with_details["group_id"]
        assert row.created_by_id is None
    (event,) = events(app, "letter.created")
    assert event.details["api_token"].startswith("tok_")


def test_a_draft_takes_every_part(app: Flask, api: ApiClient) -> None:
    body = {
        "authority": "ru-embassy-london",
        "template": "appeal",
        "language": "en",
        "demands": RUSSIAN_DEMANDS[:2],
        "paragraphs": ["Our own paragraph.", "  "],
        "fields": {"subject": "Drug policy", "background": "Line one\n\nLine two"},
        "place": "London",
        "letter_date": "2026-03-01",
        "signer_name": "Oleg Ivanov",
        "signer_title": "Lawyer",
    }
    letter = create(api, **body)
    again = api.get(f"{LETTERS}/{letter['id']}").get_json()
    assert again == letter
    assert again["template"] == "appeal" and again["language"] == "en"
    assert again["demands"] == RUSSIAN_DEMANDS[:2]
    assert again["paragraphs"] == ["Our own paragraph."]
    assert again["fields"] == {"subject": "Drug policy", "background": "Line one\n\nLine two"}
    assert again["subject"] == "Drug policy" and again["place"] == "London"
    assert again["letter_date"] == "2026-03-01"
    assert (again["signer_name"], again["signer_title"]) == ("Oleg Ivanov", "Lawyer")
    with app.app_context():
        row = db.session.scalar(sa.select(Letter))
        assert row.letter_date.isoformat() == "2026-03-01" and row.place == "London"


def test_a_letter_to_a_mission_names_the_government(api: ApiClient) -> None:
    letter = create(api, authority="ru-embassy-london", fields={"subject": "Drug policy"})
    assert letter["template"] == "embassy-letter" and letter["language"] == "en"
    assert letter["fields"]["government"]


@pytest.mark.parametrize(
    ("body", "pointer"),
    [
        ({"authority": "no-such-authority"}, "/authority"),
        ({"template": "no-such-template"}, "/template"),
        ({"language": "zz"}, "/language"),
        ({"language": "fr"}, "/language"),
        ({"demands": ["no-such-demand"]}, "/demands/0"),
        ({"demands": [RUSSIAN_DEMANDS[0], RUSSIAN_DEMANDS[0]]}, "/demands/1"),
        ({"fields": {"no_such_field": "x"}}, "/fields/no_such_field"),
        ({"fields": {"subject": ""}}, "/fields/subject"),
        ({"fields": {"subject": "x" * 301}}, "/fields/subject"),
        ({"signer_title": "Lawyer"}, "/signer_title"),
        ({"letter_date": "1989-12-31"}, "/letter_date"),
    ],
)
def test_values_the_domain_refuses_get_422_naming_them(
    app: Flask, api: ApiClient, body: dict[str, Any], pointer: str
) -> None:
    values = {"authority": "ru-minzdrav", **body}
    response = api.post(LETTERS, json=values)
    assert response.status_code == 422, response.get_json()
    assert response.mimetype == "application/problem+json"
    assert pointer in [error["pointer"] for error in response.get_json()["errors"]]
    assert rows(app) == [] and events(app, "letter.created") == []


@pytest.mark.parametrize(
    "body",
    [
        {},
        {"authority": None},
        {"authority": "Ru Minzdrav"},
        {"authority": "ru-minzdrav", "unknown": 1},
        {"authority": "ru-minzdrav", "demands": "inpud-2011-art"},
        {"authority": "ru-minzdrav", "fields": {"subject": 5}},
        {"authority": "ru-minzdrav", "fields": {"Subject": "x"}},
        {"authority": "ru-minzdrav", "place": "two\nlines"},
        {"authority": "ru-minzdrav", "letter_date": "01.03.2026"},
        {"authority": "ru-minzdrav", "paragraphs": ["x"] * 21},
        [],
    ],
)
def test_schema_invalid_bodies_get_422_and_change_nothing(
    app: Flask, api: ApiClient, body: Any
) -> None:
    response = api.post(LETTERS, json=body)
    assert response.status_code == 422, response.get_json()
    assert response.get_json()["errors"]
    assert rows(app) == []


def test_a_body_that_is_not_json_is_refused(app: Flask, api: ApiClient) -> None:
    text = api.post(LETTERS, data="authority=ru-minzdrav", headers={"Content-Type": "text/plain"})
    assert text.status_code == 415
    broken = api.post(LETTERS, data="{", headers={"Content-Type": "application/json"})
    assert broken.status_code == 400
    assert rows(app) == []


def test_a_draft_changes_only_in_the_parts_sent(app: Flask, api: ApiClient) -> None:
    letter = create(
        api, fields={"subject": "О наркополитике", "background": "Текст"}, place="Москва"
    )
    path = f"{LETTERS}/{letter['id']}"
    response = api.patch(path, json={"fields": {"subject": "Новый заголовок"}})
    assert response.status_code == 200
    changed = response.get_json()
    assert changed["fields"] == {"subject": "Новый заголовок", "background": "Текст"}
    assert changed["subject"] == "Новый заголовок" and changed["place"] == "Москва"
    assert changed["demands"] == letter["demands"]
    response = api.patch(
        path,
        json={
            "authority": "ru-embassy-london",
            "template": "embassy-letter",
            "language": "en",
            "demands": [],
            "letter_date": "2026-05-04",
            "signer_name": "Oleg Ivanov",
        },
    )
    assert response.status_code == 200, response.get_json()
    moved = response.get_json()
    assert (moved["authority"], moved["template"], moved["language"]) == (
        "ru-embassy-london",
        "embassy-letter",
        "en",
    )
    assert moved["demands"] == [] and moved["letter_date"] == "2026-05-04"
    assert moved["signer_name"] == "Oleg Ivanov" and moved["signer_title"] == ""
    # The new kind of letter keeps the fields it also has.
    assert moved["fields"] == {"subject": "Новый заголовок", "background": "Текст"}
    cleared = api.patch(path, json={"letter_date": None, "signer_name": ""}).get_json()
    assert cleared["letter_date"] is None and cleared["signer_name"] == ""
    assert api.get(path).get_json() == cleared
    with app.app_context():
        row = db.session.scalar(sa.select(Letter))
        assert row.authority_slug == "ru-embassy-london" and row.letter_date is None


def test_a_refused_change_changes_nothing(app: Flask, api: ApiClient) -> None:
    letter = create(api)
    path = f"{LETTERS}/{letter['id']}"
    before = rows(app)
    for body in (
        {"authority": "no-such-authority"},
        {"demands": ["no-such-demand"]},
        {"language": "en", "fields": {"subject": ""}},
        {"template": "no-such-template"},
        {"fields": {"nothing": "x"}},
        {"status": "final"},
        {"reference": "HRM-2026/001"},
    ):
        response = api.patch(path, json=body)
        assert response.status_code == 422, (body, response.get_json())
    both = api.patch(path, json={"authority": "no-such-authority", "demands": ["no-such"]})
    pointers = {error["pointer"] for error in both.get_json()["errors"]}
    assert pointers == {"/authority", "/demands/0"}
    assert rows(app) == before
    assert api.get(path).get_json() == letter


def test_a_draft_is_deleted(app: Flask, api: ApiClient) -> None:
    letter = create(api)
    path = f"{LETTERS}/{letter['id']}"
    response = api.delete(path)
    assert response.status_code == 204 and response.data == b""
    assert api.get(path).status_code == 404
    assert api.delete(path).status_code == 404
    assert rows(app) == []
    (event,) = events(app, "letter.deleted")
    assert "api_token" in event.details


# --- finalising ---------------------------------------------------------------------------------


def test_finalising_gives_the_reference_and_keeps_the_docx(
    app: Flask, api: ApiClient, group_with_details: dict[str, Any]
) -> None:
    letter = final_letter(app, api, group_with_details)
    assert letter["status"] == "final" and letter["reference"].startswith("HRM-")
    assert letter["finalised_at"] and letter["letter_date"]
    assert api.get(f"{LETTERS}/{letter['id']}").get_json() == letter
    download = api.get(f"{LETTERS}/{letter['id']}/docx")
    assert download.status_code == 200
    assert download.mimetype.endswith("wordprocessingml.document")
    expected = letter["reference"].replace("/", "-") + ".docx"
    assert download.headers["Content-Disposition"] == f'attachment; filename="{expected}"'
    assert hashlib.sha256(download.data).hexdigest() == letter["sha256"]
    text = docx_text(download.data)
    assert letter["reference"] in text and "Министру здравоохранения" in text
    demand = get_catalogue().demands[RUSSIAN_DEMANDS[0]]
    assert demand.text("ru").text[:40] in text
    with app.app_context():
        row = db.session.scalar(sa.select(Letter))
        assert row.reference == letter["reference"] and row.finalised_by_id is None
        assert row.document.sha256 == letter["sha256"]
    (event,) = events(app, "letter.finalised")
    assert event.details["reference"] == letter["reference"] and "api_token" in event.details


def test_a_final_letter_never_changes(
    app: Flask, api: ApiClient, group_with_details: dict[str, Any]
) -> None:
    letter = final_letter(app, api, group_with_details)
    path = f"{LETTERS}/{letter['id']}"
    before = rows(app)
    assert api.patch(path, json={"place": "Орёл"}).status_code == 409
    assert api.delete(path).status_code == 409
    again = api.post(f"{path}/finalise", json={"confirm_mixed_languages": True})
    assert again.status_code == 409 and again.mimetype == "application/problem+json"
    assert rows(app) == before
    assert api.get(path).get_json() == letter
    with app.app_context():
        assert db.session.scalar(sa.select(ReferenceCounter.last_number)) == 1


def test_finalising_waits_for_the_form_of_address(
    app: Flask, api: ApiClient, group_with_details: dict[str, Any]
) -> None:
    letter = create(api)
    response = api.post(f"{LETTERS}/{letter['id']}/finalise", json={})
    assert response.status_code == 422
    assert "woman or man" in response.get_json()["detail"]
    assert api.get(f"{LETTERS}/{letter['id']}").get_json() == letter
    with app.app_context():
        assert db.session.scalar(sa.select(sa.func.count()).select_from(ReferenceCounter)) == 0
    assert events(app, "letter.finalised") == []


def test_a_letter_that_cannot_be_built_is_not_finalised(
    app: Flask, api: ApiClient, group_with_details: dict[str, Any]
) -> None:
    letter = api.post(LETTERS, json={"authority": "ru-minzdrav"}).get_json()  # no subject
    say_holder(app, group_with_details, "ru-minzdrav", "ru")
    response = api.post(f"{LETTERS}/{letter['id']}/finalise", json={})
    assert response.status_code == 422
    assert "fields.subject" in response.get_json()["detail"]
    assert api.get(f"{LETTERS}/{letter['id']}").get_json() == letter
    with app.app_context():  # the number it took went back with the rest
        assert db.session.scalar(sa.select(sa.func.count()).select_from(ReferenceCounter)) == 0


def test_finalising_a_letter_with_parts_in_another_language_needs_a_confirmation(
    app: Flask, api: ApiClient, group_with_details: dict[str, Any]
) -> None:
    letter = create(
        api,
        authority="md-parliament",
        language="uk",
        demands=MOLDOVAN_DEMANDS,
        fields={"subject": "Про наркополітику"},
    )
    say_holder(app, group_with_details, "md-parliament", "uk")
    path = f"{LETTERS}/{letter['id']}/finalise"
    refused = api.post(path, json={})
    problem = refused.get_json()
    assert refused.status_code == 422, problem
    assert problem["type"] == "tag:letterkit,2026:problem:mixed-languages"
    assert "Confirm" in problem["detail"]
    parts = {(p["part"], p["printed_in"]) for p in problem["mixed_parts"]}
    assert ("addressee", "ro") in parts and ("salutation", "ro") in parts
    assert any(
        p["description"] == "Addressee line: printed in Romanian" for p in problem["mixed_parts"]
    )
    assert api.post(path, json={"confirm_mixed_languages": False}).status_code == 422
    assert api.get(f"{LETTERS}/{letter['id']}").get_json() == letter
    assert events(app, "letter.finalised") == []
    done = api.post(path, json={"confirm_mixed_languages": True})
    assert done.status_code == 200 and done.get_json()["status"] == "final"
    (event,) = events(app, "letter.finalised")
    assert "addressee:ro" in event.details["mixed_parts"]
    text = docx_text(api.get(f"{LETTERS}/{letter['id']}/docx").data)
    assert get_catalogue().authority("md-parliament").addressee("ro").text in text


def test_the_mixed_parts_are_named_in_the_requesters_language(
    app: Flask, api: ApiClient, group_with_details: dict[str, Any]
) -> None:
    letter = create(
        api, authority="md-parliament", language="uk", fields={"subject": "Про наркополітику"}
    )
    say_holder(app, group_with_details, "md-parliament", "uk")
    response = api.post(
        f"{LETTERS}/{letter['id']}/finalise", json={}, headers={"Accept-Language": "ru"}
    )
    descriptions = [p["description"] for p in response.get_json()["mixed_parts"]]
    assert "Строка адресата: будет напечатано — румынский" in descriptions


def test_a_letter_says_which_of_its_texts_are_draft_translations(
    app: Flask, api: ApiClient, group_with_details: dict[str, Any]
) -> None:
    """As the preview does: the template, the addressee and the demands no native speaker has
    reviewed, in the requester's language, also once the letter is final."""
    letter = create(api, demands=RUSSIAN_DEMANDS)
    assert letter["language"] == "ru"
    found = letter["unreviewed"]
    assert found["language"] == "ru" and found["template"] and found["addressee"]
    assert found["demands"] == len(RUSSIAN_DEMANDS)
    assert "native speaker of Russian" in found["notice"]
    assert f"{len(RUSSIAN_DEMANDS)} demands" in found["notice"]
    russian = api.get(f"{LETTERS}/{letter['id']}", headers={"Accept-Language": "ru"}).get_json()
    assert "носителем языка" in russian["unreviewed"]["notice"]
    say_holder(app, group_with_details, "ru-minzdrav", "ru")
    final = api.post(f"{LETTERS}/{letter['id']}/finalise", json={})
    assert final.status_code == 200, final.get_json()
    assert final.get_json()["unreviewed"] == found


def test_a_letter_in_the_original_wording_has_no_draft_translations(
    app: Flask, api: ApiClient, group_with_details: dict[str, Any]
) -> None:
    """English is the seeds' original wording, and a group's own authority is its own."""
    own = own_authority(app, group_with_details)
    letter = create(api, authority=own, language="en", demands=RUSSIAN_DEMANDS[:2])
    assert letter["unreviewed"] is None, letter["unreviewed"]
    shipped = create(api, authority="ru-embassy-london", fields={"subject": "Drug policy"})
    assert shipped["language"] == "en" and shipped["unreviewed"]["addressee"]
    assert not shipped["unreviewed"]["template"] and shipped["unreviewed"]["demands"] == 0


def test_finalise_takes_only_its_confirmation(app: Flask, api: ApiClient) -> None:
    letter = create(api)
    path = f"{LETTERS}/{letter['id']}/finalise"
    for body in ({"confirm_mixed_languages": "yes"}, {"confirm": True}, []):
        assert api.post(path, json=body).status_code == 422
    assert api.post(path).status_code == 415
    assert api.get(f"{LETTERS}/{letter['id']}").get_json() == letter


# --- downloads ----------------------------------------------------------------------------------


def test_a_draft_downloads_as_it_stands(app: Flask, api: ApiClient) -> None:
    letter = create(api, fields={"subject": "О гуманизации наркополитики"})
    download = api.get(f"{LETTERS}/{letter['id']}/docx")
    assert download.status_code == 200
    assert download.headers["Content-Disposition"] == (
        f'attachment; filename="{letter["id"]}.docx"'
    )
    text = docx_text(download.data)
    assert get_catalogue().authority("ru-minzdrav").addressee("ru").text in text
    assert "О гуманизации наркополитики" in text
    demand = get_catalogue().demands[RUSSIAN_DEMANDS[-1]]
    assert demand.text("ru").text[:40] in text
    assert api.get(f"{LETTERS}/{letter['id']}").get_json() == letter  # nothing was changed


def test_a_draft_that_cannot_be_built_gets_422(app: Flask, api: ApiClient) -> None:
    response = api.post(LETTERS, json={"authority": "ru-minzdrav"})
    letter = response.get_json()
    download = api.get(f"{LETTERS}/{letter['id']}/docx")
    assert download.status_code == 422
    assert "fields.subject" in download.get_json()["detail"]


def test_the_stamp_copy_is_added_when_asked(
    app: Flask, api: ApiClient, group_with_details: dict[str, Any]
) -> None:
    stamp_mark = "Экземпляр для отметки о регистрации"
    draft = create(api, fields={"subject": "О гуманизации наркополитики"})
    path = f"{LETTERS}/{draft['id']}/docx"
    assert stamp_mark not in docx_text(api.get(path).data)
    with_copy = api.get(f"{path}?stamp_copy=true")
    assert with_copy.status_code == 200
    text = docx_text(with_copy.data)
    assert stamp_mark in text and text.count("О гуманизации наркополитики") == 2
    assert api.get(f"{path}?stamp_copy=1").status_code == 422
    final = final_letter(app, api, group_with_details)
    path = f"{LETTERS}/{final['id']}/docx"
    issued = api.get(path).data
    assert stamp_mark not in docx_text(issued)
    assert stamp_mark in docx_text(api.get(f"{path}?stamp_copy=true").data)
    assert api.get(f"{path}?stamp_copy=false").data == issued  # kept as issued
    assert hashlib.sha256(api.get(path).data).hexdigest() == final["sha256"]


def test_the_pdf_of_a_final_letter(
    app: Flask, api: ApiClient, group_with_details: dict[str, Any]
) -> None:
    if not shutil.which("soffice"):
        from tests.conftest import skip_or_fail

        skip_or_fail("pdf", "LibreOffice (soffice) is not installed")
    letter = final_letter(app, api, group_with_details)
    response = api.get(f"{LETTERS}/{letter['id']}/pdf")
    assert response.status_code == 200, response.get_data(as_text=True)[:300]
    assert response.mimetype == "application/pdf" and response.data.startswith(b"%PDF")
    expected = letter["reference"].replace("/", "-") + ".pdf"
    assert response.headers["Content-Disposition"] == f'attachment; filename="{expected}"'


def test_without_libreoffice_the_pdf_is_a_503_problem(
    app: Flask, api: ApiClient, monkeypatch: pytest.MonkeyPatch, tmp_path: Any
) -> None:
    monkeypatch.setenv("LETTERKIT_SOFFICE", str(tmp_path / "no-soffice"))
    letter = create(api)
    response = api.get(f"{LETTERS}/{letter['id']}/pdf")
    assert response.status_code == 503
    assert response.mimetype == "application/problem+json"
    assert "LibreOffice" in response.get_json()["detail"]


# --- the list -----------------------------------------------------------------------------------


def test_the_list_pages_through_every_letter_once(
    app: Flask, api: ApiClient, group_with_details: dict[str, Any]
) -> None:
    made = [create(api)["id"] for _ in range(4)]
    final = final_letter(app, api, group_with_details)
    seen: list[str] = []
    cursor = None
    while True:
        path = f"{LETTERS}?limit=2" + (f"&cursor={cursor}" if cursor else "")
        page = api.get(path).get_json()
        assert len(page["items"]) <= 2
        seen += [item["id"] for item in page["items"]]
        cursor = page["next_cursor"]
        if cursor is None:
            break
    assert seen == [*made, final["id"]]
    finals = api.get(f"{LETTERS}?status=final").get_json()
    assert [item["id"] for item in finals["items"]] == [final["id"]]
    assert finals["items"][0]["reference"] == final["reference"]
    assert finals["next_cursor"] is None
    drafts = api.get(f"{LETTERS}?status=draft").get_json()["items"]
    assert [item["id"] for item in drafts] == made
    assert drafts[0]["subject"] == "О наркополитике" and drafts[0]["reference"] is None


def test_the_list_refuses_bad_queries(api: ApiClient, other_api: ApiClient) -> None:
    create(api)
    create(api)
    assert api.get(f"{LETTERS}?status=sent").status_code == 422
    assert api.get(f"{LETTERS}?limit=0").status_code == 422
    cursor = api.get(f"{LETTERS}?limit=1").get_json()["next_cursor"]
    assert cursor is not None
    assert other_api.get(f"{LETTERS}?limit=1&cursor={cursor}").status_code == 422
    assert api.get(f"/api/v1/demands?cursor={cursor}").status_code == 422


# --- other groups and read-only tokens ----------------------------------------------------------


def _every_operation(letter_id: str) -> list[tuple[str, str, Any]]:
    path = f"{LETTERS}/{letter_id}"
    return [
        ("GET", path, None),
        ("PATCH", path, {"place": "Elsewhere"}),
        ("DELETE", path, None),
        ("POST", f"{path}/finalise", {"confirm_mixed_languages": True}),
        ("GET", f"{path}/docx", None),
        ("GET", f"{path}/pdf", None),
    ]


def test_another_groups_token_finds_nothing(
    app: Flask, api: ApiClient, other_api: ApiClient, group_with_details: dict[str, Any]
) -> None:
    draft = create(api)
    final = final_letter(app, api, group_with_details)
    before = rows(app)
    for letter in (draft, final):
        for method, path, body in _every_operation(letter["id"]):
            response = other_api.request(method, path, json=body)
            assert response.status_code == 404, (method, path)
            assert response.mimetype == "application/problem+json"
    assert other_api.get(LETTERS).get_json() == {"items": [], "next_cursor": None}
    assert rows(app) == before
    with app.app_context():
        assert db.session.scalar(sa.select(ReferenceCounter.last_number)) == 1


def test_a_read_only_token_reads_but_never_writes(
    app: Flask, api: ApiClient, read_only_api: ApiClient
) -> None:
    letter = create(api)
    before = rows(app)
    for method, path, body in _every_operation(letter["id"]):
        if path.endswith("/pdf"):
            continue  # a read like the DOCX; converting it here would only slow the test down
        response = read_only_api.request(method, path, json=body)
        if method == "GET":
            assert response.status_code == 200, path
        else:
            assert response.status_code == 403, (method, path)
    assert read_only_api.post(LETTERS, json={"authority": "ru-minzdrav"}).status_code == 403
    assert read_only_api.get(LETTERS).get_json()["items"][0]["id"] == letter["id"]
    assert rows(app) == before


def test_the_document_describes_every_letters_operation(app: Flask) -> None:
    document = app.test_client().get("/api/v1/openapi.json").get_json()
    paths = document["paths"]
    assert set(paths[LETTERS]) == {"get", "post"}
    assert set(paths[LETTERS + "/{letter_id}"]) == {"get", "patch", "delete"}
    create_op = paths[LETTERS]["post"]
    assert "201" in create_op["responses"] and "415" in create_op["responses"]
    assert set(paths[LETTERS + "/{letter_id}"]["delete"]["responses"]) >= {"204", "404", "409"}
    pdf = paths[LETTERS + "/{letter_id}/pdf"]["get"]["responses"]
    assert "application/pdf" in pdf["200"]["content"] and "503" in pdf
    docx_op = paths[LETTERS + "/{letter_id}/docx"]["get"]["responses"]
    assert any(media.endswith("wordprocessingml.document") for media in docx_op["200"]["content"])
    parameters = paths[LETTERS + "/{letter_id}/docx"]["get"]["parameters"]
    assert {p["name"] for p in parameters} == {"letter_id", "stamp_copy"}
    assert "409" in paths[LETTERS + "/{letter_id}/finalise"]["post"]["responses"]
