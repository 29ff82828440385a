"""The API database schema as SQLAlchemy Core tables.

One API database serves the whole deployment: where each cell is, which
cell each host and instance lives in, what is being built, and the global
records (flavors, quotas, keypairs, server groups, host aggregates). Table
and column names, types, unique constraints and index names are upstream
Nova's, since operators' scripts and tools query them. Nothing here is
soft-deleted: rows are deleted outright.

alembic/api creates exactly this; a functional test compares the two.
"""

import sqlalchemy as sa

from nova.db import schema

metadata = sa.MetaData()


def _id() -> sa.Column:
    return sa.Column('id', sa.Integer, primary_key=True, autoincrement=True)


# -- cells v2: where things are

cell_mappings = sa.Table(
    'cell_mappings', metadata,
    _id(),
    sa.Column('uuid', sa.String(36), nullable=False),
    sa.Column('name', sa.String(255)),
    sa.Column('transport_url', sa.Text),
    sa.Column('database_connection', sa.Text),
    sa.Column('disabled', sa.Boolean, default=False),
    *schema.timestamps(),
    sa.UniqueConstraint('uuid', name='uniq_cell_mappings0uuid'),
    sa.Index('uuid_idx', 'uuid'),
)

host_mappings = sa.Table(
    'host_mappings', metadata,
    _id(),
    sa.Column('cell_id', sa.Integer, sa.ForeignKey('cell_mappings.id'),
              nullable=False),
    sa.Column('host', sa.String(255), nullable=False),
    *schema.timestamps(),
    sa.UniqueConstraint('host', name='uniq_host_mappings0host'),
    sa.Index('host_idx', 'host'),
)

# cell_id stays NULL from the API's accepting a build until the conductor
# has picked a cell; queued_for_delete lets quota counting skip instances
# whose deletion is on its way.
instance_mappings = sa.Table(
    'instance_mappings', metadata,
    _id(),
    sa.Column('instance_uuid', sa.String(36), nullable=False),
    sa.Column('cell_id', sa.Integer, sa.ForeignKey('cell_mappings.id'),
              nullable=True),
    sa.Column('project_id', sa.String(255), nullable=False),
    sa.Column('user_id', sa.String(255), nullable=True),
    sa.Column('queued_for_delete', sa.Boolean, default=False),
    *schema.timestamps(),
    sa.UniqueConstraint('instance_uuid',
                        name='uniq_instance_mappings0instance_uuid'),
    sa.Index('instance_uuid_idx', 'instance_uuid'),
    sa.Index('project_id_idx', 'project_id'),
    sa.Index('instance_mappings_user_id_project_id_idx',
             'user_id', 'project_id'),
)

# An instance the API has accepted but no cell has yet: the serialized
# instance (and its BDMs and tags) so that GET /servers can show it.
build_requests = sa.Table(
    'build_requests', metadata,
    _id(),
    sa.Column('instance_uuid', sa.String(36)),
    sa.Column('project_id', sa.String(255), nullable=False),
    sa.Column('instance', schema.medium_text()),
    sa.Column('block_device_mappings', schema.medium_text()),
    sa.Column('tags', sa.Text),
    *schema.timestamps(),
    sa.UniqueConstraint('instance_uuid',
                        name='uniq_build_requests0instance_uuid'),
    sa.Index('build_requests_instance_uuid_idx', 'instance_uuid'),
    sa.Index('build_requests_project_id_idx', 'project_id'),
)

# The scheduling request (flavor, image, hints, ...) serialized as JSON;
# kept for the instance's lifetime so moves can be rescheduled.
request_specs = sa.Table(
    'request_specs', metadata,
    _id(),
    sa.Column('instance_uuid', sa.String(36), nullable=False),
    sa.Column('spec', schema.medium_text(), nullable=False),
    *schema.timestamps(),
    sa.UniqueConstraint('instance_uuid',
                        name='uniq_request_specs0instance_uuid'),
    sa.Index('request_spec_instance_uuid_idx', 'instance_uuid'),
)

# -- flavors

flavors = sa.Table(
    'flavors', metadata,
    _id(),
    sa.Column('name', sa.String(255), nullable=False),
    sa.Column('memory_mb', sa.Integer, nullable=False),
    sa.Column('vcpus', sa.Integer, nullable=False),
    sa.Column('root_gb', sa.Integer),
    sa.Column('ephemeral_gb', sa.Integer),
    sa.Column('flavorid', sa.String(255), nullable=False),
    sa.Column('swap', sa.Integer, nullable=False, default=0),
    sa.Column('rxtx_factor', sa.Float, default=1),
    sa.Column('vcpu_weight', sa.Integer),
    sa.Column('disabled', sa.Boolean, default=False),
    sa.Column('is_public', sa.Boolean, default=True),
    sa.Column('description', sa.Text),
    *schema.timestamps(),
    sa.UniqueConstraint('flavorid', name='uniq_flavors0flavorid'),
    sa.UniqueConstraint('name', name='uniq_flavors0name'),
)

# Binary collation on MySQL: extra spec keys are case-sensitive, so
# "hw:CPU_policy" and "hw:cpu_policy" are two keys, as on other backends.
flavor_extra_specs = sa.Table(
    'flavor_extra_specs', metadata,
    _id(),
    sa.Column('key', sa.String(255), nullable=False),
    sa.Column('value', sa.String(255)),
    sa.Column('flavor_id', sa.Integer, sa.ForeignKey('flavors.id'),
              nullable=False),
    *schema.timestamps(),
    sa.UniqueConstraint('flavor_id', 'key',
                        name='uniq_flavor_extra_specs0flavor_id0key'),
    sa.Index('flavor_extra_specs_flavor_id_key_idx', 'flavor_id', 'key'),
    mysql_collate='utf8mb4_bin',
)

