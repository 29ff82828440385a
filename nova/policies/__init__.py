"""Nova's policy rules, one module per URL noun, gathered here (entry point
oslo.policy.policies nova)."""

import itertools

from nova.policies import base


def list_rules() -> list:
    # Imported here so each noun module can import `base` without a cycle.
    from nova.policies import flavors
    return list(itertools.chain(base.rules(), flavors.rules()))
