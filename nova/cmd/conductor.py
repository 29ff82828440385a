"""nova-conductor [--config-file F ...]: runs until SIGTERM or SIGINT."""

import sys

from nova.conductor import manager
from nova import service


def main(argv: list[str] | None = None) -> int:
    return service.run('nova-conductor', 'conductor', manager.ConductorManager,
                       argv)


if __name__ == '__main__':
    sys.exit(main())
