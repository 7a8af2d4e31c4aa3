"""The HTML preview: same parts as the DOCX, every value escaped."""

from __future__ import annotations

import dataclasses

import pytest
from markupsafe import Markup

from letterkit.documents import Annex, render_html

from .conftest import SAMPLES, sample_letter


@pytest.mark.parametrize(("slug", "lang"), SAMPLES)
def test_preview_has_the_parts(slug: str, lang: str) -> None:
    letter = sample_letter(slug, lang)
    html = render_html(letter)
    assert isinstance(html, Markup)
    assert f'lang="{lang}"' in html
    for demand in letter.demands:
        assert str(Markup.escape(demand)) in html
    assert str(Markup.escape(letter.signature.name)) in html
    assert html.count('<li class="letter-demand">') == len(letter.demands)


def test_preview_escapes_everything() -> None:
    hostile = '<script>alert("x")</script> & {{ 7*7 }}'
    letter = dataclasses.replace(
        sample_letter("appeal", "en"), subject=hostile, paragraphs=(hostile + "\nline 2",)
    )
    html = render_html(letter)
    assert "<script>" not in html
    assert "&lt;script&gt;alert(&#34;x&#34;)&lt;/script&gt; &amp; {{ 7*7 }}" in html
    assert "line 2" in html and "<br>" in html


def test_preview_annex_is_limited() -> None:
    annex = Annex(title="Signatories", columns=("Name",), rows=[(f"N{i}",) for i in range(300)])
    letter = dataclasses.replace(sample_letter("sign-on", "ru"), annex=annex)
    html = render_html(letter, annex_preview_rows=10)
    assert html.count("<tr>") == 11  # header + 10
    assert "… и ещё 290" in html


def test_preview_follows_the_printed_page() -> None:
    from letterkit.documents import Addressee, build_letter

    from .conftest import simple_context

    context = dataclasses.replace(
        simple_context(reference=None, annex_rows=2),
        addressee=Addressee(line="Парламенту", address_lines=("Кишинёв, MD-2073",)),
    )
    draft = render_html(build_letter("appeal", "ru", context))
    assert draft.index('class="letter-draft-mark">ПРОЕКТ: не для отправки<') < draft.index(
        "letter-letterhead"
    )
    assert "№ проект" not in draft and "№ ____________ от 26.06.2019" in draft
    assert 'class="letter letter--official"' in draft  # CSS: addressee right, salutation centred
    assert '<span class="letter-nowrap">MD-2073</span>' in draft
    order = ["letter-letterhead", "letter-requisites", "letter-addressee", "letter-subject"]
    order += ["letter-salutation", "letter-annex-note", "letter-closing", "letter-signature-line"]
    positions = [draft.index(f'class="{name}') for name in order]
    assert positions == sorted(positions)
    assert "Приложение: List of signatories (подписей: 2) в 1 экз." in draft
    title, line, name = (draft.index(f"letter-signature-{x}") for x in ("title", "line", "name"))
    assert title < line < name

    final = render_html(build_letter("appeal", "ru", dataclasses.replace(context, reference="X-1")))
    assert "letter-draft-mark" not in final and "ПРОЕКТ" not in final

    english = render_html(build_letter("appeal", "en", context))
    assert "DRAFT: not for sending" in english and "letter--business" in english
    line, name = (english.index(f"letter-signature-{x}") for x in ("line", "name"))
    assert line < name
