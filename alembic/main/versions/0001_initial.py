"""The initial cell database schema.

Revision ID: 0001
Revises:
Create Date: 2026-11-25
"""

from alembic import op
import sqlalchemy as sa
from sqlalchemy.dialects import mysql
from sqlalchemy.dialects import postgresql

revision = '0001'
down_revision = None
branch_labels = None
depends_on = None

# Frozen copies of the helpers in nova.db.schema: this revision must keep
# creating the same schema whatever later becomes of those.
MEDIUMTEXT = sa.Text().with_variant(mysql.MEDIUMTEXT(), 'mysql')
IPADDRESS = sa.String(39).with_variant(postgresql.INET(), 'postgresql')
TABLE_OPTIONS = {'mysql_charset': 'utf8mb4'}


def _id():
    return sa.Column('id', sa.Integer, primary_key=True, autoincrement=True)


def _stamps():
    """Timestamps and the soft-delete pair."""
    return [sa.Column('created_at', sa.DateTime),
            sa.Column('updated_at', sa.DateTime),
            sa.Column('deleted_at', sa.DateTime),
            sa.Column('deleted', sa.Integer, server_default='0')]


def _instance_uuid(nullable=True):
    return sa.Column('instance_uuid', sa.String(36),
                     sa.ForeignKey('instances.uuid'), nullable=nullable)


def upgrade() -> None:
    _services_and_nodes()
    _instances()
    _instance_companions()
    _actions_and_faults()
    _devices_and_moves()


def _services_and_nodes() -> None:
    op.create_table(
        'services',
        _id(),
        sa.Column('uuid', sa.String(36), nullable=True),
        sa.Column('host', sa.String(255)),
        sa.Column('binary', sa.String(255)),
        sa.Column('topic', sa.String(255)),
        sa.Column('report_count', sa.Integer, nullable=False),
        sa.Column('disabled', sa.Boolean),
        sa.Column('disabled_reason', sa.String(255)),
        sa.Column('last_seen_up', sa.DateTime, nullable=True),
        sa.Column('forced_down', sa.Boolean),
        sa.Column('version', sa.Integer),
        *_stamps(),
        sa.UniqueConstraint('host', 'topic', 'deleted',
                            name='uniq_services0host0topic0deleted'),
        sa.UniqueConstraint('host', 'binary', 'deleted',
                            name='uniq_services0host0binary0deleted'),
        **TABLE_OPTIONS)
    op.create_index('services_uuid_idx', 'services', ['uuid'], unique=True)

    op.create_table(
        'compute_nodes',
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
        sa.Column('hypervisor_type', MEDIUMTEXT, nullable=False),
        sa.Column('hypervisor_version', sa.Integer, nullable=False),
        sa.Column('hypervisor_hostname', sa.String(255)),
        sa.Column('free_ram_mb', sa.Integer),
        sa.Column('free_disk_gb', sa.Integer),
        sa.Column('current_workload', sa.Integer),
        sa.Column('running_vms', sa.Integer),
        sa.Column('cpu_info', MEDIUMTEXT, nullable=False),
        sa.Column('disk_available_least', sa.Integer),
        sa.Column('host_ip', IPADDRESS),
        sa.Column('supported_instances', sa.Text),
        sa.Column('metrics', sa.Text),
        sa.Column('pci_stats', sa.Text),
        sa.Column('extra_resources', sa.Text),
        sa.Column('stats', sa.Text),
        sa.Column('numa_topology', sa.Text),
        sa.Column('ram_allocation_ratio', sa.Float, nullable=True),
        sa.Column('cpu_allocation_ratio', sa.Float, nullable=True),
        sa.Column('disk_allocation_ratio', sa.Float, nullable=True),
        sa.Column('mapped', sa.Integer, nullable=True),
        *_stamps(),
        sa.UniqueConstraint(
            'host', 'hypervisor_hostname', 'deleted',
            name='uniq_compute_nodes0host0hypervisor_hostname0deleted'),
        **TABLE_OPTIONS)
    op.create_index('compute_nodes_uuid_idx', 'compute_nodes', ['uuid'],
                    unique=True)


