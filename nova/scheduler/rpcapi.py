"""Client side of nova-scheduler's RPC API (on the API's message queue).

Versions:

* 1.0 - ping
"""

from nova import rpc


class SchedulerAPI(rpc.RPCAPI):
    TOPIC = 'scheduler'
    VERSION = '1.0'
