"""A coordinator creates a campaign in the browser, downloads the ZIP and opens one letter."""

from __future__ import annotations

import io
import re
import zipfile
from typing import Any

import docx
import pytest

from letterkit.catalogue import get_catalogue
from tests.browser.conftest import shot
from tests.browser.test_compose import log_in

pytestmark = pytest.mark.browser


def test_campaign_to_russian_missions(
    page: Any, live_server: str, group_with_details, tmp_path
) -> None:
    log_in(page, live_server, group_with_details)
    page.goto(live_server + "/campaigns/")
    page.get_by_role("link", name="Plan a campaign").click()
    page.get_by_label("Name of the campaign").fill("World AIDS Day at the embassies")
    page.get_by_label("Action day").fill("2026-12-01")
    page.get_by_label("Kind of letter").select_option("embassy-letter")
    page.get_by_label("Demands").select_option("inpud-2011-russia")
    shot(page, "campaign-1-new")
    page.get_by_role("button", name="Next: choose the targets").click()
    page.wait_for_url(re.compile(r".*/targets$"))
    page.get_by_label("Russia", exact=True).check()
    page.get_by_label("Embassy", exact=True).check()
    page.get_by_role("button", name="Show matching authorities").click()
    shot(page, "campaign-2-targets")
    page.get_by_role("button", name="Add the ticked authorities").click()
    page.wait_for_url(re.compile(r".*/campaigns/\d+$"))
    embassies = [a for a in get_catalogue().authorities_for("RU") if a.kind == "embassy"]
    assert page.locator("table tbody tr").count() == len(embassies)
    page.get_by_role("link", name="English", exact=True).click()
    page.locator("#f_subject").fill("Harm reduction and human rights in Russia")
    page.locator("#f_government").fill("the Government of the Russian Federation")
    page.get_by_role("button", name="Save").click()
    # The embassy in Chisinau takes letters in Russian: its texts are written apart.
    page.get_by_role("link", name="Russian (русский)", exact=True).click()
    page.locator("#f_subject").fill("О снижении вреда и правах человека в России")
    page.locator("#f_government").fill("Правительству Российской Федерации")
    page.get_by_role("button", name="Save").click()
    page.get_by_role("button", name=re.compile("Make the letters")).click()
    # Russian has no neutral salutation: the page asks who holds that embassy's office.
    holders = page.locator('select[name^="holder_"]')
    assert holders.count() == 1
    holders.first.select_option("female")
    page.get_by_role("button", name="Save who holds the offices").click()
    assert page.locator('select[name^="holder_"]').count() == 0
    page.get_by_role("button", name=re.compile("Finalise the")).click()
    shot(page, "campaign-3-finalised")
    assert page.evaluate("document.documentElement.scrollWidth") <= 390  # fits a phone
    assert page.get_by_text("Planned").count() == len(embassies)
    with page.expect_download() as info:
        page.get_by_role("link", name="ZIP: one DOCX per target").click()
    path = tmp_path / "campaign.zip"
    info.value.save_as(path)
    with zipfile.ZipFile(path) as archive:
        names = archive.namelist()
        assert len(names) == len(embassies)
        london = next(n for n in names if "ru-embassy-london" in n)
        text = "\n".join(p.text for p in docx.Document(io.BytesIO(archive.read(london))).paragraphs)
    assert "Harm reduction and human rights in Russia" in text
