#!/usr/bin/env bash
# Serve upstream openstack-placement 16.0.0 under uWSGI on 127.0.0.1:$PORT,
# as a measuring peer for tools/bench/placement_vs_upstream.sh. Never part of
# the product: it lives in a throwaway virtualenv under .state/bench/.
#
#   PORT=18520 DB=sqlite tools/bench/upstream-placement.sh restart
#   PORT=18520 tools/bench/upstream-placement.sh stop
#   tools/bench/upstream-placement.sh install
#
# restart: stops any upstream server on PORT, drops and recreates its
# database (DB=sqlite|mysql|postgresql), runs `placement-manage db sync` and
# starts uWSGI with the same [uwsgi] settings (processes, threads, ...) as
# etc/placement/placement-uwsgi.ini, only the WSGI module differs. It
# listens through uWSGI's HTTP router (--http), as tools/placement-server.sh
# does.
set -euo pipefail
TOP="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
PORT="${PORT:-18520}"
DB="${DB:-sqlite}"
ACTION="${1:-restart}"
VERSION=16.0.0
VENV="$TOP/.state/bench/upstream-venv"
STATE="$TOP/.state/bench/upstream-$PORT"
# Our venv's Python only drops and creates databases (SQLAlchemy + drivers).
PY="${PYTHON:-$TOP/.venv/bin/python}"

install() {
  if [ -x "$VENV/bin/uwsgi" ] && [ -x "$VENV/bin/placement-manage" ] &&
     "$VENV/bin/python" -c "import importlib.metadata as m, sys; \
sys.exit(m.version('openstack-placement') != '$VERSION')" 2>/dev/null; then
    return 0
  fi
  python3 -m venv "$VENV"
  "$VENV/bin/pip" install -q "openstack-placement==$VERSION" uwsgi PyMySQL \
    psycopg2-binary 2>&1 | grep -v "^WARNING: Location" >&2 || true
  [ -x "$VENV/bin/uwsgi" ] && [ -x "$VENV/bin/placement-manage" ] ||
    { echo "installing openstack-placement $VERSION and uwsgi into $VENV failed" >&2; exit 1; }
}

stop() {
  if [ -f "$STATE/uwsgi.pid" ]; then
    pid=$(cat "$STATE/uwsgi.pid")
    if kill -0 "$pid" 2>/dev/null; then
      kill -INT "$pid" 2>/dev/null || true
      for _ in $(seq 100); do kill -0 "$pid" 2>/dev/null || break; sleep 0.05; done
      kill -9 "$pid" 2>/dev/null || true
    fi
    rm -f "$STATE/uwsgi.pid"
  fi
}

db_url() {
  case "$DB" in
    sqlite) echo "sqlite:///$STATE/placement.sqlite" ;;
    mysql) echo "mysql+pymysql://root@127.0.0.1:3306/placement_up_$PORT?charset=utf8mb4" ;;
    postgresql) echo "postgresql+psycopg2://postgres@127.0.0.1:5432/placement_up_$PORT" ;;
    *) echo "DB must be sqlite, mysql or postgresql" >&2; exit 2 ;;
  esac
}

# Drop and recreate the database: upstream's schema comes from its own
# `placement-manage db sync`, so start from nothing.
recreate_db() {
  "$PY" - "$1" <<'PYEOF'
import os
import sys

import sqlalchemy as sa

u = sa.engine.make_url(sys.argv[1])
backend = u.get_backend_name()
if backend == 'sqlite':
    if os.path.exists(u.database):
        os.remove(u.database)
    sys.exit(0)
if backend == 'mysql':
    # URL.set() ignores database=None: build the server-level URL anew.
    admin = sa.engine.URL.create(u.drivername, u.username, u.password,
                                 u.host, u.port)
    ddl = ['DROP DATABASE IF EXISTS `%s`' % u.database,
           'CREATE DATABASE `%s` CHARACTER SET utf8mb4' % u.database]
else:
    admin = u.set(database='postgres')
    ddl = ['DROP DATABASE IF EXISTS "%s" WITH (FORCE)' % u.database,
           'CREATE DATABASE "%s"' % u.database]
engine = sa.create_engine(admin, isolation_level='AUTOCOMMIT')
with engine.connect() as conn:
    for stmt in ddl:
        conn.execute(sa.text(stmt))
engine.dispose()
PYEOF
}

write_config() {
  {
    echo "[DEFAULT]"
    echo "debug = False"
    echo "log_file = $STATE/placement.log"
    echo "[api]"
    echo "auth_strategy = noauth2"
    echo "[placement_database]"
    echo "connection = $1"
  } > "$STATE/placement.conf"
  # Same [uwsgi] settings as ours; only the application differs.
  sed -e 's/^module *=.*/module = placement.wsgi.api:application/' \
    "$TOP/etc/placement/placement-uwsgi.ini" > "$STATE/uwsgi.ini"
}

case "$ACTION" in
  install) install ;;
  stop) stop ;;
  restart)
    install
    stop
    mkdir -p "$STATE"
    url=$(db_url)
    recreate_db "$url"
    write_config "$url"
    "$VENV/bin/placement-manage" --config-file "$STATE/placement.conf" db sync \
      > "$STATE/db-sync.log" 2>&1 ||
      { echo "placement-manage db sync failed:" >&2; tail -20 "$STATE/db-sync.log" >&2; exit 1; }
    : > "$STATE/uwsgi.log"
    # Run from the state dir so nothing of our tree is importable as
    # `placement`: upstream must be the only placement package on the path.
    (cd "$STATE" && OS_PLACEMENT_CONFIG_DIR="$STATE" PYTHONPATH= "$VENV/bin/uwsgi" \
      --ini "$STATE/uwsgi.ini" \
      --http "127.0.0.1:$PORT" --chdir "$STATE" \
      --virtualenv "$VENV" \
      --pidfile "$STATE/uwsgi.pid" --daemonize "$STATE/uwsgi.log")
    # Loading the app takes seconds, far longer on a busy machine.
    deadline=$((SECONDS + ${PLACEMENT_START_TIMEOUT:-120}))
    while [ "$SECONDS" -lt "$deadline" ]; do
      if curl -sf "http://127.0.0.1:$PORT/" >/dev/null 2>&1; then exit 0; fi
      sleep 0.1
    done
    echo "upstream placement did not answer on port $PORT; see $STATE/uwsgi.log" >&2
    tail -20 "$STATE/uwsgi.log" >&2
    stop
    exit 1 ;;
  *) echo "usage: $0 {install|restart|stop}" >&2; exit 2 ;;
esac
