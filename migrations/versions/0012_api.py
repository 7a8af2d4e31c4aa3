"""the JSON API: tokens per group, and public ids for what the API names

Revision ID: 0012
Revises: 0011
Create Date: 2026-12-07 06:00:00

The API names letters, dispatches, replies, extensions and campaigns by a random public id
(``let_…``, ``dsp_…``), never by a row id that would tell one group how many rows others have.
Existing rows get theirs here; new rows get one from the model's default.
"""

import base64
import secrets

from alembic import op
import sqlalchemy as sa


revision = "0012"
down_revision = "0011"
branch_labels = None
depends_on = None

PUBLIC_IDS = {
    "letter": "let",
    "dispatch": "dsp",
    "dispatch_extension": "ext",
    "dispatch_reply": "rep",
    "campaign": "cmp",
}


def new_public_id(prefix: str) -> str:
    return f"{prefix}_{base64.b32encode(secrets.token_bytes(10)).decode('ascii').lower()}"


def upgrade() -> None:
    op.create_table(
        "api_token",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("public_id", sa.String(length=24), nullable=False),
        sa.Column("group_id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=80), nullable=False),
        sa.Column("token_hash", sa.String(length=64), nullable=False),
        sa.Column("prefix", sa.String(length=12), nullable=False),
        sa.Column("read_only", sa.Boolean(), nullable=False),
        sa.Column("created_by_id", sa.Integer(), nullable=True),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("last_used_on", sa.Date(), nullable=True),
        sa.Column("revoked_at", sa.DateTime(), nullable=True),
        sa.ForeignKeyConstraint(
            ["created_by_id"],
            ["user.id"],
            name=op.f("fk_api_token_created_by_id_user"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["group_id"], ["group.id"], name=op.f("fk_api_token_group_id_group"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_api_token")),
        sa.UniqueConstraint("public_id", name=op.f("uq_api_token_public_id")),
        sa.UniqueConstraint("token_hash", name=op.f("uq_api_token_token_hash")),
    )
    op.create_index(op.f("ix_api_token_group_id"), "api_token", ["group_id"], unique=False)

    connection = op.get_bind()
    for table, prefix in PUBLIC_IDS.items():
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.add_column(sa.Column("public_id", sa.String(length=24), nullable=True))
        rows = sa.table(table, sa.column("id", sa.Integer), sa.column("public_id", sa.String))
        ids = connection.execute(sa.select(rows.c.id)).scalars().all()
        for row_id in ids:
            connection.execute(
                sa.update(rows).where(rows.c.id == row_id).values(public_id=new_public_id(prefix))
            )
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.alter_column("public_id", existing_type=sa.String(length=24), nullable=False)
            batch_op.create_unique_constraint(batch_op.f(f"uq_{table}_public_id"), ["public_id"])


def downgrade() -> None:
    for table in PUBLIC_IDS:
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.drop_constraint(batch_op.f(f"uq_{table}_public_id"), type_="unique")
            batch_op.drop_column("public_id")
    op.drop_index(op.f("ix_api_token_group_id"), table_name="api_token")
    op.drop_table("api_token")
