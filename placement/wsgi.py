"""The WSGI application object for uWSGI and mod_wsgi (importing this
module builds it):

    uwsgi --module placement.wsgi:application

Configuration files come from $PLACEMENT_CONFIG_FILE (colon separated) or
/etc/placement/placement.conf when it exists.
"""

import gc
import os

from oslo_db import exception as db_exc
from oslo_log import log as logging

from placement import conf as placement_conf
from placement import context
from placement import database
from placement import deploy
from placement import migration
from placement.objects import resource_class
from placement.objects import trait

LOG = logging.getLogger(__name__)


def _config_files() -> list[str]:
    env = os.environ.get('PLACEMENT_CONFIG_FILE')
    if env:
        return [f for f in env.split(':') if f]
    default = '/etc/placement/placement.conf'
    return [default] if os.path.exists(default) else []


def init_application(conf=placement_conf.CONF, config_files=None):
    conf([], project='placement',
         default_config_files=(config_files if config_files is not None
                               else _config_files()))
    logging.setup(conf, 'placement')
    database.configure(conf)
    if conf.placement_database.sync_on_startup:
        migration.upgrade(conf.placement_database.connection)
    ctx = context.admin_context()
    try:
        resource_class.ensure_standards(ctx)
        trait.ensure_standards(ctx)
    except db_exc.DBNonExistentTable:
        LOG.critical('The placement database has no schema: run '
                     '"placement-manage db sync" (or set [placement_database]'
                     ' sync_on_startup = True)')
        raise
    LOG.info('Placement API ready, microversions 1.0 to 1.39')
    app = deploy.build_app(conf)
    database.close_connections()
    # Keep the collector off the objects of the loaded app: full collections
    # re-scanning them cost a quarter of a large allocation candidates
    # answer, which allocates many small objects. Frozen before uWSGI forks,
    # they also stay shared between the workers.
    gc.collect()
    gc.freeze()
    return app


application = init_application()
