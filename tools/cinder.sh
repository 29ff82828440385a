#!/usr/bin/env bash
# Upstream Cinder (PyPI, its own virtualenv .cinder-venv) for the
# all-in-one cloud; tools/cloud runs it.
#   tools/cinder.sh install        build .cinder-venv (once; instant after)
#   tools/cinder.sh up             start cinder-api, -scheduler and -volume
#   tools/cinder.sh down [--purge] stop them (--purge: drop the database
#                                  and the RabbitMQ vhost too)
#   tools/cinder.sh status         what runs, and the pools the scheduler has
#   tools/cinder.sh port           the API's port
# State and logs in ${CLOUD_STATE:-.state/cloud}/cinder. Each state
# directory gets its own MariaDB database and RabbitMQ vhost (named from a
# hash of its path), so clouds can run side by side. The API listens on
# 127.0.0.1:$CINDER_PORT (default 8776; for a CLOUD_STATE other than the
# default, a free port picked once and kept in the state directory),
# auth_strategy noauth: the token USER:PROJECT, every request is admin.
# The backend is tools/cinder/fake_backend.py (volumes are files).
set -euo pipefail
TOP="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
CINDER_VERSION=29.0.0
VENV="$TOP/.cinder-venv"
DEFAULT_STATE="$TOP/.state/cloud"
STATE="${CLOUD_STATE:-$DEFAULT_STATE}"
DIR="$STATE/cinder"
CONF="$DIR/cinder.conf"
NOVA_URL="http://127.0.0.1:${NOVA_API_PORT:-8774}"
MYSQL_HOST=127.0.0.1 MYSQL_PORT=3306 RABBIT_PORT=5672
TIMEOUT="${CINDER_START_TIMEOUT:-${CLOUD_START_TIMEOUT:-120}}"
SERVICES="scheduler volume"
REGISTRY="$TOP/.state/cinder-databases"

install() {
  local stamp="$VENV/.installed-cinder-$CINDER_VERSION"
  [ -x "$TOP/.venv/bin/uwsgi" ] || "$TOP/tools/bootstrap.sh"
  [ -f "$stamp" ] && return 0
  # Test clouds start side by side: one installs, the others wait.
  mkdir -p "$TOP/.state"
  exec 8> "$TOP/.state/cinder-install.lock"
  flock 8
  if [ ! -f "$stamp" ]; then
    echo "installing cinder $CINDER_VERSION into $VENV"
    # The interpreter of .venv, whose uWSGI serves the API from this venv.
    [ -x "$VENV/bin/python" ] || "$TOP/.venv/bin/python" -m venv "$VENV"
    # fixtures: cinder.tests (the fake driver's package) imports it.
    "$VENV/bin/pip" install --disable-pip-version-check -q \
      "cinder==$CINDER_VERSION" fixtures PyMySQL > "$VENV/pip-install.log" 2>&1 || {
      tail -30 "$VENV/pip-install.log" >&2
      echo "pip install failed; see $VENV/pip-install.log" >&2; exit 1; }
    rm -f "$VENV"/.installed-cinder-*
    touch "$stamp"
  fi
  exec 8>&-
}

# Database and vhost name: short, stable for a state directory, distinct
# between state directories.
db_name() {
  mkdir -p "$DIR"
  echo "cinder_$(cd "$STATE" && pwd -P | sha1sum | cut -c1-8)"
}

pick_port() {
  if [ -n "${CINDER_PORT:-}" ]; then echo "$CINDER_PORT"
  elif [ "$STATE" = "$DEFAULT_STATE" ]; then echo 8776
  elif [ -s "$DIR/port" ]; then cat "$DIR/port"
  else
    python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'
  fi
}

port() {
  local port
  port=$(pick_port)
  mkdir -p "$DIR"; echo "$port" > "$DIR/port"
  echo "$port"
}

reachable() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

write_config() {
  local name="$1" port="$2"
  mkdir -p "$DIR/lock"
  cat > "$CONF" <<CONF
[DEFAULT]
host = cloud
api_paste_config = $DIR/api-paste.ini
resource_query_filters_file = $VENV/etc/cinder/resource_filters.json
auth_strategy = noauth
osapi_volume_listen_port = $port
transport_url = rabbit://guest:guest@127.0.0.1:$RABBIT_PORT/$name
enabled_backends = fake
default_volume_type = __DEFAULT__
state_path = $DIR
# Short intervals: the scheduler learns of the backend within seconds of
# a start, even when the first capability report went to no one.
periodic_interval = 2
periodic_fuzzy_delay = 0
backend_stats_polling_interval = 3
scheduler_driver_init_wait_time = 5
report_interval = 5
graceful_shutdown_timeout = 1
glance_api_servers = $NOVA_URL/image
glance_num_retries = 0
[database]
connection = mysql+pymysql://root@$MYSQL_HOST:$MYSQL_PORT/$name?charset=utf8mb4
[oslo_concurrency]
lock_path = $DIR/lock
[coordination]
backend_url = file://$DIR/lock
[fake]
volume_driver = fake_backend.FileBackedDriver
volume_backend_name = fake
# Cinder's calls to Nova as a privileged user (server external events:
# volume-extended): noauth2 takes this token at its word.
[nova]
auth_type = admin_token
endpoint = $NOVA_URL/v2.1
token = admin:admin
CONF
}

