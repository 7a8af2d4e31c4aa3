"""the group's printed name, address and signer once per script (group_name_form)

Existing values move to the form of their own script: text with mostly Cyrillic letters to
``Cyrl``, Georgian to ``Geor``, Armenian to ``Armn``, anything else (Latin, or no letters) to
``Latn``. The group's ``name`` stays in ``group`` (the name in the interface) and is copied into
the form of its script. Downgrading puts back the first form's values (Latin first).

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-07 02:40:00
"""

import unicodedata
from collections import Counter

import sqlalchemy as sa
from alembic import op

revision = "0008"
down_revision = "0007"
branch_labels = None
depends_on = None

FIELDS = ("address", "signer_name", "signer_title")
# A copy of letterkit.catalogue.scripts.script_of as it was when this migration was written:
# a migration must not change when the application's code does.
_WORDS = {"LATIN": "Latn", "CYRILLIC": "Cyrl", "GEORGIAN": "Geor", "ARMENIAN": "Armn"}
_ORDER = ("Latn", "Cyrl", "Geor", "Armn")


def _script(text: str) -> str | None:
    counts: Counter[str] = Counter()
    for char in text or "":
        if char.isalpha():
            script = _WORDS.get(unicodedata.name(char, "").split(" ", 1)[0])
            if script is not None:
                counts[script] += 1
    return counts.most_common(1)[0][0] if counts else None


def _forms_table() -> sa.Table:
    return sa.table(
        "group_name_form",
        sa.column("group_id", sa.Integer),
        sa.column("script", sa.String),
        sa.column("name", sa.String),
        sa.column("address", sa.Text),
        sa.column("signer_name", sa.String),
        sa.column("signer_title", sa.String),
    )


def upgrade() -> None:
    op.create_table(
        "group_name_form",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("group_id", sa.Integer(), nullable=False),
        sa.Column("script", sa.String(length=4), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("address", sa.Text(), nullable=False),
        sa.Column("signer_name", sa.String(length=200), nullable=False),
        sa.Column("signer_title", sa.String(length=200), nullable=False),
        sa.ForeignKeyConstraint(
            ["group_id"],
            ["group.id"],
            name=op.f("fk_group_name_form_group_id_group"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_group_name_form")),
        sa.UniqueConstraint(
            "group_id", "script", name=op.f("uq_group_name_form_group_id_script")
        ),
    )
    with op.batch_alter_table("group_name_form", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_group_name_form_group_id"), ["group_id"], unique=False
        )

    connection = op.get_bind()
    rows = connection.execute(
        sa.text('SELECT id, name, address, signer_name, signer_title FROM "group"')
    ).mappings()
    forms: list[dict[str, object]] = []
    for row in rows:
        by_script: dict[str, dict[str, object]] = {}
        for field in ("name", *FIELDS):
            value = row[field] or ""
            if not value:
                continue
            script = _script(value) or "Latn"
            form = by_script.setdefault(
                script,
                {"group_id": row["id"], "script": script, "name": "", "address": "",
                 "signer_name": "", "signer_title": ""},
            )
            form[field] = value
        forms.extend(by_script[s] for s in _ORDER if s in by_script)
    if forms:
        op.bulk_insert(_forms_table(), forms)

    # Plain ALTER TABLE … DROP COLUMN (SQLite 3.35+), never a batch copy of "group": with
    # foreign keys on, SQLite's DROP TABLE of the old copy would cascade to every row that
    # belongs to a group (memberships, letters, the forms just made).
    for field in FIELDS:
        op.drop_column("group", field)


def downgrade() -> None:
    # Plain ADD COLUMN for the same reason as in upgrade (no batch copy of "group").
    op.add_column("group", sa.Column("address", sa.Text(), nullable=False, server_default=""))
    for field in ("signer_name", "signer_title"):
        op.add_column(
            "group", sa.Column(field, sa.String(length=200), nullable=False, server_default="")
        )
    connection = op.get_bind()
    rows = connection.execute(
        sa.text(
            "SELECT group_id, script, address, signer_name, signer_title FROM group_name_form"
        )
    ).mappings()
    chosen: dict[int, dict[str, str]] = {}
    ranked = sorted(rows, key=lambda r: _ORDER.index(r["script"]) if r["script"] in _ORDER else 9)
    for row in ranked:
        values = chosen.setdefault(row["group_id"], {})
        for field in FIELDS:
            if row[field] and field not in values:
                values[field] = row[field]
    for group_id, values in chosen.items():
        if values:
            sets = ", ".join(f"{field} = :{field}" for field in values)
            connection.execute(
                sa.text(f'UPDATE "group" SET {sets} WHERE id = :id'), {**values, "id": group_id}
            )
    if connection.dialect.name != "sqlite":  # SQLite keeps the harmless default ''
        for field in FIELDS:
            op.alter_column("group", field, server_default=None)

    with op.batch_alter_table("group_name_form", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_group_name_form_group_id"))
    op.drop_table("group_name_form")
