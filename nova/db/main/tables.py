"""A cell's database schema (the "main" database) as SQLAlchemy Core tables.

Every cell, cell0 included, has one of these: its instances and everything
hanging off them, its services and compute nodes, its migrations. Table,
column and constraint names and types are upstream Nova's (less cells v1's
``instances.cell_name``: there is no cells v1 here); every table but
``tags`` and ``console_auth_tokens`` is soft-deleted (deleted /
deleted_at), as upstream's is.

Indexes follow the queries rather than history:

* server lists page through ``created_at`` with ``uuid`` as the tiebreak
  (ids are per cell, uuids are global, so a merge of several cells' sorted
  streams needs uuid order to be stable); the two listing indexes end in
  exactly those keys, for one project and for all projects;
* where upstream carried an index that is a leading prefix of another one
  here, or that repeats a unique constraint's (instances by project or by
  uuid, BDMs and actions by instance), only one is kept: it answers the same
  lookups for one write instead of two;
* migrations in progress on a host are found through the source side or the
  destination side, so each side has its own (host, node, deleted) index
  instead of one six-column key that only its first columns can use (and
  that would not fit MySQL's 3072-byte key limit in utf8mb4).

alembic/main creates exactly this; a functional test compares the two.
"""

import sqlalchemy as sa

from nova.db import schema

metadata = sa.MetaData()


def _id() -> sa.Column:
    return sa.Column('id', sa.Integer, primary_key=True, autoincrement=True)


def _stamps() -> list[sa.Column]:
    return schema.timestamps() + schema.soft_delete()


def _instance_uuid(nullable: bool = True) -> sa.Column:
    return sa.Column('instance_uuid', sa.String(36),
                     sa.ForeignKey('instances.uuid'), nullable=nullable)


# -- services and compute nodes

services = sa.Table(
    'services', metadata,
    _id(),
    sa.Column('uuid', sa.String(36), nullable=True),
    sa.Column('host', sa.String(255)),
    sa.Column('binary', sa.String(255)),
    sa.Column('topic', sa.String(255)),
    sa.Column('report_count', sa.Integer, nullable=False, default=0),
    sa.Column('disabled', sa.Boolean, default=False),
    sa.Column('disabled_reason', sa.String(255)),
    sa.Column('last_seen_up', sa.DateTime, nullable=True),
    sa.Column('forced_down', sa.Boolean, default=False),
    sa.Column('version', sa.Integer, default=0),
    *_stamps(),
    sa.UniqueConstraint('host', 'topic', 'deleted',
                        name='uniq_services0host0topic0deleted'),
    sa.UniqueConstraint('host', 'binary', 'deleted',
                        name='uniq_services0host0binary0deleted'),
    sa.Index('services_uuid_idx', 'uuid', unique=True),
)

compute_nodes = sa.Table(
    'compute_nodes', metadata,
    _id(),
    sa.Column('service_id', sa.Integer, nullable=True),
    sa.Column('host', sa.String(255), nullable=True),
    sa.Column('uuid', sa.String(36), nullable=True),
    sa.Column('vcpus', sa.Integer, nullable=False),
    sa.Column('memory_mb', sa.Integer, nullable=False),
    sa.Column('local_gb', sa.Integer, nullable=False),
    sa.Column('vcpus_used', sa.Integer, nullable=False),
    sa.Column('memory_mb_used', sa.Integer, nullable=False),
    sa.Column('local_gb_used', sa.Integer, nullable=False),
    sa.Column('hypervisor_type', schema.medium_text(), nullable=False),
    sa.Column('hypervisor_version', sa.Integer, nullable=False),
    sa.Column('hypervisor_hostname', sa.String(255)),
    sa.Column('free_ram_mb', sa.Integer),
    sa.Column('free_disk_gb', sa.Integer),
    sa.Column('current_workload', sa.Integer),
    sa.Column('running_vms', sa.Integer),
    sa.Column('cpu_info', schema.medium_text(), nullable=False),
    sa.Column('disk_available_least', sa.Integer),
    sa.Column('host_ip', schema.ip_address()),
    sa.Column('supported_instances', sa.Text),
    sa.Column('metrics', sa.Text),
    sa.Column('pci_stats', sa.Text),
    sa.Column('extra_resources', sa.Text),
    sa.Column('stats', sa.Text, default='{}'),
    sa.Column('numa_topology', sa.Text),
    sa.Column('ram_allocation_ratio', sa.Float, nullable=True),
    sa.Column('cpu_allocation_ratio', sa.Float, nullable=True),
    sa.Column('disk_allocation_ratio', sa.Float, nullable=True),
    # 1 once nova-manage cell_v2 discover_hosts has made a host mapping.
    sa.Column('mapped', sa.Integer, nullable=True, default=0),
    *_stamps(),
    sa.UniqueConstraint(
        'host', 'hypervisor_hostname', 'deleted',
        name='uniq_compute_nodes0host0hypervisor_hostname0deleted'),
    sa.Index('compute_nodes_uuid_idx', 'uuid', unique=True),
)

