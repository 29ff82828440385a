"""Nova's policy rules, one module per URL noun, gathered here (entry point
oslo.policy.policies nova)."""

import itertools

from nova.policies import base


def list_rules() -> list:
    # Imported here so each noun module can import `base` without a cycle.
    from nova.policies import aggregates
    from nova.policies import availability_zones
    from nova.policies import console_auth_tokens
    from nova.policies import flavors
    from nova.policies import hosts
    from nova.policies import hypervisors
    from nova.policies import instance_actions
    from nova.policies import instance_usage_audit_log
    from nova.policies import ips
    from nova.policies import keypairs
    from nova.policies import limits
    from nova.policies import migrations
    from nova.policies import quota_class_sets
    from nova.policies import quota_sets
    from nova.policies import remote_consoles
    from nova.policies import server_actions
    from nova.policies import server_external_events
    from nova.policies import server_groups
    from nova.policies import server_metadata
    from nova.policies import server_moves
    from nova.policies import server_state_actions
    from nova.policies import server_tags
    from nova.policies import servers
    from nova.policies import services
    from nova.policies import simple_tenant_usage
    from nova.policies import volume_attachments
    from nova.policies import volumes
    return list(itertools.chain(
        base.rules(), aggregates.rules(), availability_zones.rules(),
        hypervisors.rules(), services.rules(), flavors.rules(),
        instance_actions.rules(),
        server_actions.rules(), server_groups.rules(),
        migrations.rules(), server_external_events.rules(),
        simple_tenant_usage.rules(),
        server_metadata.rules(), server_tags.rules(), servers.rules(),
        keypairs.rules(), limits.rules(), quota_class_sets.rules(),
        quota_sets.rules(), volume_attachments.rules(),
        volumes.rules(), server_moves.rules(),
        server_state_actions.rules(), ips.rules(), remote_consoles.rules(),
        console_auth_tokens.rules(), hosts.rules(),
        instance_usage_audit_log.rules()))
