"""nova-scheduler's RPC endpoint (on the API's message queue)."""

import oslo_messaging as messaging

from nova import service


class SchedulerManager(service.Manager):
    """Server side of nova.scheduler.rpcapi.SchedulerAPI."""

    target = messaging.Target(version='1.0')
