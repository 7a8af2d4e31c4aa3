"""A sign-on letter in a real browser: the coordinator sets the group's key passphrase and opens
the letter for signatures, a supporter signs in Russian and sees the count go up, another signs
counted only; the coordinator sees the first in the annex as they chose, unlocks the key,
reveals the counted-only signer, exports the full data; the second withdraws through the link,
whose code the page's script takes from the fragment."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
from flask import Flask

from tests.browser.conftest import shot
from tests.petitions.helpers import KEY_PASSPHRASE as PASSPHRASE
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

    # The coordinator must set the key's passphrase first, told what losing it means.
    log_in(page, live_server, coordinator)
    page.get_by_role("link", name="Petitions").click()
    page.locator(f"a[href='/petitions/new/{letter_id}']").click()
    page.wait_for_url(live_server + "/petitions/key")
    assert page.get_by_role("heading", name="If the passphrase is lost").is_visible()
    page.locator("input[name=passphrase]").fill(PASSPHRASE)
    page.locator("input[name=repeat]").fill(PASSPHRASE)
    page.locator("input[name=understood]").check()
    shot(page, f"petition-0-set-passphrase-{backend}")
    page.get_by_role("button", name="Set the passphrase").click()
    page.wait_for_url(live_server + "/petitions/key")
    assert page.locator("input[name=understood]").count() == 0
    page.goto(live_server + "/petitions")
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
    assert "/withdraw#" in page.locator("#withdraw-link").input_value()
    shot(page, f"petition-3-thanks-ru-{backend}")
    page.goto(public_link)
    assert count_on(page) == before + 1

    # A second supporter signs counted only: a name and the preselected country, no city.
    page.context.clear_cookies()
    page.goto(public_link)
    assert page.locator("select[name=country]").input_value() == "RU"
    page.locator("input[name=name]").fill("Тихий Подписант")
    page.locator("input[name=email]").fill("quiet@example.org")
    page.locator("input[name=consent]").check()
    page.locator("form.sign button[type=submit]").click()
    page.wait_for_url(public_link + "/thanks")
    withdraw_link = page.locator("#withdraw-link").input_value()
    withdraw_code = page.locator("#withdraw-code").input_value()
    assert withdraw_link.endswith("#" + withdraw_code)

    # The coordinator sees the signer in the annex preview as they chose to appear.
    log_in(page, live_server, coordinator)
    page.goto(petition_page)
    page.get_by_role("link", name="Preview the annex").click()
    rows = page.locator("table.letter-annex-table tbody tr")
    assert rows.count() == 1
    assert rows.first.locator("td").all_inner_texts() == ["1", "А. П.", "Москва", ""]
    assert page.get_by_text("Анна Петрова").count() == 0
    shot(page, f"petition-4-annex-{backend}")

    # Moderation: locked, the counted-only signer is not shown; unlock, reveal, export.
    page.goto(petition_page)
    page.get_by_role("link", name="Moderate the signatures").click()
    assert page.locator("#key-locked").is_visible()
    assert page.get_by_text("Тихий Подписант").count() == 0
    page.get_by_role("link", name="Unlock the key").click()
    page.locator("input[name=passphrase]").fill(PASSPHRASE)
    page.get_by_role("button", name="Unlock").click()
    page.wait_for_url(re.compile(r".*/petitions/\d+/signatures$"))
    assert page.get_by_text("Тихий Подписант").count() == 0
    page.get_by_role("button", name="Reveal counted-only signers").click()
    page.wait_for_url(re.compile(r".*/petitions/\d+/signatures$"))
    assert page.get_by_text("Тихий Подписант").is_visible()
    assert page.get_by_text("quiet@example.org").is_visible()
    shot(page, f"petition-5-revealed-{backend}")
    page.goto(petition_page)
    page.locator("input[name=confirm]").check()
    with page.expect_download() as info:
        page.get_by_role("button", name="Download CSV with full personal data").click()
    exported = Path(info.value.path()).read_text(encoding="utf-8-sig")
    assert "Анна Петрова" in exported and "quiet@example.org" in exported
    page.get_by_role("button", name="Log out").click()
    page.wait_for_url("**/login")

    # The counted-only supporter withdraws: the script fills the code in from the fragment.
    page.goto(withdraw_link)
    assert page.locator("input[name=token]").input_value() == withdraw_code
    assert "#" not in page.url
    page.get_by_role("button", name="Withdraw my signature").click()
    page.wait_for_url(public_link + "/withdrawn")
    page.goto(public_link)
    assert count_on(page) == before + 1
