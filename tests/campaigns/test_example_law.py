"""The seed campaigns' letters cite the right law per country (#12): each example letter is
built, written as DOCX, opened again, and its law sentence read back."""

from __future__ import annotations

from typing import Any

import pytest
import sqlalchemy as sa
from flask import Flask

from letterkit import documents
from letterkit.extensions import db
from letterkit.models import Group, Letter
from letterkit.models.campaigns import CampaignTarget
from letterkit.services import letters
from tests.campaigns.test_campaigns import EMBASSIES_2011, campaign_id, examples, text_of
from tests.conftest import Client

__all__ = ["examples"]  # the fixture, imported for this module

# 2011, English letters to Russian missions: the sending state's law, as the group's reading.
RUSSIA_AS_READ = (
    "within the time limit set, as we understand it, by Federal Law of 02.05.2006 No. 59-FZ"
)
# 2019 (letters dated 26.06.2019), each in its letter language; None = no legal claim.
LAW_2019 = {
    "by-minzdrav": "в срок, установленный, по нашему пониманию, законом (Закон Республики "
    "Беларусь от 18.07.2011 № 300-З",
    "uz-minzdrav": "по нашему пониманию, законом (Закон Республики Узбекистан от 11.09.2017",
    # the reference gives no Lithuanian name of the law: it is cited as the rule gives it
    "lt-ministry-health": "Law on Public Administration of 17.06.1999 No. VIII-1234",
    "md-ministry-health": "Codul administrativ al Republicii Moldova nr. 116 din 19.07.2018, art. 60",
    # Kazakhstan in 2019: the law of 2007 (the Code is in force from 01.07.2021).
    "kz-minzdrav": "законом (Закон Республики Казахстан от 12.01.2007 № 221-III, ст. 8)",
    "ee-ministry-social-affairs": "MSVS, § 6",
    "ge-ministry-health": None,
    "kg-minzdrav": "по нашему пониманию, законом (Закон Кыргызской Республики от 04.05.2007 № 67",
    "ua-moz": "у строк, встановлений, наскільки нам відомо, законом (Закон України від "
    "02.10.1996 № 393/96-ВР",
}


def _letters_of(app: Flask, cid: int, group_id: int) -> dict[str, str]:
    with app.test_request_context():
        group = db.session.get(Group, group_id)
        rows = db.session.execute(
            sa.select(CampaignTarget.authority_slug, Letter)
            .join(Letter, Letter.id == CampaignTarget.letter_id)
            .where(CampaignTarget.campaign_id == cid)
        ).all()
        return {
            slug: " ".join(text_of(documents.render_docx(letters.build(letter, group))).split())
            for slug, letter in rows
        }


@pytest.mark.parametrize("year", ["2011", "2019"])
def test_seed_campaign_letters_cite_the_law_of_each_state(
    app: Flask, examples, client: Client, group_with_details: dict[str, Any], year: str
) -> None:
    texts = _letters_of(app, campaign_id(examples, year), group_with_details["group_id"])
    if year == "2011":
        assert sorted(texts) == sorted(EMBASSIES_2011)
        for slug, text in texts.items():
            assert RUSSIA_AS_READ in text, slug
        return
    assert sorted(texts) == sorted(LAW_2019)
    for slug, expected in LAW_2019.items():
        text = texts[slug]
        if expected is None:
            assert "time limit" not in text and "59-FZ" not in text, slug
        else:
            assert expected in text, slug
        assert "59-ФЗ" not in text and "59-FZ" not in text, slug
