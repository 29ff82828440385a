"""The request context: who is calling, and which cell a call targets.

A context starts untargeted. `target_cell(ctx, cell_mapping)` yields a copy
whose `cell` is that mapping: database helpers and RPC clients then use the
cell's database and message queue, opened once per mapping and cached
(nova.db.engines, nova.rpc)::

    with context.target_cell(ctx, cell) as cctx:
        with engines.cell_writer(cctx.cell, cctx) as conn: ...
"""

from collections.abc import Iterator
import contextlib
import copy
from typing import Any

from oslo_context import context


class RequestContext(context.RequestContext):
    # The client's address, set by the API's context middleware.
    remote_address: str | None

    def __init__(self, *args: Any, cell: Any = None,
                 service_catalog: list | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # The targeted cell mapping (None: untargeted).
        self.cell = cell
        # The caller's Keystone catalog entries for the services Nova
        # calls with the caller's token (Cinder); empty under noauth2.
        self.service_catalog = service_catalog or []

    def elevated(self) -> 'RequestContext':
        """A copy with admin rights, for internal lookups."""
        ctx = copy.copy(self)
        ctx.is_admin = True
        if 'admin' not in ctx.roles:
            ctx.roles = list(ctx.roles) + ['admin']
        return ctx

    def to_dict(self) -> dict:
        values = super().to_dict()
        values.pop('cell', None)
        values['service_catalog'] = self.service_catalog
        return values

    @classmethod
    def from_dict(cls, values: dict, **kwargs: Any) -> 'RequestContext':
        kwargs.setdefault('service_catalog', values.get('service_catalog'))
        return super().from_dict(values, **kwargs)


def get_admin_context() -> RequestContext:
    """A context for services and commands acting on their own behalf."""
    return RequestContext(user_id=None, project_id=None, is_admin=True,
                          roles=['admin'], overwrite=False)


@contextlib.contextmanager
def target_cell(ctx: RequestContext, cell: Any) -> Iterator[RequestContext]:
    """Yield a copy of ctx aimed at `cell` (a cell mapping). The copy has
    its own transaction state, so work in the cell cannot join a transaction
    open on the caller's context."""
    cctx = copy.copy(ctx)
    cctx.cell = cell
    for attr in ('_enginefacade_context',):
        cctx.__dict__.pop(attr, None)
    yield cctx
