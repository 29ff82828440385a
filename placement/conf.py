"""Every configuration option placement reads, registered in one place."""

import os

from oslo_config import cfg
from oslo_log import log
from oslo_middleware import cors
from oslo_policy import opts as policy_opts

# Placement's own option set, not oslo.config's global one: placement is a
# separate service, and where it shares a process with nova (tests, an
# all-in-one) the two define options of the same name ([api] auth_strategy).
CONF = cfg.ConfigOpts()

api_opts = [
    cfg.StrOpt('auth_strategy', default='keystone',
               choices=[('keystone', 'Validate tokens with Keystone'),
                        ('noauth2', 'Development only: the token names the '
                                    'user; "admin" gets the admin role')],
               help='How incoming requests are authenticated.'),
]

database_opts = [
    cfg.StrOpt('connection', secret=True,
               default='sqlite:///' + os.path.join(
                   os.path.expanduser('~'), '.local', 'share', 'placement',
                   'placement.sqlite'),
               sample_default='sqlite:///<home>/.local/share/placement/'
                              'placement.sqlite',
               help='SQLAlchemy URL of the placement database.'),
    cfg.BoolOpt('sync_on_startup', default=False,
                help='Run the database migrations when the API starts.'),
    cfg.IntOpt('max_pool_size', default=10,
               help='Connections kept open per process.'),
    cfg.IntOpt('max_overflow', default=20,
               help='Connections allowed beyond max_pool_size.'),
    cfg.IntOpt('pool_timeout', default=30,
               help='Seconds to wait for a pooled connection.'),
    cfg.IntOpt('sqlite_busy_timeout', default=30000,
               help='Milliseconds SQLite waits for a lock held by another '
                    'process before failing.'),
]

placement_opts = [
    cfg.BoolOpt('randomize_allocation_candidates', default=False,
                help='Shuffle allocation candidates so that a limit does not '
                     'always return the same providers.'),
    cfg.IntOpt('max_allocation_candidates', default=-1,
               help='Upper bound on the candidates generated before limit '
                    'is applied; -1 means no bound.'),
    cfg.StrOpt('incomplete_consumer_project_id',
               default='00000000-0000-0000-0000-000000000000',
               help='Project recorded for consumers created before project '
                    'and user were required.'),
    cfg.StrOpt('incomplete_consumer_user_id',
               default='00000000-0000-0000-0000-000000000000',
               help='User recorded for consumers created before project and '
                    'user were required.'),
    cfg.IntOpt('allocation_conflict_retry_count', default=10,
               help='Times a write retries after another writer changed a '
                    'provider generation underneath it.'),
]


def register_opts(conf: cfg.ConfigOpts = CONF) -> None:
    conf.register_opts(api_opts, group='api')
    conf.register_opts(database_opts, group='placement_database')
    conf.register_opts(placement_opts, group='placement')
    policy_opts.set_defaults(conf)
    conf.register_opts(cors.CORS_OPTS, group='cors')
    log.register_options(conf)


def list_opts() -> list:
    """Options for oslo-config-generator."""
    return [
        ('api', api_opts),
        ('placement_database', database_opts),
        ('placement', placement_opts),
    ]


register_opts(CONF)