def _instances() -> None:
    op.create_table(
        'instances',
        _id(),
        sa.Column('user_id', sa.String(255)),
        sa.Column('project_id', sa.String(255)),
        sa.Column('image_ref', sa.String(255)),
        sa.Column('kernel_id', sa.String(255)),
        sa.Column('ramdisk_id', sa.String(255)),
        sa.Column('hostname', sa.String(255)),
        sa.Column('launch_index', sa.Integer),
        sa.Column('key_name', sa.String(255)),
        sa.Column('key_data', MEDIUMTEXT),
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
        sa.Column('user_data', MEDIUMTEXT),
        sa.Column('reservation_id', sa.String(255)),
        sa.Column('launched_at', sa.DateTime),
        sa.Column('terminated_at', sa.DateTime),
        sa.Column('availability_zone', sa.String(255)),
        sa.Column('display_name', sa.String(255)),
        sa.Column('display_description', sa.String(255)),
        sa.Column('launched_on', MEDIUMTEXT),
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
        sa.Column('access_ip_v4', IPADDRESS),
        sa.Column('access_ip_v6', IPADDRESS),
        sa.Column('auto_disk_config', sa.Boolean),
        sa.Column('progress', sa.Integer),
        sa.Column('shutdown_terminate', sa.Boolean),
        sa.Column('disable_terminate', sa.Boolean),
        sa.Column('cleaned', sa.Integer),
        sa.Column('hidden', sa.Boolean),
        *_stamps(),
        sa.UniqueConstraint('uuid', name='uniq_instances0uuid'),
        **TABLE_OPTIONS)
    for name, columns in (
            ('instances_project_id_deleted_created_at_uuid_idx',
             ['project_id', 'deleted', 'created_at', 'uuid']),
            ('instances_deleted_created_at_uuid_idx',
             ['deleted', 'created_at', 'uuid']),
            ('instances_updated_at_project_id_idx',
             ['updated_at', 'project_id']),
            ('instances_host_node_deleted_idx', ['host', 'node', 'deleted']),
            ('instances_host_deleted_cleaned_idx',
             ['host', 'deleted', 'cleaned']),
            ('instances_task_state_updated_at_idx',
             ['task_state', 'updated_at']),
            ('instances_terminated_at_launched_at_idx',
             ['terminated_at', 'launched_at']),
            ('instances_reservation_id_idx', ['reservation_id'])):
        op.create_index(name, 'instances', columns)

    op.create_table(
        'tags',
        sa.Column('resource_id', sa.String(36), primary_key=True,
                  nullable=False),
        sa.Column('tag', sa.Unicode(80), primary_key=True, nullable=False),
        **TABLE_OPTIONS)
    op.create_index('tags_tag_idx', 'tags', ['tag'])


def _instance_companions() -> None:
    op.create_table(
        'instance_extra',
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
        **TABLE_OPTIONS)
    op.create_index('instance_extra_idx', 'instance_extra',
                    ['instance_uuid'])

    op.create_table(
        'instance_metadata',
        _id(),
        sa.Column('key', sa.String(255)),
        sa.Column('value', sa.String(255)),
        _instance_uuid(),
        *_stamps(),
        **TABLE_OPTIONS)
    op.create_index('instance_metadata_instance_uuid_idx',
                    'instance_metadata', ['instance_uuid'])

    op.create_table(
        'instance_system_metadata',
        _id(),
        _instance_uuid(nullable=False),
        sa.Column('key', sa.String(255), nullable=False),
        sa.Column('value', sa.String(255)),
        *_stamps(),
        **TABLE_OPTIONS)
    op.create_index('instance_uuid', 'instance_system_metadata',
                    ['instance_uuid'])

    op.create_table(
        'instance_info_caches',
        _id(),
        sa.Column('network_info', MEDIUMTEXT),
        _instance_uuid(nullable=False),
        *_stamps(),
        sa.UniqueConstraint('instance_uuid',
                            name='uniq_instance_info_caches0instance_uuid'),
        **TABLE_OPTIONS)


