"""[api_database] and [database]: where the API and the cell databases are."""

from oslo_config import cfg
from oslo_db import options as oslo_db_options

_common = [
    cfg.IntOpt('max_pool_size', default=10,
               help='Connections kept open per process and database.'),
    cfg.IntOpt('max_overflow', default=20,
               help='Connections allowed beyond max_pool_size.'),
    cfg.IntOpt('pool_timeout', default=30,
               help='Seconds to wait for a pooled connection.'),
]

api_database_opts = [
    cfg.StrOpt('connection', secret=True,
               help='SQLAlchemy URL of the API database. Left unset on '
                    'computes and cell conductors: they never use it.'),
] + _common

# [database] is oslo.db's own group: its engine facade registers these
# exact options on cfg.CONF when it starts, so Nova must register the
# same objects (its own would clash: DuplicateOptError).
database_opts = oslo_db_options.database_opts


def register_opts(conf: cfg.ConfigOpts) -> None:
    conf.register_opts(api_database_opts, group='api_database')
    conf.register_opts(database_opts, group='database')


def list_opts() -> list:
    return [('api_database', api_database_opts), ('database', database_opts)]
