"""case lifecycle: closing and reopening a client, hand-overs between workers

Revision ID: 0017
Revises: 0004_user_language
Create Date: 2026-12-01 12:30:00

"""
from alembic import op
import sqlalchemy as sa

revision = '0017'
down_revision = '0004_user_language'
branch_labels = None
depends_on = None

CLOSE_REASON = sa.Enum('completed', 'disengaged', 'transferred', 'released_out_of_scope',
                       'other', name='close_reason', native_enum=False, create_constraint=True,
                       length=24)


def upgrade():
    with op.batch_alter_table('clients', schema=None) as batch_op:
        batch_op.add_column(sa.Column('version', sa.Integer(), server_default='1',
                                      nullable=False))
        batch_op.add_column(sa.Column('closed_at', sa.DateTime(), nullable=True))
        batch_op.add_column(sa.Column('closed_reason', CLOSE_REASON, nullable=True))
        batch_op.add_column(sa.Column('closed_note', sa.String(length=200), server_default='',
                                      nullable=False))
        batch_op.add_column(sa.Column('closed_by_id', sa.Integer(), nullable=True))
        batch_op.create_foreign_key('fk_clients_closed_by_id_users', 'users', ['closed_by_id'],
                                    ['id'])
    op.create_table('handovers',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('client_id', sa.Integer(), nullable=False),
    sa.Column('from_user_id', sa.Integer(), nullable=True),
    sa.Column('to_user_id', sa.Integer(), nullable=True),
    sa.Column('by_id', sa.Integer(), nullable=True),
    sa.Column('summary', sa.JSON(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('seen_at', sa.DateTime(), nullable=True),
    sa.ForeignKeyConstraint(['by_id'], ['users.id'], ),
    sa.ForeignKeyConstraint(['client_id'], ['clients.id'], ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['from_user_id'], ['users.id'], ),
    sa.ForeignKeyConstraint(['to_user_id'], ['users.id'], ),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('handovers', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_handovers_client_id'), ['client_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_handovers_from_user_id'), ['from_user_id'],
                              unique=False)
        batch_op.create_index(batch_op.f('ix_handovers_to_user_id'), ['to_user_id'],
                              unique=False)


def downgrade():
    with op.batch_alter_table('handovers', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_handovers_to_user_id'))
        batch_op.drop_index(batch_op.f('ix_handovers_from_user_id'))
        batch_op.drop_index(batch_op.f('ix_handovers_client_id'))
    op.drop_table('handovers')
    with op.batch_alter_table('clients', schema=None) as batch_op:
        batch_op.drop_constraint('fk_clients_closed_by_id_users', type_='foreignkey')
        batch_op.drop_column('closed_by_id')
        batch_op.drop_column('closed_note')
        batch_op.drop_column('closed_reason')
        batch_op.drop_column('closed_at')
        batch_op.drop_column('version')
