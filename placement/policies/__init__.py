"""Placement's policy rules, one module per URL noun, gathered here."""

import itertools

from placement.policies import base


def list_rules() -> list:
    # Imported here so each noun module can import `base` without a cycle.
    from placement.policies import (aggregate, allocation,
                                    allocation_candidate, inventory, reshaper,
                                    resource_class, resource_provider, trait,
                                    usage)
    return list(itertools.chain(
        base.rules(), resource_provider.rules(), resource_class.rules(),
        inventory.rules(), aggregate.rules(), usage.rules(), trait.rules(),
        allocation.rules(), allocation_candidate.rules(), reshaper.rules()))
