"""Client side of nova-conductor's RPC API. An untargeted context reaches
the super conductor on the API's message queue; a context targeted at a
cell reaches that cell's conductor.

Versions:

* 1.0 - ping
"""

from nova import rpc


class ConductorAPI(rpc.RPCAPI):
    TOPIC = 'conductor'
    VERSION = '1.0'
