"""nova-manage db online_data_migrations|archive_deleted_rows|purge.

Options, output and exit codes are upstream Nova's, since deployment tools
loop on them:

archive_deleted_rows
    0 nothing archived, 1 rows archived (run again until 0), 2 bad
    --max_rows, 3 no usable API database, 4 bad --before.
purge
    0 rows purged, 1 neither --before nor --all, 2 bad --before, 3 nothing
    to purge, 4 no usable API database for --all-cells.
online_data_migrations
    0 nothing (more) to do, 1 some rows migrated and more may remain
    (with --max-count), 2 a migration failed, 127 bad --max-count.

Each works on the [database] connection cell, or with --all-cells on every
cell of the API database. When the databases cannot be reached at all the
exit code is 255, which none of the loops above mistakes for progress.
"""

import argparse
from collections.abc import Callable
import datetime
import functools
import sys
import time
from typing import Any

from dateutil import parser as dateutil_parser
from oslo_db import exception as db_exc
from oslo_log import log as logging
import prettytable
import sqlalchemy as sa

from nova.db.api import cell_mappings
from nova.db import engines
from nova.db.main import archive
from nova.db import online_migrations
from nova import manage
from nova.manage import api_db
from nova.manage import db as db_commands
from nova.objects.cell_mapping import CellMapping

LOG = logging.getLogger(__name__)

CATEGORY = 'db'

#: Exit code when the databases cannot be used at all.
UNUSABLE = 255

# Batch size of online_data_migrations without --max-count.
_MIGRATION_BATCH = 50


def _database_errors(func: Callable[[Any], int]) -> Callable[[Any], int]:
    """Turn a database failure into a message and exit code UNUSABLE."""

    @functools.wraps(func)
    def wrapper(args: Any) -> int:
        try:
            return func(args)
        except (db_exc.DBError, sa.exc.SQLAlchemyError) as exc:
            raise manage.CommandError(
                'Database error: %s' % db_commands._reason(exc), UNUSABLE)

    return wrapper


def _local_cell() -> str:
    try:
        return db_commands.cell_connection()
    except manage.CommandError as exc:
        raise manage.CommandError(str(exc), UNUSABLE)


def _all_cells(code: int, message: str) -> list[CellMapping]:
    """Every cell mapping, or CommandError(message, code)."""
    try:
        engines.configure(api_connection=api_db.api_connection())
        with engines.api_reader() as conn:
            return cell_mappings.list_all(conn)
    except (manage.CommandError, db_exc.DBError,
            sa.exc.SQLAlchemyError) as exc:
        LOG.error('Cannot list cells: %s', exc)
        raise manage.CommandError(message, code)


def _parse_date(text: str) -> datetime.datetime:
    """A date as `date` prints it, or YYYY-MM-DD [HH:MM:SS], as naive UTC
    (how the databases store times). ValueError if it is none."""
    try:
        value = dateutil_parser.parse(text, fuzzy=True)
    except OverflowError as exc:
        raise ValueError(str(exc))
    if value.tzinfo is not None:
        value = value.astimezone(datetime.timezone.utc).replace(tzinfo=None)
    return value


def _before(args: Any) -> datetime.datetime | None:
    """The --before date (None if not given). ValueError, already
    reported on stderr, if it is no date."""
    if not args.before:
        return None
    try:
        return _parse_date(args.before)
    except ValueError as exc:
        print('Invalid value for --before: %s' % exc, file=sys.stderr)
        raise


def _cell_label(cell: CellMapping) -> str:
    return cell.name or cell.uuid


# -- archive_deleted_rows

