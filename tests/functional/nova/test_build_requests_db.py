"""Build requests and request specs in a real API database."""

import uuid as uuidlib

from oslo_db import exception as db_exc
import pytest

from nova.db.api import build_requests
from nova.db.api import request_specs
from nova import exception
from nova.objects.build_request import BuildRequest
from nova.objects.flavor import Flavor
from nova.objects.instance import Instance
from nova.objects.request_spec import Destination
from nova.objects.request_spec import RequestSpec

pytestmark = pytest.mark.all_databases

SMALL = Flavor(flavorid='1', name='small', vcpus=1, memory_mb=512, id=3)


def _request(project_id='p1', **kwargs):
    inst = Instance(uuid=str(uuidlib.uuid4()), project_id=project_id,
                    user_id='u1', flavor=SMALL, display_name='vm',
                    metadata={'k': 'v'}, **kwargs)
    return BuildRequest(instance=inst, project_id=project_id,
                        block_device_mappings=[{'boot_index': 0}],
                        tags=['t1'])


def test_build_request_lifecycle(nova_engines):
    first, second, other = (_request(), _request(),
                            _request(project_id='p2'))
    with nova_engines.api_writer() as conn:
        made = [build_requests.create(conn, r)
                for r in (first, second, other)]
    assert made[0].id and made[0].created_at
    assert made[0].instance == first.instance
    assert (made[0].block_device_mappings, made[0].tags) == (
        [{'boot_index': 0}], ['t1'])
    with nova_engines.api_reader() as conn:
        assert build_requests.get_by_instance_uuid(
            conn, first.instance_uuid) == made[0]
        assert build_requests.list_by_project(conn, 'p1') == made[:2]
        assert len(build_requests.list_by_project(conn, None)) == 3
    with pytest.raises(db_exc.DBDuplicateEntry):
        with nova_engines.api_writer() as conn:
            build_requests.create(conn, first)
    # Deleting tells whether this caller was the one that deleted it.
    with nova_engines.api_writer() as conn:
        assert build_requests.delete(conn, first.instance_uuid) is True
    with nova_engines.api_writer() as conn:
        assert build_requests.delete(conn, first.instance_uuid) is False
    with pytest.raises(exception.BuildRequestNotFound):
        with nova_engines.api_reader() as conn:
            build_requests.get_by_instance_uuid(conn, first.instance_uuid)


def test_request_spec_lifecycle(nova_engines):
    uuid = str(uuidlib.uuid4())
    spec = RequestSpec(flavor=SMALL, instance_uuid=uuid, project_id='p1',
                       scheduler_hints={'group': ['g']},
                       requested_destination=Destination(host='h1'))
    with nova_engines.api_writer() as conn:
        request_specs.create(conn, spec)
    with nova_engines.api_reader() as conn:
        assert request_specs.get(conn, uuid) == spec
    spec.ignore_hosts = ['h2']
    with nova_engines.api_writer() as conn:
        request_specs.save(conn, spec)
    with nova_engines.api_reader() as conn:
        assert request_specs.get(conn, uuid).ignore_hosts == ['h2']
    with nova_engines.api_writer() as conn:
        request_specs.delete(conn, uuid)
        request_specs.delete(conn, uuid)
    with pytest.raises(exception.RequestSpecNotFound):
        with nova_engines.api_reader() as conn:
            request_specs.get(conn, uuid)
    with pytest.raises(exception.RequestSpecNotFound):
        with nova_engines.api_writer() as conn:
            request_specs.save(conn, spec)
    with pytest.raises(ValueError):
        with nova_engines.api_writer() as conn:
            request_specs.create(conn, RequestSpec(flavor=SMALL))
