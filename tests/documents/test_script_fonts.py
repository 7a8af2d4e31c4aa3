"""Scripts the body font lacks (Georgian, Armenian) print: in the DOCX their runs carry the
script's font from ``[fonts.scripts]`` of ``locales.toml``; in the PDF (LibreOffice) they are
set in Noto Serif Georgian / Noto Serif Armenian and read back as text."""

from __future__ import annotations

import dataclasses
import re
import shutil
import subprocess
from pathlib import Path

import pytest

from letterkit.documents import render_docx, render_pdf
from letterkit.documents.docx_body import Runs
from letterkit.documents.locales import LOCALES_PATH, fonts, read_locales
from letterkit.tomldata import TomlDataError

from .conftest import read_docx, sample_letter

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"

#: a letter language of each script, and a word that is in its appeal template
SCRIPT_LETTERS = [
    pytest.param("ka", "Sylfaen", "NotoSerifGeorgian", "პატივისცემით", id="georgian"),
    pytest.param("hy", "Sylfaen", "NotoSerifArmenian", "Հարգանքով", id="armenian"),
]


def test_scripts_are_data() -> None:
    scripts = {script.script: script for script in fonts().scripts}
    assert scripts["georgian"].font == "Sylfaen"
    assert scripts["armenian"].font == "Sylfaen"
    assert (0x0530, 0x058F) in scripts["armenian"].ranges
    assert (0x10A0, 0x10FF) in scripts["georgian"].ranges
    # the body font and each script font once
    assert fonts().names == ("Times New Roman", "Sylfaen")


def _run_fonts(docx: bytes, needle: str) -> set[str]:
    """The w:ascii fonts of the runs whose text holds ``needle``."""
    document = read_docx(docx).document
    found = set()
    for run in document.element.body.iter(f"{W}r"):
        text = "".join(t.text or "" for t in run.iter(f"{W}t"))
        if needle in text:
            rfonts = run.find(f"{W}rPr/{W}rFonts")
            found.add(rfonts.get(f"{W}ascii") if rfonts is not None else "")
    return found


@pytest.mark.parametrize(("lang", "font", "pdf_font", "word"), SCRIPT_LETTERS)
def test_script_runs_carry_the_script_font(lang: str, font: str, pdf_font: str, word: str) -> None:
    letter = sample_letter("appeal", lang)
    docx = render_docx(letter)
    read = read_docx(docx)
    assert word in read.text and letter.addressee.line in read.text
    assert _run_fonts(docx, word) == {font}
    # Latin and digits around the script stay in the body font (the style's, no run font)
    assert _run_fonts(docx, "CV-2019/07") == {""}


def test_mixed_scripts_in_one_paragraph_get_one_run_each() -> None:
    base = sample_letter("appeal", "en")
    letter = dataclasses.replace(base, paragraphs=("Tbilisi თბილისი Երևան Yerevan",))
    docx = render_docx(letter)
    assert _run_fonts(docx, "თბილისი") == {"Sylfaen"}
    assert _run_fonts(docx, "Երևան") == {"Sylfaen"}
    assert _run_fonts(docx, "Yerevan") == {""}
    assert "Tbilisi თბილისი Երևան Yerevan" in read_docx(docx).paragraphs
    assert Runs()("ქართულიՀայերեն").count("<w:r>") == 2  # adjacent scripts, a run each


def test_a_script_range_must_be_code_points(tmp_path: Path) -> None:
    text = LOCALES_PATH.read_text(encoding="utf-8")
    bad = tmp_path / "locales.toml"
    bad.write_text(text.replace('"0530-058F"', '"058F-0530"'), encoding="utf-8")
    with pytest.raises(
        TomlDataError, match=r"locales.toml: fonts.scripts.armenian.ranges: must be a range"
    ):
        read_locales(bad)


def _pdf_fonts(pdf: bytes) -> set[str]:
    """The fonts a PDF embeds, without the subset prefix and the style."""
    names = re.findall(rb"/BaseFont\s*/([^\s/<>\[\]]+)", pdf)
    return {n.split(b"+")[-1].decode().split("-")[0] for n in names}


@pytest.mark.parametrize(("lang", "font", "pdf_font", "word"), SCRIPT_LETTERS)
def test_script_letter_prints_to_pdf(
    soffice: str, tmp_path: Path, lang: str, font: str, pdf_font: str, word: str
) -> None:
    letter = sample_letter("appeal", lang)
    pdf = render_pdf(letter)
    used = _pdf_fonts(pdf)
    assert pdf_font in used, used
    assert used <= {"LiberationSerif", "TimesNewRomanPSMT", "NotoSerifGeorgian", pdf_font}, used
    pdftotext = shutil.which("pdftotext")
    if pdftotext is None:
        pytest.skip("pdftotext (poppler-utils) is not installed")
    path = tmp_path / "letter.pdf"
    path.write_bytes(pdf)
    text = subprocess.run(
        [pdftotext, "-enc", "UTF-8", str(path), "-"], capture_output=True, check=True
    ).stdout.decode()
    assert word in text
    assert letter.closing.rstrip(",՝") in text
    assert "\ufffd" not in text  # no replacement characters
