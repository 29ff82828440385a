"""The initial API database schema.

Revision ID: 0001
Revises:
Create Date: 2026-11-25
"""

from alembic import op
import sqlalchemy as sa
from sqlalchemy.dialects import mysql

revision = '0001'
down_revision = None
branch_labels = None
depends_on = None

# Frozen copies of the helpers in nova.db.schema: this revision must keep
# creating the same schema whatever later becomes of those.
MEDIUMTEXT = sa.Text().with_variant(mysql.MEDIUMTEXT(), 'mysql')
TABLE_OPTIONS = {'mysql_charset': 'utf8mb4'}


def _id():
    return sa.Column('id', sa.Integer, primary_key=True, autoincrement=True)


def _stamps():
    return [sa.Column('created_at', sa.DateTime),
            sa.Column('updated_at', sa.DateTime)]


def upgrade() -> None:
    _cells()
    _flavors()
    _quotas()
    _keypairs_groups_aggregates()


def _cells() -> None:
    op.create_table(
        'cell_mappings',
        _id(),
        sa.Column('uuid', sa.String(36), nullable=False),
        sa.Column('name', sa.String(255)),
        sa.Column('transport_url', sa.Text),
        sa.Column('database_connection', sa.Text),
        sa.Column('disabled', sa.Boolean),
        *_stamps(),
        sa.UniqueConstraint('uuid', name='uniq_cell_mappings0uuid'),
        **TABLE_OPTIONS)
    op.create_index('uuid_idx', 'cell_mappings', ['uuid'])

    op.create_table(
        'host_mappings',
        _id(),
        sa.Column('cell_id', sa.Integer, sa.ForeignKey('cell_mappings.id'),
                  nullable=False),
        sa.Column('host', sa.String(255), nullable=False),
        *_stamps(),
        sa.UniqueConstraint('host', name='uniq_host_mappings0host'),
        **TABLE_OPTIONS)
    op.create_index('host_idx', 'host_mappings', ['host'])

    op.create_table(
        'instance_mappings',
        _id(),
        sa.Column('instance_uuid', sa.String(36), nullable=False),
        sa.Column('cell_id', sa.Integer, sa.ForeignKey('cell_mappings.id'),
                  nullable=True),
        sa.Column('project_id', sa.String(255), nullable=False),
        sa.Column('user_id', sa.String(255), nullable=True),
        sa.Column('queued_for_delete', sa.Boolean),
        *_stamps(),
        sa.UniqueConstraint('instance_uuid',
                            name='uniq_instance_mappings0instance_uuid'),
        **TABLE_OPTIONS)
    op.create_index('instance_uuid_idx', 'instance_mappings',
                    ['instance_uuid'])
    op.create_index('project_id_idx', 'instance_mappings', ['project_id'])
    op.create_index('instance_mappings_user_id_project_id_idx',
                    'instance_mappings', ['user_id', 'project_id'])

    op.create_table(
        'build_requests',
        _id(),
        sa.Column('instance_uuid', sa.String(36)),
        sa.Column('project_id', sa.String(255), nullable=False),
        sa.Column('instance', MEDIUMTEXT),
        sa.Column('block_device_mappings', MEDIUMTEXT),
        sa.Column('tags', sa.Text),
        *_stamps(),
        sa.UniqueConstraint('instance_uuid',
                            name='uniq_build_requests0instance_uuid'),
        **TABLE_OPTIONS)
    op.create_index('build_requests_instance_uuid_idx', 'build_requests',
                    ['instance_uuid'])
    op.create_index('build_requests_project_id_idx', 'build_requests',
                    ['project_id'])

    op.create_table(
        'request_specs',
        _id(),
        sa.Column('instance_uuid', sa.String(36), nullable=False),
        sa.Column('spec', MEDIUMTEXT, nullable=False),
        *_stamps(),
        sa.UniqueConstraint('instance_uuid',
                            name='uniq_request_specs0instance_uuid'),
        **TABLE_OPTIONS)
    op.create_index('request_spec_instance_uuid_idx', 'request_specs',
                    ['instance_uuid'])


def _flavors() -> None:
    op.create_table(
        'flavors',
        _id(),
        sa.Column('name', sa.String(255), nullable=False),
        sa.Column('memory_mb', sa.Integer, nullable=False),
        sa.Column('vcpus', sa.Integer, nullable=False),
        sa.Column('root_gb', sa.Integer),
        sa.Column('ephemeral_gb', sa.Integer),
        sa.Column('flavorid', sa.String(255), nullable=False),
        sa.Column('swap', sa.Integer, nullable=False),
        sa.Column('rxtx_factor', sa.Float),
        sa.Column('vcpu_weight', sa.Integer),
        sa.Column('disabled', sa.Boolean),
        sa.Column('is_public', sa.Boolean),
        sa.Column('description', sa.Text),
        *_stamps(),
        sa.UniqueConstraint('flavorid', name='uniq_flavors0flavorid'),
        sa.UniqueConstraint('name', name='uniq_flavors0name'),
        **TABLE_OPTIONS)

    op.create_table(
        'flavor_extra_specs',
        _id(),
        sa.Column('key', sa.String(255), nullable=False),
        sa.Column('value', sa.String(255)),
        sa.Column('flavor_id', sa.Integer, sa.ForeignKey('flavors.id'),
                  nullable=False),
        *_stamps(),
        sa.UniqueConstraint('flavor_id', 'key',
                            name='uniq_flavor_extra_specs0flavor_id0key'),
        mysql_collate='utf8mb4_bin',
        **TABLE_OPTIONS)
    op.create_index('flavor_extra_specs_flavor_id_key_idx',
                    'flavor_extra_specs', ['flavor_id', 'key'])

    op.create_table(
        'flavor_projects',
        _id(),
        sa.Column('flavor_id', sa.Integer, sa.ForeignKey('flavors.id'),
                  nullable=False),
        sa.Column('project_id', sa.String(255), nullable=False),
        *_stamps(),
        sa.UniqueConstraint('flavor_id', 'project_id',
                            name='uniq_flavor_projects0flavor_id0project_id'),
        **TABLE_OPTIONS)


