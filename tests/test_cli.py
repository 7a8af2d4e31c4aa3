"""Operator commands."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest
import sqlalchemy as sa
from flask import Flask

from letterkit.extensions import db
from letterkit.models import Group, Membership, Role, User
from tests.conftest import PASSWORD, count


def test_create_group_and_user(app: Flask, runner) -> None:
    result = runner.invoke(args=["letterkit", "create-group", "--name", "Группа Вместе"])
    assert result.exit_code == 0, result.output
    assert "'gruppa-vmeste'" in result.output
    result = runner.invoke(
        args=[
            "letterkit",
            "create-user",
            "--email",
            "Op@Example.org",
            "--name",
            "Operator",
            "--group",
            "gruppa-vmeste",
            "--role",
            "coordinator",
            "--password-stdin",
        ],
        input=PASSWORD + "\n",
    )
    assert result.exit_code == 0, result.output
    assert PASSWORD not in result.output
    with app.app_context():
        user = db.session.scalars(sa.select(User)).one()
        assert user.email == "op@example.org"
        assert user.memberships[0].role is Role.COORDINATOR
    client = app.test_client()
    response = client.post("/login", data={"email": "op@example.org", "password": PASSWORD})
    assert response.status_code == 302


@pytest.mark.parametrize(
    ("args", "stdin", "message"),
    [
        (["--email", "broken", "--name", "N", "--group", "g"], PASSWORD, "not valid"),
        (["--email", "a@example.org", "--name", "N", "--group", "nope"], PASSWORD, "no group"),
        (["--email", "a@example.org", "--name", "N", "--group", "g"], "short", "10 to 200"),
        (["--email", "a@example.org", "--name", "x" * 200, "--group", "g"], PASSWORD, "1 to 120"),
    ],
)
def test_create_user_refuses_bad_input(
    app: Flask, runner, args: list[str], stdin: str, message: str
) -> None:
    runner.invoke(args=["letterkit", "create-group", "--name", "G"])
    result = runner.invoke(
        args=["letterkit", "create-user", *args, "--password-stdin"], input=stdin + "\n"
    )
    assert result.exit_code != 0
    assert message in result.output
    assert count(app, User) == 0 and count(app, Membership) == 0


def test_create_group_refuses_an_empty_name(app: Flask, runner) -> None:
    result = runner.invoke(args=["letterkit", "create-group", "--name", "  "])
    assert result.exit_code != 0 and "1 to 200" in result.output
    assert count(app, Group) == 0


def test_backup_copies_the_live_database(app: Flask, runner, factory, tmp_path: Path) -> None:
    with app.app_context():
        if db.engine.dialect.name != "sqlite":
            result = runner.invoke(args=["letterkit", "backup", str(tmp_path / "b.sqlite3")])
            assert result.exit_code != 0 and "pg_dump" in result.output
            return
        database = db.engine.url.database
    factory.user(factory.group("Backed up"), "coordinator")
    # Hold a write transaction open in another connection while the backup runs.
    writer = sqlite3.connect(database)
    writer.execute("BEGIN IMMEDIATE")
    writer.execute(
        'INSERT INTO "group" (name, slug, email, phone, website, '
        "default_letter_language, reference_prefix, created_at) "
        "VALUES ('Uncommitted', 'uncommitted', '', '', '', 'en', '', "
        "'2026-01-01 00:00:00')"
    )
    target = tmp_path / "backup.sqlite3"
    result = runner.invoke(args=["letterkit", "backup", str(target)])
    writer.rollback()
    writer.close()
    assert result.exit_code == 0, result.output
    copy = sqlite3.connect(target)
    names = [row[0] for row in copy.execute('SELECT name FROM "group"')]
    assert names == ["Backed up"]
    assert copy.execute("PRAGMA integrity_check").fetchone() == ("ok",)
    copy.close()
    again = runner.invoke(args=["letterkit", "backup", str(target)])
    assert again.exit_code != 0 and "exists" in again.output
