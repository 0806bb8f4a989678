"""warning acknowledgements: a worker acknowledged a meeting's warning signs on the card

Revision ID: 0024_warning_ack_12a
Revises: 0023_leavers
"""
import sqlalchemy as sa
from alembic import op

revision = "0024_warning_ack_12a"
down_revision = "0023_leavers"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "warning_acknowledgements",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("meeting_id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("acknowledged_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(["meeting_id"], ["meetings.id"], ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["user_id"], ["users.id"]),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("meeting_id"),
    )


def downgrade():
    op.drop_table("warning_acknowledgements")
