"""signers' personal data sealed to a per-group key; unlocks of that key per browser session

Existing signatures keep their data in clear (``sealed`` stays NULL) until a coordinator of their
group first sets the signer key's passphrase: that seals them, recomputes their duplicate hashes
with the group's salt and wipes the columns their signers did not choose to show
(``letterkit.petitions.keys.seal_clear_signatures``). A migration cannot do it: the key pair is
made only under a coordinator's passphrase. Until then such a group's petitions take no new
signatures, and the petition page says why.

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-07 02:30:00
"""

from alembic import op
import sqlalchemy as sa


revision = "0009"
down_revision = "0008"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('signer_key',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('group_id', sa.Integer(), nullable=False),
    sa.Column('public_key', sa.LargeBinary(length=32), nullable=False),
    sa.Column('wrapped_private_key', sa.LargeBinary(length=128), nullable=False),
    sa.Column('kdf_salt', sa.LargeBinary(length=16), nullable=False),
    sa.Column('opslimit', sa.Integer(), nullable=False),
    sa.Column('memlimit', sa.BigInteger(), nullable=False),
    sa.Column('dedupe_salt', sa.LargeBinary(length=32), nullable=False),
    sa.Column('created_by_id', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('changed_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['created_by_id'], ['user.id'], name=op.f('fk_signer_key_created_by_id_user'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['group_id'], ['group.id'], name=op.f('fk_signer_key_group_id_group'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_signer_key')),
    sa.UniqueConstraint('group_id', name=op.f('uq_signer_key_group_id'))
    )
    op.create_table('key_unlock',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('group_id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('session_hash', sa.String(length=64), nullable=False),
    sa.Column('wrapped_private_key', sa.LargeBinary(length=128), nullable=False),
    sa.Column('revealed', sa.JSON(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('expires_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['group_id'], ['group.id'], name=op.f('fk_key_unlock_group_id_group'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['user_id'], ['user.id'], name=op.f('fk_key_unlock_user_id_user'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_key_unlock'))
    )
    with op.batch_alter_table('key_unlock', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_key_unlock_group_id'), ['group_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_key_unlock_user_id'), ['user_id'], unique=False)

    with op.batch_alter_table('signature', schema=None) as batch_op:
        batch_op.add_column(sa.Column('sealed', sa.LargeBinary(), nullable=True))


def downgrade() -> None:
    # Sealed data cannot be opened here (no passphrase): it is lost; rows keep what is in clear.
    with op.batch_alter_table('signature', schema=None) as batch_op:
        batch_op.drop_column('sealed')

    with op.batch_alter_table('key_unlock', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_key_unlock_user_id'))
        batch_op.drop_index(batch_op.f('ix_key_unlock_group_id'))

    op.drop_table('key_unlock')
    op.drop_table('signer_key')