# Create the database if missing; print the schema version Cinder's
# migrations left in it, or nothing.
db_version() {
  "$VENV/bin/python" - "$1" "$MYSQL_HOST" "$MYSQL_PORT" <<'PY'
import sys
import pymysql
name, host, port = sys.argv[1], sys.argv[2], int(sys.argv[3])
conn = pymysql.connect(host=host, port=port, user='root')
with conn.cursor() as cur:
    cur.execute('CREATE DATABASE IF NOT EXISTS `%s` CHARACTER SET utf8mb4' % name)
    cur.execute("SELECT 1 FROM information_schema.tables WHERE table_schema=%s"
                " AND table_name='alembic_version'", (name,))
    if cur.fetchone():
        cur.execute('SELECT version_num FROM `%s`.alembic_version' % name)
        print(' '.join(r[0] for r in cur.fetchall()))
PY
}

# db sync only when the database is not at the version this Cinder
# synced it to last time (saves seconds on every warm start).
database() {
  local name="$1" have stamp="$DIR/db-synced"
  have=$(db_version "$name")
  if [ -n "$have" ] && [ "$(cat "$stamp" 2>/dev/null)" = "$CINDER_VERSION $have" ]; then
    return 0
  fi
  "$VENV/bin/cinder-manage" --config-file "$CONF" \
    --log-file "$DIR/cinder-manage.log" db sync >/dev/null 2>&1 || {
    echo "cinder-manage db sync failed:" >&2
    tail -n 20 "$DIR/cinder-manage.log" >&2; return 1; }
  echo "$CINDER_VERSION $(db_version "$name")" > "$stamp"
}

# rabbitmqctl costs a second a call: once per state directory (purge
# forgets it).
vhost() {
  local name="$1"
  [ "$(cat "$DIR/vhost" 2>/dev/null)" = "$name" ] && return 0
  { rabbitmqctl -q add_vhost "$name" &&
    rabbitmqctl -q set_permissions -p "$name" guest '.*' '.*' '.*'; } \
    > "$DIR/rabbitmqctl.log" 2>&1 || {
    cat "$DIR/rabbitmqctl.log" >&2; echo "could not create vhost $name" >&2
    return 1; }
  echo "$name" > "$DIR/vhost"
}

alive() { [ -s "$1" ] && kill -0 "$(cat "$1")" 2>/dev/null; }

start_service() {
  local svc="$1"
  alive "$DIR/cinder-$svc.pid" && return 0
  # Where this start's log lines begin (the log file is appended to).
  stat -c %s "$DIR/cinder-$svc.log" > "$DIR/cinder-$svc.log-start" 2>/dev/null ||
    echo 0 > "$DIR/cinder-$svc.log-start"
  # The fake backend's module comes from the repository. Upstream's
  # deprecation warnings would bury what matters in the .out files.
  PYTHONPATH="$TOP/tools/cinder" PYTHONWARNINGS=ignore nohup "$VENV/bin/cinder-$svc" \
    --config-file "$CONF" --log-file "$DIR/cinder-$svc.log" \
    > "$DIR/cinder-$svc.out" 2>&1 < /dev/null &
  echo $! > "$DIR/cinder-$svc.pid"
}

# Upstream's paste pipeline with tools/cinder/discovery.py in front of
# noauth.
api_paste() {
  sed -e 's/^\(noauth = .*\) noauth apiv3$/\1 discovery noauth apiv3/' \
    "$VENV/etc/cinder/api-paste.ini" > "$DIR/api-paste.ini"
  grep -q ' discovery noauth apiv3$' "$DIR/api-paste.ini" || {
    echo "cinder's api-paste.ini has no noauth pipeline to extend" >&2
    return 1; }
  printf '\n[filter:discovery]\npaste.filter_factory = discovery:filter_factory\n' \
    >> "$DIR/api-paste.ini"
}

