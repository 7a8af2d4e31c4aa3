"""``flask letterkit deadline``: the engine's due date and explanation on the command line."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from flask import Flask

from letterkit import create_app
from letterkit.deadlines import compute_due
from tests.conftest import dispose


@pytest.fixture
def cli_app(tmp_path: Path) -> Flask:
    application = create_app(
        {
            "SECRET_KEY": "k" * 40,
            "SQLALCHEMY_ENGINES": {"default": f"sqlite:///{tmp_path / 'c.db'}"},
        }
    )
    yield application
    dispose(application)


@pytest.mark.parametrize(
    ("args", "due"),
    [
        (["RU", "2026-01-05", "--registered-on", "2026-01-05"], "2026-02-04"),
        (["kz", "2026-03-02"], "2026-03-27"),
        (["AZ", "2026-03-16"], "2026-04-15"),
        (["LT", "2026-12-15"], "2027-01-15"),
        (["GB", "2026-12-14"], "2027-01-14"),
    ],
)
def test_json_matches_the_engine(cli_app: Flask, args: list[str], due: str) -> None:
    result = cli_app.test_cli_runner().invoke(args=["letterkit", "deadline", *args, "--json"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    assert data["due"] == due
    from datetime import date

    registered = date.fromisoformat(args[3]) if len(args) > 3 else None
    engine = compute_due(args[0].upper(), date.fromisoformat(args[1]), registered_on=registered)
    assert data == json.loads(json.dumps(engine.to_dict()))


def test_text_explains_the_due_date(cli_app: Flask) -> None:
    result = cli_app.test_cli_runner().invoke(args=["letterkit", "deadline", "KZ", "2026-03-02"])
    assert result.exit_code == 0
    assert "Reply due by law: March 27, 2026 (Friday)" in result.output
    assert "15 working days" in result.output
    assert "International Women's Day" in result.output
    assert "Art. 76" in result.output


def test_text_in_russian(cli_app: Flask) -> None:
    result = cli_app.test_cli_runner().invoke(
        args=[
            "letterkit",
            "deadline",
            "RU",
            "2026-01-05",
            "--registered-on",
            "2026-01-05",
            "--lang",
            "ru",
        ]
    )
    assert result.exit_code == 0
    assert "Срок ответа по закону: 4 февраля 2026\u202fг. (среда)" in result.output
    assert "Срок: 30 календарных дней со дня регистрации письма." in result.output
    assert "Россия" in result.output
    # the law and its article as a Russian reader expects them, not the rules file's English
    assert "Федеральный закон от 02.05.2006 № 59-ФЗ" in result.output
    assert "ч. 1 ст. 12" in result.output and "Art. 12" not in result.output


def test_no_statutory_term_says_so(cli_app: Flask) -> None:
    result = cli_app.test_cli_runner().invoke(args=["letterkit", "deadline", "TJ", "2026-03-02"])
    assert result.exit_code == 0
    assert "not found" in result.output and "unverified" in result.output


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["XX", "2026-01-01"], "Unknown country"),
        (["RU", "2026-13-01"], "YYYY-MM-DD"),
        (["RU", "2026-01-10", "--registered-on", "2026-01-01"], "before the delivery date"),
        (["RU", "2026-01-10", "--registered-on", "yesterday"], "YYYY-MM-DD"),
    ],
)
def test_bad_input_is_a_clear_error(cli_app: Flask, args: list[str], message: str) -> None:
    result = cli_app.test_cli_runner().invoke(args=["letterkit", "deadline", *args])
    assert result.exit_code != 0
    assert message in result.output
    assert "Traceback" not in result.output


def test_text_in_ukrainian(cli_app: Flask) -> None:
    args = ["letterkit", "deadline", "KZ", "2026-03-02", "--lang", "uk"]
    result = cli_app.test_cli_runner().invoke(args=args)
    assert result.exit_code == 0, result.output
    assert "Строк відповіді за законом: 27 березня 2026\u202fр. (пʼятниця)" in result.output
    assert "Строк: 15 робочих днів від дня надходження листа." in result.output
    # the holiday in Ukrainian, not in Kazakh or English
    assert "(Міжнародний жіночий день (вихідний))" in result.output
