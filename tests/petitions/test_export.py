"""CSV export: the display choice respected unless the full data is asked for (and audited);
cells that a spreadsheet would run as formulas are made harmless."""

from __future__ import annotations

import csv
import io
from typing import Any

import pytest
import sqlalchemy as sa
from flask import Flask

from letterkit.extensions import db
from letterkit.models import AuditEvent
from letterkit.petitions.operations import csv_cell, csv_lines
from tests.conftest import Client

from .helpers import form_data, unlock


def read_csv(response: Any) -> list[list[str]]:
    assert response.status_code == 200
    assert response.mimetype == "text/csv"
    text = response.get_data().decode("utf-8")
    assert text.startswith("\ufeff")
    return list(csv.reader(io.StringIO(text[1:])))


def sign_some(signer: Client, code: str) -> None:
    for data in (
        form_data(name="Full Person", city="Kazan", display="full", email="full@example.org"),
        form_data(name="Анна Петрова", display="initials", email="anna@example.org"),
        form_data(
            name="Counted Secret", city="Secretville", display="count", email="c@example.org"
        ),
        form_data(kind="organisation", name="Org", display="full", contact_person="Olga Contact"),
    ):
        assert signer.post(f"/s/{code}", data=data).status_code == 303


def audit_actions(app: Flask) -> list[str]:
    with app.app_context():
        return list(db.session.scalars(sa.select(AuditEvent.action).order_by(AuditEvent.id)))


def test_export_respects_each_signers_choice(
    app: Flask, logged_in: Client, signer: Client, petition: dict[str, Any]
) -> None:
    sign_some(signer, petition["code"])
    response = logged_in.get(f"/petitions/{petition['id']}/export.csv")
    assert f"signatures-{petition['code']}.csv" in response.headers["Content-Disposition"]
    header, *rows = read_csv(response)
    assert header == [
        "No.",
        "Signed on",
        "Kind",
        "Name",
        "City",
        "Country",
        "Appears as",
        "Moderation",
    ]
    assert [row[2:] for row in rows] == [
        ["Individual", "Full Person", "Kazan", "Russia", "Full name", "visible"],
        ["Individual", "А. П.", "Москва", "", "Initials and city", "visible"],
        ["Individual", "", "", "", "Counted only", "visible"],
        ["Organisation", "Org", "Москва", "Russia", "Full name", "visible"],
    ]
    text = response.get_data(as_text=True)
    for secret in ("Анна Петрова", "Counted Secret", "Secretville", "@example.org", "Olga"):
        assert secret not in text
    assert audit_actions(app)[-1] == "petition.exported"


def test_full_export_must_be_asked_for_and_is_audited(
    app: Flask, logged_in: Client, signer: Client, petition: dict[str, Any]
) -> None:
    sign_some(signer, petition["code"])
    url = f"/petitions/{petition['id']}/export-full"
    refused = logged_in.post(url, data={})
    assert refused.status_code == 302
    assert "petition.exported_full" not in audit_actions(app)
    assert logged_in.get(url).status_code == 405
    # asked for, but the group's key is locked: nothing exported, nothing recorded
    locked = logged_in.post(url, data={"confirm": "y"})
    assert locked.status_code == 302 and "/petitions/key" in locked.headers["Location"]
    assert "petition.exported_full" not in audit_actions(app)

    unlock(logged_in)
    response = logged_in.post(url, data={"confirm": "y"})
    header, *rows = read_csv(response)
    assert header[3:8] == ["Name", "City", "Country", "E-mail", "Contact person"]
    assert [row[3:8] for row in rows] == [
        ["Full Person", "Kazan", "Russia", "full@example.org", ""],
        ["Анна Петрова", "Москва", "Russia", "anna@example.org", ""],
        ["Counted Secret", "Secretville", "Russia", "c@example.org", ""],
        ["Org", "Москва", "Russia", "", "Olga Contact"],
    ]
    with app.app_context():
        event = db.session.scalar(
            sa.select(AuditEvent).where(AuditEvent.action == "petition.exported_full")
        )
        assert event is not None and event.actor_id is not None
        assert event.object_type == "petition" and event.object_id == petition["id"]
        assert "Counted Secret" not in repr(event.details)


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ('=HYPERLINK("http://evil")', '\'=HYPERLINK("http://evil")'),
        ("+7 999", "'+7 999"),
        ("-1+1", "'-1+1"),
        ("@SUM(A1)", "'@SUM(A1)"),
        ("\tindent", "'\tindent"),
        ("\rreturn", "'\rreturn"),
        ("Anna = Bob", "Anna = Bob"),
        ("", ""),
        (None, ""),
        (12, "12"),
    ],
)
def test_csv_cells_are_made_harmless(value: Any, expected: str) -> None:
    assert csv_cell(value) == expected


def test_formula_in_a_signers_name_is_exported_harmless(
    app: Flask, logged_in: Client, signer: Client, petition: dict[str, Any]
) -> None:
    for name, city in (("=cmd|' /C calc'!A0", "@Riga"), ("+Plus Name", "-Minus")):
        data = form_data(name=name, city=city, display="full")
        assert signer.post(f"/s/{petition['code']}", data=data).status_code == 303
    header, *rows = read_csv(logged_in.get(f"/petitions/{petition['id']}/export.csv"))
    assert [(row[3], row[4]) for row in rows] == [
        ("'=cmd|' /C calc'!A0", "'@Riga"),
        ("'+Plus Name", "'-Minus"),
    ]
    for row in rows:
        assert not any(cell[:1] in "=+-@\t\r" for cell in row if cell)


def test_csv_lines_stream_one_line_per_row() -> None:
    lines = list(csv_lines(["a", "b"], iter([["1", "x,y"], ["=2", 'q"q']])))
    assert lines == ["\ufeffa,b\r\n", '1,"x,y"\r\n', '\'=2,"q""q"\r\n']
