"""The annex of signatories: in the letter's DOCX as each signer chose, streamed from the DB."""

from __future__ import annotations

import io
import tracemalloc
from collections.abc import Iterator
from typing import Any

import docx
import pytest
import sqlalchemy as sa
from flask import Flask

from letterkit import documents
from letterkit.extensions import db
from letterkit.models import Display, Group, Letter, Petition, Signature, SignerKind, User, utcnow
from letterkit.petitions import operations as ops
from letterkit.services import annexes, letters
from letterkit.services.annexes import annex_for_letter
from tests.conftest import Client

from .helpers import form_data, make_signon_draft, open_petition, prepare_group

SIGNERS = [
    form_data(name="Анна Петрова", city="Москва", display="initials"),
    form_data(name="Ivan Sidorov", city="Kazan", display="full"),
    form_data(name="Hidden Person", city="Omsk", display="full"),
    form_data(
        kind="organisation",
        name="Фонд «Гуманитарное действие»",
        city="Санкт-Петербург",
        contact_person="Never Printed",
        display="full",
    ),
    *[form_data(name=f"Quiet {n}", city="Perm", display="count") for n in range(3)],
    form_data(kind="organisation", name="Quiet Org", display="count"),
]


def sign_everyone(app: Flask, signer: Client, petition: dict[str, Any]) -> None:
    for data in SIGNERS:
        assert signer.post(f"/s/{petition['code']}", data=data).status_code == 303
    with app.app_context():
        hidden = db.session.scalar(sa.select(Signature).where(Signature.name == "Hidden Person"))
        hidden.hidden = True
        db.session.commit()


def finalise_with_annex(app: Flask, person: dict[str, Any], letter_id: int) -> bytes:
    """What the compose feature does when it finalises a sign-on letter."""
    with app.test_request_context():
        letter = db.session.get(Letter, letter_id)
        annex = annex_for_letter(letter)
        assert annex is not None
        assert not isinstance(annex.rows, list | tuple)  # streamed, not loaded
        letters.finalise(
            letter,
            db.session.get(Group, person["group_id"]),
            db.session.get(User, person["id"]),
            annex=annex,
        )
        db.session.commit()
        return letters.issued_document(db.session.get(Letter, letter_id))


def annex_table(data: bytes) -> tuple[list[str], list[list[str]]]:
    document = docx.Document(io.BytesIO(data))
    titles = [p.text for p in document.paragraphs if p.style.name == "Annex Title"]
    table = document.tables[-1]
    cells = [[cell.text for cell in row.cells] for row in table.rows]
    return titles, cells


def test_the_final_docx_lists_signers_as_they_chose(
    app: Flask, coordinator: dict[str, Any], signer: Client, petition: dict[str, Any]
) -> None:
    sign_everyone(app, signer, petition)
    data = finalise_with_annex(app, coordinator, petition["letter_id"])
    titles, cells = annex_table(data)
    header, *rows = cells
    assert header == ["№ п/п", "Организация или имя", "Город", "Страна"]
    # organisations first, then people; one row per shown signer; counted-only and hidden
    # signers are not rows
    assert rows == [
        ["1", "Фонд «Гуманитарное действие»", "Санкт-Петербург", "Россия"],
        ["2", "А. П.", "Москва", ""],
        ["3", "Ivan Sidorov", "Kazan", "Россия"],
    ]
    assert titles == ["Список подписавших: поимённо — 3, и ещё 4 без указания имени по их просьбе"]
    document = docx.Document(io.BytesIO(data))
    body = "\n".join(p.text for p in document.paragraphs)
    assert "(всего: 7)" in body.replace("\n", " ").replace("  ", " ")
    for absent in ("Анна Петрова", "Hidden Person", "Quiet", "Never Printed", "Perm"):
        assert absent not in body
        assert all(absent not in cell for row in cells for cell in row)


def test_an_english_letter_gets_an_english_annex(
    app: Flask, coordinator: dict[str, Any], signer: Client
) -> None:
    prepare_group(app, coordinator["group_id"])
    letter_id = make_signon_draft(app, coordinator, language="en")
    _petition_id, code = open_petition(app, coordinator, letter_id)
    for data in (
        form_data(name="Marta Kovalenko", city="Vilnius", country="LT", display="full"),
        form_data(name="Quiet One", display="count"),
    ):
        assert signer.post(f"/s/{code}", data=data).status_code == 303
    titles, (header, *rows) = annex_table(finalise_with_annex(app, coordinator, letter_id))
    assert header == ["No.", "Organisation or name", "City", "Country"]
    assert rows == [["1", "Marta Kovalenko", "Vilnius", "Lithuania"]]
    assert titles == [
        "List of signatories: 1 listed by name and 1 more who asked to be counted only"
    ]