def _quotas() -> None:
    op.create_table(
        'quotas',
        _id(),
        sa.Column('project_id', sa.String(255)),
        sa.Column('resource', sa.String(255), nullable=False),
        sa.Column('hard_limit', sa.Integer),
        *_stamps(),
        sa.UniqueConstraint('project_id', 'resource',
                            name='uniq_quotas0project_id0resource'),
        **TABLE_OPTIONS)

    op.create_table(
        'project_user_quotas',
        _id(),
        sa.Column('project_id', sa.String(255), nullable=False),
        sa.Column('user_id', sa.String(255), nullable=False),
        sa.Column('resource', sa.String(255), nullable=False),
        sa.Column('hard_limit', sa.Integer),
        *_stamps(),
        sa.UniqueConstraint(
            'user_id', 'project_id', 'resource',
            name='uniq_project_user_quotas0user_id0project_id0resource'),
        **TABLE_OPTIONS)
    op.create_index('project_user_quotas_project_id_idx',
                    'project_user_quotas', ['project_id'])
    op.create_index('project_user_quotas_user_id_idx',
                    'project_user_quotas', ['user_id'])

    op.create_table(
        'quota_classes',
        _id(),
        sa.Column('class_name', sa.String(255)),
        sa.Column('resource', sa.String(255)),
        sa.Column('hard_limit', sa.Integer),
        *_stamps(),
        **TABLE_OPTIONS)
    op.create_index('quota_classes_class_name_idx', 'quota_classes',
                    ['class_name'])


def _keypairs_groups_aggregates() -> None:
    op.create_table(
        'key_pairs',
        _id(),
        sa.Column('name', sa.String(255), nullable=False),
        sa.Column('user_id', sa.String(255), nullable=False),
        sa.Column('fingerprint', sa.String(255)),
        sa.Column('public_key', sa.Text),
        sa.Column('type', sa.Enum('ssh', 'x509', name='keypair_types'),
                  nullable=False, server_default='ssh'),
        *_stamps(),
        sa.UniqueConstraint('user_id', 'name',
                            name='uniq_key_pairs0user_id0name'),
        **TABLE_OPTIONS)

    op.create_table(
        'instance_groups',
        _id(),
        sa.Column('user_id', sa.String(255)),
        sa.Column('project_id', sa.String(255)),
        sa.Column('uuid', sa.String(36), nullable=False),
        sa.Column('name', sa.String(255)),
        *_stamps(),
        sa.UniqueConstraint('uuid', name='uniq_instance_groups0uuid'),
        **TABLE_OPTIONS)

    op.create_table(
        'instance_group_policy',
        _id(),
        sa.Column('policy', sa.String(255)),
        sa.Column('group_id', sa.Integer,
                  sa.ForeignKey('instance_groups.id'), nullable=False),
        sa.Column('rules', sa.Text),
        *_stamps(),
        **TABLE_OPTIONS)
    op.create_index('instance_group_policy_policy_idx',
                    'instance_group_policy', ['policy'])

    op.create_table(
        'instance_group_member',
        _id(),
        sa.Column('instance_uuid', sa.String(255)),
        sa.Column('group_id', sa.Integer,
                  sa.ForeignKey('instance_groups.id'), nullable=False),
        *_stamps(),
        **TABLE_OPTIONS)
    op.create_index('instance_group_member_instance_idx',
                    'instance_group_member', ['instance_uuid'])

    op.create_table(
        'aggregates',
        _id(),
        sa.Column('uuid', sa.String(36)),
        sa.Column('name', sa.String(255)),
        *_stamps(),
        sa.UniqueConstraint('name', name='uniq_aggregate0name'),
        **TABLE_OPTIONS)
    op.create_index('aggregate_uuid_idx', 'aggregates', ['uuid'])

    op.create_table(
        'aggregate_hosts',
        _id(),
        sa.Column('host', sa.String(255)),
        sa.Column('aggregate_id', sa.Integer,
                  sa.ForeignKey('aggregates.id'), nullable=False),
        *_stamps(),
        sa.UniqueConstraint('host', 'aggregate_id',
                            name='uniq_aggregate_hosts0host0aggregate_id'),
        **TABLE_OPTIONS)

    op.create_table(
        'aggregate_metadata',
        _id(),
        sa.Column('aggregate_id', sa.Integer,
                  sa.ForeignKey('aggregates.id'), nullable=False),
        sa.Column('key', sa.String(255), nullable=False),
        sa.Column('value', sa.String(255), nullable=False),
        *_stamps(),
        sa.UniqueConstraint('aggregate_id', 'key',
                            name='uniq_aggregate_metadata0aggregate_id0key'),
        **TABLE_OPTIONS)
    op.create_index('aggregate_metadata_key_idx', 'aggregate_metadata',
                    ['key'])
