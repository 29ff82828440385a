#!/usr/bin/env bash
# Serve placement under uWSGI on 127.0.0.1:$PORT for tests and conformance.
#
#   PORT=8778 DB=sqlite tools/placement-server.sh restart PROFILE
#   PORT=8778 DB=sqlite tools/placement-server.sh reset PROFILE
#   PORT=8778 tools/placement-server.sh stop
#
# restart: stops any server on PORT, empties and migrates the database
# (DB=sqlite|mysql|postgresql), writes a config for PROFILE and starts uWSGI.
# reset: the same, but when the server on PORT already runs PROFILE on DB it
# only empties the database (keeping the standard resource classes and
# traits the server wrote): a fresh placement for a second's fraction.
# Profiles: default (noauth2, legacy policy defaults: the deprecated
# admin-only rules still allow), secure_rbac (only the new defaults),
# open_policy (every rule but admin_api open to all), cors (default plus
# CORS for http://valid.example.com). Scope is enforced in all of them.
# PLACEMENT_START_TIMEOUT (seconds, default 120) bounds the wait for uWSGI.
set -euo pipefail
TOP="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
PORT="${PORT:-8778}"
DB="${DB:-sqlite}"
ACTION="${1:-restart}"
PROFILE="${2:-default}"
STATE="$TOP/.state/placement-$PORT"
PY="${PYTHON:-$TOP/.venv/bin/python}"
UWSGI="${UWSGI:-$(dirname "$PY")/uwsgi}"
mkdir -p "$STATE"

# Our uWSGI processes: those whose command line names our pid file.
ours() {
  for p in "$@"; do
    if grep -qs -- "$STATE/uwsgi.pid" "/proc/$p/cmdline"; then echo "$p"; fi
  done
}

stop() {
  [ -f "$STATE/uwsgi.pid" ] || return 0
  pid=$(cat "$STATE/uwsgi.pid")
  # Immediate: a test server holds nothing that needs a graceful shutdown,
  # and uWSGI's graceful one costs seconds per restart. Workers go with the
  # master, or one would keep serving the old app on the port.
  left=$(ours "$pid" $(pgrep -P "$pid" 2>/dev/null || true))
  if [ -n "$left" ]; then kill -9 $left 2>/dev/null || true; fi
  for _ in $(seq 100); do
    curl -s -o /dev/null --max-time 1 "http://127.0.0.1:$PORT/" || break
    sleep 0.1
  done
  rm -f "$STATE/uwsgi.pid" "$STATE/serving"
}

db_url() {
  case "$DB" in
    sqlite) echo "sqlite:///$STATE/placement.sqlite" ;;
    mysql) echo "mysql+pymysql://root@127.0.0.1:3306/placement_$PORT?charset=utf8mb4" ;;
    postgresql) echo "postgresql+psycopg2://postgres@127.0.0.1:5432/placement_$PORT" ;;
    *) echo "DB must be sqlite, mysql or postgresql" >&2; exit 2 ;;
  esac
}

write_config() {
  local url="$1"
  {
    echo "[DEFAULT]"
    echo "debug = False"
    echo "log_file = $STATE/placement.log"
    echo "[api]"
    echo "auth_strategy = noauth2"
    echo "[placement_database]"
    echo "connection = $url"
    echo "[oslo_policy]"
    echo "policy_file = $STATE/policy.yaml"
    # Scope is checked in every profile (system-scoped tokens get 403, as
    # upstream's legacy tests expect); only secure_rbac drops the
    # deprecated admin-only defaults.
    echo "enforce_scope = True"
    case "$PROFILE" in
      secure_rbac) echo "enforce_new_defaults = True" ;;
      *) echo "enforce_new_defaults = False" ;;
    esac
    if [ "$PROFILE" = cors ]; then
      echo "[cors]"
      echo "allowed_origin = http://valid.example.com"
      echo "allow_headers = openstack-api-version"
    fi
  } > "$STATE/placement.conf"
  if [ "$PROFILE" = open_policy ]; then
    "$PY" - "$STATE/policy.yaml" <<'PYEOF'
import sys
from placement import policies
names = [r.name for r in policies.list_rules() if r.name != 'admin_api']
with open(sys.argv[1], 'w') as fh:
    for name in names:
        fh.write('"%s": "@"\n' % name)
PYEOF
  else
    : > "$STATE/policy.yaml"
  fi
}

# Empty the database of a running server with the database's own client
# and the script written at start (no Python start-up), or with Python
# where that client is not installed.
empty_db() {
  local sql="$STATE/empty.sql"
  case "$DB" in
    sqlite) if command -v sqlite3 >/dev/null; then
        sqlite3 "$STATE/placement.sqlite" < "$sql" && return; fi ;;
    mysql) if command -v mysql >/dev/null; then
        mysql -uroot -h127.0.0.1 -P3306 "placement_$PORT" < "$sql" &&
          return; fi ;;
    postgresql) if command -v psql >/dev/null; then
        psql -q -X -v ON_ERROR_STOP=1 -h 127.0.0.1 -U postgres \
          -d "placement_$PORT" -f "$sql" >/dev/null && return; fi ;;
  esac
  (cd "$TOP" && "$PY" tools/placement_db.py empty "$(db_url)")
}

running() {
  [ -f "$STATE/uwsgi.pid" ] && kill -0 "$(cat "$STATE/uwsgi.pid")" 2>/dev/null &&
    [ "$(cat "$STATE/serving" 2>/dev/null)" = "$DB $PROFILE" ]
}

case "$ACTION" in
  stop) stop ;;
  reset|restart)
    if [ "$ACTION" = reset ] && running; then
      empty_db
      exit 0
    fi
    stop
    url=$(db_url)
    case "$PROFILE" in default|secure_rbac|open_policy|cors) ;;
      *) echo "unknown profile $PROFILE" >&2; exit 2 ;; esac
    (cd "$TOP" && "$PY" tools/placement_db.py reset "$url" &&
      "$PY" tools/placement_db.py empty-sql "$url" > "$STATE/empty.sql")
    write_config "$url"
    : > "$STATE/uwsgi.log"
    PLACEMENT_CONFIG_FILE="$STATE/placement.conf" "$UWSGI" \
      --ini "$TOP/etc/placement/placement-uwsgi.ini" \
      --http "127.0.0.1:$PORT" --chdir "$TOP" \
      --virtualenv "$(cd "$(dirname "$PY")/.." && pwd)" \
      --pidfile "$STATE/uwsgi.pid" --daemonize "$STATE/uwsgi.log" \
      ${PLACEMENT_UWSGI_ARGS:-}
    # Loading the app takes seconds, far longer on a busy machine.
    deadline=$((SECONDS + ${PLACEMENT_START_TIMEOUT:-120}))
    while [ "$SECONDS" -lt "$deadline" ]; do
      if curl -sf "http://127.0.0.1:$PORT/" >/dev/null 2>&1; then
        echo "$DB $PROFILE" > "$STATE/serving"; exit 0
      fi
      sleep 0.1
    done
    echo "placement did not answer on port $PORT; see $STATE/uwsgi.log" >&2
    tail -20 "$STATE/uwsgi.log" >&2
    stop
    exit 1 ;;
  *) echo "usage: $0 {restart|reset|stop} [PROFILE]" >&2; exit 2 ;;
esac
