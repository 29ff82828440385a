"""os-hypervisors gave null for a node's usage figures.

Symptom: GET /os-hypervisors/detail and /os-hypervisors/{id} answered
"running_vms", "free_ram_mb", "free_disk_gb", "current_workload" and
"disk_available_least" as null, where upstream always gives integers
computed from the node's usage; os-hypervisors/statistics summed them
as 0.

Cause: nova-compute wrote only what its driver reports (sizes and used
amounts); nothing worked out the other figures, and the view showed the
empty columns.

Fix: 4daac6e ("API differences from upstream: ..."):
resource_tracker.usage() works them out on every resource update (free =
size - used, the live servers on the node and those with a task under
way), and the API falls back to the sizes for a row no compute has
updated yet.
"""

from nova import context as nova_context
from tests.functional.nova.api.test_servers_cloud import _boot
from tests.functional.nova.api.test_servers_cloud import _wait

H = '/v2.1/os-hypervisors'
USAGE = ('running_vms', 'free_ram_mb', 'free_disk_gb', 'current_workload',
         'disk_available_least')


def test_usage_figures_are_integers_from_the_nodes_usage(cloud_api):
    cloud, client = cloud_api
    (compute,) = cloud.computes.values()
    _wait(client, _boot(client), 'ACTIVE')
    compute.update_available_resource(nova_context.get_admin_context())
    (node,) = client.get(H + '/detail', token='admin').json['hypervisors']
    figures = {k: node[k] for k in USAGE}
    assert figures == {'running_vms': 1, 'free_ram_mb': 4096 - 512,
                       'free_disk_gb': 100 - 1, 'current_workload': 0,
                       'disk_available_least': 100 - 1}, node
    shown = client.get(H + '/%s' % node['id'],
                       token='admin').json['hypervisor']
    assert {k: shown[k] for k in USAGE} == figures
    stats = client.get(H + '/statistics',
                       token='admin').json['hypervisor_statistics']
    assert {k: stats[k] for k in USAGE} == figures
    assert stats['count'] == 1
