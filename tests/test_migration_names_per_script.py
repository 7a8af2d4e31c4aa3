"""Migration 0008: the group's printed name, address and signer move to the form of their own
script, and back on downgrade, on SQLite and PostgreSQL."""

from __future__ import annotations

import sqlalchemy as sa

from letterkit import database as lk_database
from tests.test_migrations import empty_engine  # noqa: F401 (fixture)

INSERT = sa.text(
    'INSERT INTO "group" (name, slug, address, email, phone, website, default_letter_language, '
    "signer_name, signer_title, reference_prefix, created_at) VALUES "
    "(:name, :slug, :address, '', '', '', 'ru', :signer_name, :signer_title, '', "
    "'2026-01-01 00:00:00')"
)
GROUPS = [
    {
        "name": "Harm Reduction Moscow",
        "slug": "hrm",
        "address": "ul. Primernaya 1\n101000 Moscow",
        "signer_name": "Ана Попеску",
        "signer_title": "Координатор",
    },
    {"name": "Пусто", "slug": "empty", "address": "", "signer_name": "", "signer_title": ""},
    {
        "name": "ზიანის შემცირება",
        "slug": "ge",
        "address": "0108",
        "signer_name": "ანა",
        "signer_title": "",
    },
]


def _forms(connection: sa.Connection) -> set[tuple[str, str, str, str, str, str]]:
    rows = connection.execute(
        sa.text(
            "SELECT g.slug, f.script, f.name, f.address, f.signer_name, f.signer_title "
            'FROM group_name_form f JOIN "group" g ON g.id = f.group_id'
        )
    )
    return {tuple(row) for row in rows}


def test_values_move_to_the_form_of_their_script_and_back(empty_engine: sa.Engine) -> None:  # noqa: F811
    lk_database.upgrade(empty_engine, "0006")
    with empty_engine.begin() as connection:
        for group in GROUPS:
            connection.execute(INSERT, group)
        connection.execute(
            sa.text(
                'INSERT INTO "user" (email, display_name, password_hash, interface_language, '
                "is_active, session_token, created_at) VALUES ('a@example.org', 'A', 'x', 'en', "
                "true, 't', '2026-01-01 00:00:00')"
            )
        )
        connection.execute(
            sa.text(
                "INSERT INTO membership (user_id, group_id, role, created_at) VALUES "
                "(1, 1, 'coordinator', '2026-01-01 00:00:00')"
            )
        )
    lk_database.upgrade(empty_engine, "0008")
    with empty_engine.connect() as connection:
        # "group" is altered in place: nothing that belongs to a group is lost (SQLite would
        # cascade a DROP TABLE of a batch copy to every membership).
        assert connection.execute(sa.text("SELECT count(*) FROM membership")).scalar() == 1
    columns = {c["name"] for c in sa.inspect(empty_engine).get_columns("group")}
    assert not {"address", "signer_name", "signer_title"} & columns
    with empty_engine.connect() as connection:
        assert _forms(connection) == {
            ("hrm", "Latn", "Harm Reduction Moscow", "ul. Primernaya 1\n101000 Moscow", "", ""),
            ("hrm", "Cyrl", "", "", "Ана Попеску", "Координатор"),
            ("empty", "Cyrl", "Пусто", "", "", ""),
            # A postcode alone has no script: it goes with Latin.
            ("ge", "Geor", "ზიანის შემცირება", "", "ანა", ""),
            ("ge", "Latn", "", "0108", "", ""),
        }
    lk_database.downgrade(empty_engine, "0006")
    assert "group_name_form" not in sa.inspect(empty_engine).get_table_names()
    with empty_engine.connect() as connection:
        rows = connection.execute(
            sa.text('SELECT slug, name, address, signer_name, signer_title FROM "group"')
        )
        back = {row[0]: tuple(row[1:]) for row in rows}
    assert back == {g["slug"]: tuple(list(g.values())[0:1] + list(g.values())[2:]) for g in GROUPS}
    lk_database.upgrade(empty_engine)
