"""The law a letter cites comes from the rule of the addressee's state (services/law.py):
letters written with ``flask letterkit render`` and opened again as DOCX."""

from __future__ import annotations

import dataclasses
import io
from datetime import date
from pathlib import Path

import docx
import pytest
from flask import Flask

from letterkit.catalogue import get_catalogue
from letterkit.services import law

FIFTY_NINE = "№ 59-ФЗ"


def _paragraphs(path: Path) -> list[str]:
    return [p.text for p in docx.Document(io.BytesIO(path.read_bytes())).paragraphs]


def _render(runner, tmp_path: Path, template: str, authority: str, lang: str, *extra: str):
    out = tmp_path / f"{template}-{authority}-{lang}.docx"
    result = runner.invoke(
        args=[
            "letterkit",
            "render",
            "--template",
            template,
            "--authority",
            authority,
            "--demand",
            "inpud-2011-art",
            "--lang",
            lang,
            "--date",
            "2026-03-02",
            "--sample",
            "--out",
            str(out),
            *extra,
        ]
    )
    assert result.exit_code == 0, result.output
    return "\n".join(_paragraphs(out))


# (template, authority, language, words that must be printed, words that must not)
CASES = [
    # Russia: 59-FZ, stated as a fact (its article and scope are verified).
    (
        "appeal",
        "ru-minzdrav",
        "ru",
        ["в срок, установленный законом (Федеральный закон от 02.05.2006 № 59-ФЗ", "ч. 1 ст. 12"],
        ["по нашему пониманию"],
    ),
    # Ukraine: Law 393/96-ВР, Art. 20, in Ukrainian; whom it covers is UNVERIFIED: a reading.
    (
        "appeal",
        "ua-moz",
        "uk",
        ["наскільки нам відомо", "Закон України від 02.10.1996 № 393/96-ВР", "ст. 20"],
        [FIFTY_NINE],
    ),
    (
        "appeal",
        "ua-moz",
        "en",
        ["as we understand it", "No. 393/96-ВР", "Art. 20"],
        [],
    ),
    # Moldova: the Administrative Code, Art. 60 (not 59-FZ), in Russian.
    (
        "appeal",
        "md-parliament",
        "ru",
        ["Административный кодекс Республики Молдова № 116 от 19.07.2018, ст. 60"],
        [FIFTY_NINE, "по нашему пониманию"],
    ),
    # Kazakhstan (2026): the APPC, Art. 76; foreign applicants UNVERIFIED: a reading.
    (
        "sign-on",
        "kz-minzdrav",
        "ru",
        ["по нашему пониманию", "Административный процедурно-процессуальный кодекс", "ст. 76"],
        [FIFTY_NINE],
    ),
    # Georgia: a letter that asks for no administrative act: no legal claim.
    ("appeal", "ge-ministry-health", "ru", ["по адресу, указанному выше. Мы готовы"], ["закон"]),
    ("appeal", "ge-ministry-health", "en", ["to the address above. We are ready"], ["time limit"]),
    # A Russian embassy: the sending state's law, hedged (whether 59-FZ binds it is UNVERIFIED).
    (
        "embassy-letter",
        "ru-embassy-london",
        "en",
        ["within the time limit set, as we understand it, by Federal Law", "Art. 12(1)"],
        [],
    ),
    (
        "embassy-letter",
        "ru-embassy-chisinau",
        "ru",
        ["в срок, установленный, по нашему пониманию, законом (Федеральный закон", "ч. 1 ст. 12"],
        [],
    ),
]


@pytest.mark.parametrize(("template", "authority", "lang", "present", "absent"), CASES)
def test_the_printed_law_is_the_rules(
    app: Flask,
    runner,
    tmp_path: Path,
    template: str,
    authority: str,
    lang: str,
    present: list[str],
    absent: list[str],
) -> None:
    text = _render(runner, tmp_path, template, authority, lang)
    for words in present:
        assert words in text
    for words in absent:
        assert words not in text


def test_moldova_in_russian_cites_the_administrative_code(
    app: Flask, runner, tmp_path: Path
) -> None:
    out = tmp_path / "md.docx"
    result = runner.invoke(
        args=[
            "letterkit",
            "render",
            "--template",
            "appeal",
            "--authority",
            "md-parliament",
            "--demand-set",
            "sdp-2019-md-seven",
            "--lang",
            "ru",
            "--sample",
            "--out",
            str(out),
        ]
    )
    assert result.exit_code == 0, result.output
    text = "\n".join(_paragraphs(out))
    assert "Административный кодекс Республики Молдова" in text
    assert "59-ФЗ" not in text


def test_a_law_the_user_gives_is_kept(app: Flask, runner, tmp_path: Path) -> None:
    text = _render(runner, tmp_path, "appeal", "md-parliament", "ru", "--field", "law=Закон X")
    assert "законом (Закон X)" in text
    assert "Административный кодекс" not in text


@pytest.mark.parametrize("lang", ["en", "ru", "uk"])
def test_no_statutory_term_makes_no_legal_claim(app: Flask, lang: str) -> None:
    """The United States (and GB guidance, Germany, the UN …): the law field stays empty."""
    us = dataclasses.replace(get_catalogue().authority("ru-minzdrav"), country="US")
    gb = dataclasses.replace(get_catalogue().authority("ru-minzdrav"), country="GB")
    tj = dataclasses.replace(get_catalogue().authority("ru-minzdrav"), country="TJ")
    for authority in (us, gb, tj):
        assert law.law_fields(authority, lang, date(2026, 3, 2)) == {"law": "", "law_hedge": ""}


def test_kazakhstan_before_2021_cites_the_old_law(app: Flask) -> None:
    authority = get_catalogue().authority("kz-minzdrav")
    cited = law.cited_law(authority, "ru", date(2019, 6, 26))
    assert cited.rule_id == "kz-221"
    assert "№ 221-III" in cited.text and "ст. 8" in cited.text
