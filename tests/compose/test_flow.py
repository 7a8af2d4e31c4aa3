"""The compose flow through the web, step by step, on both databases."""

from __future__ import annotations

import io
import re
from typing import Any

import docx
import pytest
import sqlalchemy as sa
from flask import Flask

from letterkit.catalogue import get_catalogue
from letterkit.extensions import db
from letterkit.models import Letter, LetterStatus
from tests.compose.conftest import make_draft
from tests.conftest import Client, count, login


def start(client: Client, authority: str = "ru-minzdrav", country: str = "RU") -> int:
    response = client.post(
        f"/letters/new?country={country}", data={"country": country, "authority": authority}
    )
    assert response.status_code == 302, response.get_data(as_text=True)
    return int(re.search(r"/letters/(\d+)/template", response.headers["Location"]).group(1))


def say_holder(client: Client, letter_id: int, form: str = "male", **names: str) -> None:
    """Say how the holder of the letter's office is addressed (asked for ru and uk letters)."""
    response = client.post(f"/letters/{letter_id}/holder", data={"form_of_address": form, **names})
    assert response.status_code == 302 and response.headers["Location"].endswith("/preview")


def docx_text(data: bytes) -> str:
    document = docx.Document(io.BytesIO(data))
    parts = [p.text for p in document.paragraphs]
    for table in document.tables:
        parts += [cell.text for row in table.rows for cell in row.cells]
    return "\n".join(parts)


def test_whole_flow_to_a_final_docx(app: Flask, group_with_details, client: Client) -> None:
    login(client, group_with_details)
    letter_id = start(client)
    with app.app_context():
        letter = db.session.get(Letter, letter_id)
        assert letter.language == "ru" and letter.template == "appeal"
    assert (
        client.post(
            f"/letters/{letter_id}/template", data={"template": "appeal", "language": "ru"}
        ).status_code
        == 302
    )
    demand_set = get_catalogue().demand_set("inpud-2011-russia")
    response = client.post(
        f"/letters/{letter_id}/demands", data={"action": "apply", "demand_set": demand_set.slug}
    )
    assert response.status_code == 302
    page = client.get(f"/letters/{letter_id}/demands").get_data(as_text=True)
    assert page.count('name="demand"') == 6
    # Move the last demand up one place, and write a paragraph of our own.
    slugs = list(demand_set.slugs)
    response = client.post(
        f"/letters/{letter_id}/demands",
        data={
            "demand": slugs,
            "action": f"move:{slugs[-1]}:up",
            "paragraph": ["Наша группа работает в Москве с 2009 года.", "", ""],
        },
    )
    assert response.status_code == 302
    with app.app_context():
        letter = db.session.get(Letter, letter_id)
        assert letter.demand_slugs == [*slugs[:4], slugs[5], slugs[4]]
        assert letter.paragraphs == ["Наша группа работает в Москве с 2009 года."]
    response = client.post(
        f"/letters/{letter_id}/details",
        data={
            "f_subject": "О гуманизации наркополитики",
            "place": "Москва",
            "f_law": "Федеральный закон № 59-ФЗ",
        },
    )
    assert response.status_code == 302 and response.headers["Location"].endswith("/preview")
    preview = client.get(f"/letters/{letter_id}/preview").get_data(as_text=True)
    assert "О гуманизации наркополитики" in preview
    assert "Наша группа работает в Москве с 2009 года." in preview
    draft = client.get(f"/letters/{letter_id}/letter.docx")
    assert draft.status_code == 200
    assert "attachment" in draft.headers["Content-Disposition"]
    say_holder(client, letter_id)
    response = client.post(f"/letters/{letter_id}/finalise")
    assert response.status_code == 302
    with app.app_context():
        letter = db.session.get(Letter, letter_id)
        assert letter.status is LetterStatus.FINAL and letter.reference.startswith("HRM-")
        reference = letter.reference
    final = client.get(f"/letters/{letter_id}/letter.docx")
    assert final.headers["Content-Disposition"].endswith(
        f'filename="{reference.replace("/", "-")}.docx"'
    )
    text = docx_text(final.data)
    assert reference in text
    assert "Министру здравоохранения" in text
    expected = [d.text("ru").text[:35] for d in demand_set.demands]
    expected[4], expected[5] = expected[5], expected[4]
    positions = [text.index(t) for t in expected]
    assert positions == sorted(positions)
    page = client.get(f"/letters/{letter_id}").get_data(as_text=True)
    assert reference in page and "SHA-256" in page


def test_missing_required_field_is_shown_and_input_kept(app: Flask, logged_in: Client) -> None:
    letter_id = start(logged_in)
    response = logged_in.post(
        f"/letters/{letter_id}/details",
        data={"f_subject": "", "place": "Орёл", "f_background": "Наш текст"},
    )
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    assert 'id="f_subject-error"' in page and "This field is required." in page
    assert "Наш текст" in page and "Орёл" in page
    with app.app_context():  # a 422 stores nothing: the draft is as it was
        letter = db.session.get(Letter, letter_id)
        assert "background" not in letter.fields and letter.place == ""
    assert logged_in.get(f"/letters/{letter_id}/preview").status_code == 422


