"""each campaign target remembers the follow-up written to it

Revision ID: 0011
Revises: 0010
Create Date: 2026-12-07 03:15:00

"Write follow-ups" on a campaign page starts a follow-up draft for every target whose reply is
overdue; the target keeps that letter, so a second click writes none twice and the campaign
lists each follow-up beside the first letter.
"""

from alembic import op
import sqlalchemy as sa


revision = "0011"
down_revision = "0010"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("campaign_target", schema=None) as batch_op:
        batch_op.add_column(sa.Column("follow_up_letter_id", sa.Integer(), nullable=True))
        batch_op.create_foreign_key(
            batch_op.f("fk_campaign_target_follow_up_letter_id_letter"),
            "letter",
            ["follow_up_letter_id"],
            ["id"],
            ondelete="SET NULL",
        )


def downgrade() -> None:
    with op.batch_alter_table("campaign_target", schema=None) as batch_op:
        batch_op.drop_constraint(
            batch_op.f("fk_campaign_target_follow_up_letter_id_letter"), type_="foreignkey"
        )
        batch_op.drop_column("follow_up_letter_id")
