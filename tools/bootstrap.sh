#!/usr/bin/env bash
# Create (or refresh) the project's virtualenv in .venv with everything the
# services and the tests need. Cheap when nothing changed.
set -euo pipefail
TOP="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
VENV="$TOP/.venv"
PYTHON="${PYTHON:-python3}"
"$PYTHON" -c 'import sys; sys.exit(sys.version_info < (3, 11))' || {
  echo "Python 3.11 or newer is required" >&2; exit 1; }
if ! command -v curl >/dev/null 2>&1 && command -v apt-get >/dev/null 2>&1; then
  apt-get update -qq && apt-get install -y -qq curl >/dev/null
fi
[ -x "$VENV/bin/python" ] || "$PYTHON" -m venv "$VENV"
# Pinned versions (upper-constraints.txt): an install is repeatable, and a
# change of pins re-installs as a change of requirements does.
CONSTRAINTS="$TOP/upper-constraints.txt"
stamp="$VENV/.installed-$(cat "$TOP/setup.cfg" "$TOP/setup.py" "$CONSTRAINTS" |
  sha1sum | cut -c1-12)"
if [ ! -f "$stamp" ]; then
  log="$VENV/pip-install.log"
  { "$VENV/bin/pip" install --disable-pip-version-check -U pip wheel &&
    "$VENV/bin/pip" install --disable-pip-version-check -c "$CONSTRAINTS" \
      -e "$TOP[test]"; } > "$log" 2>&1 || {
    tail -30 "$log" >&2; echo "pip install failed; see $log" >&2; exit 1; }
  # The [test] extra brings uWSGI and the clients tools/cloud and the
  # integration tests drive (openstack with osc-placement, nova).
  for tool in uwsgi openstack nova; do
    [ -x "$VENV/bin/$tool" ] || { echo "$tool failed to install" >&2; exit 1; }
  done
  rm -f "$VENV"/.installed-*
  touch "$stamp"
fi
