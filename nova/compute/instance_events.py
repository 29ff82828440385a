"""Waiting on a compute for an event another service reports about an
instance (POST /os-server-external-events): e.g. a driver plugging a VIF
waits for Neutron's network-vif-plugged before it starts the guest.

    waiter = events.prepare(uuid, 'network-vif-plugged', port_id)
    ... plug ...
    status = waiter.wait(timeout)     # 'completed', 'failed', ... or None

The waiter must be prepared before the action that triggers the event,
so that an event arriving quickly is not missed.
"""

import threading


class Waiter:
    def __init__(self) -> None:
        self._done = threading.Event()
        self.status: str | None = None

    def wake(self, status: str) -> None:
        self.status = status
        self._done.set()

    def wait(self, timeout: float | None = None) -> str | None:
        """The event's status, or None if it did not come in time."""
        self._done.wait(timeout)
        return self.status


class InstanceEvents:
    """The waiters of one compute process, by instance and event."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._waiters: dict[tuple[str, str], Waiter] = {}

    @staticmethod
    def key(name: str, tag: str | None) -> str:
        return '%s-%s' % (name, tag) if tag else name

    def prepare(self, instance_uuid: str, name: str,
                tag: str | None = None) -> Waiter:
        with self._lock:
            return self._waiters.setdefault(
                (instance_uuid, self.key(name, tag)), Waiter())

    def pop(self, instance_uuid: str, name: str, tag: str | None,
            status: str) -> bool:
        """Wake the waiter of this event; False if nobody waited."""
        with self._lock:
            waiter = self._waiters.pop((instance_uuid, self.key(name, tag)),
                                       None)
        if waiter is None:
            return False
        waiter.wake(status)
        return True

    def clear(self, instance_uuid: str) -> None:
        """Forget the instance's waiters (it is gone), waking them as
        failed."""
        with self._lock:
            gone = [k for k in self._waiters if k[0] == instance_uuid]
            waiters = [self._waiters.pop(k) for k in gone]
        for waiter in waiters:
            waiter.wake('failed')
