"""/limits: the project's absolute limits and what it uses of them
("rate" is always empty: there is no rate limiting).

By microversion: 2.36 drops nova-network's limits (floating IPs,
security groups and their rules), 2.39 drops maxImageMeta, 2.57
maxPersonality and maxPersonalitySize.
"""

import webob

from nova.api.compute import common
from nova.compute import quotas as quotas_api
from nova import policy
from nova.policies import limits as rules

# (resource, absolute limit's name), in upstream's pairing.
_ABSOLUTE = [
    ('ram', 'maxTotalRAMSize'),
    ('instances', 'maxTotalInstances'),
    ('cores', 'maxTotalCores'),
    ('key_pairs', 'maxTotalKeypairs'),
    ('floating_ips', 'maxTotalFloatingIps'),
    ('metadata_items', 'maxServerMeta'),
    ('metadata_items', 'maxImageMeta'),
    ('injected_files', 'maxPersonality'),
    ('injected_file_content_bytes', 'maxPersonalitySize'),
    ('security_groups', 'maxSecurityGroups'),
    ('security_group_rules', 'maxSecurityGroupRules'),
    ('server_groups', 'maxServerGroups'),
    ('server_group_members', 'maxServerGroupMembers'),
]
_USED = [
    ('ram', 'totalRAMUsed'),
    ('cores', 'totalCoresUsed'),
    ('instances', 'totalInstancesUsed'),
    ('floating_ips', 'totalFloatingIpsUsed'),
    ('security_groups', 'totalSecurityGroupsUsed'),
    ('server_groups', 'totalServerGroupsUsed'),
]


def index(req: webob.Request) -> webob.Response:
    """200 {"limits": {"rate": [], "absolute": {...}}}; another project's
    with ?tenant_id= (administrators), 403 otherwise."""
    ctx = common.context(req)
    want = common.version(req)
    policy.authorize(ctx, rules.LIMITS)
    project_id = ctx.project_id
    if 'tenant_id' in req.GET:
        project_id = req.GET['tenant_id']
        policy.authorize(ctx, rules.USED_LIMITS,
                         {'project_id': project_id, 'user_id': ctx.user_id})
    quotas = quotas_api.get_detail(ctx, project_id)
    hidden: set[str] = set()
    if want.matches((2, 36)):
        hidden.update(quotas_api.NETWORK)
    absolute = {name: quotas[resource]['limit']
                for resource, name in _ABSOLUTE if resource not in hidden}
    absolute.update({name: quotas[resource]['in_use']
                     for resource, name in _USED if resource not in hidden})
    if want.matches((2, 39)):
        del absolute['maxImageMeta']
    if want.matches((2, 57)):
        del absolute['maxPersonality'], absolute['maxPersonalitySize']
    return common.json_response({'limits': {'rate': [],
                                            'absolute': absolute}})
