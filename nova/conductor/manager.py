"""nova-conductor's RPC endpoint. The super conductor (API level) and each
cell's conductor run the same manager on different message queues."""

import oslo_messaging as messaging

from nova import service


class ConductorManager(service.Manager):
    """Server side of nova.conductor.rpcapi.ConductorAPI."""

    target = messaging.Target(version='1.0')
