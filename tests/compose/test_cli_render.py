"""``flask letterkit render``: a letter from the command line, opened again and checked."""

from __future__ import annotations

import io
import shutil
from pathlib import Path

import docx
import pytest
from flask import Flask

from letterkit.catalogue import get_catalogue


def _text(path: Path) -> str:
    document = docx.Document(io.BytesIO(path.read_bytes()))
    parts = [p.text for p in document.paragraphs]
    for table in document.tables:
        parts += [cell.text for row in table.rows for cell in row.cells]
    return "\n".join(parts)


def test_render_with_a_demand_set(app: Flask, runner, tmp_path: Path) -> None:
    out = tmp_path / "letter.docx"
    result = runner.invoke(
        args=[
            "letterkit",
            "render",
            "--template",
            "appeal",
            "--authority",
            "ru-minzdrav",
            "--demand-set",
            "inpud-2011-russia",
            "--lang",
            "ru",
            "--field",
            "subject=О тесте {{ 7*7 }}",
            "--sample",
            "--out",
            str(out),
        ]
    )
    assert result.exit_code == 0, result.output
    assert "SHA-256" in result.output
    text = _text(out)
    assert "О тесте {{ 7*7 }}" in text and "49" not in text.split("О тесте")[1][:20]
    for demand in get_catalogue().demand_set("inpud-2011-russia").demands:
        assert demand.text("ru").text[:30] in text


def test_render_with_single_demands_and_signatories(app: Flask, runner, tmp_path: Path) -> None:
    signatories = tmp_path / "signatories.csv"
    signatories.write_text(
        "Organisation or name,City,Country\nENPUD,Tallinn,Estonia\n"
        '"Союз ""Вместе""",Москва,Россия\nA. N.,,\n',
        encoding="utf-8",
    )
    out = tmp_path / "sign-on.docx"
    result = runner.invoke(
        args=[
            "letterkit",
            "render",
            "--template",
            "sign-on",
            "--authority",
            "ru-embassy-london",
            "--demand",
            "inpud-2011-ost-nsp",
            "--demand",
            "inpud-2011-art",
            "--lang",
            "en",
            "--signatories",
            str(signatories),
            "--sample",
            "--out",
            str(out),
        ]
    )
    assert result.exit_code == 0, result.output
    document = docx.Document(io.BytesIO(out.read_bytes()))
    annex = document.tables[-1]
    cells = [[c.text for c in row.cells] for row in annex.rows]
    assert any('Союз "Вместе"' in row for row in cells)
    assert sum(1 for row in cells if "ENPUD" in row or "A. N." in row) == 2


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--authority", "nope", "--demand-set", "inpud-2011-russia"], "no authority"),
        (["--authority", "ru-minzdrav"], "either --demand-set"),
        (
            ["--authority", "ru-minzdrav", "--demand-set", "x", "--demand", "y"],
            "either --demand-set",
        ),
        (["--authority", "ru-minzdrav", "--demand", "nope"], "no demand"),
        (
            ["--authority", "ru-minzdrav", "--demand-set", "inpud-2011-russia", "--field", "x"],
            "NAME=VALUE",
        ),
        (
            [
                "--authority",
                "ru-minzdrav",
                "--demand-set",
                "inpud-2011-russia",
                "--field",
                "unknown=1",
            ],
            "not a field",
        ),
        (
            ["--authority", "ru-minzdrav", "--demand-set", "inpud-2011-russia", "--group", "nope"],
            "no group",
        ),
    ],
)
def test_render_refuses_bad_input(
    app: Flask, runner, tmp_path: Path, args: list[str], message: str
) -> None:
    out = tmp_path / "x.docx"
    result = runner.invoke(
        args=[
            "letterkit",
            "render",
            "--template",
            "appeal",
            "--lang",
            "ru",
            "--sample",
            "--out",
            str(out),
            *args,
        ]
    )
    assert result.exit_code != 0
    assert message in result.output
    assert not out.exists()


def test_render_pdf(app: Flask, runner, tmp_path: Path) -> None:
    if not shutil.which("soffice"):
        from tests.conftest import skip_or_fail

        skip_or_fail("pdf", "LibreOffice (soffice) is not installed")
    out = tmp_path / "letter.pdf"
    result = runner.invoke(
        args=[
            "letterkit",
            "render",
            "--template",
            "embassy-letter",
            "--authority",
            "ru-embassy-london",
            "--demand-set",
            "inpud-2011-russia",
            "--lang",
            "en",
            "--pdf",
            "--sample",
            "--out",
            str(out),
        ]
    )
    assert result.exit_code == 0, result.output
    assert out.read_bytes().startswith(b"%PDF")


def test_template_error_is_a_422_naming_the_template(database) -> None:
    from letterkit import create_app
    from letterkit.documents import TemplateError
    from tests.conftest import Factory, dispose, login, make_config

    application = create_app(make_config(database))

    @application.get("/test-template-error")
    def broken() -> str:
        raise TemplateError(
            "'fields' has no attribute 'nope'", slug="appeal", filename="ru.j2", lineno=7
        )

    from tests.conftest import Client

    application.test_client_class = Client
    factory = Factory(application)
    client = application.test_client()
    login(client, factory.user(factory.group(), "member"))
    response = client.get("/test-template-error")
    dispose(application)
    assert response.status_code == 422
    assert "Template appeal/ru.j2, line 7" in response.get_data(as_text=True)


def _group_slug(app: Flask, person: dict) -> str:
    from letterkit.extensions import db
    from letterkit.models import Group

    with app.app_context():
        return db.session.get(Group, person["group_id"]).slug


