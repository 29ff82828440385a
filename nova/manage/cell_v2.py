"""nova-manage cell_v2 ...: cells, host mappings and instance mappings.

Commands, options, messages and exit codes are upstream Nova's (Queens):
deployment tools script against them. Results go to stdout; a failure's
reason goes to stderr with the command's documented exit code.
"""

import argparse

from oslo_db import exception as db_exc
from oslo_log import log as logging
from oslo_utils import uuidutils
import prettytable
import sqlalchemy as sa

from nova.conf import CONF
from nova import context as nova_context
from nova.db.api import cell_mappings
from nova.db.api import host_mappings
from nova.db.api import instance_mappings
from nova.db import engines
from nova.db.main import compute_nodes
from nova.db.main import instances
from nova.db import migration
from nova import exception
from nova import host_discovery
from nova import manage
from nova.manage import api_db
from nova.objects import cell_mapping
from nova.objects.cell_mapping import CELL0_UUID
from nova.objects.cell_mapping import CellMapping
from servicekit import urls

LOG = logging.getLogger(__name__)

CATEGORY = 'cell_v2'

# map_instances keeps its place between runs in an instance mapping of
# this pseudo-project, whose instance_uuid is the last instance mapped
# with '-' turned into ' ' (the real uuid has its own mapping).
MARKER_PROJECT_ID = 'INSTANCE_MIGRATION_MARKER'
MAP_INSTANCES_BATCH = 50


# -- helpers

def _admin_context() -> nova_context.RequestContext:
    """An admin context, with the API database configured."""
    engines.configure(api_connection=api_db.api_connection())
    return nova_context.get_admin_context()


def _get_cell(ctx: nova_context.RequestContext, uuid: str) -> CellMapping:
    try:
        with engines.api_reader(ctx) as conn:
            return cell_mappings.get(conn, uuid)
    except exception.CellMappingNotFound:
        raise manage.CommandError('Cell with uuid %s was not found.' % uuid,
                                  1)


def _transport_url(given: str | None) -> str:
    """The transport URL to use: given, or this host's; checked."""
    url = given
    if not url:
        url = cell_mapping.local_transport_url()
        if not url:
            raise manage.CommandError(
                'Must specify --transport-url if [DEFAULT]/transport_url '
                'is not set in the configuration file.', 1)
        print('--transport-url not provided in the command line, using the '
              'value [DEFAULT]/transport_url from the configuration file')
    _check_transport_url(url, 1)
    return url


def _check_transport_url(url: str, code: int) -> None:
    import oslo_messaging
    try:
        oslo_messaging.TransportURL.parse(
            CONF, cell_mapping.format_mq_url(url))
    except (oslo_messaging.InvalidTransportURL, ValueError) as exc:
        raise manage.CommandError('Invalid transport URL: %s' % exc, code)


def _check_database_connection(url: str, code: int) -> None:
    try:
        sa.engine.make_url(cell_mapping.format_db_url(url))
    except sa.exc.ArgumentError as exc:
        raise manage.CommandError('Invalid database connection: %s' % exc,
                                  code)


def _database_connection(given: str | None) -> str:
    url = given or CONF.database.connection
    if not url:
        raise manage.CommandError(
            'Must specify --database_connection if [database]/connection '
            'is not set in the configuration file.', 1)
    _check_database_connection(url, 1)
    return url


def _refuse_same_cell(ctx: nova_context.RequestContext,
                      transport_url: str | None,
                      database_connection: str | None, code: int,
                      exclude: str | None = None) -> None:
    """Fail with `code` if another cell already uses this message queue
    or database (compared expanded, as mappings are loaded expanded)."""
    transport_url = cell_mapping.format_mq_url(transport_url)
    database_connection = cell_mapping.format_db_url(database_connection)
    with engines.api_reader(ctx) as conn:
        cells = cell_mappings.list_all(conn)
    for cell in cells:
        if cell.uuid == exclude:
            continue
        if ((database_connection
             and cell.database_connection == database_connection)
                or (transport_url and cell.transport_url == transport_url)):
            raise manage.CommandError(
                'The specified transport_url and/or database_connection '
                'combination already exists for another cell with uuid %s.'
                % cell.uuid, code)