# -- instances

instances = sa.Table(
    'instances', metadata,
    _id(),
    sa.Column('user_id', sa.String(255)),
    sa.Column('project_id', sa.String(255)),
    sa.Column('image_ref', sa.String(255)),
    sa.Column('kernel_id', sa.String(255)),
    sa.Column('ramdisk_id', sa.String(255)),
    sa.Column('hostname', sa.String(255)),
    sa.Column('launch_index', sa.Integer),
    sa.Column('key_name', sa.String(255)),
    sa.Column('key_data', schema.medium_text()),
    sa.Column('power_state', sa.Integer),
    sa.Column('vm_state', sa.String(255)),
    sa.Column('task_state', sa.String(255)),
    sa.Column('memory_mb', sa.Integer),
    sa.Column('vcpus', sa.Integer),
    sa.Column('root_gb', sa.Integer),
    sa.Column('ephemeral_gb', sa.Integer),
    sa.Column('ephemeral_key_uuid', sa.String(36)),
    sa.Column('host', sa.String(255)),
    sa.Column('node', sa.String(255)),
    sa.Column('instance_type_id', sa.Integer),
    sa.Column('user_data', schema.medium_text()),
    sa.Column('reservation_id', sa.String(255)),
    sa.Column('launched_at', sa.DateTime),
    sa.Column('terminated_at', sa.DateTime),
    sa.Column('availability_zone', sa.String(255)),
    sa.Column('display_name', sa.String(255)),
    sa.Column('display_description', sa.String(255)),
    sa.Column('launched_on', schema.medium_text()),
    sa.Column('locked', sa.Boolean),
    sa.Column('locked_by',
              sa.Enum('owner', 'admin', name='instances0locked_by')),
    sa.Column('os_type', sa.String(255)),
    sa.Column('architecture', sa.String(255)),
    sa.Column('vm_mode', sa.String(255)),
    sa.Column('uuid', sa.String(36), nullable=False),
    sa.Column('root_device_name', sa.String(255)),
    sa.Column('default_ephemeral_device', sa.String(255)),
    sa.Column('default_swap_device', sa.String(255)),
    sa.Column('config_drive', sa.String(255)),
    sa.Column('access_ip_v4', schema.ip_address()),
    sa.Column('access_ip_v6', schema.ip_address()),
    sa.Column('auto_disk_config', sa.Boolean),
    sa.Column('progress', sa.Integer),
    sa.Column('shutdown_terminate', sa.Boolean, default=False),
    sa.Column('disable_terminate', sa.Boolean, default=False),
    # 1 once the compute host has removed the deleted instance's files.
    sa.Column('cleaned', sa.Integer, default=0),
    sa.Column('hidden', sa.Boolean, default=False),
    *_stamps(),
    sa.UniqueConstraint('uuid', name='uniq_instances0uuid'),
    sa.Index('instances_project_id_deleted_created_at_uuid_idx',
             'project_id', 'deleted', 'created_at', 'uuid'),
    sa.Index('instances_deleted_created_at_uuid_idx',
             'deleted', 'created_at', 'uuid'),
    sa.Index('instances_updated_at_project_id_idx',
             'updated_at', 'project_id'),
    sa.Index('instances_host_node_deleted_idx', 'host', 'node', 'deleted'),
    sa.Index('instances_host_deleted_cleaned_idx',
             'host', 'deleted', 'cleaned'),
    sa.Index('instances_task_state_updated_at_idx',
             'task_state', 'updated_at'),
    sa.Index('instances_terminated_at_launched_at_idx',
             'terminated_at', 'launched_at'),
    sa.Index('instances_reservation_id_idx', 'reservation_id'),
)