INVALID_DETAILS = [
    pytest.param({"f_subject": "x" * 400}, "x" * 400, id="too-long"),
    pytest.param({"f_subject": "Line\u0007bell"}, "Line", id="control-character"),
    pytest.param({"f_subject": "two\nlines"}, "two", id="two-lines"),
    pytest.param({"letter_date": "31.02.2026"}, "31.02.2026", id="not-a-date"),
]


@pytest.mark.parametrize(("invalid", "shown"), INVALID_DETAILS)
def test_invalid_details_are_shown_and_never_stored(
    app: Flask, group_with_details, client: Client, invalid: dict[str, str], shown: str
) -> None:
    login(client, group_with_details)
    letter_id = make_draft(app, group_with_details, fields={"subject": "Stored subject"})
    data = {"f_subject": "Still valid", "place": "Орёл", **invalid}
    response = client.post(f"/letters/{letter_id}/details", data=data)
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    assert shown in page and "Орёл" in page  # nothing typed is lost
    with app.app_context():
        letter = db.session.get(Letter, letter_id)
        assert letter.fields["subject"] == "Stored subject" and letter.place == ""
    # The stored draft is valid: its preview and a petition on it work.
    assert client.get(f"/letters/{letter_id}/details").status_code == 200
    say_holder(client, letter_id)
    assert client.get(f"/letters/{letter_id}/preview").status_code == 200
    response = client.post(f"/petitions/new/{letter_id}", data=PETITION)
    assert response.status_code == 302, response.get_data(as_text=True)


PETITION = {"default_display": "count", "retention_days": "90"}


def test_autosave_stores_only_the_valid_values(
    app: Flask, group_with_details, client: Client
) -> None:
    login(client, group_with_details)
    letter_id = make_draft(app, group_with_details, fields={"subject": "Stored subject"})
    response = client.post(
        f"/letters/{letter_id}/details",
        data={"f_subject": "y" * 400, "place": "Тверь", "autosave": "1"},
    )
    assert response.status_code == 200 and response.get_data(as_text=True) == "partly saved"
    with app.app_context():
        letter = db.session.get(Letter, letter_id)
        assert letter.fields["subject"] == "Stored subject" and letter.place == "Тверь"


def test_language_switch_with_errors_keeps_the_typed_values(app: Flask, logged_in: Client) -> None:
    letter_id = start(logged_in)
    response = logged_in.post(
        f"/letters/{letter_id}/details",
        data={"f_subject": "z" * 400, "place": "Псков", "switch_lang": "ru"},
    )
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    assert '<html lang="en">' in page and "z" * 400 in page and "Псков" in page
    assert "Correct the marked fields first, then switch the language." in page
    with app.app_context():
        assert db.session.get(Letter, letter_id).place == ""


def test_errors_in_russian_keep_the_input(app: Flask, logged_in: Client) -> None:
    letter_id = start(logged_in)
    logged_in.post("/language", data={"lang": "ru"})
    page = logged_in.post(
        f"/letters/{letter_id}/details", data={"f_subject": "x" * 400, "place": "Орёл"}
    ).get_data(as_text=True)
    assert "Значение не должно содержать более 300 символов." in page
    assert "x" * 400 in page


def test_language_switch_inside_a_step_saves_the_input(app: Flask, logged_in: Client) -> None:
    letter_id = start(logged_in)
    response = logged_in.post(
        f"/letters/{letter_id}/details",
        data={"f_subject": "Typed before switching", "switch_lang": "ru"},
    )
    assert response.status_code == 302 and response.headers["Location"].endswith("/details")
    page = logged_in.get(f"/letters/{letter_id}/details").get_data(as_text=True)
    assert '<html lang="ru">' in page and "Typed before switching" in page


def test_autosave_keeps_a_draft(app: Flask, logged_in: Client) -> None:
    letter_id = start(logged_in)
    response = logged_in.post(
        f"/letters/{letter_id}/details", data={"f_subject": "Half-writ", "autosave": "1"}
    )
    assert response.status_code == 200 and response.get_data(as_text=True) == "saved"
    with app.app_context():
        assert db.session.get(Letter, letter_id).fields["subject"] == "Half-writ"


def test_user_text_is_text_not_template_or_markup(
    app: Flask, group_with_details, client: Client
) -> None:
    login(client, group_with_details)
    letter_id = start(client)
    client.post(
        f"/letters/{letter_id}/demands",
        data={"paragraph": ["{{ 7*7 }} <b>bold</b> {% if 1 %}x{% endif %}"]},
    )
    client.post(f"/letters/{letter_id}/details", data={"f_subject": "О {{ 7*7 }}"})
    preview = client.get(f"/letters/{letter_id}/preview").get_data(as_text=True)
    assert "{{ 7*7 }} &lt;b&gt;bold&lt;/b&gt;" in preview
    say_holder(client, letter_id)
    client.post(f"/letters/{letter_id}/finalise")
    text = docx_text(client.get(f"/letters/{letter_id}/letter.docx").data)
    assert "{{ 7*7 }} <b>bold</b> {% if 1 %}x{% endif %}" in text and "О {{ 7*7 }}" in text


