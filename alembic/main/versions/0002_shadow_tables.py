"""Shadow tables: where archived (soft-deleted) rows are moved to.

Each copies its live table's columns as this revision finds them in the
database (types, nullability, server defaults), with none of its keys
beyond the primary key: no foreign keys, unique constraints or indexes.

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-26
"""

from alembic import op
import sqlalchemy as sa
from sqlalchemy.dialects import postgresql

revision = '0002'
down_revision = '0001'
branch_labels = None
depends_on = None

# The soft-deleting tables as of revision 0001 (tags is not one).
TABLES = (
    'services', 'compute_nodes', 'instances', 'instance_extra',
    'instance_metadata', 'instance_system_metadata', 'instance_info_caches',
    'instance_faults', 'instance_actions', 'instance_actions_events',
    'block_device_mapping', 'migrations',
)
TABLE_OPTIONS = {'mysql_charset': 'utf8mb4'}


def _column(column: dict, primary_key: bool) -> sa.Column:
    kind = column['type']
    if isinstance(kind, postgresql.ENUM):
        # The live table's enum type already exists: share it.
        kind = postgresql.ENUM(*kind.enums, name=kind.name,
                               create_type=False)
    default = column.get('default')
    if primary_key:
        # Ids come from the live rows: no sequence, no auto increment.
        default = None
    return sa.Column(column['name'], kind, primary_key=primary_key,
                     nullable=column['nullable'], autoincrement=False,
                     server_default=(sa.text(default)
                                     if default is not None else None))


def upgrade() -> None:
    inspector = sa.inspect(op.get_bind())
    for name in TABLES:
        keys = set(inspector.get_pk_constraint(name)['constrained_columns'])
        op.create_table(
            'shadow_' + name,
            *[_column(c, c['name'] in keys)
              for c in inspector.get_columns(name)],
            **TABLE_OPTIONS)
