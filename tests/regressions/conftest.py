"""The fixtures the reproducers use, imported by name from the functional
tests' conftest modules (pytest_plugins is for the root conftest only):
the migrated API and cell databases and the in-process compute API; and
`cloud_api`, that API over an in-process cloud with one fake compute."""

import pytest

from tests.functional.nova.api.conftest import api_conf  # noqa: F401
from tests.functional.nova.api.conftest import compute  # noqa: F401
from tests.functional.nova.conftest import nova_api_url  # noqa: F401
from tests.functional.nova.conftest import nova_backend  # noqa: F401
from tests.functional.nova.conftest import nova_cell_url  # noqa: F401
from tests.functional.nova.conftest import nova_engines  # noqa: F401
from tests.functional.nova.conftest import cloud_conf  # noqa: F401
from tests.functional.nova.conftest import new_cell_db  # noqa: F401
from tests.functional.nova.conftest import new_cloud  # noqa: F401
from tests.functional.nova.conftest import sqlite_cell_template  # noqa: F401,E501
from tests.functional.nova.conftest import two_cells  # noqa: F401


@pytest.fixture
def cloud_api(new_cloud, cloud_conf):  # noqa: F811
    """(cloud, client as alice of p1 at 2.53) over a started cloud with one
    fake compute (4 vcpus, 4096 MB, 100 GB) and flavor 1 (512 MB, 1
    vcpu, 1 GB)."""
    from nova.api import direct
    from tests.functional.nova.api.conftest import flavor_body
    cloud = new_cloud()
    cloud.add_compute(vcpus=4, memory_mb=4096, local_gb=100)
    client = direct.ComputeDirect(cloud_conf, token='alice:p1',
                                  version='2.53')
    resp = client.post('/v2.1/flavors', token='admin', json=flavor_body(
        'm1.tiny', '1', ram=512, vcpus=1, disk=1))
    assert resp.status_int == 200, resp.text
    return cloud, client
