"""nova-scheduler [--config-file F ...]: runs until SIGTERM or SIGINT."""

import sys

from nova.scheduler import manager
from nova import service


def main(argv: list[str] | None = None) -> int:
    return service.run('nova-scheduler', 'scheduler', manager.SchedulerManager,
                       argv)


if __name__ == '__main__':
    sys.exit(main())
