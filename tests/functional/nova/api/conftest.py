"""The compute API in-process (nova.api.direct) over the paste pipeline,
on a migrated API database on each backend."""

import pytest


@pytest.fixture
def api_conf(nova_engines):
    """nova.conf.CONF parsed with no files, noauth2; reset afterwards."""
    from nova.conf import CONF
    from nova import policy
    CONF([], project='nova', default_config_files=[])
    CONF.set_override('auth_strategy', 'noauth2', group='api')
    policy.reset()
    yield CONF
    policy.reset()
    CONF.clear_override('auth_strategy', group='api')
    CONF.clear_override('max_limit', group='api')
    CONF.reset()


@pytest.fixture
def compute(api_conf):
    """A client acting as the admin user (token "admin")."""
    from nova.api import direct
    return direct.ComputeDirect(api_conf, token='admin')


@pytest.fixture
def hosts(compute, two_cells):
    """Services and compute nodes to write into two cells (admin_hosts)."""
    from tests.functional.nova.api import admin_hosts
    return admin_hosts.Hosts(two_cells)


def flavor_body(name: str, flavorid=None, ram=512, vcpus=1, disk=1,
                **extra) -> dict:
    body = {'name': name, 'ram': ram, 'vcpus': vcpus, 'disk': disk}
    if flavorid is not None:
        body['id'] = flavorid
    body.update(extra)
    return {'flavor': body}
