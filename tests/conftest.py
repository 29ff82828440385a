"""Shared fixtures: the database backends, fresh databases and an
in-process placement.

Tests run on SQLite. A test (or module, through `pytestmark`) marked
`all_databases` runs on SQLite, MariaDB and PostgreSQL: mark the tests
where the database's behaviour matters (queries, locks, migrations), not
the API and service tests above them.
"""

import pytest

from tests import databases

_BACKEND_FIXTURES = ('db_backend', 'nova_backend')


def pytest_generate_tests(metafunc: pytest.Metafunc) -> None:
    """Parametrise the backend fixtures a test uses: every backend under
    the all_databases mark, else SQLite alone."""
    marks = metafunc.definition.iter_markers('parametrize')
    explicit = {name for mark in marks for name in _argnames(mark.args[0])}
    matrix = metafunc.definition.get_closest_marker('all_databases')
    backends = databases.BACKENDS if matrix else ('sqlite',)
    for name in _BACKEND_FIXTURES:
        if name in metafunc.fixturenames and name not in explicit:
            metafunc.parametrize(name, backends, indirect=True,
                                 scope='session')


def pytest_configure(config: pytest.Config) -> None:
    """Once per run, in the controller before xdist workers collect:
    fetch the placement conformance suite if it is not cached yet."""
    if not hasattr(config, 'workerinput'):
        from tests.integration import conformance_suite
        conformance_suite.fetch_suite()


# Session fixtures that start costly outside services (a whole cloud, a
# Cinder): their tests go to one worker (xdist --dist loadgroup), which
# starts the service once, instead of one per worker.
_SHARED_SERVICES = {'cloud': 'cli-cloud', 'cinder': 'cinder'}


@pytest.hookimpl(trylast=True)
def pytest_collection_modifyitems(config: pytest.Config,
                                  items: list[pytest.Item]) -> None:
    """Integration tests (processes, minutes each for some) first, and
    first among the others the groups of the shared services (see
    _SHARED_SERVICES), which one worker runs in a row: the long runs
    start early and the other workers fill in with short tests."""
    grouped = set()
    for item in items:
        defs = getattr(item, '_fixtureinfo', None)
        for name, group in _SHARED_SERVICES.items():
            found = defs.name2fixturedefs.get(name) if defs else None
            if found and found[-1].scope == 'session':
                item.add_marker(pytest.mark.xdist_group(group))
                _group(config, item, group)
                grouped.add(item)
    items.sort(key=lambda item: ('integration' not in item.path.parts,
                                 item not in grouped))


def _group(config: pytest.Config, item: pytest.Item, group: str) -> None:
    """The "@group" suffix xdist's loadgroup scheduler reads off node ids:
    xdist 3.8 writes it to Item._nodeid, which pytest 9 no longer reads,
    so it is set here (once) on the id pytest 9 does read."""
    if getattr(config.option, 'loadgroup', False) and '@' not in item.nodeid:
        from _pytest.nodeid import coerce_node_id
        item._id = coerce_node_id('%s@%s' % (item.nodeid, group))


def _argnames(names) -> list[str]:
    if isinstance(names, str):
        return [n.strip() for n in names.split(',')]
    return list(names)


@pytest.fixture(scope='session')
def db_backend(request):
    """The backend placement's database is on (see pytest_generate_tests)."""
    return request.param


@pytest.fixture(scope='session')
def placement_url(db_backend, tmp_path_factory):
    """A migrated placement database on that backend, one per test
    process; the `placement` fixture empties it after each test."""
    from placement import migration
    url = databases.create(db_backend, tmp_path_factory.mktemp('placement'),
                           'placement')
    migration.upgrade(url)
    yield url
    databases.drop(url)


@pytest.fixture
def placement(placement_url):
    """An in-process placement API (noauth2, admin token) on that
    database, emptied again after the test."""
    from placement import conf as placement_conf
    from placement import context
    from placement import database
    from placement import direct
    from placement import policy
    from placement import tables
    from placement.objects import resource_class, trait
    conf = placement_conf.CONF
    conf([], project='placement', default_config_files=[])
    conf.set_override('auth_strategy', 'noauth2', group='api')
    conf.set_override('connection', placement_url,
                      group='placement_database')
    database.reset_for_tests()
    policy.reset()
    resource_class._synced = trait._synced = False
    ctx = context.admin_context()
    resource_class.ensure_standards(ctx)
    trait.ensure_standards(ctx)
    yield direct.PlacementDirect(conf)
    database.reset_for_tests()
    databases.empty(placement_url, tables.metadata,
                    keep=databases.placement_standard_rows())
    conf.reset()
    conf.clear_override('connection', group='placement_database')
    conf.clear_override('auth_strategy', group='api')


@pytest.fixture(scope='session')
def _placement_uwsgi():
    """This test process's placement under uWSGI (SQLite, default
    profile)."""
    from tests.integration.conftest import PlacementServer
    server = PlacementServer('sqlite')
    try:
        server.start()
        yield server
    finally:
        server.stop()


@pytest.fixture(scope='module')
def placement_server(_placement_uwsgi):
    """A running placement with an empty database, shared by a module's
    tests (names they make must not collide)."""
    _placement_uwsgi.reset()
    return _placement_uwsgi
