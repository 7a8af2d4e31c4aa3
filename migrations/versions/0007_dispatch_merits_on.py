"""the first reply on the merits of each dispatch, for honest statistics per authority

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-07 02:50:00

A formal reply (отписка) or forwarding no longer counts as an answer in the statistics: they
time answers by ``merits_on``, the first reply on the merits (a refusal included). The column is
filled from the stored replies, and the covering index of the statistics gains it and the
outcome.
"""

from alembic import op
import sqlalchemy as sa


revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None

INDEX = "ix_dispatch_group_id_authority_slug_days_to_answer"
OLD_COLUMNS = [
    "group_id",
    "authority_slug",
    "days_to_answer",
    "country",
    "sent_on",
    "due_on",
    "answered_on",
]


def upgrade() -> None:
    with op.batch_alter_table("dispatch", schema=None) as batch_op:
        batch_op.add_column(sa.Column("merits_on", sa.Date(), nullable=True))
        batch_op.drop_index(INDEX)
    op.execute(
        "UPDATE dispatch SET merits_on = ("
        "SELECT min(r.received_on) FROM dispatch_reply r "
        "WHERE r.dispatch_id = dispatch.id AND r.outcome IN ('merits', 'refusal'))"
    )
    with op.batch_alter_table("dispatch", schema=None) as batch_op:
        batch_op.create_index(INDEX, [*OLD_COLUMNS, "merits_on", "outcome"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("dispatch", schema=None) as batch_op:
        batch_op.drop_index(INDEX)
        batch_op.drop_column("merits_on")
        batch_op.create_index(INDEX, OLD_COLUMNS, unique=False)
