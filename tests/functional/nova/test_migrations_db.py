"""Migration rows in a real cell database."""

import uuid as uuidlib

import pytest

from nova.db.main import instances
from nova.db.main import migrations
from nova import exception
from nova.objects.flavor import Flavor
from nova.objects.instance import Instance
from nova.objects.migration import Migration

pytestmark = pytest.mark.all_databases

SMALL = Flavor(flavorid='1', name='small', vcpus=1, memory_mb=512)


def test_migration_lifecycle(nova_engines, nova_cell_url):
    uuid, other = str(uuidlib.uuid4()), str(uuidlib.uuid4())
    with nova_engines.cell_writer(nova_cell_url) as conn:
        for u in (uuid, other):
            instances.create(conn, Instance(uuid=u, project_id='p1',
                                            user_id='u1', flavor=SMALL))
        first = migrations.create(conn, Migration(
            instance_uuid=uuid, migration_type='migration',
            source_compute='h1', source_node='n1', status='error'))
        resize = migrations.create(conn, Migration(
            instance_uuid=uuid, migration_type='resize',
            source_compute='h1', source_node='n1',
            old_instance_type_id=1, new_instance_type_id=2))
        elsewhere = migrations.create(conn, Migration(
            instance_uuid=other, migration_type='migration',
            source_compute='h2', dest_compute='h3', status='migrating'))
    assert resize.id and resize.uuid and resize.created_at
    assert resize.status == 'pre-migrating'
    with nova_engines.cell_reader(nova_cell_url) as conn:
        assert migrations.get(conn, resize.id) == resize
        assert migrations.get_by_uuid(conn, resize.uuid) == resize
        assert migrations.get_in_progress_by_instance(conn, uuid) == resize
        assert migrations.get_in_progress_by_instance(
            conn, uuid, 'migration') is None
        assert [m.id for m in migrations.list_migrations(conn, {})] == [
            elsewhere.id, resize.id, first.id]
        assert migrations.list_migrations(conn, {'host': 'h3'}) == [
            elsewhere]
        assert [m.id for m in migrations.list_migrations(
            conn, {'instance_uuid': uuid, 'status': ['error', 'x'],
                   'source_compute': None})] == [first.id]
        with pytest.raises(ValueError):
            migrations.list_migrations(conn, {'bogus': 1})
    with nova_engines.cell_writer(nova_cell_url) as conn:
        moved = migrations.update(conn, resize.id, status='finished',
                                  dest_compute='h2', dest_node='n2',
                                  dest_host='10.0.0.2')
        assert (moved.status, moved.dest_compute, moved.dest_host) == (
            'finished', 'h2', '10.0.0.2')
        assert moved.updated_at is not None
        migrations.update(conn, resize.id, status='confirmed')
        with pytest.raises(exception.MigrationNotFound):
            migrations.update(conn, 10 ** 6, status='error')
        with pytest.raises(ValueError):
            migrations.update(conn, resize.id, uuid='x')
    with nova_engines.cell_reader(nova_cell_url) as conn:
        assert migrations.get_in_progress_by_instance(conn, uuid) is None
        with pytest.raises(exception.MigrationNotFound):
            migrations.get(conn, 10 ** 6)
        with pytest.raises(exception.MigrationNotFound):
            migrations.get_by_uuid(conn, str(uuidlib.uuid4()))