start_api() {
  local port="$1"
  alive "$DIR/cinder-api.pid" && return 0
  api_paste
  cat > "$DIR/cinder-api-uwsgi.ini" <<INI
[uwsgi]
virtualenv = $VENV
pythonpath = $TOP/tools/cinder
env = PYTHONWARNINGS=ignore
module = cinder.wsgi.api:application
pyargv = --config-file $CONF --log-file $DIR/cinder-api.log
http = 127.0.0.1:$port
http-keepalive = 1
master = true
processes = 1
threads = 4
enable-threads = true
lazy-apps = true
die-on-term = true
need-app = true
buffer-size = 65535
pidfile = $DIR/cinder-api.pid
INI
  : > "$DIR/cinder-api-uwsgi.log"
  "$TOP/.venv/bin/uwsgi" --ini "$DIR/cinder-api-uwsgi.ini" \
    --daemonize "$DIR/cinder-api-uwsgi.log" > "$DIR/cinder-api-uwsgi.out" 2>&1
}

api() {
  local method="$1" path="$2"; shift 2
  curl -sf -X "$method" -H 'X-Auth-Token: admin:admin' \
    -H 'Content-Type: application/json' \
    -H 'OpenStack-API-Version: volume 3.71' \
    "http://127.0.0.1:$(cat "$DIR/port")/v3$path" "$@"
}

failed() {
  local svc
  echo "cinder failed to start: $1" >&2
  for svc in api-uwsgi api scheduler volume; do
    for f in "$DIR/cinder-$svc.log" "$DIR/cinder-$svc.out"; do
      [ -s "$f" ] || continue
      echo "--- $f" >&2; tail -n 15 "$f" >&2
    done
  done
  down; exit 1
}

# The volume type for multiattach volumes, once.
volume_types() {
  api GET '/types?is_public=None' | grep -q '"name": *"multiattach"' ||
    api POST /types -d '{"volume_type": {"name": "multiattach",
      "extra_specs": {"multiattach": "<is> True"}}}' >/dev/null
}

# Whether the service has logged PATTERN since it started.
logged() {
  local svc="$1" pattern="$2" offset
  offset=$(cat "$DIR/cinder-$svc.log-start" 2>/dev/null || echo 0)
  tail -c "+$((offset + 1))" "$DIR/cinder-$svc.log" 2>/dev/null | grep -q "$pattern"
}

# Ready: the volume service's RPC server runs; the scheduler's too (its
# first periodic task, reaping messages, runs after it asked the backends
# for their capabilities); the scheduler knows the backend's pool. The API
# is asked only then: its RPC call to a scheduler not yet listening would
# tie up an API thread for rpc_response_timeout.
ready() {
  logged volume 'Driver post RPC initialization completed' &&
    logged scheduler 'Deleted [0-9]* expired messages' &&
    api GET /scheduler-stats/get_pools 2>/dev/null | grep -q '"name"'
}

up() {
  install
  "$TOP/tools/ensure-services.sh"
  reachable "$MYSQL_PORT" && reachable "$RABBIT_PORT" || {
    echo "Cinder needs MariaDB on 127.0.0.1:$MYSQL_PORT and RabbitMQ on" \
      "127.0.0.1:$RABBIT_PORT (tools/ensure-services.sh starts them when" \
      "installed); CLOUD_CINDER=0 runs the cloud without Cinder" >&2
    exit 1; }
  local name port pid_vhost svc deadline
  name=$(db_name)
  port=$(port)
  write_config "$name" "$port"
  register "$name"
  vhost "$name" & pid_vhost=$!
  database "$name" || { wait "$pid_vhost" || true; exit 1; }
  wait "$pid_vhost" || exit 1
  # Scheduler, volume and API start together: the scheduler asks for the
  # backends' capabilities when it starts, and the volume service sends
  # them again every few seconds (backend_stats_polling_interval) in case
  # the scheduler was not listening yet.
  for svc in $SERVICES; do start_service "$svc"; done
  start_api "$port"
  deadline=$((SECONDS + TIMEOUT))
  until ready; do
    for svc in $SERVICES; do
      alive "$DIR/cinder-$svc.pid" || failed "cinder-$svc exited"
    done
    [ -s "$DIR/cinder-api.pid" ] && ! alive "$DIR/cinder-api.pid" &&
      failed "the API's uWSGI exited"
    [ "$SECONDS" -lt "$deadline" ] ||
      failed "no backend reported to the scheduler in ${TIMEOUT}s"
    sleep 0.2
  done
  volume_types || failed "could not create the volume type multiattach"
  echo "cinder: http://127.0.0.1:$port/v3 (noauth; token 'admin:admin')"
}

