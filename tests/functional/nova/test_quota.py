"""Counted quotas over two cells (the backend's cell database and a
SQLite cell2) plus build requests in the API database."""

import uuid as uuidlib

import pytest

from nova import context as nova_context
from nova.db.api import build_requests
from nova.db.api import tables as api_tables
from nova.db import engines
from nova.db.main import instances
from nova import exception
from nova.objects.build_request import BuildRequest
from nova.objects.flavor import Flavor
from nova.objects.instance import Instance
from nova import quota
from tests import nova_services

pytestmark = pytest.mark.all_databases

SMALL = Flavor(flavorid='1', name='small', vcpus=2, memory_mb=1024, id=1)


@pytest.fixture
def cloud(two_cells):
    """{'cell1': mapping, 'cell2': mapping} with [quota] instances=4,
    cores=20, ram=-1 (unlimited)."""
    with nova_services.configured(quota__instances=4, quota__ram=-1):
        yield two_cells


def _instance(project_id='p1', user_id='u1'):
    return Instance(uuid=str(uuidlib.uuid4()), project_id=project_id,
                    user_id=user_id, flavor=SMALL)


def _boot(cell, **kwargs):
    with engines.cell_writer(cell) as conn:
        return instances.create(conn, _instance(**kwargs))


def _pending(inst=None, **kwargs):
    inst = inst or _instance(**kwargs)
    with engines.api_writer() as conn:
        build_requests.create(conn, BuildRequest(
            instance=inst, project_id=inst.project_id))
    return inst


def _set(table, **values):
    with engines.api_writer() as conn:
        conn.execute(table.insert().values(**values))


CTX = nova_context.get_admin_context()


def test_usage_counts_every_cell_and_pending_builds(cloud):
    _boot(cloud['cell1'])
    _boot(cloud['cell2'], user_id='u2')
    gone = _boot(cloud['cell2'])
    with engines.cell_writer(cloud['cell2']) as conn:
        instances.destroy(conn, gone.uuid)
    _boot(cloud['cell1'], project_id='p2')
    _pending()
    # The conductor has created this one in cell1 but not yet deleted
    # its build request: it counts once.
    _pending(_boot(cloud['cell1']))
    assert quota.count_usage(CTX, 'p1') == {
        'instances': 4, 'cores': 8, 'ram': 4096}
    assert quota.count_usage(CTX, 'p1', 'u2') == {
        'instances': 1, 'cores': 2, 'ram': 1024}
    assert quota.count_usage(CTX, 'p3')['instances'] == 0


def test_over_quota_names_the_resource_with_usages(cloud):
    _boot(cloud['cell1'])
    _boot(cloud['cell2'])
    _pending()
    quota.check_deltas(CTX, 'p1', 'u1', {'instances': 1, 'cores': 2,
                                         'ram': 10 ** 9})
    with pytest.raises(exception.OverQuota) as err:
        quota.check_deltas(CTX, 'p1', 'u1', {'instances': 2, 'cores': 4,
                                             'ram': 2048})
    assert err.value.kwargs['overs'] == ['instances']
    assert err.value.kwargs['quotas'] == {'instances': 4, 'cores': 20,
                                          'ram': -1}
    assert err.value.kwargs['usages'] == {'instances': 3, 'cores': 6,
                                          'ram': 3072}
    assert 'instances' in str(err.value)
    # Giving back is always allowed.
    quota.check_deltas(CTX, 'p1', 'u1', {'instances': -1})


def test_limits_most_specific_first(cloud):
    assert quota.get_limits(CTX, 'p1')['instances'] == 4
    assert quota.get_limits(CTX, 'p1')['metadata_items'] == 128
    _set(api_tables.quota_classes, class_name='default',
         resource='instances', hard_limit=6)
    _set(api_tables.quota_classes, class_name='default',
         resource='cores', hard_limit=3)
    assert quota.get_limits(CTX, 'p1')['instances'] == 6
    _set(api_tables.quotas, project_id='p1', resource='cores',
         hard_limit=-1)
    _set(api_tables.project_user_quotas, project_id='p1', user_id='u1',
         resource='instances', hard_limit=1)
    assert quota.get_limits(CTX, 'p1')['cores'] == -1
    assert quota.get_limits(CTX, 'p2')['cores'] == 3
    assert quota.get_limits(CTX, 'p1', 'u1')['instances'] == 1
    assert quota.get_limits(CTX, 'p1', 'u2')['instances'] == 6
    # u1 is over its own limit; u2 has the project's.
    _boot(cloud['cell2'])
    quota.check_deltas(CTX, 'p1', 'u2', {'instances': 1, 'cores': 100})
    with pytest.raises(exception.OverQuota) as err:
        quota.check_deltas(CTX, 'p1', 'u1', {'instances': 1, 'cores': 100})
    assert err.value.kwargs['overs'] == ['instances']
    assert err.value.kwargs['quotas']['instances'] == 1
    assert err.value.kwargs['usages']['instances'] == 1