def test_final_letters_cannot_be_edited_but_duplicated(
    app: Flask, group_with_details, client: Client
) -> None:
    login(client, group_with_details)
    letter_id = make_draft(app, group_with_details)
    say_holder(client, letter_id)
    client.post(f"/letters/{letter_id}/finalise")
    response = client.post(
        f"/letters/{letter_id}/template", data={"template": "appeal", "language": "en"}
    )
    assert response.status_code == 302 and response.headers["Location"].endswith(f"/{letter_id}")
    assert client.post(f"/letters/{letter_id}/delete").status_code == 302
    assert count(app, Letter) == 1
    response = client.post(f"/letters/{letter_id}/duplicate")
    assert response.status_code == 302
    copy_id = int(re.search(r"/letters/(\d+)/authority", response.headers["Location"]).group(1))
    client.post(
        f"/letters/{copy_id}/authority?country=RU", data={"country": "RU", "authority": "ru-mvd"}
    )
    with app.app_context():
        copy = db.session.get(Letter, copy_id)
        assert copy.authority_slug == "ru-mvd" and copy.status is LetterStatus.DRAFT
        assert copy.fields["subject"] == "О гуманизации наркополитики"


def test_list_search_and_filters(app: Flask, group_with_details, client: Client) -> None:
    login(client, group_with_details)
    make_draft(app, group_with_details, fields={"subject": "О налоксоне"})
    make_draft(
        app,
        group_with_details,
        authority_slug="ua-moz",
        language="uk",
        demand_slugs=[],
        fields={"subject": "Про замісну терапію"},
    )
    page = client.get("/letters/").get_data(as_text=True)
    assert "О налоксоне" in page and "Про замісну терапію" in page
    page = client.get("/letters/?q=налокс").get_data(as_text=True)
    assert "О налоксоне" in page and "Про замісну терапію" not in page
    page = client.get("/letters/?country=UA").get_data(as_text=True)
    assert "О налоксоне" not in page and "Про замісну терапію" in page
    page = client.get("/letters/?status=final").get_data(as_text=True)
    assert "No letters yet." in page


@pytest.mark.parametrize(
    ("method", "path"),
    [
        ("get", "/letters/{id}"),
        ("get", "/letters/{id}/template"),
        ("post", "/letters/{id}/template"),
        ("get", "/letters/{id}/demands"),
        ("post", "/letters/{id}/demands"),
        ("get", "/letters/{id}/details"),
        ("post", "/letters/{id}/details"),
        ("get", "/letters/{id}/preview"),
        ("post", "/letters/{id}/finalise"),
        ("get", "/letters/{id}/letter.docx"),
        ("get", "/letters/{id}/letter.pdf"),
        ("post", "/letters/{id}/duplicate"),
        ("post", "/letters/{id}/delete"),
        ("get", "/letters/{id}/authority"),
    ],
)
def test_other_groups_cannot_see_or_touch_a_letter(
    app: Flask, factory, group_with_details, method: str, path: str
) -> None:
    letter_id = make_draft(app, group_with_details)
    outsider = app.test_client()
    login(outsider, factory.user(factory.group("Other"), "coordinator"))
    kwargs: dict[str, Any] = (
        {"data": {"template": "appeal", "language": "en"}} if method == "post" else {}
    )
    assert getattr(outsider, method)(path.format(id=letter_id), **kwargs).status_code == 404
    assert "О гуманизации" not in outsider.get("/letters/").get_data(as_text=True)
    with app.app_context():
        letter = db.session.get(Letter, letter_id)
        assert letter.status is LetterStatus.DRAFT and letter.language == "ru"
        assert db.session.scalar(sa.select(sa.func.count()).select_from(Letter)) == 1


def test_signer_is_prefilled_and_can_change_for_one_letter(
    app: Flask, group_with_details, client: Client
) -> None:
    login(client, group_with_details)
    letter_id = start(client)
    page = client.get(f"/letters/{letter_id}/details").get_data(as_text=True)
    # A Russian letter: the Cyrillic form of the group's signer (names per script).
    assert 'value="Анна Петрова"' in page and 'value="Координатор"' in page
    client.post(
        f"/letters/{letter_id}/details",
        data={"f_subject": "О встрече", "signer_name": "Олег Иванов", "signer_title": "Юрист"},
    )
    say_holder(client, letter_id)
    client.post(f"/letters/{letter_id}/finalise")
    text = docx_text(client.get(f"/letters/{letter_id}/letter.docx").data)
    assert "Олег Иванов" in text and "Юрист" in text and "Анна Петрова" not in text
    # Another letter keeps the group's usual signer.
    other = start(client)
    client.post(
        f"/letters/{other}/details",
        data={
            "f_subject": "О другом",
            "signer_name": "Анна Петрова",
            "signer_title": "Координатор",
        },
    )
    with app.app_context():
        assert db.session.get(Letter, other).signer_name == ""
