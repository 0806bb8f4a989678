"""progress history: every save of a month's five-dimension rating kept as its own row (the
existing ratings become their first save), and a review interval per client

Revision ID: 0022_progress_history
Revises: 0020
"""
import sqlalchemy as sa
from alembic import op

revision = "0022_progress_history"
down_revision = "0020"
branch_labels = None
depends_on = None

DIMENSIONS = ("radicalisation", "extremist_activity", "crime", "marginalisation",
              "mental_health")


def upgrade():
    with op.batch_alter_table("clients", schema=None) as batch_op:
        batch_op.add_column(sa.Column("review_every_months", sa.SmallInteger(), nullable=True))
    op.create_table(
        "dimension_rating_edits",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("rating_id", sa.Integer(), nullable=False),
        *(sa.Column(name, sa.SmallInteger(), nullable=True) for name in DIMENSIONS),
        sa.Column("rated_by_id", sa.Integer(), nullable=True),
        sa.Column("rated_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(["rated_by_id"], ["users.id"]),
        sa.ForeignKeyConstraint(["rating_id"], ["dimension_ratings.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("dimension_rating_edits", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_dimension_rating_edits_rating_id"), ["rating_id"],
                              unique=False)
    columns = ", ".join(DIMENSIONS)
    op.execute(
        f"INSERT INTO dimension_rating_edits (rating_id, {columns}, rated_by_id, rated_at) "
        f"SELECT id, {columns}, rated_by_id, rated_at FROM dimension_ratings"
    )


def downgrade():
    with op.batch_alter_table("dimension_rating_edits", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_dimension_rating_edits_rating_id"))
    op.drop_table("dimension_rating_edits")
    with op.batch_alter_table("clients", schema=None) as batch_op:
        batch_op.drop_column("review_every_months")