@_database_errors
def archive_deleted_rows(args: Any) -> int:
    """Move deleted rows into the shadow tables."""
    if args.max_rows < 0:
        print('Must supply a positive value for max_rows', file=sys.stderr)
        return 2
    if args.max_rows > archive.MAX_ROWS:
        print('max rows must be <= %d' % archive.MAX_ROWS, file=sys.stderr)
        return 2
    # The API database's records of archived instances go too, so it must
    # be reachable before anything moves.
    cells = _all_cells(3, 'Failed to connect to API DB so aborting this '
                          'archival attempt. Please check your config file '
                          'to make sure that [api_database]/connection is '
                          'set and run this command again.')
    try:
        before = _before(args)
    except ValueError:
        return 4
    local = None if args.all_cells else _local_cell()
    targets: list[tuple[str | None, CellMapping | str]] = (
        [(_cell_label(c), c) for c in cells] if local is None
        else [(None, local)])

    archived: dict[str, int] = {}
    if args.until_complete and args.verbose:
        sys.stdout.write('Archiving..')
    total = 0
    interrupted = False
    for label, target in targets:
        # --until-complete uses max_rows as the batch size and has no
        # overall limit; otherwise max_rows counts over all cells.
        if args.until_complete:
            limit = args.max_rows
        elif total < args.max_rows:
            limit = args.max_rows - total
        else:
            break
        try:
            total += _archive_cell(target, label, limit, before, args,
                                   archived)
        except KeyboardInterrupt:
            interrupted = True
            break
    if args.until_complete and args.verbose:
        print('.stopped' if interrupted else '.complete')
    if args.verbose:
        if archived:
            print(_table(archived, 'Number of Rows Archived',
                         by_cell=args.all_cells))
        else:
            print('Nothing was archived.')
    if archived and args.purge:
        if args.verbose:
            print('Rows were archived, running purge...')
        _purge(_purge_targets(cells if args.all_cells else None, local),
               None, args.verbose)
    return int(bool(archived))


def _archive_cell(target: Any, label: str | None, limit: int,
                  before: datetime.datetime | None, args: Any,
                  archived: dict[str, int]) -> int:
    """Archive one cell (repeatedly with --until-complete), adding the
    counts to `archived`; returns the cell rows moved."""
    moved = 0
    while True:
        run, instance_uuids = archive.archive_deleted_rows(
            target, limit, before)
        for table, count in run.items():
            key = '%s.%s' % (label, table) if label else table
            archived[key] = archived.get(key, 0) + count
            moved += count
        if instance_uuids:
            with engines.api_writer() as conn:
                gone = archive.delete_api_records(conn, instance_uuids)
            for table, count in gone.items():
                key = 'API_DB.' + table
                archived[key] = archived.get(key, 0) + count
        if not args.until_complete or not run:
            return moved
        if args.verbose:
            sys.stdout.write('.')
            sys.stdout.flush()
        if args.sleep:
            time.sleep(args.sleep)


def _table(counts: dict[str, int], heading: str, by_cell: bool) -> str:
    table = prettytable.PrettyTable(['Table', heading])
    table.align = 'l'
    # Newer PrettyTables align headers separately.
    if hasattr(table, 'header_align'):
        setattr(table, 'header_align', 'l')  # not in every version

    def by_cell_then_table(item):
        return tuple(item[0].split('.', 1))

    for name, count in sorted(counts.items(),
                              key=by_cell_then_table if by_cell else None):
        table.add_row([name, count])
    return table.get_string()


# -- purge

@_database_errors
def purge(args: Any) -> int:
    """Delete archived rows from the shadow tables."""
    if args.before is None and not args.purge_all:
        print('Either --before or --all is required', file=sys.stderr)
        return 1
    try:
        before = _before(args)
    except ValueError:
        return 2
    if args.all_cells:
        targets = _purge_targets(_all_cells(
            4, 'Unable to get cell list from API DB. Is it configured?'))
    else:
        targets = _purge_targets(None, _local_cell())
    return 0 if _purge(targets, before, args.verbose) else 3


def _purge_targets(cells: list[CellMapping] | None,
                   local: str | None = None) -> list[tuple[str, Any]]:
    """(label, database) of every cell, or of the local one."""
    if cells is None:
        return [('DB', local)]
    return [('Cell %s(%s)' % (c.uuid, c.name) if c.name else
             'Cell %s' % c.uuid, c) for c in cells]


def _purge(targets: list[tuple[str, Any]],
           before: datetime.datetime | None, verbose: bool) -> int:
    deleted = 0
    for label, target in targets:
        def status(message: str, label: str = label) -> None:
            if verbose:
                print('%s: %s' % (label, message))
        deleted += archive.purge_shadow_tables(target, before, status)
    return deleted


# -- online_data_migrations