def _cell0_default_connection() -> str:
    """[database] connection with the database name suffixed _cell0."""
    url = sa.engine.make_url(manage.configured(
        CONF.database.connection,
        'Must specify --database_connection if [database]/connection '
        'is not set in the configuration file.'))
    if not url.database:
        raise manage.CommandError(
            'Cannot derive the cell0 database from [database]/connection, '
            'which names no database: use --database_connection.', 1)
    return url.set(database=url.database + '_cell0').render_as_string(
        hide_password=False)


def _map_cell0(ctx: nova_context.RequestContext,
               database_connection: str | None) -> CellMapping:
    """Create cell0's mapping, or return the existing one."""
    url = database_connection or _cell0_default_connection()
    _check_database_connection(url, 1)
    with engines.api_writer(ctx) as conn:
        try:
            existing = cell_mappings.get(conn, CELL0_UUID)
        except exception.CellMappingNotFound:
            existing = None
        if existing is None:
            try:
                return cell_mappings.create(conn, CellMapping(
                    uuid=CELL0_UUID, name='cell0',
                    # cell0 has no message queue: nothing runs there.
                    transport_url='none:///', database_connection=url))
            except db_exc.DBDuplicateEntry:
                pass
    print('Cell0 is already setup')
    with engines.api_reader(ctx) as conn:
        return cell_mappings.get(conn, CELL0_UUID)


def _table(field_names: list[str], rows: list[list]) -> str:
    table = prettytable.PrettyTable(field_names)
    for row in rows:
        table.add_row(row)
    return table.get_string()


# -- commands

def simple_cell_setup(args: argparse.Namespace) -> int:
    """Returns 0 when set up (or already), 1 when no hosts to map."""
    transport_url = _transport_url(args.mq_url)
    ctx = _admin_context()
    cell0 = _map_cell0(ctx, None)
    try:
        # ValueError (reported below) if the mapping has no database.
        migration.upgrade(engines.cell_url(cell0), 'main')
    except Exception as exc:
        print('Unable to sync cell0 schema: %s' % exc)
    cell_uuid = _map_cell_and_hosts(ctx, transport_url)
    if cell_uuid is None:
        return 1
    _map_instances(ctx, _get_cell(ctx, cell_uuid), MAP_INSTANCES_BATCH,
                   map_all=True, reset=False)
    return 0


def map_cell0(args: argparse.Namespace) -> int:
    _map_cell0(_admin_context(), args.db_connection)
    return 0


def _map_cell_and_hosts(ctx: nova_context.RequestContext, transport_url: str,
                        name: str | None = None,
                        verbose: bool = False) -> str | None:
    """Map this host's own cell ([database] connection) and its compute
    hosts; the cell's uuid, or None when it has no compute hosts."""
    local = CONF.database.connection
    if not local:
        raise manage.CommandError(
            'The cell database is not configured: set [database] '
            'connection in the configuration file.', 1)
    with engines.cell_reader(local, ctx) as conn:
        hosts = sorted({n.host for n in compute_nodes.list_all(conn)})
    if not hosts:
        print('No hosts found to map to cell, exiting.')
        return None
    cell_uuid = None
    missing = []
    with engines.api_reader(ctx) as conn:
        for host in hosts:
            try:
                mapping = host_mappings.get_by_host(conn, host)
            except exception.HostMappingNotFound:
                missing.append(host)
                continue
            if verbose:
                print('Host %s is already mapped to cell %s'
                      % (host, mapping.cell.uuid))
            cell_uuid = mapping.cell.uuid
    if not missing:
        print('All hosts are already mapped to cell(s), exiting.')
        return cell_uuid
    with engines.api_writer(ctx) as conn:
        if cell_uuid is None:
            cell = cell_mappings.create(conn, CellMapping(
                uuid=uuidutils.generate_uuid(), name=name,
                transport_url=transport_url, database_connection=local))
        else:
            cell = cell_mappings.get(conn, cell_uuid)
        assert cell.id is not None  # stored, or read from the database
        for host in missing:
            host_mappings.create(conn, host, cell.id)
    if verbose:
        print(cell.uuid)
    return cell.uuid


def map_cell_and_hosts(args: argparse.Namespace) -> int:
    transport_url = _transport_url(args.mq_url)
    _map_cell_and_hosts(_admin_context(), transport_url, args.cell_name,
                        args.verbose)
    return 0