def test_no_annex_without_a_petition_or_without_visible_signers(
    app: Flask, coordinator: dict[str, Any], petition: dict[str, Any], signer: Client
) -> None:
    other = make_signon_draft(app, coordinator)
    with app.test_request_context():
        assert annex_for_letter(db.session.get(Letter, other)) is None
        assert annex_for_letter(db.session.get(Letter, petition["letter_id"])) is None
    signer.post(f"/s/{petition['code']}", data=form_data(display="count"))
    with app.test_request_context():
        annex = annex_for_letter(db.session.get(Letter, petition["letter_id"]))
        assert annex is not None and annex.row_count == 1
        assert list(annex.rows) == []
        assert annex.title == "Список подписавших: всего 1, все без указания имени по их просьбе"


def test_the_annex_preview_shows_signers_as_they_chose(
    app: Flask, logged_in: Client, signer: Client, petition: dict[str, Any]
) -> None:
    sign_everyone(app, signer, petition)
    page = logged_in.get(f"/petitions/{petition['id']}/annex").get_data(as_text=True)
    assert "<td>А. П.</td><td>Москва</td><td></td>" in page
    assert "<td>Ivan Sidorov</td><td>Kazan</td><td>Россия</td>" in page
    assert "и ещё 4 без указания имени" in page
    for absent in ("Анна Петрова", "Hidden Person", "Quiet", "Never Printed"):
        assert absent not in page


@pytest.mark.parametrize(
    ("name", "initials"),
    [
        ("Анна Петрова", "А. П."),
        ("Anna-Maria von Berg", "A.-M. V. B."),
        ("  ольга  ", "О."),
        ("Ніна О'Коннор", "Н. О."),
        ("ნინო ბერიძე", "ნ. ბ."),
        ("123 !!!", ""),
    ],
)
def test_initials(name: str, initials: str) -> None:
    assert ops.initials_of(name) == initials


ROWS = 30_000


def _bulk_sign(petition_id: int, rows: int) -> None:
    now = utcnow()
    db.session.execute(
        sa.insert(Signature),
        [
            {
                "petition_id": petition_id,
                "kind": SignerKind.PERSON,
                "display": Display.FULL,
                "name": f"Signer number {n:06d} with a longer name",
                "initials": "S. N.",
                "city": "Chișinău",
                "country": "MD",
                "contact_person": "",
                "email": None,
                "dedupe_hash": f"{n:064x}",
                "withdraw_token_hash": f"{n:063x}t",
                "consented_at": now,
                "consent_language": "en",
                "hidden": False,
                "created_at": now,
            }
            for n in range(rows)
        ],
    )
    db.session.commit()


def _peak(rows: Iterator[Any], keep: bool) -> tuple[int, int]:
    """Peak traced memory while consuming ``rows`` (kept in a list or dropped one by one)."""
    tracemalloc.start()
    try:
        kept = list(rows) if keep else None
        number = len(kept) if kept is not None else sum(1 for _ in rows)
        return number, tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()


def test_the_annex_is_streamed_from_the_database(app: Flask, petition: dict[str, Any]) -> None:
    with app.test_request_context():
        _bulk_sign(petition["id"], ROWS)
        item = db.session.get(Petition, petition["id"])
        annex = annexes.annex_for_petition(item, "ru")
        assert annex is not None and annex.row_count == ROWS
        list(annexes.annex_rows(item, "ru", limit=10))  # warm caches: compiled SQL, country names
        streamed, streamed_peak = _peak(iter(annex.rows), keep=False)
        loaded, loaded_peak = _peak(annexes.annex_rows(item, "ru"), keep=True)
    assert streamed == loaded == ROWS
    # Holding every row costs several MB; streaming holds about one batch at a time.
    assert loaded_peak > 4 * 1024 * 1024
    assert streamed_peak < loaded_peak / 4, (streamed_peak, loaded_peak)


def test_a_large_annex_renders(
    app: Flask, coordinator: dict[str, Any], petition: dict[str, Any]
) -> None:
    with app.test_request_context():
        _bulk_sign(petition["id"], 5_000)
    data = finalise_with_annex(app, coordinator, petition["letter_id"])
    _titles, cells = annex_table(data)
    assert len(cells) == 5_001
    assert cells[-1] == ["5000", "Signer number 004999 with a longer name", "Chișinău", "Молдова"]
    assert documents.sha256(data)
