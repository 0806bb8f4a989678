"""users: invitations completed by the person, confirmation before records

Revision ID: 0019_member_confirmation
Revises: 0018_client_progress
Create Date: 2026-12-01 11:40:00

"""
from alembic import op
import sqlalchemy as sa

revision = '0019_member_confirmation'
down_revision = '0018_client_progress'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('users', schema=None) as batch_op:
        batch_op.add_column(sa.Column('invite_hash', sa.String(length=255), nullable=True))
        batch_op.add_column(sa.Column('invite_expires_at', sa.DateTime(), nullable=True))
        batch_op.add_column(sa.Column('invited_by_id', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('set_up_at', sa.DateTime(), nullable=True))
        batch_op.add_column(sa.Column('confirmed_at', sa.DateTime(), nullable=True))
        batch_op.add_column(sa.Column('confirmed_by_id', sa.Integer(), nullable=True))
        batch_op.create_foreign_key('fk_users_invited_by_id_users', 'users', ['invited_by_id'],
                                    ['id'])
        batch_op.create_foreign_key('fk_users_confirmed_by_id_users', 'users',
                                    ['confirmed_by_id'], ['id'])
    # Accounts that exist already are in use: they count as set up and confirmed.
    op.execute('UPDATE users SET set_up_at = created_at, confirmed_at = created_at')


def downgrade():
    with op.batch_alter_table('users', schema=None) as batch_op:
        batch_op.drop_constraint('fk_users_confirmed_by_id_users', type_='foreignkey')
        batch_op.drop_constraint('fk_users_invited_by_id_users', type_='foreignkey')
        batch_op.drop_column('confirmed_by_id')
        batch_op.drop_column('confirmed_at')
        batch_op.drop_column('set_up_at')
        batch_op.drop_column('invited_by_id')
        batch_op.drop_column('invite_expires_at')
        batch_op.drop_column('invite_hash')
