"""Migrations run from empty to head on both databases and match the models."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from alembic.script import ScriptDirectory

from letterkit import database as lk_database
from letterkit.config import engine_options
from letterkit.models import Model


def _engine(options: dict[str, Any]) -> sa.Engine:
    options = dict(options)
    url = options.pop("url")
    engine = sa.create_engine(url, **options)
    lk_database.configure_sqlite(engine)
    return engine


@pytest.fixture(params=["sqlite", "postgresql"])
def empty_engine(request: pytest.FixtureRequest, tmp_path: Path) -> Any:
    if request.param == "sqlite":
        options = engine_options(f"sqlite:///{tmp_path / 'migrated.sqlite3'}")
    else:
        options = request.getfixturevalue("empty_postgres")
    engine = _engine(options)
    yield engine
    engine.dispose()


def test_upgrade_from_empty_to_head_matches_models(empty_engine: sa.Engine) -> None:
    assert lk_database.current_revision(empty_engine) is None
    lk_database.upgrade(empty_engine)
    heads = set(ScriptDirectory.from_config(lk_database.alembic_config()).get_heads())
    with empty_engine.connect() as connection:
        assert set(MigrationContext.configure(connection).get_current_heads()) == heads
    with empty_engine.connect() as connection:
        context = MigrationContext.configure(connection, opts={"compare_type": False})
        diff = compare_metadata(context, Model.metadata)
    assert diff == []


def test_downgrade_to_base_and_up_again(empty_engine: sa.Engine) -> None:
    lk_database.upgrade(empty_engine)
    lk_database.downgrade(empty_engine, "base")
    tables = set(sa.inspect(empty_engine).get_table_names()) - {"alembic_version"}
    assert tables == set()
    lk_database.upgrade(empty_engine)
    assert "user" in sa.inspect(empty_engine).get_table_names()


def test_migrate_command(tmp_path: Path) -> None:
    from letterkit import create_app

    url = f"sqlite:///{tmp_path / 'cli.sqlite3'}"
    app = create_app({"SECRET_KEY": "k" * 40, "SQLALCHEMY_ENGINES": {"default": url}})
    result = app.test_cli_runner().invoke(args=["letterkit", "migrate"])
    assert result.exit_code == 0, result.output
    assert "Database is at revision" in result.output
    engine = sa.create_engine(url)
    assert "membership" in sa.inspect(engine).get_table_names()
    engine.dispose()


def test_create_app_does_not_migrate(tmp_path: Path) -> None:
    from letterkit import create_app

    url = f"sqlite:///{tmp_path / 'untouched.sqlite3'}"
    create_app({"SECRET_KEY": "k" * 40, "SQLALCHEMY_ENGINES": {"default": url}})
    engine = sa.create_engine(url)
    assert sa.inspect(engine).get_table_names() == []
    engine.dispose()


def test_constraint_names_follow_the_convention(empty_engine: sa.Engine) -> None:
    lk_database.upgrade(empty_engine)
    inspector = sa.inspect(empty_engine)
    fks = {fk["name"] for fk in inspector.get_foreign_keys("membership")}
    assert fks == {"fk_membership_user_id_user", "fk_membership_group_id_group"}


def test_postgresql_from_the_previous_release_to_head_and_back(
    empty_postgres: dict[str, Any],
) -> None:
    """A PostgreSQL database of the previous release (schema 0005) with data in it migrates to
    head, keeps its rows, and goes back to 0005."""
    engine = _engine(empty_postgres)
    try:
        lk_database.upgrade(engine, "0005")
        with engine.begin() as connection:
            connection.execute(
                sa.text(
                    'INSERT INTO "group" (name, slug, address, email, phone, website, '
                    "default_letter_language, signer_name, signer_title, reference_prefix, "
                    "created_at) VALUES ('Old', 'old', '', '', '', '', 'en', '', '', '', now())"
                )
            )
        lk_database.upgrade(engine)
        heads = ScriptDirectory.from_config(lk_database.alembic_config()).get_heads()
        assert lk_database.current_revision(engine) == ", ".join(sorted(heads))
        with engine.connect() as connection:
            context = MigrationContext.configure(connection, opts={"compare_type": False})
            assert compare_metadata(context, Model.metadata) == []
            names = connection.execute(sa.text('SELECT name FROM "group"')).scalars().all()
        assert names == ["Old"]
        lk_database.downgrade(engine, "0005")
        assert lk_database.current_revision(engine) == "0005"
        with engine.connect() as connection:
            assert connection.execute(sa.text('SELECT slug FROM "group"')).scalars().all() == [
                "old"
            ]
    finally:
        engine.dispose()


def _fill(connection: sa.Connection, table: str, **given: Any) -> None:
    """Insert one row into ``table`` as the schema stands, with ``given`` values and a plain
    value for every other required column (the test is about one column, not the others)."""
    plain = {
        sa.Integer: 1,
        sa.String: "x",
        sa.Text: "x",
        sa.Date: "2026-01-05",
        sa.DateTime: "2026-01-05 10:00:00",
        sa.Boolean: False,
        sa.JSON: "{}",
    }
    values = dict(given)
    for column in sa.inspect(connection).get_columns(table):
        if column["name"] in values or column["nullable"] or column.get("autoincrement") is True:
            continue
        kind = next((v for t, v in plain.items() if isinstance(column["type"], t)), "x")
        values[column["name"]] = kind
    names = ", ".join(f'"{name}"' for name in values)
    marks = ", ".join(f":{name}" for name in values)
    connection.execute(sa.text(f'INSERT INTO "{table}" ({names}) VALUES ({marks})'), values)


def test_0007_fills_the_first_reply_on_the_merits(empty_engine: sa.Engine) -> None:
    """A formal reply came first, then one on the merits: merits_on is the latter's day."""
    lk_database.upgrade(empty_engine, "0006")
    with empty_engine.begin() as connection:
        _fill(connection, "group", id=1, slug="g")
        _fill(connection, "user", id=1, email="a@example.org")
        _fill(connection, "letter", id=1, group_id=1, status="final", created_by_id=None)
        for number in (1, 2):
            _fill(
                connection,
                "dispatch",
                id=number,
                group_id=1,
                letter_id=1,
                forwarded_from_id=None,
                handed_by_id=None,
                created_by_id=None,
                method="post",
                state="answered",
            )
        replies = [(1, 1, "2026-02-01", "formal"), (2, 1, "2026-03-01", "merits")]
        replies += [(3, 2, "2026-02-10", "forwarded")]
        for reply_id, dispatch_id, day, outcome in replies:
            _fill(
                connection,
                "dispatch_reply",
                id=reply_id,
                group_id=1,
                dispatch_id=dispatch_id,
                received_on=day,
                channel="post",
                outcome=outcome,
                created_by_id=None,
            )
    lk_database.upgrade(empty_engine, "0007")
    with empty_engine.connect() as connection:
        rows = connection.execute(sa.text("SELECT id, merits_on FROM dispatch ORDER BY id")).all()
    assert [(i, str(day) if day else None) for i, day in rows] == [(1, "2026-03-01"), (2, None)]
    lk_database.downgrade(empty_engine, "0006")
    lk_database.upgrade(empty_engine)
