"""Online data migrations: data fixes run while the services are up.

`nova-manage db online_data_migrations` runs every entry of MIGRATIONS in
batches. An entry is a name and a function `(cell, max_count) -> (found,
done)`: it fixes up to `max_count` rows of the cell database `cell` (a cell
mapping or a URL) and says how many rows it found needing the fix and how
many it fixed. A migration that finds nothing is finished.

The ones here fill in uuids that rows written by hand or by older tools can
lack: the columns are nullable, as upstream's are, but everything that
looks a service, compute node, migration or volume attachment up by uuid
needs one.
"""

from collections.abc import Callable
from typing import Any

from oslo_log import log as logging
from oslo_utils import uuidutils
import sqlalchemy as sa

from nova.db import engines
from nova.db.main import tables

LOG = logging.getLogger(__name__)

Migration = Callable[[Any, int], tuple[int, int]]


def _fill_uuids(table: sa.Table) -> Migration:
    """A migration giving each live row of `table` without a uuid one."""

    def migrate(cell: Any, max_count: int) -> tuple[int, int]:
        done = 0
        with engines.cell_writer(cell) as conn:
            ids = conn.execute(
                sa.select(table.c.id)
                .where(table.c.uuid.is_(None), table.c.deleted == 0)
                .order_by(table.c.id).limit(max_count)).scalars().all()
            for row_id in ids:
                # uuid IS NULL again: another run may have got there first.
                done += conn.execute(
                    table.update()
                    .where(table.c.id == row_id, table.c.uuid.is_(None))
                    .values(uuid=uuidutils.generate_uuid())).rowcount
        if done:
            LOG.info('Gave %d %s rows a uuid', done, table.name)
        return len(ids), done

    return migrate


#: (name shown in the summary table, migration), run in this order.
MIGRATIONS: tuple[tuple[str, Migration], ...] = (
    ('fill_service_uuids', _fill_uuids(tables.services)),
    ('fill_compute_node_uuids', _fill_uuids(tables.compute_nodes)),
    ('fill_migration_uuids', _fill_uuids(tables.migrations)),
    ('fill_block_device_mapping_uuids',
     _fill_uuids(tables.block_device_mapping)),
)
