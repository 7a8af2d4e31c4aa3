"""A new member composes, previews, finalises and downloads letters in a real browser."""

from __future__ import annotations

import io
import re
from typing import Any

import docx
import pytest
from flask import Flask

from letterkit.catalogue import get_catalogue
from letterkit.extensions import db
from letterkit.models import Group
from tests.browser.conftest import shot
from tests.conftest import PASSWORD

pytestmark = pytest.mark.browser


@pytest.fixture
def new_member(app: Flask, factory) -> dict[str, Any]:
    group_id = factory.group("Harm Reduction Moscow")
    with app.app_context():
        group = db.session.get(Group, group_id)
        group.address = "ul. Primernaya 1\n101000 Moscow"
        group.signer_name = "Anna Petrova"
        group.signer_title = "Coordinator"
        group.reference_prefix = "HRM"
        db.session.commit()
    factory.user(group_id, "coordinator")
    return factory.user(group_id, "member", email="newcomer@example.org", language="en")


def log_in(page: Any, server: str, person: dict[str, Any]) -> None:
    page.goto(server + "/login")
    page.get_by_label("E-mail").fill(person["email"])
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    page.wait_for_url(server + "/")


def docx_text(data: bytes) -> str:
    document = docx.Document(io.BytesIO(data))
    parts = [p.text for p in document.paragraphs]
    for table in document.tables:
        parts += [cell.text for row in table.rows for cell in row.cells]
    return "\n".join(parts)


def fits_a_phone(page: Any) -> None:
    """Nothing on the page is wider than the 360 px screen."""
    assert page.evaluate("document.documentElement.scrollWidth") <= 360


def compose(
    page: Any, server: str, *, country: str, search: str, authority: str, language: str, shots: str
) -> None:
    page.goto(server + "/letters/new")
    page.get_by_label("Country").select_option(country)
    page.get_by_role("button", name="Next").click()
    shot(page, f"{shots}-1-authority")
    page.get_by_label("Search the authorities").fill(search)  # filters as you type
    page.locator(f"label[for='a-{authority}']").click()
    page.get_by_role("button", name="Next").click()
    page.wait_for_url(re.compile(r".*/template$"))
    shot(page, f"{shots}-2-template")
    page.get_by_label("Language of the letter").select_option(language)
    page.get_by_role("button", name="Save and continue").click()
    page.wait_for_url(re.compile(r".*/demands$"))


