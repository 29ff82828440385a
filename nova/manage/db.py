"""nova-manage db sync|version: a cell database's schema.

`db sync` upgrades the [database] connection database and, unless
--local_cell, cell0's too (found through the API database), as upstream
does; other cells are synced by running it with each cell's configuration.
"""

import argparse

from nova import context
from nova.db.api import cell_mappings
from nova.db import engines
from nova.db import migration
from nova import exception
from nova import manage
from nova.manage import api_db
from nova.objects.cell_mapping import CELL0_UUID

CATEGORY = 'db'

_CELL0_HELP = '''ERROR: Could not access cell0.
Has the nova_api database been created?
Has the nova_cell0 database been created?
Has "nova-manage api_db sync" been run?
Has "nova-manage cell_v2 map_cell0" been run?
Is [api_database]/connection set in nova.conf?
Is the cell0 database connection URL correct?
Error: %s'''


def cell_connection() -> str:
    return manage.connection('database', 'cell')


def sync(args: argparse.Namespace) -> int:
    revision = args.revision or args.deprecated_version
    if args.deprecated_version and not args.revision:
        print("DEPRECATED: The '--version' parameter is deprecated; use the "
              "'VERSION' positional argument instead")
    local = cell_connection()
    if not args.local_cell:
        _sync_cell0(revision)
    api_db.migration_upgrade(local, 'main', revision)
    return 0


def _sync_cell0(revision: str | None) -> None:
    try:
        engines.configure(api_connection=api_db.api_connection())
        with engines.api_reader(context.get_admin_context()) as conn:
            cell0 = cell_mappings.get(conn, CELL0_UUID)
    except exception.CellMappingNotFound:
        print('WARNING: cell0 mapping not found - not syncing cell0.')
        return
    except Exception as exc:
        raise manage.CommandError(_CELL0_HELP % _reason(exc), 1)
    try:
        # ValueError (reported below) if the mapping has no database.
        api_db.migration_upgrade(engines.cell_url(cell0), 'main', revision)
    except manage.CommandError:
        raise
    except Exception as exc:
        raise manage.CommandError(_CELL0_HELP % _reason(exc), 1)


def _reason(exc: Exception) -> str:
    orig = getattr(exc, 'orig', None)
    return str(orig if orig is not None else exc).split('\n(Background')[0]


def version(args: argparse.Namespace) -> int:
    print(migration.current(cell_connection(), 'main'))
    return 0


def add_commands(subparsers) -> None:
    parser = api_db.add_schema_commands(
        subparsers, 'Upgrade the cell database schema (and cell0\'s) to '
                    'the newest version, or to VERSION.',
        'Print the cell database schema version.', sync, version)
    parser.add_argument('--version', dest='deprecated_version',
                        help=argparse.SUPPRESS)
    parser.add_argument('--local_cell', action='store_true',
                        help='Only sync the database of the local cell: '
                             'do not sync cell0.')
