"""The encrypted admin password a server's guest posted (upstream's
metadata service stores it in system metadata, in chunks password_0 to
password_3), shown to and cleared by its owner (os-server-password)."""

from typing import Any

from nova.compute import api as compute_api
from nova.db import engines
from nova.db.main import instances as instances_db

# Keys the password is split over: system metadata values are short.
KEYS = tuple('password_%d' % i for i in range(4))


def get(ctx: Any, uuid: str) -> str:
    """The stored password ('' if none)."""
    sysmeta = compute_api.get(ctx, uuid).instance.system_metadata
    return ''.join(sysmeta.get(key) or '' for key in KEYS)


@engines.retry_on_deadlock
def clear(ctx: Any, uuid: str) -> None:
    """Forget the stored password (the server may post a new one)."""
    server = compute_api.get(ctx, uuid)
    if not server.scheduled:
        return
    sysmeta = dict(server.instance.system_metadata, **dict.fromkeys(KEYS,
                                                                    ''))
    with compute_api.in_cell(ctx, server) as cctx:
        with engines.cell_writer(server.cell, cctx) as conn:
            instances_db.update(conn, uuid, system_metadata=sysmeta)
