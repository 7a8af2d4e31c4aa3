"""Property test: any Unicode in any field gives a DOCX that re-opens, or a clear error."""

from __future__ import annotations

import datetime as dt

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from markupsafe import escape

from letterkit.documents import (
    Addressee,
    Annex,
    Letter,
    LetterValidationError,
    Sender,
    Signer,
    render_docx,
    render_html,
)

from .conftest import read_docx

# every code point, surrogates and control characters included
anything = st.text(alphabet=st.characters(codec=None, exclude_categories=()), max_size=80)
# required fields get one letter in front, so most examples make it to the writers
required = st.builds(lambda head, tail: head + tail, st.sampled_from(["x", "Я", "ა"]), anything)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    lang=st.sampled_from(["ru", "uk", "en"]),
    subject=required,
    sender=required,
    addressee=required,
    paragraph=anything,
    demand=anything,
    signer=required,
    cell=anything,
    reference=st.none() | anything,
)
def test_any_text_gives_a_valid_docx_or_a_clear_error(
    lang, subject, sender, addressee, paragraph, demand, signer, cell, reference
) -> None:
    try:
        letter = Letter(
            language=lang,
            sender=Sender(name=sender, address_lines=(paragraph,), contacts=(cell,)),
            addressee=Addressee(line=addressee, name=signer, salutation=subject),
            date=dt.date(2024, 2, 29),
            reference=reference,
            subject=subject,
            salutation=subject,
            paragraphs=(paragraph,),
            demands_intro=demand,
            demands=(demand, paragraph),
            paragraphs_after=(paragraph,),
            closing=signer,
            signature=Signer(name=signer, title=paragraph, organisation=sender),
            place=cell,
            annex=Annex(title=cell, columns=(subject or "c",), rows=[(cell,), (paragraph,)]),
        )
    except LetterValidationError as exc:  # only when a required field cleans to nothing
        assert exc.field  # says which field
        assert "required" in str(exc)
        return
    data = render_docx(letter)
    read = read_docx(data)  # re-opens with python-docx
    text = read.text
    assert letter.subject in text
    for value in letter.paragraphs:
        assert value in read.paragraphs
    table = read.document.tables[-1]
    assert len(table.rows) == 3
    html = render_html(letter)
    assert str(escape(letter.subject)) in html
    for value in letter.paragraphs:
        assert str(escape(value)).replace("\n", "<br>\n") in html


@settings(max_examples=30, deadline=None)
@given(value=anything)
def test_required_fields_refuse_clearly(value: str) -> None:
    try:
        sender = Sender(name=value)
    except LetterValidationError as exc:
        assert exc.field == "sender.name"
        assert str(exc) == "sender.name is required."
    else:
        assert sender.name.strip()
