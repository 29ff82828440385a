"""Assembling nova-api: the PasteDeploy factories etc/nova/api-paste.ini
names, and the application uWSGI or mod_wsgi serve (nova.api.wsgi_app).

Configuration files come from $OS_NOVA_CONFIG_FILES (";" separated, names
relative to $OS_NOVA_CONFIG_DIR) or else nova.conf and nova-api.conf in
$OS_NOVA_CONFIG_DIR (default /etc/nova), those that exist.
"""

import os
from pathlib import Path

from oslo_config import cfg
from oslo_log import log as logging
from paste import deploy
from nova.api import fault
from nova.api import microversion
from nova.db import engines

LOG = logging.getLogger(__name__)

APP_NAME = 'osapi_compute'
# The paste file shipped with the code, for a checkout or a test run.
_SHIPPED = Path(__file__).resolve().parents[2] / 'etc' / 'nova'


class URLMap:
    """Dispatches on the path prefix: "/v2.1" serves that path alone,
    "/v2.1/+" everything below it; the longest prefix wins."""

    def __init__(self, mapping: dict) -> None:
        self.exact: dict[str, object] = {}
        self.below: list[tuple[str, object]] = []
        for prefix, app in mapping.items():
            if prefix.endswith('/+'):
                self.below.append((prefix[:-2].rstrip('/'), app))
            else:
                self.exact[prefix.rstrip('/') or '/'] = app
        self.below.sort(key=lambda item: len(item[0]), reverse=True)

    def __call__(self, environ, start_response):
        path = environ.get('PATH_INFO', '') or '/'
        # "/v2.1/" is below /v2.1, not /v2.1 itself.
        app = self.exact.get(path)
        if app is not None:
            return self._call(app, path, '', environ, start_response)
        for prefix, app in self.below:
            if path.startswith(prefix + '/'):
                return self._call(app, prefix, path[len(prefix):], environ,
                                  start_response)
        return fault.render(404, 'The resource could not be found.')(
            environ, start_response)

    @staticmethod
    def _call(app, prefix: str, rest: str, environ, start_response):
        if prefix != '/':
            environ['SCRIPT_NAME'] = environ.get('SCRIPT_NAME', '') + prefix
            environ['PATH_INFO'] = rest
        return app(environ, start_response)


def urlmap_factory(loader, global_conf, **local_conf):
    return URLMap({prefix: loader.get_app(name, global_conf=global_conf)
                   for prefix, name in local_conf.items()})


def pipeline_factory(loader, global_conf, **local_conf):
    """The pipeline named by [api] auth_strategy (keystone or noauth2)."""
    from nova.conf import CONF
    names = local_conf[CONF.api.auth_strategy].split()
    app = loader.get_app(names[-1])
    for name in reversed(names[:-1]):
        app = loader.get_filter(name)(app)
    return app


def paste_file(conf: cfg.ConfigOpts) -> str:
    """Where [wsgi] api_paste_config is (ConfigFilesNotFoundError if
    nowhere)."""
    name = conf.wsgi.api_paste_config
    candidates = [name] if os.path.isabs(name) else [
        conf.find_file(name), os.path.join('/etc/nova', name),
        str(_SHIPPED / name)]
    for path in candidates:
        if path and os.path.exists(path):
            return os.path.abspath(path)
    raise cfg.ConfigFilesNotFoundError([name])


def build_app(conf: cfg.ConfigOpts):
    """The compute API from the paste file (the configuration parsed and
    the API database configured already)."""
    path = paste_file(conf)
    LOG.debug('Loading %s from %s', APP_NAME, path)
    return deploy.loadapp('config:%s' % path, name=APP_NAME)


def _config_files() -> list[str]:
    directory = os.environ.get('OS_NOVA_CONFIG_DIR', '/etc/nova')
    names = os.environ.get('OS_NOVA_CONFIG_FILES')
    if names:
        return [os.path.join(directory, n) for n in names.split(';') if n]
    return [p for p in (os.path.join(directory, n)
                        for n in ('nova.conf', 'nova-api.conf'))
            if os.path.exists(p)]


def init_application(conf: cfg.ConfigOpts | None = None,
                     config_files: list[str] | None = None):
    """Parse the configuration, point at the API database, build the app."""
    from nova.conf import CONF
    conf = conf or CONF
    conf([], project='nova', default_config_files=(
        config_files if config_files is not None else _config_files()))
    logging.setup(conf, 'nova')
    engines.configure(
        api_connection=conf.api_database.connection,
        settings=engines.Settings.from_group(conf.api_database))
    app = build_app(conf)
    LOG.info('nova-api ready (%s auth), microversions 2.1 to %s',
             conf.api.auth_strategy, microversion.MAX_VERSION)
    return app