def _render(runner, out: Path, *args: str):
    return runner.invoke(args=["letterkit", "render", "--out", str(out), *args])


def test_render_without_a_group_or_sample_is_refused(app: Flask, runner, tmp_path: Path) -> None:
    out = tmp_path / "x.docx"
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
        "ru",
    )
    assert result.exit_code != 0
    assert "--group" in result.output and "--sample" in result.output
    assert not out.exists()


def test_render_for_a_group_uses_no_sample_value(
    app: Flask, runner, tmp_path: Path, group_with_details: dict
) -> None:
    slug = _group_slug(app, group_with_details)
    out = tmp_path / "md.docx"
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
        "ru",
        "--group",
        slug,
        "--holder-form",
        "male",
        "--field",
        "subject=О гуманизации наркополитики",
    )
    assert result.exit_code == 0, result.output
    text = _text(out)
    # A Russian letter prints the group's Cyrillic form (names per script).
    assert "Снижение вреда Москва" in text and "Анна Петрова" in text
    for leaked in ("59-ФЗ", "Голос сообщества", "Поддержка, а не наказание", "Примерова"):
        assert leaked not in text


def test_an_embassy_letter_does_not_say_world_aids_day_unless_asked(
    app: Flask, runner, tmp_path: Path, group_with_details: dict
) -> None:
    slug = _group_slug(app, group_with_details)
    out = tmp_path / "embassy.docx"
    result = _render(
        runner,
        out,
        "--template",
        "embassy-letter",
        "--authority",
        "ru-embassy-london",
        "--demand-set",
        "inpud-2011-russia",
        "--lang",
        "en",
        "--group",
        slug,
        "--field",
        "subject=Drug policy",
        "--field",
        "government=the Government of Russia",
    )
    assert result.exit_code == 0, result.output
    assert "World AIDS Day" not in _text(out)


def test_a_missing_required_field_is_named(
    app: Flask, runner, tmp_path: Path, group_with_details: dict
) -> None:
    slug = _group_slug(app, group_with_details)
    out = tmp_path / "x.docx"
    result = _render(
        runner,
        out,
        "--template",
        "appeal",
        "--authority",
        "ru-minzdrav",
        "--demand-set",
        "inpud-2011-russia",
        "--lang",
        "ru",
        "--group",
        slug,
        "--holder-form",
        "male",
    )
    assert result.exit_code != 0
    assert "fields.subject" in result.output and "required" in result.output
    assert not out.exists()


def _render_to_minzdrav(runner, out: Path, lang: str, slug: str, *args: str):
    return _render(
        runner,
        out,
        "--template",
        "appeal",
        "--authority",
        "ua-moz" if lang == "uk" else "ru-minzdrav",
        "--demand-set",
        "inpud-2011-russia",
        "--lang",
        lang,
        "--group",
        slug,
        "--field",
        "subject=Subject",
        *args,
    )


@pytest.mark.parametrize("lang", ["ru", "uk"])
def test_render_asks_for_the_holders_form(
    app: Flask, runner, tmp_path: Path, group_with_details: dict, lang: str
) -> None:
    slug = _group_slug(app, group_with_details)
    out = tmp_path / "x.docx"
    result = _render_to_minzdrav(runner, out, lang, slug)
    assert result.exit_code != 0
    assert "--holder-form female or male" in result.output and slug in result.output
    assert not out.exists()
    result = _render_to_minzdrav(runner, out, lang, slug, "--holder-form", "neutral")
    assert result.exit_code != 0 and "no neutral form" in result.output


@pytest.mark.parametrize(
    ("lang", "args", "expected"),
    [
        ("ru", ["--holder-form", "female"], ["Уважаемая госпожа Министр!"]),
        ("ru", ["--holder-form", "male"], ["Уважаемый господин Министр!"]),
        (
            "ru",
            [
                "--holder-form",
                "female",
                "--holder-name",
                "А. С. Иванова",
                "--holder-salutation",
                "Анна Сергеевна",
            ],
            ["Уважаемая Анна Сергеевна!", "Российской Федерации\nА. С. Иванова"],
        ),
        ("uk", ["--holder-form", "female"], ["Шановна пані Міністерко!"]),
        ("en", [], ["Dear Minister,"]),
        ("en", ["--holder-form", "neutral", "--holder-name", "Dr A. Smith"], ["\nDr A. Smith"]),
    ],
)
def test_render_prints_the_holder(
    app: Flask,
    runner,
    tmp_path: Path,
    group_with_details: dict,
    lang: str,
    args: list[str],
    expected: list[str],
) -> None:
    slug = _group_slug(app, group_with_details)
    out = tmp_path / "x.docx"
    result = _render_to_minzdrav(runner, out, lang, slug, *args)
    assert result.exit_code == 0, result.output
    text = _text(out)
    for part in expected:
        assert part in text


def test_render_uses_the_holder_the_group_recorded(
    app: Flask, runner, tmp_path: Path, group_with_details: dict
) -> None:
    from letterkit.extensions import db
    from letterkit.models import AuthorityHolder, HolderForm

    with app.app_context():
        db.session.add(
            AuthorityHolder(
                group_id=group_with_details["group_id"],
                authority_slug="ru-minzdrav",
                form=HolderForm.FEMALE,
                names={"ru": {"addressee": "А. С. Иванова", "salutation": ""}},
            )
        )
        db.session.commit()
    slug = _group_slug(app, group_with_details)
    out = tmp_path / "x.docx"
    result = _render_to_minzdrav(runner, out, "ru", slug)
    assert result.exit_code == 0, result.output
    text = _text(out)
    assert "Уважаемая госпожа Министр!" in text and "А. С. Иванова" in text
