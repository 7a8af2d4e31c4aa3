"""The letter service: building, finalising, reference numbers, letterheads."""

from __future__ import annotations

import io
import threading
from datetime import date
from typing import Any

import docx
import pytest
import sqlalchemy as sa
from flask import Flask

from letterkit import documents
from letterkit.catalogue import get_catalogue
from letterkit.extensions import db
from letterkit.models import Group, Letter, LetterDocument, LetterStatus, User
from letterkit.services import drafts, letterheads, letters
from tests.compose.conftest import make_draft


def _finalise(app: Flask, person: dict[str, Any], letter_id: int) -> Letter:
    with app.test_request_context():
        letter = db.session.get(Letter, letter_id)
        letters.finalise(
            letter, db.session.get(Group, person["group_id"]), db.session.get(User, person["id"])
        )
        db.session.commit()
    with app.app_context():
        letter = db.session.get(Letter, letter_id)
        data = letter.document.data
        db.session.expunge_all()
        letter.stored = data  # type: ignore[attr-defined]
        return letter


def _text(data: bytes) -> str:
    document = docx.Document(io.BytesIO(data))
    parts = [p.text for p in document.paragraphs]
    for table in document.tables:
        parts += [cell.text for row in table.rows for cell in row.cells]
    return "\n".join(parts)


def test_finalise_stores_the_docx_exactly_as_issued(app: Flask, group_with_details) -> None:
    letter_id = make_draft(app, group_with_details)
    letter = _finalise(app, group_with_details, letter_id)
    assert letter.status is LetterStatus.FINAL
    assert letter.reference == f"HRM-{date.today().year}/001"
    text = _text(letter.stored)
    catalogue = get_catalogue()
    assert catalogue.authority("ru-minzdrav").addressee("ru").text.split()[0] in text
    demands = [d.text("ru").text for d in catalogue.demand_set("inpud-2011-russia").demands]
    positions = [text.index(d[:40]) for d in demands]
    assert positions == sorted(positions)
    assert "HRM-" in text and "Анна Петрова" in text
    with app.app_context():
        stored = db.session.get(LetterDocument, letter_id)
        assert stored.sha256 == documents.sha256(letter.stored)
        assert stored.size == len(letter.stored)
        assert letter.content["subject"] == "О гуманизации наркополитики"


def test_final_letters_do_not_change(app: Flask, group_with_details) -> None:
    letter_id = make_draft(app, group_with_details)
    _finalise(app, group_with_details, letter_id)
    with app.test_request_context():
        letter = db.session.get(Letter, letter_id)
        group = db.session.get(Group, group_with_details["group_id"])
        actor = db.session.get(User, group_with_details["id"])
        with pytest.raises(letters.LetterError, match="final"):
            letters.finalise(letter, group, actor)
        with pytest.raises(letters.LetterError, match="final"):
            drafts.update_draft(letter, group, actor, fields={"subject": "x"})
        with pytest.raises(letters.LetterError, match="final"):
            drafts.delete_draft(letter, group, actor)


def test_tampering_with_the_stored_document_is_detected(app: Flask, group_with_details) -> None:
    letter_id = make_draft(app, group_with_details)
    _finalise(app, group_with_details, letter_id)
    with app.app_context():
        stored = db.session.get(LetterDocument, letter_id)
        assert letters.issued_document(stored.letter) == stored.data
        stored.data = stored.data + b"x"
        db.session.commit()
        with pytest.raises(letters.LetterError, match="altered"):
            letters.issued_document(db.session.get(Letter, letter_id))


def test_reference_numbers_count_per_group_and_year(
    app: Flask, factory, group_with_details
) -> None:
    other = factory.user(factory.group("Other group"), "coordinator")
    refs = []
    for person in (group_with_details, group_with_details, other, group_with_details):
        refs.append(_finalise(app, person, make_draft(app, person)).reference)
    year = date.today().year
    assert refs[:2] == [f"HRM-{year}/001", f"HRM-{year}/002"]
    assert refs[2] == f"OTHERGROUP-{year}/001"
    assert refs[3] == f"HRM-{year}/003"
    with app.test_request_context():
        group = db.session.get(Group, group_with_details["group_id"])
        assert letters.next_reference(group, 2031) == "HRM-2031/001"


def test_concurrent_finalising_never_repeats_a_number(app: Flask, group_with_details) -> None:
    ids = [make_draft(app, group_with_details) for _ in range(8)]
    errors: list[BaseException] = []

    def worker(letter_id: int) -> None:
        try:
            for attempt in range(20):
                try:
                    _finalise(app, group_with_details, letter_id)
                    return
                except sa.exc.OperationalError:  # SQLite: database is locked, try again
                    if attempt == 19:
                        raise
        except BaseException as exc:  # noqa: BLE001
            errors.append(exc)

    threads = [threading.Thread(target=worker, args=(i,)) for i in ids]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert not errors
    with app.app_context():
        refs = db.session.scalars(sa.select(Letter.reference)).all()
    assert len(refs) == len(set(refs)) == 8


def test_letterhead_frames_the_letter(app: Flask, group_with_details) -> None:
    letterhead = docx.Document()
    letterhead.sections[0].header.paragraphs[0].text = "HARM REDUCTION MOSCOW LETTERHEAD"
    buffer = io.BytesIO()
    letterhead.save(buffer)
    with app.test_request_context():
        group = db.session.get(Group, group_with_details["group_id"])
        actor = db.session.get(User, group_with_details["id"])
        letterheads.save_letterhead(group, actor, "head.docx", buffer.getvalue())
        db.session.commit()
        with pytest.raises(documents.LetterheadError):
            letterheads.save_letterhead(group, actor, "bad.docx", b"not a docx")
        db.session.rollback()
    letter = _finalise(app, group_with_details, make_draft(app, group_with_details))
    headers = [
        p.text
        for s in docx.Document(io.BytesIO(letter.stored)).sections
        for p in s.header.paragraphs
    ]
    assert "HARM REDUCTION MOSCOW LETTERHEAD" in headers


def test_duplicate_for_another_authority(app: Flask, group_with_details) -> None:
    letter_id = make_draft(app, group_with_details)
    with app.test_request_context():
        letter = db.session.get(Letter, letter_id)
        group = db.session.get(Group, group_with_details["group_id"])
        actor = db.session.get(User, group_with_details["id"])
        copy = drafts.duplicate(letter, group, actor, "ru-mvd")
        db.session.commit()
        assert copy.id != letter.id and copy.authority_slug == "ru-mvd"
        assert copy.demand_slugs == letter.demand_slugs and copy.status is LetterStatus.DRAFT


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"authority_slug": "nope"}, "Choose an authority"),
        ({"demand_slugs": ["nope"]}, "Unknown demand"),
        ({"paragraphs": ["p"] * 21}, "At most 20"),
    ],
)
def test_bad_drafts_are_refused(app: Flask, group_with_details, overrides, message) -> None:
    with pytest.raises(letters.LetterError, match=message):
        make_draft(app, group_with_details, **overrides)
    with app.app_context():
        assert db.session.scalar(sa.select(sa.func.count()).select_from(Letter)) == 0