# The instance's serialized companions (flavor, NUMA topology, PCI
# requests, ...), kept apart so that listing instances does not drag them.
instance_extra = sa.Table(
    'instance_extra', metadata,
    _id(),
    _instance_uuid(nullable=False),
    sa.Column('device_metadata', sa.Text),
    sa.Column('numa_topology', sa.Text),
    sa.Column('pci_requests', sa.Text),
    sa.Column('flavor', sa.Text),
    sa.Column('vcpu_model', sa.Text),
    sa.Column('migration_context', sa.Text),
    sa.Column('keypairs', sa.Text),
    sa.Column('trusted_certs', sa.Text),
    sa.Column('resources', sa.Text),
    *_stamps(),
    sa.Index('instance_extra_idx', 'instance_uuid'),
)

instance_metadata = sa.Table(
    'instance_metadata', metadata,
    _id(),
    sa.Column('key', sa.String(255)),
    sa.Column('value', sa.String(255)),
    _instance_uuid(),
    *_stamps(),
    sa.Index('instance_metadata_instance_uuid_idx', 'instance_uuid'),
)

instance_system_metadata = sa.Table(
    'instance_system_metadata', metadata,
    _id(),
    _instance_uuid(nullable=False),
    sa.Column('key', sa.String(255), nullable=False),
    sa.Column('value', sa.String(255)),
    *_stamps(),
    sa.Index('instance_uuid', 'instance_uuid'),
)

instance_info_caches = sa.Table(
    'instance_info_caches', metadata,
    _id(),
    sa.Column('network_info', schema.medium_text()),
    _instance_uuid(nullable=False),
    *_stamps(),
    sa.UniqueConstraint('instance_uuid',
                        name='uniq_instance_info_caches0instance_uuid'),
)

instance_faults = sa.Table(
    'instance_faults', metadata,
    _id(),
    _instance_uuid(),
    sa.Column('code', sa.Integer, nullable=False),
    sa.Column('message', sa.String(255)),
    sa.Column('details', schema.medium_text()),
    sa.Column('host', sa.String(255)),
    *_stamps(),
    sa.Index('instance_faults_host_idx', 'host'),
    sa.Index('instance_faults_instance_uuid_deleted_created_at_idx',
             'instance_uuid', 'deleted', 'created_at'),
)

# One row per user request on an instance (GET .../os-instance-actions),
# found by instance (newest first, or changed since) or by request id.
instance_actions = sa.Table(
    'instance_actions', metadata,
    _id(),
    sa.Column('action', sa.String(255)),
    _instance_uuid(),
    sa.Column('request_id', sa.String(255)),
    sa.Column('user_id', sa.String(255)),
    sa.Column('project_id', sa.String(255)),
    sa.Column('start_time', sa.DateTime),
    sa.Column('finish_time', sa.DateTime),
    sa.Column('message', sa.String(255)),
    *_stamps(),
    sa.Index('instance_actions_instance_uuid_updated_at_idx',
             'instance_uuid', 'updated_at'),
    sa.Index('request_id_idx', 'request_id'),
)

