"""milestones: an optional target month (YYYY-MM)

Revision ID: 0003_milestone_target
Revises: 0002
Create Date: 2026-12-01 12:30:00

"""
from alembic import op
import sqlalchemy as sa

revision = '0003_milestone_target'
down_revision = '0002'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('milestones') as batch:
        batch.add_column(sa.Column('target_month', sa.String(length=7), nullable=True))


def downgrade():
    with op.batch_alter_table('milestones') as batch:
        batch.drop_column('target_month')