def _map_instances(ctx: nova_context.RequestContext, cell: CellMapping,
                   batch: int, map_all: bool, reset: bool) -> bool:
    """Map the cell's instances a batch at a time, from where the last run
    stopped; True when some remain unmapped."""
    assert cell.id is not None  # read from the database
    with engines.api_writer(ctx) as conn:
        markers = instance_mappings.list_by_project_id(conn,
                                                       MARKER_PROJECT_ID)
        marker = None
        for old in markers:
            if not reset:
                marker = old.instance_uuid.replace(' ', '-')
            instance_mappings.delete(conn, old.instance_uuid)
    mapped = 0
    while True:
        with engines.cell_reader(cell, ctx) as conn:
            # One more than a batch tells whether another batch follows.
            page = instances.page_all(conn, batch + 1, marker)
        more = len(page) > batch
        page = page[:batch]
        with engines.api_writer(ctx) as conn:
            mapped += instance_mappings.create_missing(
                conn, cell.id,
                [(i.uuid, i.project_id or '', i.user_id) for i in page])
        if page:
            marker = page[-1].uuid
        if not more or not map_all:
            break
    if more:
        assert marker is not None  # the last uuid of a full page
        with engines.api_writer(ctx) as conn:
            instance_mappings.create(conn, marker.replace('-', ' '),
                                     MARKER_PROJECT_ID)
    print('%d instance mappings created in cell %s.' % (mapped, cell.uuid))
    if more:
        print('More instances remain: run map_instances again.')
    return more


def map_instances(args: argparse.Namespace) -> int:
    """0 when every instance of the cell is mapped, 1 when more remain."""
    batch = manage.max_count(args.max_count, 'max-count')
    if batch is None:
        batch = MAP_INSTANCES_BATCH
    ctx = _admin_context()
    cell = _get_cell(ctx, args.cell_uuid)
    more = _map_instances(ctx, cell, batch,
                          map_all=args.max_count is None, reset=args.reset)
    return 1 if more else 0


def verify_instance(args: argparse.Namespace) -> int:
    """0 mapped to a cell, 1 no mapping, 2 mapping without a cell,
    3 instance deleted, 4 instance archived (mapping left behind)."""
    def say(message: str) -> None:
        if not args.quiet:
            print(message)

    ctx = _admin_context()
    uuid = args.uuid
    try:
        with engines.api_reader(ctx) as conn:
            mapping = instance_mappings.get_by_instance_uuid(conn, uuid)
    except exception.InstanceMappingNotFound:
        say('Instance %s is not mapped to a cell (upgrade is incomplete) '
            'or instance does not exist' % uuid)
        return 1
    if mapping.cell is None:
        say('Instance %s is not mapped to a cell' % uuid)
        return 2
    with engines.cell_reader(mapping.cell, ctx) as conn:
        state = instances.state(conn, uuid)
    if state == 'deleted':
        say('The instance with uuid %s has been deleted.' % uuid)
        say('Execute `nova-manage db archive_deleted_rows` command to '
            'archive this deleted instance and remove its instance_mapping.')
        return 3
    if state is None:
        say('The instance with uuid %s has been archived.' % uuid)
        say('However its instance_mapping remains.')
        return 4
    say('Instance %s is in cell: %s (%s)'
        % (uuid, mapping.cell.name, mapping.cell.uuid))
    return 0


def discover_hosts(args: argparse.Namespace) -> int:
    """With --strict, 0 only when some host was newly mapped."""
    def status(message: str) -> None:
        if args.verbose:
            print(message)

    ctx = _admin_context()
    if args.cell_uuid:
        _get_cell(ctx, args.cell_uuid)
    try:
        hosts = host_discovery.discover_hosts(ctx, args.cell_uuid, status,
                                              args.by_service)
    except exception.HostMappingExists as exc:
        raise manage.CommandError(
            'ERROR: Duplicate host mapping was encountered. This command '
            'should be run once after all compute hosts have been deployed '
            'and should not be run in parallel. When run in parallel, the '
            'commands will collide with each other trying to map the same '
            'hosts in the database at the same time. Error: %s' % exc, 2)
    if args.strict:
        return int(not hosts)
    return 0


