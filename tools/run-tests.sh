#!/usr/bin/env bash
# Run the whole test suite: unit, functional (SQLite, MariaDB, PostgreSQL)
# and integration (uWSGI, the real CLIs, the placement conformance suite).
# Extra arguments go to pytest.
set -euo pipefail
TOP="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
"$TOP/tools/bootstrap.sh"
"$TOP/tools/ensure-services.sh"
cd "$TOP"
# Two workers: the suite is mostly waiting on databases and servers.
exec "$TOP/.venv/bin/python" -m pytest -p no:cacheprovider -n 2 --dist worksteal "$@"
