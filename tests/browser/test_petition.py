"""A sign-on letter in a real browser: the coordinator opens it for signatures, a supporter signs
in Russian and sees the count go up, the coordinator sees them in the annex as they chose."""

from __future__ import annotations

import re
from typing import Any

import pytest
from flask import Flask

from tests.browser.conftest import shot
from tests.petitions.helpers import make_signon_draft, prepare_group

pytestmark = pytest.mark.browser


def count_on(page: Any) -> int:
    text = page.locator("#signature-count").inner_text()
    match = re.search(r"\d+", text)
    assert match, text
    return int(match.group(0))


def log_in(page: Any, live_server: str, person: dict[str, Any]) -> None:
    page.goto(live_server + "/login")
    page.locator("input[name=email]").fill(person["email"])
    page.locator("input[name=password]").fill(person["password"])
    page.locator("form:has(input[name=password]) button[type=submit]").click()
    page.wait_for_url(live_server + "/")


def test_supporter_signs_in_russian_and_appears_in_the_annex_as_chosen(
    app: Flask, page: Any, live_server: str, coordinator: dict[str, Any], database: Any
) -> None:
    backend = "pg" if "postgresql" in str(database["url"]) else "sqlite"
    prepare_group(app, coordinator["group_id"])
    letter_id = make_signon_draft(app, coordinator)

    # The coordinator opens the draft for signatures.
    log_in(page, live_server, coordinator)
    page.get_by_role("link", name="Petitions").click()
    page.locator(f"a[href='/petitions/new/{letter_id}']").click()
    assert page.locator("select[name=default_display]").input_value() == "count"
    page.get_by_role("button", name="Open for signatures").click()
    page.wait_for_url(re.compile(r".*/petitions/\d+$"))
    public_link = page.locator("#public-link").input_value()
    assert re.fullmatch(re.escape(live_server) + r"/s/[a-z2-9]{10}", public_link)
    petition_page = page.url
    shot(page, f"petition-1-coordinator-{backend}")
    page.get_by_role("button", name="Log out").click()
    page.wait_for_url("**/login")

    # A supporter, without an account, switches the page to Russian and signs.
    page.goto(public_link)
    page.locator("#lang-switch").select_option("ru")
    # The switch returns to the same address: wait for the new page, not for the URL.
    with page.expect_navigation():
        page.locator("form:has(#lang-switch) button[type=submit]").click()
    page.wait_for_url(public_link)
    assert page.locator("html").get_attribute("lang") == "ru"
    assert page.get_by_role("heading", name="О гуманизации наркополитики").is_visible()
    assert (
        page.locator("nav[aria-label]").filter(has=page.locator("a[href='/members']")).count() == 0
    )
    before = count_on(page)
    assert before == 0
    # the form starts at "counted only", as the coordinator left it
    assert page.locator("input[name=display][value=count]").is_checked()
    page.locator("input[name=name]").fill("Анна Петрова")
    page.locator("input[name=city]").fill("Москва")
    page.locator("select[name=country]").select_option("RU")
    page.locator("input[name=display][value=initials]").check()
    page.locator("input[name=consent]").check()
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    shot(page, f"petition-2-sign-ru-{backend}")
    page.locator("form.sign button[type=submit]").click()
    page.wait_for_url(public_link + "/thanks")
    assert "Анна" not in page.url
    assert count_on(page) == before + 1
    assert "/withdraw/" in page.locator("#withdraw-link").input_value()
    shot(page, f"petition-3-thanks-ru-{backend}")
    page.goto(public_link)
    assert count_on(page) == before + 1

    # The coordinator sees the signer in the annex preview as they chose to appear.
    log_in(page, live_server, coordinator)
    page.goto(petition_page)
    page.get_by_role("link", name="Preview the annex").click()
    rows = page.locator("table.letter-annex-table tbody tr")
    assert rows.count() == 1
    assert rows.first.locator("td").all_inner_texts() == ["1", "А. П.", "Москва", ""]
    assert page.get_by_text("Анна Петрова").count() == 0
    shot(page, f"petition-4-annex-{backend}")
