"""task_log (the compute's instance usage audit runs) with its shadow
table, and console_auth_tokens (remote console tokens, not soft-deleted).

Revision ID: 0003
Revises: 0002
Create Date: 2026-12-03
"""

from alembic import op
import sqlalchemy as sa

revision = '0003'
down_revision = '0002'
branch_labels = None
depends_on = None

TABLE_OPTIONS = {'mysql_charset': 'utf8mb4'}


def _task_log_columns(shadow: bool) -> list:
    return [
        sa.Column('id', sa.Integer, primary_key=True,
                  autoincrement=not shadow),
        sa.Column('task_name', sa.String(255), nullable=False),
        sa.Column('state', sa.String(255), nullable=False),
        sa.Column('host', sa.String(255), nullable=False),
        sa.Column('period_beginning', sa.DateTime, nullable=False),
        sa.Column('period_ending', sa.DateTime, nullable=False),
        sa.Column('message', sa.String(255), nullable=False),
        sa.Column('task_items', sa.Integer),
        sa.Column('errors', sa.Integer),
        sa.Column('created_at', sa.DateTime),
        sa.Column('updated_at', sa.DateTime),
        sa.Column('deleted_at', sa.DateTime),
        sa.Column('deleted', sa.Integer, server_default='0'),
    ]


def upgrade() -> None:
    op.create_table(
        'task_log', *_task_log_columns(shadow=False),
        sa.UniqueConstraint(
            'task_name', 'host', 'period_beginning', 'period_ending',
            name='uniq_task_log0task_name0host0period_beginning0'
                 'period_ending'),
        **TABLE_OPTIONS)
    op.create_index('ix_task_log_period_beginning', 'task_log',
                    ['period_beginning'])
    op.create_index('ix_task_log_period_ending', 'task_log',
                    ['period_ending'])
    # Shadow tables keep no keys beyond the primary key (see 0002).
    op.create_table('shadow_task_log', *_task_log_columns(shadow=True),
                    **TABLE_OPTIONS)

    op.create_table(
        'console_auth_tokens',
        sa.Column('id', sa.Integer, primary_key=True, autoincrement=True),
        sa.Column('token_hash', sa.String(255), nullable=False),
        sa.Column('console_type', sa.String(255), nullable=False),
        sa.Column('host', sa.String(255), nullable=False),
        sa.Column('port', sa.Integer, nullable=False),
        sa.Column('internal_access_path', sa.String(255)),
        sa.Column('access_url_base', sa.String(255)),
        sa.Column('instance_uuid', sa.String(36),
                  sa.ForeignKey('instances.uuid'), nullable=False),
        sa.Column('expires', sa.Integer, nullable=False),
        sa.Column('created_at', sa.DateTime),
        sa.Column('updated_at', sa.DateTime),
        sa.UniqueConstraint('token_hash',
                            name='uniq_console_auth_tokens0token_hash'),
        **TABLE_OPTIONS)
    op.create_index('console_auth_tokens_instance_uuid_idx',
                    'console_auth_tokens', ['instance_uuid'])
    op.create_index('console_auth_tokens_host_expires_idx',
                    'console_auth_tokens', ['host', 'expires'])