instance_actions_events = sa.Table(
    'instance_actions_events', metadata,
    _id(),
    sa.Column('event', sa.String(255)),
    sa.Column('action_id', sa.Integer, sa.ForeignKey('instance_actions.id')),
    sa.Column('start_time', sa.DateTime),
    sa.Column('finish_time', sa.DateTime),
    sa.Column('result', sa.String(255)),
    sa.Column('traceback', sa.Text),
    sa.Column('host', sa.String(255)),
    sa.Column('details', sa.Text),
    *_stamps(),
    sa.Index('instance_actions_events_action_id_idx', 'action_id'),
)

block_device_mapping = sa.Table(
    'block_device_mapping', metadata,
    _id(),
    _instance_uuid(),
    sa.Column('uuid', sa.String(36)),
    sa.Column('source_type', sa.String(255)),
    sa.Column('destination_type', sa.String(255)),
    sa.Column('guest_format', sa.String(255)),
    sa.Column('device_type', sa.String(255)),
    sa.Column('disk_bus', sa.String(255)),
    sa.Column('boot_index', sa.Integer),
    sa.Column('device_name', sa.String(255)),
    sa.Column('delete_on_termination', sa.Boolean, default=False),
    sa.Column('snapshot_id', sa.String(36)),
    sa.Column('volume_id', sa.String(36)),
    sa.Column('volume_size', sa.Integer),
    sa.Column('volume_type', sa.String(255)),
    sa.Column('image_id', sa.String(36)),
    sa.Column('no_device', sa.Boolean),
    sa.Column('connection_info', schema.medium_text()),
    sa.Column('tag', sa.String(255)),
    sa.Column('attachment_id', sa.String(36)),
    *_stamps(),
    sa.UniqueConstraint('uuid', name='uniq_block_device_mapping0uuid'),
    sa.Index('block_device_mapping_instance_uuid_device_name_idx',
             'instance_uuid', 'device_name'),
    sa.Index('block_device_mapping_instance_uuid_volume_id_idx',
             'instance_uuid', 'volume_id'),
    sa.Index('snapshot_id', 'snapshot_id'),
    sa.Index('volume_id', 'volume_id'),
)

#: The values of migrations.migration_type.
MIGRATION_TYPES = ('migration', 'resize', 'live-migration', 'evacuation')

migrations = sa.Table(
    'migrations', metadata,
    _id(),
    sa.Column('source_compute', sa.String(255)),
    sa.Column('dest_compute', sa.String(255)),
    sa.Column('source_node', sa.String(255)),
    sa.Column('dest_node', sa.String(255)),
    sa.Column('dest_host', sa.String(255)),
    sa.Column('old_instance_type_id', sa.Integer),
    sa.Column('new_instance_type_id', sa.Integer),
    _instance_uuid(),
    sa.Column('uuid', sa.String(36), nullable=True),
    sa.Column('status', sa.String(255)),
    sa.Column('migration_type',
              sa.Enum(*MIGRATION_TYPES, name='migration_type'),
              nullable=True),
    sa.Column('hidden', sa.Boolean, default=False),
    sa.Column('memory_total', sa.BigInteger, nullable=True),
    sa.Column('memory_processed', sa.BigInteger, nullable=True),
    sa.Column('memory_remaining', sa.BigInteger, nullable=True),
    sa.Column('disk_total', sa.BigInteger, nullable=True),
    sa.Column('disk_processed', sa.BigInteger, nullable=True),
    sa.Column('disk_remaining', sa.BigInteger, nullable=True),
    sa.Column('cross_cell_move', sa.Boolean, default=False),
    sa.Column('user_id', sa.String(255), nullable=True),
    sa.Column('project_id', sa.String(255), nullable=True),
    *_stamps(),
    sa.Index('migrations_uuid', 'uuid', unique=True),
    sa.Index('migrations_instance_uuid_and_status_idx',
             'deleted', 'instance_uuid', 'status'),
    sa.Index('migrations_source_compute_node_deleted_idx',
             'source_compute', 'source_node', 'deleted'),
    sa.Index('migrations_dest_compute_node_deleted_idx',
             'dest_compute', 'dest_node', 'deleted'),
    sa.Index('migrations_updated_at_idx', 'updated_at'),
)