def _actions_and_faults() -> None:
    op.create_table(
        'instance_faults',
        _id(),
        _instance_uuid(),
        sa.Column('code', sa.Integer, nullable=False),
        sa.Column('message', sa.String(255)),
        sa.Column('details', MEDIUMTEXT),
        sa.Column('host', sa.String(255)),
        *_stamps(),
        **TABLE_OPTIONS)
    op.create_index('instance_faults_host_idx', 'instance_faults', ['host'])
    op.create_index('instance_faults_instance_uuid_deleted_created_at_idx',
                    'instance_faults',
                    ['instance_uuid', 'deleted', 'created_at'])

    op.create_table(
        'instance_actions',
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
        **TABLE_OPTIONS)
    op.create_index('instance_actions_instance_uuid_updated_at_idx',
                    'instance_actions', ['instance_uuid', 'updated_at'])
    op.create_index('request_id_idx', 'instance_actions', ['request_id'])

    op.create_table(
        'instance_actions_events',
        _id(),
        sa.Column('event', sa.String(255)),
        sa.Column('action_id', sa.Integer,
                  sa.ForeignKey('instance_actions.id')),
        sa.Column('start_time', sa.DateTime),
        sa.Column('finish_time', sa.DateTime),
        sa.Column('result', sa.String(255)),
        sa.Column('traceback', sa.Text),
        sa.Column('host', sa.String(255)),
        sa.Column('details', sa.Text),
        *_stamps(),
        **TABLE_OPTIONS)
    op.create_index('instance_actions_events_action_id_idx',
                    'instance_actions_events', ['action_id'])


def _devices_and_moves() -> None:
    op.create_table(
        'block_device_mapping',
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
        sa.Column('delete_on_termination', sa.Boolean),
        sa.Column('snapshot_id', sa.String(36)),
        sa.Column('volume_id', sa.String(36)),
        sa.Column('volume_size', sa.Integer),
        sa.Column('volume_type', sa.String(255)),
        sa.Column('image_id', sa.String(36)),
        sa.Column('no_device', sa.Boolean),
        sa.Column('connection_info', MEDIUMTEXT),
        sa.Column('tag', sa.String(255)),
        sa.Column('attachment_id', sa.String(36)),
        *_stamps(),
        sa.UniqueConstraint('uuid', name='uniq_block_device_mapping0uuid'),
        **TABLE_OPTIONS)
    op.create_index('block_device_mapping_instance_uuid_device_name_idx',
                    'block_device_mapping', ['instance_uuid', 'device_name'])
    op.create_index('block_device_mapping_instance_uuid_volume_id_idx',
                    'block_device_mapping', ['instance_uuid', 'volume_id'])
    op.create_index('snapshot_id', 'block_device_mapping', ['snapshot_id'])
    op.create_index('volume_id', 'block_device_mapping', ['volume_id'])

    op.create_table(
        'migrations',
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
                  sa.Enum('migration', 'resize', 'live-migration',
                          'evacuation', name='migration_type'),
                  nullable=True),
        sa.Column('hidden', sa.Boolean),
        sa.Column('memory_total', sa.BigInteger, nullable=True),
        sa.Column('memory_processed', sa.BigInteger, nullable=True),
        sa.Column('memory_remaining', sa.BigInteger, nullable=True),
        sa.Column('disk_total', sa.BigInteger, nullable=True),
        sa.Column('disk_processed', sa.BigInteger, nullable=True),
        sa.Column('disk_remaining', sa.BigInteger, nullable=True),
        sa.Column('cross_cell_move', sa.Boolean),
        sa.Column('user_id', sa.String(255), nullable=True),
        sa.Column('project_id', sa.String(255), nullable=True),
        *_stamps(),
        **TABLE_OPTIONS)
    op.create_index('migrations_uuid', 'migrations', ['uuid'], unique=True)
    op.create_index('migrations_instance_uuid_and_status_idx', 'migrations',
                    ['deleted', 'instance_uuid', 'status'])
    op.create_index('migrations_source_compute_node_deleted_idx',
                    'migrations', ['source_compute', 'source_node', 'deleted'])
    op.create_index('migrations_dest_compute_node_deleted_idx', 'migrations',
                    ['dest_compute', 'dest_node', 'deleted'])
    op.create_index('migrations_updated_at_idx', 'migrations', ['updated_at'])
