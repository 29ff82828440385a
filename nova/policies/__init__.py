"""Nova's policy rules, one module per URL noun, gathered here (entry point
oslo.policy.policies nova)."""

import itertools

from nova.policies import base


def list_rules() -> list:
    # Imported here so each noun module can import `base` without a cycle.
    from nova.policies import flavors
    from nova.policies import instance_actions
    from nova.policies import server_actions
    from nova.policies import server_metadata
    from nova.policies import server_tags
    from nova.policies import servers
    return list(itertools.chain(
        base.rules(), flavors.rules(), instance_actions.rules(),
        server_actions.rules(), server_metadata.rules(),
        server_tags.rules(), servers.rules()))
