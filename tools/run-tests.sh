#!/usr/bin/env bash
# Run the whole test suite: lint and types (ruff, mypy), unit, functional
# (SQLite; the database-bound tests also on MariaDB and PostgreSQL) and
# integration (uWSGI, RabbitMQ, the real CLIs, the placement conformance
# suite on the three databases).
#
#   tools/run-tests.sh            everything (what CI runs)
#   tools/run-tests.sh --quick    unit, functional and regression tests on
#                                 SQLite only
#
# Further arguments go to pytest.
set -euo pipefail
TOP="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
quick=false
if [ "${1:-}" = --quick ]; then quick=true; shift; fi
"$TOP/tools/bootstrap.sh"
# Cinder's own virtualenv (for the tests that start a Cinder) installs
# while lint and types run.
"$TOP/tools/cinder.sh" install & cinder_install=$!
"$TOP/tools/ensure-services.sh"
cd "$TOP"
BIN="$TOP/.venv/bin"
# Three workers on two cores: the suite mostly waits on databases, servers
# and processes. Items go out one at a time, longest (integration) first;
# the tests of one shared service (the CLI cloud, Cinder) to one worker.
# The slowest tests are listed at the end, to keep an eye on the run time.
PYTEST=("$BIN/python" -m pytest -p no:cacheprovider -n 3 --dist loadgroup
        --durations=20)
if $quick; then
  wait "$cinder_install"
  TEST_DATABASES=sqlite exec "${PYTEST[@]}" tests/unit tests/functional \
    tests/regressions "$@"
fi
"$BIN/ruff" check nova placement servicekit tests tools
"$BIN/mypy" nova placement servicekit
wait "$cinder_install"
exec "${PYTEST[@]}" "$@"
