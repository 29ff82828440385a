"""Reshaping: moving inventory and the allocations against it between
providers (typically from a root to new children) in one transaction.

Inventory cannot be removed while allocated, and allocations cannot be made
against inventory that does not exist yet, so each provider's inventory is
written twice around the allocation replacement: first the union of what it
has and what it will have, finally exactly what was asked. Each step bumps
the provider's generation, as do the allocations written against it.
"""

import dataclasses

from placement import errors
from placement.objects import allocation as alloc_obj
from placement.objects import inventory as inv_obj
from placement.objects import resource_class
from placement.objects import resource_provider as rp_obj


@dataclasses.dataclass
class NewInventory:
    """A provider's complete new inventory, {class name: fields as given},
    and the generation the client last saw it at."""
    rp_uuid: str
    generation: int
    inventories: dict[str, dict]


def reshape(ctx, inventories: list[NewInventory],
            consumers: list[alloc_obj.ConsumerAllocations]) -> None:
    """Apply the new inventories and allocations, all or nothing.

    400: a provider or resource class that does not exist, or reserved
    beyond total. 409: a provider generation that is not the given one or
    a consumer generation mismatch (placement.concurrent_update), removing
    inventory still allocated after the move (placement.inventory.inuse),
    or allocations the new inventory cannot hold.
    """
    alloc_obj.run_with_retries(
        ctx, lambda conn: _reshape(conn, inventories, consumers))


def _reshape(conn, inventories, consumers) -> None:
    providers = [_provider(conn, new) for new in inventories]
    finals = [_final_inventory(conn, provider, new)
              for provider, new in zip(providers, inventories)]
    for provider, final in zip(providers, finals):
        interim = {rc_id: inventory.fields() for rc_id, inventory in
                   _by_class_id(conn, provider).items()}
        interim.update(final)
        inv_obj.write_all(conn, provider, interim)
        rp_obj.bump_generation(conn, provider)
    alloc_obj.replace(conn, consumers)
    for provider, final in zip(providers, finals):
        # Writing the allocations moved the generation of those providers
        # that receive some: read it again.
        current = rp_obj.get(conn, provider.uuid)
        assert current is not None  # read at the start, in this transaction
        inv_obj.write_all(conn, current, final)
        rp_obj.bump_generation(conn, current)


def _provider(conn, new: NewInventory) -> rp_obj.Provider:
    provider = rp_obj.get(conn, new.rp_uuid)
    if provider is None:
        raise errors.BadRequest(
            'Resource provider %s in inventories not found.' % new.rp_uuid,
            code=errors.RESOURCE_PROVIDER_NOT_FOUND)
    if provider.generation != new.generation:
        raise errors.Conflict(
            'resource provider generation conflict for provider %s: '
            'actual: %d, given: %d' % (new.rp_uuid, provider.generation,
                                      new.generation),
            code=errors.CONCURRENT_UPDATE)
    return provider


def _final_inventory(conn, provider: rp_obj.Provider,
                     new: NewInventory) -> dict[int, dict]:
    """{class id: complete fields}; 400 for an unknown class or reserved
    beyond total."""
    fields = {name: inv_obj.with_defaults(data)
              for name, data in new.inventories.items()}
    # The inventory module's own reserved-vs-total rule (from 1.26 an
    # inventory may be all reserved; reshaping exists from 1.30).
    inv_obj._check_capacity('reshape', provider, fields, True)
    ids = resource_class.ids_for(conn, fields)
    for name in sorted(fields):
        if name not in ids:
            raise errors.BadRequest(
                'Unable to reshape inventory for resource provider %s: No '
                'such resource class %s.' % (provider.uuid, name))
    return {ids[name]: data for name, data in fields.items()}


def _by_class_id(conn, provider: rp_obj.Provider) -> dict:
    current = inv_obj.get_all(conn, provider.id)
    ids = resource_class.ids_for(conn, current)
    return {ids[name]: inventory for name, inventory in current.items()}
