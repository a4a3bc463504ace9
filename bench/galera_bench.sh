#!/usr/bin/env bash
# The cost of Galera, measured side by side in one run: the same POST and
# GET scenarios (wrk, bench/load/*.lua) against the single-server stack
# (stack.sh up) and then the 3-node Galera stack (stack.sh galera-up:
# workers on nodes 1 and 2 behind one nginx upstream, daemons on nodes 2
# and 3), one after the other, on the same data set (GALERA_USERS users made
# in SQL). Three nodes on two cores is a correctness set-up, not a speed
# one: read the ratio, not the absolute figures (docs/SCALING.md).
#
#   bench/galera_bench.sh [OUT]   GALERA_SECS (10 per figure), GALERA_USERS (10000),
#                                 GALERA_CONNS (32), BENCH_PORT
set -euo pipefail

REPO=$(cd "$(dirname "$0")/.." && pwd)
BIN=${SCIMSYNC_BIN:-$REPO/build/bin}
OUT=${1:-/dev/null}
SECS=${GALERA_SECS:-10}
USERS=${GALERA_USERS:-10000}
CONNS=${GALERA_CONNS:-32}
LOAD_DIR=$REPO/bench/load
export LOAD_DIR LOAD_USERS=$USERS
source "$REPO/bench/lib.sh"

say() { echo "$*" | tee -a "$OUT"; }

STATE=
cleanup() {
  [[ -n $STATE ]] && SCIMSYNC_BIN=$BIN "$REPO/scripts/stack.sh" down "$STATE" >/dev/null 2>&1
  [[ -n $STATE ]] && rm -rf "$STATE"
  STATE=
}
trap cleanup EXIT
PORT=${BENCH_PORT:-$((20000 + RANDOM % 20000))}

# The data set, straight into the SCIM view through SOCKET (node 1).
seed() {
  mariadb --no-defaults --socket="$1" -uroot scimsync -N -e "
    INSERT INTO scim_users (id, user_name, external_id, display_name, given_name, family_name,
       email, active, version, created_ms, last_modified_ms, attributes)
    SELECT CONCAT('b0000000-0000-4000-8000-', LPAD(seq, 12, '0')), CONCAT('load-', seq),
           CONCAT('ext-', seq), CONCAT('User ', seq), CONCAT('Given', seq), CONCAT('Family', seq),
           CONCAT('load-', seq, '@example.com'), 1, 1, 0, 0,
           CONCAT('{\"userName\":\"load-', seq, '\",\"displayName\":\"User ', seq, '\",\"active\":true}')
    FROM seq_1_to_$USERS"
}

# One stack's figures: "POST rps p50 p99 non2xx | GET ...".
measure() {
  local label=$1 socket=$2
  seed "$socket"
  LOAD_TOKEN=$("$BIN/scimctl" --config "$STATE/scimsync.conf" token create --name "bench-$label")
  export LOAD_TOKEN
  local post get
  post=$(LOAD_RUN=$label-$$ run_wrk "$CONNS" post_users.lua "http://127.0.0.1:$PORT")
  get=$(run_wrk "$CONNS" get_by_id.lua "http://127.0.0.1:$PORT")
  say "$(printf '%-22s POST %s   GET %s' "$label" "$post" "$get")"
}

say "== scimsync Galera vs single server, $(date -u +%FT%TZ), $(nproc) cores, ${SECS}s per figure, $CONNS connections"
say "   (each figure: requests/s, p50 ms, p99 ms, non-2xx)"
STATE=$(mktemp -d /tmp/scimsync-gbench.XXXXXX)
SCIMSYNC_BIN=$BIN "$REPO/scripts/stack.sh" up "$STATE" "$PORT" >/dev/null 2>&1
measure single-server "$STATE/run/mysqld.sock"
cleanup

STATE=$(mktemp -d /tmp/scimsync-gbench.XXXXXX)
base=$((20000 + (RANDOM % 4000) * 10))
SCIMSYNC_BIN=$BIN "$REPO/scripts/stack.sh" galera-up "$STATE" "$PORT" "$base" >/dev/null 2>&1
measure galera-3-nodes "$STATE/galera/node1/mysqld.sock"
cleanup