@_database_errors
def online_data_migrations(args: Any) -> int:
    """Run the online data migrations, in batches."""
    count = manage.max_count(args.max_count, 'max_number')
    unlimited = count is None
    max_count = _MIGRATION_BATCH if count is None else count
    if unlimited:
        print('Running batches of %i until complete' % max_count)
    cell = _local_cell()

    totals: dict[str, tuple[int, int]] = {}
    while True:
        batch, failed = _run_migrations(cell, max_count)
        ran = 0
        for name, (found, done) in batch.items():
            before = totals.get(name, (0, 0))
            totals[name] = (before[0] + found, before[1] + done)
            ran += done
        if not unlimited or not ran:
            break

    table = prettytable.PrettyTable(
        ['Migration', 'Total Needed', 'Completed'])
    for name in sorted(totals):
        table.add_row([name, *totals[name]])
    print(table)
    # Without a limit the loop only ends when nothing more can be done, so
    # any failure then needs the operator. With one, a failure is only
    # fatal if nothing else progressed (that progress may unblock it).
    if failed and (unlimited or not ran):
        print('Some migrations failed unexpectedly. Check log for details.',
              file=sys.stderr)
        return 2
    return 1 if ran else 0


def _run_migrations(cell: Any, max_count: int
                    ) -> tuple[dict[str, tuple[int, int]], bool]:
    """One batch: up to max_count rows over all migrations, in order.
    Returns (found, done) per migration run and whether any failed."""
    results: dict[str, tuple[int, int]] = {}
    failed = False
    ran = 0
    for name, migrate in online_migrations.MIGRATIONS:
        try:
            found, done = migrate(cell, max_count - ran)
        except Exception:
            print('Error attempting to run %s' % name, file=sys.stderr)
            LOG.exception('Online data migration %s failed', name)
            failed = True
            found = done = 0
        if found:
            print('%i rows matched query %s, %i migrated'
                  % (found, name, done))
        results[name] = (found, done)
        ran += done
        if ran >= max_count:
            break
    return results, failed


# -- the command line

def _non_negative(text: str) -> int:
    value = int(text)
    if value < 0:
        raise argparse.ArgumentTypeError('must be 0 or more')
    return value


def add_commands(subparsers) -> None:
    parser = subparsers.add_parser(
        'archive_deleted_rows',
        help='Move deleted rows from production tables to shadow tables. '
             'Exit code 1 means rows were archived: repeat until it is 0.')
    parser.add_argument(
        '--max_rows', type=int, metavar='<number>', default=1000,
        help='Maximum number of deleted rows to archive (default 1000); '
             'rows removed from the API database for archived instances '
             'are not counted.')
    parser.add_argument(
        '--before', metavar='<date>',
        help='Only archive rows deleted before this date (YYYY-MM-DD '
             '[HH:MM:SS], or as the date command prints it).')
    parser.add_argument('--verbose', action='store_true',
                        help='Print how many rows were archived per table.')
    parser.add_argument(
        '--until-complete', action='store_true', dest='until_complete',
        help='Repeat until everything is archived, max_rows at a time.')
    parser.add_argument(
        '--purge', action='store_true',
        help='Purge all data from the shadow tables afterwards.')
    parser.add_argument('--all-cells', action='store_true', dest='all_cells',
                        help='Archive every cell\'s database.')
    parser.add_argument(
        '--sleep', type=_non_negative, metavar='<seconds>', default=0,
        help='Seconds to sleep between batches with --until-complete.')
    parser.set_defaults(func=archive_deleted_rows)

    parser = subparsers.add_parser(
        'purge', help='Delete rows from the shadow tables.')
    parser.add_argument(
        '--before', metavar='<date>',
        help='Purge rows deleted before this date (YYYY-MM-DD [HH:MM:SS], '
             'or as the date command prints it).')
    parser.add_argument('--all', action='store_true', dest='purge_all',
                        help='Purge every row of the shadow tables.')
    parser.add_argument('--verbose', action='store_true',
                        help='Print what was purged.')
    parser.add_argument('--all-cells', action='store_true', dest='all_cells',
                        help='Purge every cell\'s database.')
    parser.set_defaults(func=purge)

    parser = subparsers.add_parser(
        'online_data_migrations',
        help='Run the online data migrations. Exit code 1 means rows were '
             'migrated and more may remain: repeat until it is 0.')
    parser.add_argument(
        '--max-count', metavar='<number>', dest='max_count',
        help='Maximum number of rows to migrate in this run (default: '
             'batches of %d until complete).' % _MIGRATION_BATCH)
    parser.set_defaults(func=online_data_migrations)
