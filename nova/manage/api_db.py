"""nova-manage api_db sync|version: the API database's schema."""

import argparse

from nova.db import migration
from nova import manage

CATEGORY = 'api_db'


def api_connection() -> str:
    return manage.connection('api_database', 'API')


def sync(args: argparse.Namespace) -> int:
    migration_upgrade(api_connection(), 'api', args.revision)
    return 0


def version(args: argparse.Namespace) -> int:
    print(migration.current(api_connection(), 'api'))
    return 0


def migration_upgrade(url: str, database: migration.Database,
                      revision: str | None) -> None:
    """Upgrade, turning alembic's complaint about an unknown or older
    revision into a message for the operator."""
    from alembic import util as alembic_util
    try:
        migration.upgrade(url, database, revision or 'head')
    except alembic_util.CommandError as exc:
        raise manage.CommandError('Cannot sync to version %s: %s'
                                  % (revision, exc), 1)


def add_schema_commands(subparsers, sync_help: str, version_help: str,
                        sync, version) -> argparse.ArgumentParser:
    """The actions `sync [VERSION]` and `version` of a database's schema;
    returns sync's parser, for more options."""
    parser = subparsers.add_parser('sync', help=sync_help)
    parser.add_argument('revision', metavar='VERSION', nargs='?',
                        help='Database version (an alembic revision)')
    parser.set_defaults(func=sync)
    subparsers.add_parser('version', help=version_help).set_defaults(
        func=version)
    return parser


def add_commands(subparsers) -> None:
    add_schema_commands(
        subparsers, 'Upgrade the API database schema to the newest '
                    'version, or to VERSION.',
        'Print the API database schema version.', sync, version)
