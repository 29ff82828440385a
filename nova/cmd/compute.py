"""nova-compute [--config-file F ...]: runs until SIGTERM or SIGINT."""

import sys

from nova.compute import manager
from nova import service


def main(argv: list[str] | None = None) -> int:
    return service.run('nova-compute', 'compute', manager.ComputeManager,
                       argv, cell_only=True)


if __name__ == '__main__':
    sys.exit(main())
