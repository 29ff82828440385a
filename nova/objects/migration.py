"""A move of an instance between hosts (cell database): a resize or a
cold migration, with where it comes from, where it goes and how far it
got (status)."""

import dataclasses
import datetime

from nova.objects import base


@dataclasses.dataclass
class Migration(base.Record):
    VERSION = '1.0'

    instance_uuid: str
    # 'resize' (new flavor) or 'migration' (same flavor, another host).
    migration_type: str
    # Upstream's: 'pre-migrating', 'migrating', 'post-migrating',
    # 'finished' (waiting for confirm or revert), 'confirming',
    # 'confirmed', 'reverting', 'reverted', 'error', ...
    status: str = 'pre-migrating'
    uuid: str | None = None
    source_compute: str | None = None
    dest_compute: str | None = None
    source_node: str | None = None
    dest_node: str | None = None
    dest_host: str | None = None
    old_instance_type_id: int | None = None
    new_instance_type_id: int | None = None
    id: int | None = None
    created_at: datetime.datetime | None = None
    updated_at: datetime.datetime | None = None
