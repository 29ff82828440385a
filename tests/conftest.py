"""Shared fixtures: fresh databases and an in-process placement."""

import pytest

from tests import databases


@pytest.fixture(params=databases.BACKENDS)
def db_backend(request):
    return request.param


@pytest.fixture
def placement_url(db_backend, tmp_path):
    """A migrated, empty placement database on each backend."""
    from placement import migration
    url = databases.create(db_backend, tmp_path, 'placement')
    migration.upgrade(url)
    yield url
    databases.drop(url)


@pytest.fixture
def placement(placement_url):
    """An in-process placement API (noauth2, admin token) on that database."""
    from placement import conf as placement_conf
    from placement import context
    from placement import database
    from placement import direct
    from placement import policy
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
    conf.reset()
    conf.clear_override('connection', group='placement_database')
    conf.clear_override('auth_strategy', group='api')


@pytest.fixture(scope='module')
def placement_server():
    """A running placement on SQLite (default profile), shared by a module's
    tests and stopped after them."""
    from tests.integration.conftest import PlacementServer
    server = PlacementServer('sqlite')
    try:
        server.start()
        yield server
    finally:
        server.stop()