def create_cell(args: argparse.Namespace) -> int:
    """0 created, 1 a URL missing or invalid, 2 another cell already uses
    the transport URL or database connection."""
    transport_url = _transport_url(args.mq_url)
    database_connection = _database_connection(args.db_connection)
    ctx = _admin_context()
    _refuse_same_cell(ctx, transport_url, database_connection, 2)
    with engines.api_writer(ctx) as conn:
        cell = cell_mappings.create(conn, CellMapping(
            uuid=uuidutils.generate_uuid(), name=args.cell_name,
            transport_url=transport_url,
            database_connection=database_connection,
            disabled=args.disabled))
    LOG.info('Created cell %s (%s)', cell.name, cell.uuid)
    if args.verbose:
        print(cell.uuid)
    return 0


def list_cells(args: argparse.Namespace) -> int:
    ctx = _admin_context()
    with engines.api_reader(ctx) as conn:
        cells = cell_mappings.list_all(conn)
    show = (lambda url: url) if args.verbose else urls.mask_password
    rows = [[c.name or '', c.uuid, show(c.transport_url),
             show(c.database_connection), c.disabled]
            for c in sorted(cells, key=lambda c: (c.name or '', c.uuid))]
    print(_table(['Name', 'UUID', 'Transport URL', 'Database Connection',
                  'Disabled'], rows))
    return 0


def delete_cell(args: argparse.Namespace) -> int:
    """0 deleted; 1 not found; 2 has hosts (without --force); 3 has live
    instances; 4 has instance mappings of deleted instances only (without
    --force)."""
    ctx = _admin_context()
    cell = _get_cell(ctx, args.cell_uuid)
    assert cell.id is not None  # read from the database
    with engines.api_reader(ctx) as conn:
        hosts = host_mappings.list_all(conn, cell.uuid)
        mapped_instances = instance_mappings.count_in_cell(conn, cell.id)
    if hosts and not args.force:
        raise manage.CommandError(
            'There are existing hosts mapped to cell with uuid %s.'
            % cell.uuid, 2)
    if mapped_instances:
        with engines.cell_reader(cell, ctx) as conn:
            live = instances.count_live(conn)
        if live:
            raise manage.CommandError(
                'There are existing instances mapped to cell with uuid %s.'
                % cell.uuid, 3)
        if not args.force:
            raise manage.CommandError(
                'There are instance mappings to cell with uuid %s, but all '
                'instances have been deleted in the cell.\nSo execute '
                "'nova-manage db archive_deleted_rows' to delete the "
                'instance mappings.' % cell.uuid, 4)
    if hosts:
        # Unmark the nodes so that discover_hosts finds them again if the
        # cell comes back.
        with engines.cell_writer(cell, ctx) as conn:
            # (All of them: every node read from the database has an id.)
            compute_nodes.mark_mapped(
                conn, [n.id for n in compute_nodes.list_all(conn)
                       if n.id is not None], mapped=False)
    with engines.api_writer(ctx) as conn:
        instance_mappings.delete_in_cell(conn, cell.id)
        for host in hosts:
            host_mappings.delete(conn, host.host)
        cell_mappings.delete(conn, cell.uuid)
    LOG.info('Deleted cell %s (%s)', cell.name, cell.uuid)
    return 0


def update_cell(args: argparse.Namespace) -> int:
    """0 updated; 1 not found; 2 update failed (e.g. a bad URL); 3 another
    cell uses the URL; 4 --disable with --enable; 5 cell0 enable/disable."""
    ctx = _admin_context()
    cell = _get_cell(ctx, args.cell_uuid)
    values: dict = {}
    if args.cell_name:
        values['name'] = args.cell_name
    if args.mq_url:
        _check_transport_url(args.mq_url, 2)
        values['transport_url'] = args.mq_url
    if args.db_connection:
        _check_database_connection(args.db_connection, 2)
        values['database_connection'] = args.db_connection
    if 'transport_url' in values or 'database_connection' in values:
        _refuse_same_cell(ctx, values.get('transport_url'),
                          values.get('database_connection'), 3,
                          exclude=cell.uuid)
    if args.disable and args.enable:
        raise manage.CommandError(
            'Cell cannot be disabled and enabled at the same time.', 4)
    if args.disable or args.enable:
        if cell.is_cell0:
            raise manage.CommandError('Cell0 cannot be disabled.', 5)
        if args.disable == cell.disabled:
            print('Cell %s is already %s'
                  % (cell.uuid, 'disabled' if cell.disabled else 'enabled'))
        else:
            values['disabled'] = args.disable
    try:
        with engines.api_writer(ctx) as conn:
            cell_mappings.update(conn, cell.uuid, **values)
    except db_exc.DBError as exc:
        raise manage.CommandError('Unable to update CellMapping: %s' % exc, 2)
    return 0