# Our processes: cinder-scheduler and cinder-volume (and the workers they
# fork) run with this state directory's config file, uWSGI's master and
# workers with its ini file.
ours() {
  local p cmd
  for p in $(pgrep -f -- "$DIR/cinder" 2>/dev/null || true); do
    cmd=$( { tr '\0' ' ' < "/proc/$p/cmdline"; } 2>/dev/null) || continue
    case "$cmd" in
      *"--config-file $CONF "*|*"--ini $DIR/cinder-api-uwsgi.ini "*) echo "$p" ;;
    esac
  done
}

# Signal the process of a pid file and its children.
signal() {
  local pid
  [ -s "$1" ] || return 0
  pid=$(cat "$1")
  kill "-$2" "$pid" $(pgrep -P "$pid" 2>/dev/null) 2>/dev/null || true
}

down() {
  local left
  [ -d "$DIR" ] || return 0
  # SIGINT: uWSGI's immediate shutdown. SIGTERM: the services' graceful
  # one, which graceful_shutdown_timeout bounds; cinder-volume's worker
  # gets it too, or it lingers for seconds after its parent is gone.
  kill -INT "$(cat "$DIR/cinder-api.pid" 2>/dev/null)" 2>/dev/null || true
  signal "$DIR/cinder-scheduler.pid" TERM
  signal "$DIR/cinder-volume.pid" TERM
  for _ in $(seq 150); do
    [ -z "$(ours)" ] && break
    sleep 0.1
  done
  left=$(ours)
  if [ -n "$left" ]; then
    echo "cinder: killing what did not stop:" $left >&2
    kill -9 $left 2>/dev/null || true
  fi
  rm -f "$DIR"/cinder-*.pid
}

# Drop a database and a vhost (errors ignored: either may be gone).
drop() {
  "$VENV/bin/python" - "$1" "$MYSQL_HOST" "$MYSQL_PORT" <<'PY' || true
import sys
import pymysql
name, host, port = sys.argv[1], sys.argv[2], int(sys.argv[3])
pymysql.connect(host=host, port=port, user='root').cursor().execute(
    'DROP DATABASE IF EXISTS `%s`' % name)
PY
  rabbitmqctl -q delete_vhost "$1" >/dev/null 2>&1 || true
}

# Every state directory's database and vhost are listed in $REGISTRY; those
# of directories that are gone (test clouds in removed temporary
# directories) are dropped, in the background, when another cloud starts.
register() {
  local name="$1" n path dead=""
  mkdir -p "$(dirname "$REGISTRY")"
  exec 9>>"$REGISTRY.lock"
  flock 9
  touch "$REGISTRY"
  grep -q "^$name " "$REGISTRY" || echo "$name $(cd "$STATE" && pwd -P)" >> "$REGISTRY"
  while read -r n path; do
    [ -d "$path" ] || dead="$dead $n"
  done < "$REGISTRY"
  if [ -n "$dead" ]; then
    grep -v -F -f <(printf '%s \n' $dead) "$REGISTRY" > "$REGISTRY.new" || true
    mv "$REGISTRY.new" "$REGISTRY"
    # Without the lock (fd 9): the drops take seconds.
    ( for n in $dead; do drop "$n"; done ) 9>&- > /dev/null 2>&1 < /dev/null &
  fi
  exec 9>&-
}

purge() {
  local name
  down
  [ -d "$DIR" ] || return 0
  name=$(db_name)
  drop "$name"
  rm -f "$DIR/vhost" "$DIR/db-synced"
  if [ -f "$REGISTRY" ]; then
    exec 9>>"$REGISTRY.lock"; flock 9
    grep -v "^$name " "$REGISTRY" > "$REGISTRY.new" || true
    mv "$REGISTRY.new" "$REGISTRY"
    exec 9>&-
  fi
}

status() {
  local svc state rc=0
  for svc in api scheduler volume; do
    if alive "$DIR/cinder-$svc.pid"; then state="running (pid $(cat "$DIR/cinder-$svc.pid"))"
    else state=stopped; rc=1; fi
    echo "cinder-$svc: $state"
  done
  if [ "$rc" = 0 ]; then
    echo "API: http://127.0.0.1:$(cat "$DIR/port")/v3"
    echo "pools: $(api GET /scheduler-stats/get_pools || echo '(no answer)')"
  fi
  return "$rc"
}

case "${1:-}" in
  install) install ;;
  up) up ;;
  down) if [ "${2:-}" = --purge ]; then purge; else down; fi; echo "cinder stopped" ;;
  purge) purge; echo "cinder stopped, database and vhost dropped" ;;
  status) status ;;
  port) port ;;
  *) echo "usage: $0 {install|up|down [--purge]|purge|status|port}" >&2; exit 2 ;;
esac
