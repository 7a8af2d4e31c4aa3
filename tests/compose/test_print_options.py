"""The printed page from compose and the CLI: the preview's DRAFT mark, the stamp-copy option on
downloads (drafts and final letters) and ``render --stamp-copy``."""

from __future__ import annotations

import io
from pathlib import Path

import docx
from flask import Flask

from tests.compose.conftest import make_draft
from tests.compose.test_flow import say_holder
from tests.conftest import Client, login

STAMP_MARK = "Экземпляр для отметки о регистрации"
BOX_FIELD = "Входящий №"


def _text(data: bytes) -> str:
    document = docx.Document(io.BytesIO(data))
    parts = [p.text for p in document.paragraphs]
    for table in document.tables:
        parts += [cell.text for row in table.rows for cell in row.cells]
    return "\n".join(parts)


def test_preview_is_marked_and_offers_the_stamp_copy(
    app: Flask, group_with_details, client: Client
) -> None:
    login(client, group_with_details)
    letter_id = make_draft(app, group_with_details)
    page = client.get(f"/letters/{letter_id}/preview").get_data(as_text=True)
    assert 'class="letter-draft-mark">ПРОЕКТ: не для отправки<' in page
    assert "№ проект" not in page
    assert 'name="stamp_copy" value="1"' in page and 'type="checkbox"' in page

    plain = client.get(f"/letters/{letter_id}/letter.docx")
    assert plain.status_code == 200
    text = _text(plain.data)
    assert text.startswith("ПРОЕКТ: не для отправки") and STAMP_MARK not in text

    with_copy = client.get(f"/letters/{letter_id}/letter.docx?stamp_copy=1")
    assert with_copy.status_code == 200
    text = _text(with_copy.data)
    assert STAMP_MARK in text and BOX_FIELD in text
    assert text.count("О гуманизации наркополитики") == 2


def test_final_letter_with_the_stamp_copy(app: Flask, group_with_details, client: Client) -> None:
    login(client, group_with_details)
    letter_id = make_draft(app, group_with_details)
    say_holder(client, letter_id)  # a Russian letter says how the office holder is addressed
    assert client.post(f"/letters/{letter_id}/finalise").status_code == 302
    page = client.get(f"/letters/{letter_id}").get_data(as_text=True)
    assert 'name="stamp_copy" value="1"' in page
    assert "letter-draft-mark" not in page

    issued = client.get(f"/letters/{letter_id}/letter.docx").data
    assert STAMP_MARK not in _text(issued)
    with_copy = client.get(f"/letters/{letter_id}/letter.docx?stamp_copy=1")
    assert with_copy.status_code == 200
    text = _text(with_copy.data)
    assert STAMP_MARK in text and BOX_FIELD in text and "ПРОЕКТ" not in text
    assert client.get(f"/letters/{letter_id}/letter.docx").data == issued  # kept as issued


def test_render_stamp_copy(app: Flask, runner, tmp_path: Path) -> None:
    args = ["letterkit", "render", "--template", "appeal", "--authority", "ru-minzdrav"]
    args += ["--demand-set", "inpud-2011-russia", "--lang", "ru", "--sample"]
    args += ["--field", "subject=О тесте", "--reference", "T-1"]
    plain, copy = tmp_path / "plain.docx", tmp_path / "copy.docx"
    result = runner.invoke(args=[*args, "--out", str(plain)])
    assert result.exit_code == 0, result.output
    result = runner.invoke(args=[*args, "--stamp-copy", "--out", str(copy)])
    assert result.exit_code == 0, result.output
    assert STAMP_MARK not in _text(plain.read_bytes())
    text = _text(copy.read_bytes())
    assert STAMP_MARK in text and BOX_FIELD in text and text.count("О тесте") == 2