def test_russian_letter_to_a_woman_minister_of_health(
    page: Any, live_server: str, new_member, tmp_path
) -> None:
    page.set_viewport_size({"width": 360, "height": 740})
    log_in(page, live_server, new_member)
    page.get_by_label("Interface language").select_option("ru")
    with page.expect_navigation():
        page.get_by_role("button", name="Switch").click()
    page.goto(live_server + "/letters/new")
    page.get_by_label("Страна").select_option("RU")
    page.get_by_role("button", name="Далее").click()
    shot(page, "compose-ru-1-authority")
    fits_a_phone(page)
    page.get_by_label("Поиск по органам власти").fill("здравоохр")
    assert page.locator("#authority-list li:visible").count() == 1
    page.locator("label[for='a-ru-minzdrav']").click()
    page.get_by_role("button", name="Далее").click()
    page.wait_for_url(re.compile(r".*/template$"))
    assert page.get_by_label("Язык письма").input_value() == "ru"
    shot(page, "compose-ru-2-template")
    fits_a_phone(page)
    page.get_by_role("button", name="Сохранить и продолжить").click()
    page.wait_for_url(re.compile(r".*/demands$"))
    page.get_by_label("Набор требований").select_option("inpud-2011-russia")
    page.get_by_role("button", name="Использовать этот набор (заменяет список)").click()
    assert page.locator("ol.demand-list li").count() == 6
    shot(page, "compose-ru-3-demands")
    fits_a_phone(page)
    page.get_by_role("button", name="Сохранить и продолжить").click()
    page.wait_for_url(re.compile(r".*/details$"))
    page.get_by_role("button", name="Сохранить и просмотреть").click()  # subject missing
    assert page.locator("#f_subject-error").is_visible()
    page.locator("#f_subject").fill("О гуманизации наркополитики")
    shot(page, "compose-ru-4-details")
    fits_a_phone(page)
    page.get_by_role("button", name="Сохранить и просмотреть").click()
    page.wait_for_url(re.compile(r".*/preview$"))
    assert page.get_by_text("Министру здравоохранения").first.is_visible()
    shot(page, "compose-ru-5-preview")
    fits_a_phone(page)
    # The office is held by a woman: finalising is refused until the group says so.
    page.get_by_role("button", name=re.compile("Окончательно")).click()
    page.wait_for_url(re.compile(r".*/preview$"))
    assert page.get_by_text("женщина или мужчина").first.is_visible()
    page.get_by_label("Должность занимает").select_option("female")
    page.get_by_label("Имя в обращении (необязательно)").fill("Анна Сергеевна")
    page.get_by_role("button", name="Сохранить, кто занимает должность").click()
    page.wait_for_url(re.compile(r".*/preview$"))
    assert page.locator(".letter-preview").get_by_text("Уважаемая Анна Сергеевна!").is_visible()
    shot(page, "compose-ru-5-holder")
    fits_a_phone(page)
    # The group keeps its name and signer in Latin only: the preview lists them, and finalising
    # is refused (422, nothing changed) until the member confirms printing them as they are.
    assert page.locator("#mixed-parts").get_by_text("Имя подписанта").is_visible()
    page.get_by_role("button", name=re.compile("Окончательно")).click()
    page.wait_for_url(re.compile(r".*/finalise$"))
    assert page.locator("#finalise-error").is_visible()
    page.get_by_label("Напечатать перечисленные выше части как есть, не на языке письма").check()
    page.get_by_role("button", name=re.compile("Окончательно")).click()
    page.wait_for_url(re.compile(r".*/letters/\d+$"))
    reference = page.locator("h1").inner_text().split(":")[0].strip()
    assert re.fullmatch(r"HRM-\d{4}/001", reference)
    shot(page, "compose-ru-6-final")
    fits_a_phone(page)
    with page.expect_download() as info:
        page.get_by_role("link", name="Скачать DOCX").click()
    path = tmp_path / "letter.docx"
    info.value.save_as(path)
    text = docx_text(path.read_bytes())
    assert reference in text and "Министру здравоохранения" in text
    assert "Уважаемая Анна Сергеевна!" in text and "Уважаемый" not in text
    for demand in get_catalogue().demand_set("inpud-2011-russia").demands:
        assert demand.text("ru").text[:30] in text
    assert "Anna Petrova" in text


def test_english_letter_to_a_russian_mission_abroad(
    page: Any, live_server: str, new_member, tmp_path
) -> None:
    log_in(page, live_server, new_member)
    compose(
        page,
        live_server,
        country="GB",
        search="London",
        authority="ru-embassy-london",
        language="en",
        shots="compose-en",
    )
    assert page.get_by_text("Letter to a government through its embassy").count() == 0
    page.get_by_label("Demand set").select_option("inpud-2011-russia")
    page.get_by_role("button", name="Use this set (replaces the list)").click()
    # Reorder with the buttons: the second demand moves to the top.
    second = page.locator("ol.demand-list li").nth(1).locator("strong").inner_text()
    page.locator("ol.demand-list li").nth(1).get_by_role("button", name="Move up").click()
    assert page.locator("ol.demand-list li").first.locator("strong").inner_text() == second
    shot(page, "compose-en-3-demands")
    page.get_by_role("button", name="Save and continue").click()
    page.wait_for_url(re.compile(r".*/details$"))
    for field in page.locator(
        "form#step-form input[required], form#step-form textarea[required]"
    ).all():
        field.fill("Day of protest, 1 December 2011")
    if page.locator("#f_subject").count():
        page.locator("#f_subject").fill("Harm reduction and human rights in Russia")
    page.get_by_role("button", name="Save and preview").click()
    page.wait_for_url(re.compile(r".*/preview$"))
    shot(page, "compose-en-5-preview")
    page.get_by_role("button", name=re.compile("Finalise")).click()
    page.wait_for_url(re.compile(r".*/letters/\d+$"))
    shot(page, "compose-en-6-final")
    with page.expect_download() as info:
        page.get_by_role("link", name="Download DOCX").click()
    path = tmp_path / "letter.docx"
    info.value.save_as(path)
    text = docx_text(path.read_bytes())
    embassy = get_catalogue().authority("ru-embassy-london")
    assert embassy.addressee("en").text.splitlines()[0] in text
    assert get_catalogue().demand_set("inpud-2011-russia").demands[0].text("en").text[:30] in text


