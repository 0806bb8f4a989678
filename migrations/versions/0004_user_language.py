"""users: the language each person chose (none: follow the browser)

Revision ID: 0004_user_language
Revises: 0003_milestone_target
Create Date: 2026-12-01 12:40:00

"""
from alembic import op
import sqlalchemy as sa

revision = '0004_user_language'
down_revision = '0003_milestone_target'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('users') as batch:
        batch.add_column(sa.Column('language', sa.String(length=8), nullable=True))


def downgrade():
    with op.batch_alter_table('users') as batch:
        batch.drop_column('language')
