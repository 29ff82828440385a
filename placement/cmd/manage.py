"""placement-manage: database schema management.

    placement-manage [--config-file F] db sync
    placement-manage [--config-file F] db version
"""

import sys

from oslo_config import cfg

from placement import conf as placement_conf
from placement import context
from placement import database
from placement import migration
from placement.objects import resource_class
from placement.objects import trait


def _sync(conf) -> int:
    url = conf.placement_database.connection
    migration.upgrade(url)
    database.configure(conf)
    ctx = context.admin_context()
    resource_class.ensure_standards(ctx)
    trait.ensure_standards(ctx)
    print('Database synced to revision %s' % migration.current(url))
    return 0


def _version(conf) -> int:
    print(migration.current(conf.placement_database.connection) or 'None')
    return 0


def _add_commands(subparsers):
    db = subparsers.add_parser('db', help='Database schema commands.')
    db_sub = db.add_subparsers(dest='action', required=True)
    db_sub.add_parser('sync', help='Upgrade the schema to the latest '
                                   'revision and add the standard classes '
                                   'and traits.').set_defaults(func=_sync)
    db_sub.add_parser('version', help='Print the schema revision.'
                      ).set_defaults(func=_version)


def main(argv=None) -> int:
    conf = placement_conf.CONF
    conf.register_cli_opt(cfg.SubCommandOpt('category', title='Commands',
                                            handler=_add_commands))
    conf(argv if argv is not None else sys.argv[1:], project='placement')
    try:
        return conf.category.func(conf)
    except Exception as exc:  # an operator gets a sentence, not a traceback
        print('Error: %s' % _describe(exc), file=sys.stderr)
        return 1


def _describe(exc: Exception) -> str:
    # SQLAlchemy wraps driver errors; the driver's own message is the useful
    # part, without the link to SQLAlchemy's error catalogue.
    orig = getattr(exc, 'orig', None)
    return str(orig if orig is not None else exc).split('\n(Background')[0]


if __name__ == '__main__':
    sys.exit(main())
