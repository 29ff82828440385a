#!/usr/bin/env bash
# Measure our placement against upstream openstack-placement 16.0.0 with the
# shared perf probe (../shared/conformance/placement/perf.py), both served by
# uWSGI with the same [uwsgi] settings, on the same kind of database.
#
#   tools/bench/placement_vs_upstream.sh                  # DB=sqlite, N=1000 and 5000
#   DB=mysql NS="1000" tools/bench/placement_vs_upstream.sh
#
# Environment:
#   DB            sqlite | mysql | postgresql (default sqlite)
#   NS            provider counts to seed (default "1000 5000")
#   SIDES         which sides to run (default "upstream ours"); results of a
#                 side not run are taken from an earlier run if present
#   OUR_PORT      port for ours (default 18510), UP_PORT for upstream (18520)
#   SEED_WORKERS  perf.py --seed-workers, the same for both sides. Default 4,
#                 but 1 on SQLite: upstream's SQLite writes fail with "database
#                 is locked" under concurrent seeding, which aborts the run.
#   PERF_ARGS     more perf.py arguments, passed to both sides
#
# Both sides listen through uWSGI's HTTP router (--http, http-keepalive in
# the shared ini): the plain HTTP socket drops kept-alive connections,
# aborting the seeding.
#
# Results: .state/bench/{upstream,ours}-DB-N.{json,log}; the table comes from
# tools/bench/compare_perf.py (exit status 1 when a run failed or a target
# is missed). Each reset command empties that side's database and restarts
# its server.
set -uo pipefail
TOP="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
DB="${DB:-sqlite}"
NS="${NS:-1000 5000}"
SIDES="${SIDES:-upstream ours}"
OUR_PORT="${OUR_PORT:-18510}"
UP_PORT="${UP_PORT:-18520}"
PY="$TOP/.venv/bin/python"
OUT="$TOP/.state/bench"
SHARED="${SHARED_DIR:-$TOP/../shared}"
PERF="$SHARED/conformance/placement/perf.py"
if [ "$DB" = sqlite ]; then SEED_WORKERS="${SEED_WORKERS:-1}"; else SEED_WORKERS="${SEED_WORKERS:-4}"; fi

[ -f "$PERF" ] || { echo "perf probe not found at $PERF (set SHARED_DIR)" >&2; exit 2; }
case "$DB" in sqlite|mysql|postgresql) ;; *) echo "DB must be sqlite, mysql or postgresql" >&2; exit 2 ;; esac
mkdir -p "$OUT"
cd "$TOP"

stop_side() {
  case "$1" in
    upstream) PORT="$UP_PORT" tools/bench/upstream-placement.sh stop ;;
    ours) PORT="$OUR_PORT" tools/placement-server.sh stop ;;
  esac
}
stop_all() { stop_side upstream; stop_side ours; }
trap stop_all EXIT

tools/bench/upstream-placement.sh install || exit 1

reset_cmd() {
  case "$1" in
    upstream) echo "DB=$DB PORT=$UP_PORT $TOP/tools/bench/upstream-placement.sh restart" ;;
    ours) echo "DB=$DB PORT=$OUR_PORT $TOP/tools/placement-server.sh restart default" ;;
  esac
}

port_of() { if [ "$1" = upstream ]; then echo "$UP_PORT"; else echo "$OUR_PORT"; fi; }

for n in $NS; do
  for side in $SIDES; do
    base="$OUT/$side-$DB-$n"
    rm -f "$base.json" "$base.log"
    echo "--- $side, $DB, N=$n (log: ${base#$TOP/}.log)"
    # shellcheck disable=SC2086
    "$PY" "$PERF" --url "http://127.0.0.1:$(port_of "$side")" --n "$n" \
      --reset-cmd "$(reset_cmd "$side")" --seed-workers "$SEED_WORKERS" \
      --label "$side" --json "$base.json" ${PERF_ARGS:-} > "$base.log" 2>&1
    rc=$?
    grep -E "^(seed|claims):" "$base.log" | sed 's/^/    /'
    if [ $rc -ne 0 ]; then
      rm -f "$base.json"
      echo "    FAILED (exit $rc): $(grep -v '^\s*$' "$base.log" | tail -1)"
    fi
    stop_side "$side"
  done
done

"$PY" tools/bench/compare_perf.py --dir "$OUT" --db "$DB" --ns $NS
