"""Kazakh, Kyrgyz, Uzbek and Belarusian letters (#13 item 2): every template renders in each,
with the country's date and requisites, a neutral salutation where the holder's is missing, the
law sentence with and without the group's reading, and the text read back from the DOCX (and,
where LibreOffice is installed, from the PDF: the letters print as letters, not boxes)."""

from __future__ import annotations

import dataclasses
import datetime as dt
import io
import shutil
import subprocess
import zipfile
from pathlib import Path

import pytest

from letterkit.documents import build_letter, default_library, get_locale, render_docx, render_pdf

from .conftest import read_docx, sample_letter

LANGS = ("kk", "ky", "uz", "be")
SLUGS = ("appeal", "embassy-letter", "sign-on", "follow-up")
DAY = dt.date(2019, 6, 26)


@pytest.mark.parametrize(
    ("lang", "long_date", "requisite", "word_lang"),
    [
        ("kk", "2019 жылғы 26 маусым", "26.06.2019 № ____________", "kk-KZ"),
        ("ky", "2019-жылдын 26-июну", "26.06.2019 № ____________", "ky-KG"),
        ("uz", "2019-yil 26-iyun", "26.06.2019 № ____________", "uz-Latn-UZ"),
        ("be", "26 чэрвеня 2019 г.", "№ ____________ ад 26.06.2019", "be-BY"),
    ],
)
def test_dates_requisites_and_word_language(
    lang: str, long_date: str, requisite: str, word_lang: str
) -> None:
    locale = get_locale(lang)
    assert locale.long_date(DAY) == long_date
    assert locale.layout == "official"
    assert locale.requisite_lines(reference=None, day=DAY, place="")[0] == requisite
    spec = default_library().get("appeal")
    context = dataclasses.replace(spec.sample_context(lang), reference=None)
    data = render_docx(build_letter("appeal", lang, context))
    read = read_docx(data)
    assert read.paragraphs[0] == locale.draft_mark
    assert requisite in read.text
    with zipfile.ZipFile(io.BytesIO(data)) as zf:
        assert f'w:lang w:val="{word_lang}"' in zf.read("word/styles.xml").decode()


@pytest.mark.parametrize(
    ("lang", "neutral"),
    [
        ("kk", "Құрметті ханымдар мен мырзалар!"),
        ("ky", "Урматтуу айымдар жана мырзалар!"),
        ("uz", "Hurmatli xonimlar va janoblar!"),
        ("be", "Паважаныя спадарыні і спадары!"),
    ],
)
@pytest.mark.parametrize("slug", ["appeal", "sign-on", "follow-up"])
def test_missing_salutation_falls_back_to_a_neutral_one(slug: str, lang: str, neutral: str) -> None:
    spec = default_library().get(slug)
    context = spec.sample_context(lang)
    context = dataclasses.replace(
        context, addressee=dataclasses.replace(context.addressee, salutation="")
    )
    assert build_letter(slug, lang, context).salutation == neutral


@pytest.mark.parametrize("lang", LANGS)
def test_embassy_fallback_salutation_is_not_male_only(lang: str) -> None:
    spec = default_library().get("embassy-letter")
    context = spec.sample_context(lang)
    context = dataclasses.replace(
        context, addressee=dataclasses.replace(context.addressee, salutation="")
    )
    salutation = build_letter("embassy-letter", lang, context).salutation
    assert salutation
    for male_only in ("мырза!", "спадар Пасол", "janob!"):
        assert not salutation.endswith(male_only)


LAW = {
    "kk": (
        "Қазақстан Республикасының 2020 жылғы 29 маусымдағы № 350-VI Кодексі, 76-бап",
        "біздің түсінігімізше",
    ),
    "ky": (
        "Кыргыз Республикасынын 2007-жылдын 4-майындагы № 67 Мыйзамы",
        "биздин түшүнүгүбүз боюнча",
    ),
    "uz": (
        "Oʻzbekiston Respublikasining 2017-yil 11-sentabrdagi OʻRQ-445-son Qonuni",
        "bizning tushunishimizcha",
    ),
    "be": ("Закон Рэспублікі Беларусь ад 18.07.2011 № 300-З", "паводле нашага разумення"),
}


@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize("slug", ["appeal", "embassy-letter", "sign-on"])
@pytest.mark.parametrize("hedged", [True, False], ids=["reading", "fact"])
def test_law_sentence_with_and_without_the_reading(slug: str, lang: str, hedged: bool) -> None:
    law, reading = LAW[lang]
    spec = default_library().get(slug)
    context = spec.sample_context(lang)
    fields = {**context.fields, "law": law, "law_hedge": reading if hedged else ""}
    letter = build_letter(slug, lang, dataclasses.replace(context, fields=fields))
    after = " ".join(letter.paragraphs_after)
    assert f"({law})" in after
    assert (f", {reading}," in after) is hedged
    assert "  " not in after and " ," not in after and ",," not in after
    without = build_letter(slug, lang, context)
    assert "(" not in " ".join(without.paragraphs_after).replace(
        "(", "", 1 if slug == "sign-on" else 0
    )
    read = read_docx(render_docx(letter))
    assert law in read.text.replace("\n", " ") or law.split(",")[0] in read.text