def list_hosts(args: argparse.Namespace) -> int:
    ctx = _admin_context()
    if args.cell_uuid:
        _get_cell(ctx, args.cell_uuid)
    with engines.api_reader(ctx) as conn:
        hosts = host_mappings.list_all(conn, args.cell_uuid)
    rows = [[h.cell.name, h.cell.uuid, h.host]
            for h in sorted(hosts, key=lambda h: h.host)]
    print(_table(['Cell Name', 'Cell UUID', 'Hostname'], rows))
    return 0


def delete_host(args: argparse.Namespace) -> int:
    """0 deleted; 1 cell not found; 2 host not found; 3 host in another
    cell; 4 host has instances."""
    ctx = _admin_context()
    cell = _get_cell(ctx, args.cell_uuid)
    try:
        with engines.api_reader(ctx) as conn:
            mapping = host_mappings.get_by_host(conn, args.hostname)
    except exception.HostMappingNotFound:
        raise manage.CommandError(
            'The host %s was not found.' % args.hostname, 2)
    if mapping.cell.uuid != cell.uuid:
        raise manage.CommandError(
            'The host %s was not found in the cell %s.'
            % (args.hostname, cell.uuid), 3)
    with engines.cell_writer(cell, ctx) as conn:
        if instances.count_live(conn, host=args.hostname):
            raise manage.CommandError(
                'There are instances on the host %s.' % args.hostname, 4)
        compute_nodes.mark_mapped(
            conn, [n.id for n in compute_nodes.list_all(conn)
                   if n.host == args.hostname and n.id is not None],
            mapped=False)
    with engines.api_writer(ctx) as conn:
        host_mappings.delete(conn, args.hostname)
    LOG.info('Deleted the mapping of host %s', args.hostname)
    return 0


# -- command line

# Option dests must differ from the dispatcher's `name` and `action` and
# from every registered option (transport_url, host, ...): oslo.config
# refuses to read such an attribute of CONF.category.
def _action(subparsers, name: str, func, help: str) -> argparse.ArgumentParser:
    parser = subparsers.add_parser(name, help=help, description=help)
    parser.set_defaults(func=func)
    return parser


def _cell_uuid(parser: argparse.ArgumentParser, required: bool,
               help: str) -> None:
    parser.add_argument('--cell_uuid', metavar='<cell_uuid>',
                        dest='cell_uuid', required=required, help=help)


def _transport_url_arg(parser: argparse.ArgumentParser, help: str) -> None:
    parser.add_argument('--transport-url', metavar='<transport_url>',
                        dest='mq_url', help=help)


