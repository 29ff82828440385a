"""nova-status upgrade check: is this deployment ready for this release?

    nova-status [--config-file F ...] upgrade check [--json]

Runs each check below and prints oslo.upgradecheck's table (or JSON). The
exit code is the worst result: 0 success, 1 warning, 2 failure (255 when a
check itself broke). A check that cannot look (no [api_database]
connection, a cell database or placement out of reach) fails with the
reason, never with a traceback.
"""

from collections.abc import Callable
import functools
import sys
from typing import Any

from oslo_config import cfg
from oslo_log import log as logging
from oslo_upgradecheck import upgradecheck
import requests
import sqlalchemy as sa

from nova import cells
from nova.conf import CONF
from nova import context as nova_context
from nova.db.api import cell_mappings
from nova.db.api import host_mappings
from nova.db.api import tables as api_tables
from nova.db import engines
from nova.db.main import tables as cell_tables
from nova.objects.cell_mapping import CellMapping

LOG = logging.getLogger(__name__)

Code = upgradecheck.Code
Result = upgradecheck.Result

# The newest placement microversion this release's nova uses: the scheduler
# asks for allocation candidates with required traits and returns claimed
# alternates (1.17, what upstream's Queens check required; Pike's asked
# for 1.10, before traits reached allocation candidates).
MIN_PLACEMENT_MICROVERSION = '1.17'

_TIMEOUT = 30  # seconds, per database scan or placement request


class _CannotCheck(Exception):
    """The check cannot look at what it checks; the message says why."""


def _reported(check: Callable[..., Result]) -> Callable[..., Result]:
    """A check whose inability to look is a failure with the reason."""

    @functools.wraps(check)
    def wrapper(self: Any) -> Result:
        try:
            return check(self)
        except _CannotCheck as exc:
            return Result(Code.FAILURE, str(exc))

    return wrapper


def _cells() -> list[CellMapping]:
    connection = CONF.api_database.connection
    if not connection:
        raise _CannotCheck('The API database is not configured: set '
                           '[api_database] connection in nova.conf.')
    engines.configure(api_connection=connection)
    try:
        with engines.api_reader() as conn:
            return cell_mappings.list_all(conn)
    except sa.exc.SQLAlchemyError as exc:
        raise _CannotCheck('Cannot read the cell mappings from the API '
                           'database: %s' % _reason(exc))


def _reason(exc: BaseException) -> str:
    orig = getattr(exc, 'orig', None)
    return str(orig if orig is not None else exc).split('\n')[0]


def _compute_nodes(ctx: nova_context.RequestContext) -> list[tuple]:
    """(host, uuid) of each live compute node of ctx's cell."""
    nodes = cell_tables.compute_nodes
    with engines.cell_reader(ctx.cell, ctx) as conn:
        return [tuple(row) for row in conn.execute(
            sa.select(nodes.c.host, nodes.c.uuid)
            .where(nodes.c.deleted == 0))]


def _nodes_of_cells(all_cells: list[CellMapping]) -> list[tuple]:
    """The compute nodes of every cell but cell0, which has none."""
    ctx = nova_context.get_admin_context()
    targets = [c for c in all_cells if not c.is_cell0]
    answers = cells.scatter_gather(ctx, targets, _compute_nodes,
                                   timeout=_TIMEOUT)
    nodes = []
    for cell in targets:
        answer = answers[cell.uuid]
        if answer is cells.DID_NOT_RESPOND:
            raise _CannotCheck('Cell %s did not answer within %d seconds.'
                               % (cell.name or cell.uuid, _TIMEOUT))
        if isinstance(answer, BaseException):
            raise _CannotCheck('Cannot read the compute nodes of cell %s: '
                               '%s' % (cell.name or cell.uuid,
                                       _reason(answer)))
        nodes.extend(answer)
    return nodes


def _placement_get(path: str, microversion: str | None = None) -> Any:
    """GET a placement URL and return its JSON body."""
    endpoint = CONF.placement.endpoint_override
    if not endpoint:
        raise _CannotCheck('Placement API endpoint not found: set '
                           '[placement] endpoint_override in nova.conf.')
    headers = {'Accept': 'application/json',
               'X-Auth-Token': CONF.placement.token or ''}
    if microversion:
        headers['OpenStack-API-Version'] = 'placement %s' % microversion
    url = endpoint.rstrip('/') + path
    try:
        response = requests.get(url, headers=headers, timeout=_TIMEOUT)
    except requests.RequestException as exc:
        raise _CannotCheck('Placement API does not seem to be running '
                           '(%s): %s' % (url, exc))
    if response.status_code in (401, 403):
        raise _CannotCheck('Placement service credentials do not work '
                           '(GET %s: %d).' % (url, response.status_code))
    if response.status_code != 200:
        raise _CannotCheck('Placement API does not seem to be running: '
                           'GET %s answered %d.' % (url, response.status_code))
    try:
        return response.json()
    except ValueError:
        raise _CannotCheck('GET %s did not answer with JSON: is %s a '
                           'placement API?' % (url, endpoint))