@pytest.mark.parametrize("lang", LANGS)
def test_follow_up_states_the_reckoning_as_such(lang: str) -> None:
    letter = sample_letter("follow-up", lang)
    body = " ".join(letter.paragraphs)
    for needle in ("26.06.2019", "27.06.2019", "29.07.2019", "12-3/456"):
        assert needle in body or needle in letter.subject
    spec = default_library().get("follow-up")
    context = spec.sample_context(lang)
    reckoning = {
        "kk": "Біздің есебіміз бойынша",
        "ky": "Биздин эсебибиз боюнча",
        "uz": "Bizning hisob-kitobimizga koʻra",
        "be": "Паводле нашага разліку",
    }[lang]
    hedged = dict(context.fields, law_hedge=reckoning.lower())
    text = " ".join(
        build_letter("follow-up", lang, dataclasses.replace(context, fields=hedged)).paragraphs
    )
    assert reckoning + "," in text
    plain = dict(context.fields, law_hedge="")
    text = " ".join(
        build_letter("follow-up", lang, dataclasses.replace(context, fields=plain)).paragraphs
    )
    assert reckoning not in text


@pytest.mark.parametrize(
    ("lang", "closing", "intro"),
    [
        ("kk", "Құрметпен,", "Сізден мыналарды сұраймыз:"),
        ("ky", "Урматтоо менен,", "Сизден төмөнкүлөрдү суранабыз:"),
        ("uz", "Hurmat bilan,", "Sizdan quyidagilarni soʻraymiz:"),
        ("be", "З павагай,", "росім Вас:"),
    ],
)
def test_idiomatic_parts(lang: str, closing: str, intro: str) -> None:
    for slug in ("appeal", "sign-on"):
        letter = sample_letter(slug, lang)
        assert letter.closing == closing
        assert letter.demands_intro.endswith(intro)


@pytest.mark.parametrize("lang", LANGS)
def test_sign_on_counts_the_annex_in_the_language(lang: str) -> None:
    letter = sample_letter("sign-on", lang)
    assert "12)" in " ".join(letter.paragraphs_after)
    assert letter.annex is not None
    assert letter.annex.title == get_locale(lang).annex_default_title
    read = read_docx(render_docx(letter))
    assert get_locale(lang).annex_columns[0] in read.text


def test_every_file_says_it_is_a_draft_translation() -> None:
    root = default_library().root
    for slug in SLUGS:
        for lang in LANGS:
            head = (root / slug / f"{lang}.j2").read_text(encoding="utf-8")[:600]
            assert "Draft translation by the developers" in head, (slug, lang)
            assert "not yet reviewed by a native speaker" in head, (slug, lang)


def test_uzbek_is_in_the_official_latin_alphabet() -> None:
    root = default_library().root
    text = "".join((root / slug / "uz.j2").read_text(encoding="utf-8") for slug in SLUGS)
    assert "\u02bb" in text  # oʻ, gʻ: modifier letter turned comma
    for wrong in ("o'", "g'", "o‘", "g‘", "o`", "g`"):
        assert wrong not in text.lower()
    assert not any("\u0400" <= ch <= "\u04ff" for ch in text)  # no Cyrillic


def test_pdf_prints_the_letters_of_all_four(tmp_path: Path, soffice: str) -> None:
    """One PDF with a paragraph of each language: the fonts are the Times stand-in and
    pdftotext reads every special letter back (a missing glyph would not)."""
    base = sample_letter("appeal", "kk")
    others = [" ".join(sample_letter("appeal", lang).paragraphs) for lang in ("ky", "uz", "be")]
    letter = dataclasses.replace(base, paragraphs=(*base.paragraphs, *others))
    pdf = render_pdf(letter)
    path = tmp_path / "letter.pdf"
    path.write_bytes(pdf)
    if shutil.which("pdftotext") is None:
        pytest.skip("pdftotext (poppler-utils) is not installed")
    text = subprocess.run(
        ["pdftotext", "-enc", "UTF-8", str(path), "-"], capture_output=True, check=True, text=True
    ).stdout
    for letters in ("әғқңөұүі", "ңөү", "oʻgʻ", "ўі"):
        for ch in letters:
            assert ch in text, ch
    listing = subprocess.run(["pdffonts", str(path)], capture_output=True, text=True).stdout
    fonts = {line.split()[0].split("+")[-1].split("-")[0] for line in listing.splitlines()[2:]}
    # no fallback font was needed for any letter: all are in the Times stand-in
    assert fonts and fonts <= {"LiberationSerif", "TimesNewRomanPSMT"}, listing
