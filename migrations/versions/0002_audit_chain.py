"""audit log: a keyed hash chain, no TRUNCATE, inserts must extend the chain

Revision ID: 0002
Revises: 0001
Create Date: 2026-12-01 11:30:00

"""
from alembic import op
import sqlalchemy as sa

revision = '0002'
down_revision = '0001'
branch_labels = None
depends_on = None

# Kept here (not imported from the models) so this revision stays as it was written.
SQLITE_EXTEND_ONLY = [
    "CREATE TRIGGER audit_log_extend_only BEFORE INSERT ON audit_log "
    "WHEN NEW.id IN (SELECT id FROM audit_log) OR NEW.prev_mac IS NOT "
    "COALESCE((SELECT mac FROM audit_log ORDER BY id DESC LIMIT 1), '') "
    "BEGIN SELECT RAISE(ABORT, 'audit_log is append-only: an entry must extend the chain'); END",
]
POSTGRES_EXTEND_ONLY = [
    "CREATE TRIGGER audit_log_no_truncate BEFORE TRUNCATE ON audit_log "
    "FOR EACH STATEMENT EXECUTE FUNCTION audit_log_append_only()",
    "CREATE OR REPLACE FUNCTION audit_log_extend_only() RETURNS trigger AS $$ "
    "DECLARE tail_id integer; tail_mac varchar; "
    "BEGIN "
    "SELECT id, mac INTO tail_id, tail_mac FROM audit_log ORDER BY id DESC LIMIT 1; "
    "IF NEW.id <= tail_id OR NEW.prev_mac IS DISTINCT FROM COALESCE(tail_mac, '') THEN "
    "RAISE EXCEPTION 'audit_log is append-only: an entry must extend the chain'; "
    "END IF; RETURN NEW; END; $$ LANGUAGE plpgsql",
    "CREATE TRIGGER audit_log_extend_only BEFORE INSERT ON audit_log "
    "FOR EACH ROW EXECUTE FUNCTION audit_log_extend_only()",
]


def upgrade():
    # Plain ADD COLUMN, not batch mode: rebuilding the table on SQLite would drop its triggers.
    op.add_column('audit_log', sa.Column('prev_mac', sa.String(length=64), server_default='',
                                         nullable=False))
    op.add_column('audit_log', sa.Column('mac', sa.String(length=64), server_default='',
                                         nullable=False))
    statements = {'sqlite': SQLITE_EXTEND_ONLY, 'postgresql': POSTGRES_EXTEND_ONLY}
    for statement in statements[op.get_bind().dialect.name]:
        op.execute(statement)


def downgrade():
    if op.get_bind().dialect.name == 'postgresql':
        op.execute('DROP TRIGGER IF EXISTS audit_log_extend_only ON audit_log')
        op.execute('DROP TRIGGER IF EXISTS audit_log_no_truncate ON audit_log')
        op.execute('DROP FUNCTION IF EXISTS audit_log_extend_only()')
        op.drop_column('audit_log', 'mac')
        op.drop_column('audit_log', 'prev_mac')
    else:
        op.execute('DROP TRIGGER IF EXISTS audit_log_extend_only')
        op.drop_column('audit_log', 'mac')
        op.drop_column('audit_log', 'prev_mac')