def _version(text: str) -> tuple[int, ...]:
    return tuple(int(part) for part in text.split('.'))


class UpgradeCommands(upgradecheck.UpgradeCommands):
    """The checks of `nova-status upgrade check`."""

    @_reported
    def _check_cellsv2(self) -> Result:
        """cell0 and at least one cell are mapped, and so is every host
        that runs compute nodes (else its instances are out of reach)."""
        all_cells = _cells()
        if len(all_cells) < 2:
            return Result(Code.FAILURE, (
                'There needs to be at least two cell mappings, one for '
                'cell0 and one for your first cell. Run command '
                "'nova-manage cell_v2 simple_cell_setup' and then retry."))
        if not any(c.is_cell0 for c in all_cells):
            return Result(Code.FAILURE, (
                "No cell0 mapping found. Run command 'nova-manage cell_v2 "
                "simple_cell_setup' and then retry."))
        hosts = sorted({host for host, _ in _nodes_of_cells(all_cells)
                        if host})
        with engines.api_reader() as conn:
            mapped = host_mappings.mapped_hosts(conn, hosts)
            any_mapping = bool(mapped) or conn.execute(
                sa.select(sa.func.count()).select_from(
                    api_tables.host_mappings)).scalar_one() > 0
        unmapped = [h for h in hosts if h not in mapped]
        if unmapped:
            return Result(Code.FAILURE, (
                '%d compute host(s) with compute nodes have no host '
                'mapping: %s. Run command \'nova-manage cell_v2 '
                'discover_hosts\' and then retry.'
                % (len(unmapped), ', '.join(unmapped[:20]) +
                   (', ...' if len(unmapped) > 20 else ''))))
        if not hosts and not any_mapping:
            return Result(Code.SUCCESS, (
                'No host mappings or compute nodes were found. Remember to '
                "run command 'nova-manage cell_v2 discover_hosts' when new "
                'compute hosts are deployed.'))
        return Result(Code.SUCCESS)

    @_reported
    def _check_placement(self) -> Result:
        """Placement answers, at a microversion this release can use."""
        versions = _placement_get('/')
        try:
            max_version = versions['versions'][0]['max_version']
            have = _version(max_version)
        except (KeyError, IndexError, TypeError, ValueError):
            return Result(Code.FAILURE, (
                'The placement API root did not list its versions: %r'
                % (versions,)))
        if have < _version(MIN_PLACEMENT_MICROVERSION):
            return Result(Code.FAILURE, (
                'Placement API version %s needed, you have %s.'
                % (MIN_PLACEMENT_MICROVERSION, max_version)))
        return Result(Code.SUCCESS)

    @_reported
    def _check_resource_providers(self) -> Result:
        """Every compute node reports into placement as a resource
        provider (a compute node's provider has the node's uuid)."""
        nodes = _nodes_of_cells(_cells())
        providers = _placement_get('/resource_providers', '1.0')
        provider_uuids = {rp['uuid'] for rp in
                          providers.get('resource_providers', [])}
        reporting = sum(1 for _, uuid in nodes if uuid in provider_uuids)
        if not reporting:
            if nodes:
                return Result(Code.FAILURE, (
                    'There are no compute resource providers in the '
                    'Placement service but there are %d compute nodes in '
                    'the deployment. This means no compute nodes are '
                    'reporting into the Placement service and need to be '
                    'upgraded and/or fixed.' % len(nodes)))
            return Result(Code.SUCCESS, (
                'There are no compute resource providers in the Placement '
                'service nor are there compute nodes in the database. '
                'Remember to configure new compute nodes to report into '
                'the Placement service.'))
        if reporting < len(nodes):
            return Result(Code.WARNING, (
                'There are %d compute resource providers and %d compute '
                'nodes in the deployment. Ideally the number of compute '
                'resource providers should equal the number of enabled '
                'compute nodes otherwise the cloud may be underutilized.'
                % (reporting, len(nodes))))
        return Result(Code.SUCCESS)

    _upgrade_checks = (
        ('Cells v2', _check_cellsv2),
        ('Placement API', _check_placement),
        ('Resource Providers', _check_resource_providers),
    )


def main(argv: list[str] | None = None) -> int:
    try:
        return upgradecheck.main(
            CONF, project='nova', upgrade_command=UpgradeCommands(),
            argv=sys.argv[1:] if argv is None else argv)
    except cfg.Error as exc:
        print('Error: %s' % exc, file=sys.stderr)
        return 255


if __name__ == '__main__':
    sys.exit(main())
