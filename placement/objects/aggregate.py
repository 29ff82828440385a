"""Aggregates: groups of providers, known only by uuid. An aggregate row
exists once some provider has been associated with it."""

from oslo_db import exception as db_exc
import sqlalchemy as sa

from placement import database
from placement import response
from placement import tables
from placement.objects import resource_provider as rp_obj

_aggs = tables.placement_aggregates
_rp_aggs = tables.resource_provider_aggregates


def uuids_for(conn, provider_id: int) -> list[str]:
    """The uuids of the aggregates the provider is in."""
    return list(conn.execute(
        sa.select(_aggs.c.uuid)
        .select_from(_rp_aggs.join(_aggs,
                                   _rp_aggs.c.aggregate_id == _aggs.c.id))
        .where(_rp_aggs.c.resource_provider_id == provider_id)
        .order_by(_aggs.c.id)).scalars())


def list_for_provider(ctx, uuid: str) -> tuple[rp_obj.Provider, list[str]]:
    with database.reader(ctx) as conn:
        provider = rp_obj.get_or_404(conn, uuid)
        return provider, uuids_for(conn, provider.id)


def _ensure_ids(conn, uuids: list[str]) -> list[int]:
    """Ids of the aggregates, creating the rows that are missing."""
    def existing():
        return dict(conn.execute(sa.select(_aggs.c.uuid, _aggs.c.id).where(
            _aggs.c.uuid.in_(uuids))).all())

    found = existing()
    missing = [u for u in uuids if u not in found]
    if missing:
        now = response.now().replace(tzinfo=None)
        for uuid in missing:
            try:
                with conn.begin_nested():
                    conn.execute(_aggs.insert().values(uuid=uuid,
                                                       created_at=now))
            except db_exc.DBDuplicateEntry:
                # Another request created it meanwhile: use theirs.
                pass
        found = existing()
    return [found[u] for u in uuids]


def set_for_provider(ctx, uuid: str, uuids: list[str],
                     generation: int | None = None) -> rp_obj.Provider:
    """Make the provider's aggregates exactly `uuids`. With a `generation`
    (1.19+), 409 concurrent_update when it is stale, and the generation is
    bumped."""
    with database.writer(ctx) as conn:
        provider = rp_obj.get_or_404(conn, uuid)
        if generation is not None:
            rp_obj.bump_generation(
                conn, provider, generation,
                "Resource provider's generation already changed. Please "
                "update the generation and try again.")
        wanted = set(_ensure_ids(conn, uuids)) if uuids else set()
        have = set(conn.execute(sa.select(_rp_aggs.c.aggregate_id).where(
            _rp_aggs.c.resource_provider_id == provider.id)).scalars())
        if have - wanted:
            conn.execute(_rp_aggs.delete().where(
                _rp_aggs.c.resource_provider_id == provider.id,
                _rp_aggs.c.aggregate_id.in_(list(have - wanted))))
        if wanted - have:
            now = response.now().replace(tzinfo=None)
            conn.execute(_rp_aggs.insert(), [
                {'resource_provider_id': provider.id, 'aggregate_id': agg_id,
                 'created_at': now} for agg_id in wanted - have])
        return provider