def add_commands(subparsers) -> None:
    p = _action(subparsers, 'simple_cell_setup', simple_cell_setup,
                'Set up cell0 and a single cell holding this host\'s '
                'database and compute hosts, and map its instances.')
    _transport_url_arg(p, 'The transport url for the cell message queue')

    p = _action(subparsers, 'map_cell0', map_cell0,
                'Create the cell mapping of cell0, the cell of instances '
                'that failed to build.')
    p.add_argument('--database_connection', metavar='<database_connection>',
                   dest='db_connection',
                   help='The database connection url for cell0. By default '
                        '[database]/connection with the database name '
                        'suffixed _cell0.')

    p = _action(subparsers, 'map_cell_and_hosts', map_cell_and_hosts,
                'Deprecated: create a cell mapping for this host\'s cell '
                'and map its compute hosts (use create_cell and '
                'discover_hosts).')
    _transport_url_arg(p, 'The transport url for the cell message queue')
    p.add_argument('--name', metavar='<cell_name>', dest='cell_name',
                   help='The name of the cell')
    p.add_argument('--verbose', action='store_true',
                   help='Output the cell mapping uuid for any newly mapped '
                        'hosts.')

    p = _action(subparsers, 'map_instances', map_instances,
                'Map the instances of a cell to it, in batches; exits 1 '
                'while instances remain unmapped, 0 when all are.')
    _cell_uuid(p, True, 'Unmapped instances will be mapped to the cell '
                        'with the uuid provided.')
    p.add_argument('--max-count', metavar='<max_count>', dest='max_count',
                   help='Maximum number of instances to map. If not set, all '
                        'instances in the cell will be mapped in batches of '
                        '%d.' % MAP_INSTANCES_BATCH)
    p.add_argument('--reset', action='store_true',
                   help='Start from the first instance rather than where '
                        'the last run stopped.')

    p = _action(subparsers, 'verify_instance', verify_instance,
                'Verify that an instance is mapped to a cell.')
    p.add_argument('--uuid', metavar='<instance_uuid>', dest='uuid',
                   required=True, help='The instance UUID to verify')
    p.add_argument('--quiet', action='store_true', dest='quiet',
                   help='Do not print anything')

    p = _action(subparsers, 'discover_hosts', discover_hosts,
                'Map compute hosts that are not yet mapped to a cell.')
    _cell_uuid(p, False, 'If provided only this cell will be searched for '
                         'new hosts to map.')
    p.add_argument('--verbose', action='store_true',
                   help='Provide detailed output when discovering hosts.')
    p.add_argument('--strict', action='store_true',
                   help='Considered successful (exit code 0) only when an '
                        'unmapped host is discovered. Any other outcome '
                        'will be considered a failure (exit code 1).')
    p.add_argument('--by-service', action='store_true', dest='by_service',
                   help='Discover hosts by service instead of compute node')

    p = _action(subparsers, 'create_cell', create_cell,
                'Add a new cell to nova API database. DB and MQ urls can be '
                'provided directly or can be taken from config.')
    p.add_argument('--name', metavar='<cell_name>', dest='cell_name',
                   help='The name of the cell')
    p.add_argument('--database_connection', metavar='<database_connection>',
                   dest='db_connection',
                   help='The database url for the cell database')
    _transport_url_arg(p, 'The transport url for the cell message queue')
    p.add_argument('--verbose', action='store_true',
                   help='Output the uuid of the created cell')
    p.add_argument('--disabled', action='store_true',
                   help='To create a pre-disabled cell.')

    p = _action(subparsers, 'list_cells', list_cells,
                'List the cells, passwords masked.')
    p.add_argument('--verbose', action='store_true',
                   help='Show sensitive details, such as passwords')

    p = _action(subparsers, 'delete_cell', delete_cell,
                'Delete an empty cell.')
    p.add_argument('--force', action='store_true',
                   help='Delete hosts and instance_mappings that belong to '
                        'the cell as well.')
    _cell_uuid(p, True, 'The uuid of the cell to delete.')

    p = _action(subparsers, 'update_cell', update_cell,
                'Update the properties of a cell. Running services see a '
                'changed URL only after a restart.')
    _cell_uuid(p, True, 'The uuid of the cell to update.')
    p.add_argument('--name', metavar='<cell_name>', dest='cell_name',
                   help='Set the cell name.')
    _transport_url_arg(p, 'Set the cell transport_url.')
    p.add_argument('--database_connection', metavar='<database_connection>',
                   dest='db_connection',
                   help='Set the cell database_connection.')
    p.add_argument('--disable', action='store_true', dest='disable',
                   help='Disable the cell: the scheduler stops placing '
                        'instances there once it is restarted or sent '
                        'SIGHUP.')
    p.add_argument('--enable', action='store_true', dest='enable',
                   help='Enable the cell for scheduling again (after a '
                        'restart or SIGHUP of the scheduler).')

    p = _action(subparsers, 'list_hosts', list_hosts,
                'List the hosts mapped to one cell or to all.')
    _cell_uuid(p, False, 'The uuid of the cell.')

    p = _action(subparsers, 'delete_host', delete_host,
                'Delete the mapping of a host that has no instances.')
    _cell_uuid(p, True, 'The uuid of the cell.')
    p.add_argument('--host', metavar='<host>', dest='hostname', required=True,
                   help='The host to delete.')
