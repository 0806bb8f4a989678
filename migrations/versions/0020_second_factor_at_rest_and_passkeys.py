"""second factor at rest and passkeys: TOTP seeds encrypted (and the one being enrolled kept
server-side), a keyed lookup prefix for recovery codes, WebAuthn credentials for unlocking

Revision ID: 0020
Revises: 0019_member_confirmation
"""
import sqlalchemy as sa
from alembic import op

revision = "0020"
down_revision = "0019_member_confirmation"
branch_labels = None
depends_on = None


def _encrypt_existing_seeds():
    from companion.keys import encrypt

    connection = op.get_bind()
    rows = connection.execute(sa.text(
        "SELECT id, totp_secret FROM users WHERE totp_secret IS NOT NULL")).all()
    for user_id, secret in rows:
        connection.execute(sa.text("UPDATE users SET totp_secret = :token WHERE id = :id"),
                           {"token": encrypt(secret), "id": user_id})


def upgrade():
    with op.batch_alter_table("users", schema=None) as batch_op:
        batch_op.alter_column("totp_secret", existing_type=sa.String(length=64),
                              type_=sa.String(length=255), existing_nullable=True)
        batch_op.add_column(sa.Column("totp_pending", sa.String(length=255), nullable=True))
    _encrypt_existing_seeds()
    with op.batch_alter_table("recovery_codes", schema=None) as batch_op:
        batch_op.add_column(sa.Column("lookup", sa.String(length=16), nullable=True))
    op.create_table(
        "passkeys",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("credential_id", sa.LargeBinary(length=1024), nullable=False),
        sa.Column("public_key", sa.LargeBinary(length=2048), nullable=False),
        sa.Column("sign_count", sa.BigInteger(), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("last_used_at", sa.DateTime(), nullable=True),
        sa.ForeignKeyConstraint(["user_id"], ["users.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("credential_id"),
    )
    with op.batch_alter_table("passkeys", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_passkeys_user_id"), ["user_id"], unique=False)


def downgrade():
    with op.batch_alter_table("passkeys", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_passkeys_user_id"))
    op.drop_table("passkeys")
    with op.batch_alter_table("recovery_codes", schema=None) as batch_op:
        batch_op.drop_column("lookup")
    # Seeds stay encrypted; a downgraded app cannot read them, so they are cleared (re-enrol).
    op.execute("UPDATE users SET totp_secret = NULL, totp_last_step = NULL")
    with op.batch_alter_table("users", schema=None) as batch_op:
        batch_op.drop_column("totp_pending")
        batch_op.alter_column("totp_secret", existing_type=sa.String(length=255),
                              type_=sa.String(length=64), existing_nullable=True)
