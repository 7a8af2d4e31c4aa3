"""Merge tracking and petitions; campaigns and their targets; a letter's own signer

Revision ID: 0005
Revises: 0004a, 0004b
Create Date: 2026-11-21
"""

import sqlalchemy as sa
from alembic import op

revision = "0005"
down_revision = ("0004a", "0004b")
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "campaign",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("group_id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("action_date", sa.Date(), nullable=True),
        sa.Column("template", sa.String(length=64), nullable=False),
        sa.Column("demand_slugs", sa.JSON(), nullable=False),
        sa.Column("fields", sa.JSON(), nullable=False),
        sa.Column("method", sa.String(length=20), nullable=False),
        sa.Column("petition_id", sa.Integer(), nullable=True),
        sa.Column("created_by_id", sa.Integer(), nullable=True),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(["created_by_id"], ["user.id"], name=op.f("fk_campaign_created_by_id_user"), ondelete="SET NULL"),
        sa.ForeignKeyConstraint(["group_id"], ["group.id"], name=op.f("fk_campaign_group_id_group"), ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["petition_id"], ["petition.id"], name=op.f("fk_campaign_petition_id_petition"), ondelete="SET NULL"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_campaign")),
    )
    with op.batch_alter_table("campaign", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_campaign_group_id"), ["group_id"], unique=False)

    op.create_table(
        "campaign_target",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("group_id", sa.Integer(), nullable=False),
        sa.Column("campaign_id", sa.Integer(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("authority_slug", sa.String(length=80), nullable=False),
        sa.Column("authority_name", sa.String(length=300), nullable=False),
        sa.Column("country", sa.String(length=8), nullable=False),
        sa.Column("language", sa.String(length=8), nullable=False),
        sa.Column("letter_id", sa.Integer(), nullable=True),
        sa.Column("dispatch_id", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(["campaign_id"], ["campaign.id"], name=op.f("fk_campaign_target_campaign_id_campaign"), ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["dispatch_id"], ["dispatch.id"], name=op.f("fk_campaign_target_dispatch_id_dispatch"), ondelete="SET NULL"),
        sa.ForeignKeyConstraint(["group_id"], ["group.id"], name=op.f("fk_campaign_target_group_id_group"), ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["letter_id"], ["letter.id"], name=op.f("fk_campaign_target_letter_id_letter"), ondelete="SET NULL"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_campaign_target")),
        sa.UniqueConstraint("campaign_id", "authority_slug", name=op.f("uq_campaign_target_campaign_id_authority_slug")),
    )
    with op.batch_alter_table("campaign_target", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_campaign_target_campaign_id"), ["campaign_id"], unique=False)

    with op.batch_alter_table("letter", schema=None) as batch_op:
        batch_op.add_column(sa.Column("signer_name", sa.String(length=200), nullable=False, server_default=""))
        batch_op.add_column(sa.Column("signer_title", sa.String(length=200), nullable=False, server_default=""))


def downgrade() -> None:
    with op.batch_alter_table("letter", schema=None) as batch_op:
        batch_op.drop_column("signer_title")
        batch_op.drop_column("signer_name")
    with op.batch_alter_table("campaign_target", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_campaign_target_campaign_id"))
    op.drop_table("campaign_target")
    with op.batch_alter_table("campaign", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_campaign_group_id"))
    op.drop_table("campaign")
