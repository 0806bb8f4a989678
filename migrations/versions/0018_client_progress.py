"""client progress: co-owned milestones (area, agreed) with their history, reviews,
"not known" ratings (the target month came in 0003_milestone_target)

Revision ID: 0018_client_progress
Revises: 0017
Create Date: 2026-12-01 12:30:00

"""
from alembic import op
import sqlalchemy as sa

revision = '0018_client_progress'
down_revision = '0017'
branch_labels = None
depends_on = None

AREAS = ('family', 'housing', 'work_education', 'health', 'faith_community', 'other')
STATUSES = ('open', 'reached', 'dropped')
DIMENSIONS = ('radicalisation', 'extremist_activity', 'crime', 'marginalisation',
              'mental_health')


def upgrade():
    with op.batch_alter_table('milestones', schema=None) as batch_op:
        batch_op.add_column(sa.Column(
            'area', sa.Enum(*AREAS, name='milestone_area', native_enum=False,
                            create_constraint=True, length=24),
            server_default='other', nullable=False))
        batch_op.add_column(sa.Column('agreed', sa.Boolean(), server_default=sa.false(),
                                      nullable=False))
    op.create_table('milestone_events',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('milestone_id', sa.Integer(), nullable=False),
    sa.Column('status', sa.Enum(*STATUSES, name='milestone_event_status', native_enum=False,
                                create_constraint=True, length=24), nullable=False),
    sa.Column('changed_on', sa.Date(), nullable=False),
    sa.Column('changed_by_id', sa.Integer(), nullable=True),
    sa.Column('changed_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['changed_by_id'], ['users.id'], ),
    sa.ForeignKeyConstraint(['milestone_id'], ['milestones.id'], ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('milestone_events', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_milestone_events_milestone_id'), ['milestone_id'],
                              unique=False)
    op.create_table('client_reviews',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('client_id', sa.Integer(), nullable=False),
    sa.Column('held_on', sa.Date(), nullable=False),
    sa.Column('held_by_id', sa.Integer(), nullable=True),
    sa.Column('recorded_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['client_id'], ['clients.id'], ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['held_by_id'], ['users.id'], ),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('client_reviews', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_client_reviews_client_id'), ['client_id'],
                              unique=False)
    with op.batch_alter_table('dimension_ratings', schema=None) as batch_op:
        for name in DIMENSIONS:
            batch_op.alter_column(name, existing_type=sa.SmallInteger(), nullable=True)


def downgrade():
    with op.batch_alter_table('dimension_ratings', schema=None) as batch_op:
        for name in DIMENSIONS:
            batch_op.alter_column(name, existing_type=sa.SmallInteger(), nullable=False)
    with op.batch_alter_table('client_reviews', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_client_reviews_client_id'))
    op.drop_table('client_reviews')
    with op.batch_alter_table('milestone_events', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_milestone_events_milestone_id'))
    op.drop_table('milestone_events')
    with op.batch_alter_table('milestones', schema=None) as batch_op:
        batch_op.drop_column('agreed')
        batch_op.drop_column('area')