# Server tags. No timestamps, no soft delete: a tag is there or it is not.
tags = sa.Table(
    'tags', metadata,
    sa.Column('resource_id', sa.String(36), primary_key=True, nullable=False),
    sa.Column('tag', sa.Unicode(80), primary_key=True, nullable=False),
    sa.Index('tags_tag_idx', 'tag'),
)

# One row per run of a periodic task on a host for a period (the compute's
# instance usage audit), read back by period (os-instance_usage_audit_log).
task_log = sa.Table(
    'task_log', metadata,
    _id(),
    sa.Column('task_name', sa.String(255), nullable=False),
    sa.Column('state', sa.String(255), nullable=False),
    sa.Column('host', sa.String(255), nullable=False),
    sa.Column('period_beginning', sa.DateTime, nullable=False),
    sa.Column('period_ending', sa.DateTime, nullable=False),
    sa.Column('message', sa.String(255), nullable=False),
    sa.Column('task_items', sa.Integer, default=0),
    sa.Column('errors', sa.Integer, default=0),
    *_stamps(),
    sa.UniqueConstraint(
        'task_name', 'host', 'period_beginning', 'period_ending',
        name='uniq_task_log0task_name0host0period_beginning0period_ending'),
    sa.Index('ix_task_log_period_beginning', 'period_beginning'),
    sa.Index('ix_task_log_period_ending', 'period_ending'),
)

# Console tokens a compute handed out: only the token's hash is kept. No
# soft delete, as upstream: an expired token, or one of a deleted
# instance, is deleted outright.
console_auth_tokens = sa.Table(
    'console_auth_tokens', metadata,
    _id(),
    sa.Column('token_hash', sa.String(255), nullable=False),
    sa.Column('console_type', sa.String(255), nullable=False),
    sa.Column('host', sa.String(255), nullable=False),
    sa.Column('port', sa.Integer, nullable=False),
    sa.Column('internal_access_path', sa.String(255)),
    sa.Column('access_url_base', sa.String(255)),
    _instance_uuid(nullable=False),
    sa.Column('expires', sa.Integer, nullable=False),
    *schema.timestamps(),
    sa.UniqueConstraint('token_hash',
                        name='uniq_console_auth_tokens0token_hash'),
    sa.Index('console_auth_tokens_instance_uuid_idx', 'instance_uuid'),
    sa.Index('console_auth_tokens_host_expires_idx', 'host', 'expires'),
)

#: The tables that keep deleted rows (deleted, deleted_at).
SOFT_DELETED = tuple(t.name for t in metadata.sorted_tables
                     if 'deleted' in t.c)

# -- shadow tables: where nova-manage db archive_deleted_rows moves deleted
# rows (and db purge removes them from). One per soft-deleting table, with
# the same columns but no foreign keys, unique constraints or indexes, so
# that rows archived at different times never conflict with each other.

SHADOW_PREFIX = 'shadow_'


def _server_default(column: sa.Column) -> (
        str | sa.TextClause | sa.ColumnElement | None):
    """What `column` was given as server_default, to give the copy."""
    default = column.server_default
    if default is None:
        return None
    # Column() wraps the string or SQL expression it is given in a
    # DefaultClause, whose arg SQLAlchemy types as any ClauseElement.
    assert isinstance(default, sa.DefaultClause) and isinstance(
        default.arg, (str, sa.TextClause, sa.ColumnElement))
    return default.arg


def _shadow(table: sa.Table) -> sa.Table:
    # The id is copied from the live row, never generated here.
    return sa.Table(
        SHADOW_PREFIX + table.name, metadata,
        *[sa.Column(c.name, c.type.copy(), primary_key=c.primary_key,
                    nullable=c.nullable, autoincrement=False,
                    server_default=_server_default(c))
          for c in table.c])


#: Live table name -> its shadow table.
SHADOWS = {name: _shadow(metadata.tables[name]) for name in SOFT_DELETED}