def test_romanian_letter_to_the_moldovan_parliament(
    page: Any, live_server: str, new_member, tmp_path
) -> None:
    """Moldova's letters are in Romanian by default (#13): the language is offered by name and
    preselected, the preview says the Romanian texts are draft translations, the salutation
    agrees with the holder, and the DOCX is Romanian throughout."""
    log_in(page, live_server, new_member)
    page.goto(live_server + "/letters/new")
    page.get_by_label("Country").select_option("MD")
    page.get_by_role("button", name="Next").click()
    page.get_by_label("Search the authorities").fill("Parliament")
    page.locator("label[for='a-md-parliament']").click()
    page.get_by_role("button", name="Next").click()
    page.wait_for_url(re.compile(r".*/template$"))
    language = page.get_by_label("Language of the letter")
    assert language.input_value() == "ro"
    selected = language.locator("option:checked").inner_text()
    assert "Romanian" in selected and "ro" != selected.strip()
    shot(page, "compose-ro-2-template")
    page.get_by_role("button", name="Save and continue").click()
    page.wait_for_url(re.compile(r".*/demands$"))
    page.get_by_label("Demand set").select_option("sdp-2019-md-seven")
    page.get_by_role("button", name="Use this set (replaces the list)").click()
    page.get_by_role("button", name="Save and continue").click()
    page.wait_for_url(re.compile(r".*/details$"))
    page.locator("#f_subject").fill("Cu privire la umanizarea politicii în domeniul drogurilor")
    page.get_by_role("button", name="Save and preview").click()
    page.wait_for_url(re.compile(r".*/preview$"))
    preview = page.locator(".letter-preview")
    assert preview.get_by_text("Președintelui Parlamentului Republicii Moldova").first.is_visible()
    notice = page.locator("#review-notice").inner_text()
    assert "Romanian" in notice and "native speaker" in notice
    shot(page, "compose-ro-5-preview")
    # Romanian salutations agree with the holder: finalising asks for the form first.
    page.get_by_role("button", name=re.compile("Finalise")).click()
    page.wait_for_url(re.compile(r".*/preview$"))
    page.get_by_label("The office is held by").select_option("female")
    page.get_by_role("button", name="Save who holds the office").click()
    page.wait_for_url(re.compile(r".*/preview$"))
    assert preview.get_by_text("Stimată doamnă Președinte,").is_visible()
    page.get_by_role("button", name=re.compile("Finalise")).click()
    if page.locator("#finalise-error").count():  # parts not in Romanian: confirm them
        page.locator("input[name='confirm_mixed']").check()
        page.get_by_role("button", name=re.compile("Finalise")).click()
    page.wait_for_url(re.compile(r".*/letters/\d+$"))
    shot(page, "compose-ro-6-final")
    with page.expect_download() as info:
        page.get_by_role("link", name="Download DOCX").click()
    path = tmp_path / "letter.docx"
    info.value.save_as(path)
    text = docx_text(path.read_bytes())
    assert "Președintelui Parlamentului Republicii Moldova" in text
    assert "Stimată doamnă Președinte," in text and "Stimate domnule" not in text
    for demand in get_catalogue().demand_set("sdp-2019-md-seven").demands:
        assert demand.text("ro").text[:30] in text
