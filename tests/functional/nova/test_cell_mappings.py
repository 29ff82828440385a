"""Cell, host and instance mappings in a real API database."""

import pytest
import sqlalchemy as sa

from nova.db.api import cell_mappings
from nova.db.api import host_mappings
from nova.db.api import instance_mappings
from nova.db.api import tables
from nova import exception
from nova.objects import cell_mapping
from nova.objects.cell_mapping import CELL0_UUID
from nova.objects.cell_mapping import CellMapping

pytestmark = pytest.mark.all_databases

UUID1 = '11111111-1111-1111-1111-111111111111'
UUID2 = '22222222-2222-2222-2222-222222222222'


def _cell(uuid, name, **kw):
    return CellMapping(uuid=uuid, name=name,
                       transport_url=kw.pop('transport_url', 'rabbit://h/'),
                       database_connection=kw.pop('database_connection',
                                                  'sqlite:///x'), **kw)


def test_cell_mapping_crud(nova_engines):
    with nova_engines.api_writer() as conn:
        created = cell_mappings.create(conn, _cell(UUID2, 'b', disabled=True))
        cell_mappings.create(conn, _cell(UUID1, 'a'))
        cell_mappings.create(conn, _cell(CELL0_UUID, 'cell0',
                                         transport_url='none:///'))
    assert created.id is not None and created.disabled is True
    assert created.created_at is not None
    with nova_engines.api_reader() as conn:
        assert [c.name for c in cell_mappings.list_all(conn)] == [
            'a', 'b', 'cell0']
        assert cell_mappings.get(conn, CELL0_UUID).is_cell0
        assert not cell_mappings.get(conn, UUID1).is_cell0
        assert [c.uuid for c in cell_mappings.get_by_name(conn, 'a')] == [
            UUID1]
        assert cell_mappings.get_by_name(conn, 'nope') == []
    with nova_engines.api_writer() as conn:
        updated = cell_mappings.update(conn, UUID1, name='renamed',
                                       disabled=True)
    assert (updated.name, updated.disabled) == ('renamed', True)
    assert updated.updated_at is not None
    with nova_engines.api_writer() as conn:
        cell_mappings.delete(conn, UUID2)
        with pytest.raises(exception.CellMappingNotFound):
            cell_mappings.get(conn, UUID2)
        with pytest.raises(exception.CellMappingNotFound):
            cell_mappings.delete(conn, UUID2)
        with pytest.raises(exception.CellMappingNotFound):
            cell_mappings.update(conn, UUID2, name='x')
        with pytest.raises(ValueError):
            cell_mappings.update(conn, UUID1, created_at=None)


def test_cell_mapping_round_trips_as_a_primitive(nova_engines):
    with nova_engines.api_writer() as conn:
        cell = cell_mappings.create(conn, _cell(UUID1, 'a'))
    assert CellMapping.from_primitive(cell.to_primitive()) == cell


def test_host_mappings(nova_engines):
    with nova_engines.api_writer() as conn:
        one = cell_mappings.create(conn, _cell(UUID1, 'one'))
        two = cell_mappings.create(conn, _cell(UUID2, 'two'))
        host_mappings.create(conn, 'host-b', one.id)
        host_mappings.create(conn, 'host-a', one.id)
        host_mappings.create(conn, 'host-c', two.id)
    with nova_engines.api_reader() as conn:
        assert [h.host for h in host_mappings.list_all(conn)] == [
            'host-a', 'host-b', 'host-c']
        assert [h.host for h in host_mappings.list_all(conn, UUID1)] == [
            'host-a', 'host-b']
        mapping = host_mappings.get_by_host(conn, 'host-c')
        assert mapping.cell.uuid == UUID2 and mapping.cell.name == 'two'
        assert host_mappings.mapped_hosts(conn, ['host-a', 'x']) == {'host-a'}
        assert host_mappings.count_in_cell(conn, one.id) == 2
        with pytest.raises(exception.HostMappingNotFound):
            host_mappings.get_by_host(conn, 'x')
    with nova_engines.api_writer() as conn:
        host_mappings.delete(conn, 'host-a')
        with pytest.raises(exception.HostMappingNotFound):
            host_mappings.delete(conn, 'host-a')


def test_a_host_maps_to_one_cell_only(nova_engines):
    from oslo_db import exception as db_exc
    with nova_engines.api_writer() as conn:
        one = cell_mappings.create(conn, _cell(UUID1, 'one'))
        host_mappings.create(conn, 'host', one.id)
    with pytest.raises(db_exc.DBDuplicateEntry):
        with nova_engines.api_writer() as conn:
            host_mappings.create(conn, 'host', one.id)


def test_instance_mappings(nova_engines):
    with nova_engines.api_writer() as conn:
        cell = cell_mappings.create(conn, _cell(UUID1, 'one'))
        unscheduled = instance_mappings.create(conn, 'i-1', 'p', user_id='u')
        made = instance_mappings.create_missing(
            conn, cell.id, [('i-1', 'p', 'u'), ('i-2', 'p', None),
                            ('i-3', 'q', 'u')])
    assert unscheduled.cell is None and unscheduled.queued_for_delete is False
    assert made == 2
    with nova_engines.api_writer() as conn:
        assert instance_mappings.get_by_instance_uuid(conn, 'i-1').cell is None
        moved = instance_mappings.update(conn, 'i-1', cell_id=cell.id,
                                         queued_for_delete=True)
        assert moved.cell.uuid == UUID1 and moved.queued_for_delete
        assert [m.instance_uuid for m in
                instance_mappings.list_by_project_id(conn, 'p')] == [
            'i-1', 'i-2']
        assert instance_mappings.count_in_cell(conn, cell.id) == 3
        instance_mappings.delete(conn, 'i-3')
        with pytest.raises(exception.InstanceMappingNotFound):
            instance_mappings.get_by_instance_uuid(conn, 'i-3')
        assert instance_mappings.delete_in_cell(conn, cell.id) == 2


def test_templated_urls_are_stored_raw_and_loaded_expanded(nova_engines):
    from nova.conf import CONF
    CONF([], project='nova', default_config_files=[])
    cell_mapping.local_transport_url()   # registers [DEFAULT] transport_url
    CONF.set_override('connection', 'mysql+pymysql://me:secret@db1/nova',
                      group='database')
    CONF.set_override('transport_url', 'rabbit://r:pw@mq1:5672/vh')
    template_db = 'mysql+pymysql://{username}:{password}@{hostname}/cell1'
    template_mq = 'rabbit://{username}:{password}@{hostname}:{port}/{path}'
    try:
        with nova_engines.api_writer() as conn:
            cell = cell_mappings.create(conn, _cell(
                UUID1, 'one', transport_url=template_mq,
                database_connection=template_db))
            raw = conn.execute(sa.select(
                tables.cell_mappings.c.transport_url,
                tables.cell_mappings.c.database_connection)).one()
    finally:
        CONF.clear_override('connection', group='database')
        CONF.clear_override('transport_url')
        CONF.reset()
    assert tuple(raw) == (template_mq, template_db)
    assert cell.database_connection == 'mysql+pymysql://me:secret@db1/cell1'
    assert cell.transport_url == 'rabbit://r:pw@mq1:5672/vh'
