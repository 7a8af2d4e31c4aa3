"""``flask letterkit render`` warns on standard error about parts not in the letter's language."""

from __future__ import annotations

from pathlib import Path

from flask import Flask

from tests.compose.test_cli_render import _group_slug, _render


def test_render_warns_about_the_parts_printed_in_another_language(
    app: Flask, runner, tmp_path: Path, group_with_details: dict
) -> None:
    out = tmp_path / "uk-md.docx"
    result = _render(
        runner,
        out,
        "--template",
        "appeal",
        "--authority",
        "md-parliament",
        "--demand-set",
        "sdp-2019-md-seven",
        "--lang",
        "uk",
        "--group",
        _group_slug(app, group_with_details),
        "--holder-form",
        "male",
        "--field",
        "subject=Про наркополітику",
    )
    assert result.exit_code == 0, result.output
    assert out.exists()
    assert "not in Ukrainian (uk)" in result.stderr
    assert "  - Addressee line: printed in Romanian" in result.stderr
    assert "  - Salutation: printed in Romanian" in result.stderr
    assert "Demand «" in result.stderr
    assert "Warning" not in result.stdout and "Wrote" in result.stdout


def test_render_of_an_english_letter_warns_about_a_group_without_a_latin_form(
    app: Flask, runner, tmp_path: Path, group_with_details: dict
) -> None:
    from letterkit.extensions import db
    from letterkit.models import Group

    with app.app_context():
        group = db.session.get(Group, group_with_details["group_id"])
        group.name_form("Latn").signer_name = ""
        db.session.commit()
    out = tmp_path / "en.docx"
    args = ["--template", "embassy-letter", "--authority", "ru-embassy-london"]
    args += ["--demand-set", "inpud-2011-russia", "--lang", "en"]
    args += ["--group", _group_slug(app, group_with_details)]
    args += ["--field", "subject=Drug policy", "--field", "government=the Government"]
    result = _render(runner, out, *args)
    assert result.exit_code == 0, result.output
    assert "Signer's name: printed in Cyrillic script" in result.stderr
    assert "Addressee line" not in result.stderr