flavor_projects = sa.Table(
    'flavor_projects', metadata,
    _id(),
    sa.Column('flavor_id', sa.Integer, sa.ForeignKey('flavors.id'),
              nullable=False),
    sa.Column('project_id', sa.String(255), nullable=False),
    *schema.timestamps(),
    sa.UniqueConstraint('flavor_id', 'project_id',
                        name='uniq_flavor_projects0flavor_id0project_id'),
)

# -- quotas (limits only: usage is counted, never stored)

quotas = sa.Table(
    'quotas', metadata,
    _id(),
    sa.Column('project_id', sa.String(255)),
    sa.Column('resource', sa.String(255), nullable=False),
    sa.Column('hard_limit', sa.Integer),
    *schema.timestamps(),
    sa.UniqueConstraint('project_id', 'resource',
                        name='uniq_quotas0project_id0resource'),
)

project_user_quotas = sa.Table(
    'project_user_quotas', metadata,
    _id(),
    sa.Column('project_id', sa.String(255), nullable=False),
    sa.Column('user_id', sa.String(255), nullable=False),
    sa.Column('resource', sa.String(255), nullable=False),
    sa.Column('hard_limit', sa.Integer),
    *schema.timestamps(),
    sa.UniqueConstraint(
        'user_id', 'project_id', 'resource',
        name='uniq_project_user_quotas0user_id0project_id0resource'),
    sa.Index('project_user_quotas_project_id_idx', 'project_id'),
    sa.Index('project_user_quotas_user_id_idx', 'user_id'),
)

quota_classes = sa.Table(
    'quota_classes', metadata,
    _id(),
    sa.Column('class_name', sa.String(255)),
    sa.Column('resource', sa.String(255)),
    sa.Column('hard_limit', sa.Integer),
    *schema.timestamps(),
    sa.Index('quota_classes_class_name_idx', 'class_name'),
)

# -- keypairs, server groups, aggregates

key_pairs = sa.Table(
    'key_pairs', metadata,
    _id(),
    sa.Column('name', sa.String(255), nullable=False),
    sa.Column('user_id', sa.String(255), nullable=False),
    sa.Column('fingerprint', sa.String(255)),
    sa.Column('public_key', sa.Text),
    sa.Column('type', sa.Enum('ssh', 'x509', name='keypair_types'),
              nullable=False, server_default='ssh'),
    *schema.timestamps(),
    sa.UniqueConstraint('user_id', 'name', name='uniq_key_pairs0user_id0name'),
)

instance_groups = sa.Table(
    'instance_groups', metadata,
    _id(),
    sa.Column('user_id', sa.String(255)),
    sa.Column('project_id', sa.String(255)),
    sa.Column('uuid', sa.String(36), nullable=False),
    sa.Column('name', sa.String(255)),
    *schema.timestamps(),
    sa.UniqueConstraint('uuid', name='uniq_instance_groups0uuid'),
)

instance_group_policy = sa.Table(
    'instance_group_policy', metadata,
    _id(),
    sa.Column('policy', sa.String(255)),
    sa.Column('group_id', sa.Integer, sa.ForeignKey('instance_groups.id'),
              nullable=False),
    sa.Column('rules', sa.Text),
    *schema.timestamps(),
    sa.Index('instance_group_policy_policy_idx', 'policy'),
)

instance_group_member = sa.Table(
    'instance_group_member', metadata,
    _id(),
    sa.Column('instance_uuid', sa.String(255)),
    sa.Column('group_id', sa.Integer, sa.ForeignKey('instance_groups.id'),
              nullable=False),
    *schema.timestamps(),
    sa.Index('instance_group_member_instance_idx', 'instance_uuid'),
)

aggregates = sa.Table(
    'aggregates', metadata,
    _id(),
    sa.Column('uuid', sa.String(36)),
    sa.Column('name', sa.String(255)),
    *schema.timestamps(),
    sa.UniqueConstraint('name', name='uniq_aggregate0name'),
    sa.Index('aggregate_uuid_idx', 'uuid'),
)

aggregate_hosts = sa.Table(
    'aggregate_hosts', metadata,
    _id(),
    sa.Column('host', sa.String(255)),
    sa.Column('aggregate_id', sa.Integer, sa.ForeignKey('aggregates.id'),
              nullable=False),
    *schema.timestamps(),
    sa.UniqueConstraint('host', 'aggregate_id',
                        name='uniq_aggregate_hosts0host0aggregate_id'),
)

aggregate_metadata = sa.Table(
    'aggregate_metadata', metadata,
    _id(),
    sa.Column('aggregate_id', sa.Integer, sa.ForeignKey('aggregates.id'),
              nullable=False),
    sa.Column('key', sa.String(255), nullable=False),
    sa.Column('value', sa.String(255), nullable=False),
    *schema.timestamps(),
    sa.UniqueConstraint('aggregate_id', 'key',
                        name='uniq_aggregate_metadata0aggregate_id0key'),
    sa.Index('aggregate_metadata_key_idx', 'key'),
)
