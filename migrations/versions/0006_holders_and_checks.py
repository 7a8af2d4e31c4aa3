"""the holder of an office and checks of an authority's printed details, per group

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-06 23:54:23.948057
"""

from alembic import op
import sqlalchemy as sa


revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None


def upgrade() -> None:
    
    op.create_table('authority_check',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('group_id', sa.Integer(), nullable=False),
    sa.Column('authority_slug', sa.String(length=80), nullable=False),
    sa.Column('checked_on', sa.Date(), nullable=False),
    sa.Column('source', sa.String(length=500), nullable=False),
    sa.Column('parts', sa.JSON(), nullable=False),
    sa.Column('note', sa.String(length=2000), nullable=False),
    sa.Column('checked_by_id', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['checked_by_id'], ['user.id'], name=op.f('fk_authority_check_checked_by_id_user'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['group_id'], ['group.id'], name=op.f('fk_authority_check_group_id_group'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_authority_check'))
    )
    with op.batch_alter_table('authority_check', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_authority_check_group_id'), ['group_id'], unique=False)

    op.create_table('authority_holder',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('group_id', sa.Integer(), nullable=False),
    sa.Column('authority_slug', sa.String(length=80), nullable=False),
    sa.Column('form', sa.Enum('female', 'male', 'neutral', name='holderform', native_enum=False, length=20), nullable=True),
    sa.Column('names', sa.JSON(), nullable=False),
    sa.Column('updated_by_id', sa.Integer(), nullable=True),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['group_id'], ['group.id'], name=op.f('fk_authority_holder_group_id_group'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['updated_by_id'], ['user.id'], name=op.f('fk_authority_holder_updated_by_id_user'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_authority_holder')),
    sa.UniqueConstraint('group_id', 'authority_slug', name=op.f('uq_authority_holder_group_id_authority_slug'))
    )
    with op.batch_alter_table('authority_holder', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_authority_holder_group_id'), ['group_id'], unique=False)




def downgrade() -> None:
    
    with op.batch_alter_table('authority_holder', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_authority_holder_group_id'))

    op.drop_table('authority_holder')
    with op.batch_alter_table('authority_check', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_authority_check_group_id'))

    op.drop_table('authority_check')

