#!/usr/bin/env bash
# End-to-end load benchmark (issue 6): a private stack like `make test`'s,
# a realistic data set (100,000 users with enterprise attributes; groups of
# 10, 1,000 and 50,000 members), wrk scenarios at 1 and 32 connections, and
# in the same run the machine's ceilings: nginx + a libfcgi hello responder,
# and the raw SQL of POST's transaction (bench/ceiling/). Every figure is
# printed next to its ceiling. Loopback only; bounded by LOAD_SECONDS.
#   bench/load_bench.sh [OUT_FILE]        LOAD_SECONDS=10 LOAD_USERS=100000
# BENCH_PORT=N: the stack's nginx on ports N..N+2 (default: random).
# For profiling: LOAD_SCENARIOS=REGEX runs only the scenarios whose wrk
# script matches; LOAD_HOLD=1 sets up the stack and data, writes its
# coordinates to $STATE/bench.env, and waits (up to an hour) until the file
# $STATE/release exists, then tears the stack down.
set -euo pipefail
REPO=$(cd "$(dirname "$0")/.." && pwd)
BIN=$REPO/build/bin
OUT=${1:-/dev/stdout}
SECS=${LOAD_SECONDS:-10}
USERS=${LOAD_USERS:-100000}
say() { echo "$*" | tee -a "$OUT"; }

mkdir -p "$REPO/build/bench"
gcc -O2 -Wall -Wextra -pthread "$REPO/bench/ceiling/sql_ceiling.c" \
  $(pkg-config --cflags --libs libmariadb) -o "$REPO/build/bench/sql_ceiling"

STATE=$(mktemp -d /tmp/scimsync-load.XXXXXX)
HELLO_PID=
cleanup() {
  [[ -n $HELLO_PID ]] && kill $HELLO_PID 2>/dev/null
  SCIMSYNC_BIN=$BIN "$REPO/scripts/stack.sh" down "$STATE" >/dev/null 2>&1 || true
  rm -rf "$STATE"
}
trap cleanup EXIT
PORT=${BENCH_PORT:-$((20000 + RANDOM % 20000))}
HPORT=$((PORT + 1))
SCIMSYNC_BIN=$BIN "$REPO/scripts/stack.sh" up "$STATE" "$PORT" >/dev/null 2>&1
sql() { mariadb --no-defaults --socket="$STATE/run/mysqld.sock" -uroot scimsync -N -e "$1"; }

say "== scimsync load benchmark, $(date -u +%FT%TZ), $(nproc) cores, ${SECS}s per figure"
# The data set, straight into the SCIM view (the API is what is measured).
sql "INSERT INTO scim_users (id, user_name, external_id, display_name, given_name, family_name, email,
       active, version, created_ms, last_modified_ms, attributes)
     SELECT CONCAT('b0000000-0000-4000-8000-', LPAD(seq, 12, '0')), CONCAT('load-', seq),
            CONCAT('ext-', seq), CONCAT('User ', seq), CONCAT('Given', seq), CONCAT('Family', seq),
            CONCAT('load-', seq, '@example.com'), 1, 1, 0, 0,
            CONCAT('{\"userName\":\"load-', seq, '\",\"externalId\":\"ext-', seq,
                   '\",\"name\":{\"givenName\":\"Given', seq, '\",\"familyName\":\"Family', seq,
                   '\"},\"displayName\":\"User ', seq, '\",\"emails\":[{\"value\":\"load-', seq,
                   '@example.com\",\"type\":\"work\",\"primary\":true}],\"active\":true,\"title\":\"Engineer\",',
                   '\"urn:ietf:params:scim:schemas:extension:enterprise:2.0:User\":{\"employeeNumber\":\"', seq,
                   '\",\"department\":\"Dept ', seq % 50, '\",\"costCenter\":\"CC', seq % 10, '\"}}')
     FROM seq_1_to_$USERS"
for size in 10 1000 50000; do
  gid=$(printf 'c0000000-0000-4000-8000-%012d' "$size")
  sql "INSERT INTO scim_groups (id, display_name, version, created_ms, last_modified_ms, attributes)
       VALUES ('$gid', 'Group of $size', 1, 0, 0, '{\"displayName\":\"Group of $size\"}');
       INSERT INTO scim_group_members (group_id, member_id, member_type)
       SELECT '$gid', CONCAT('b0000000-0000-4000-8000-', LPAD(seq, 12, '0')), 'User' FROM seq_1_to_$size"
done
export LOAD_DIR=$REPO/bench/load LOAD_USERS=$USERS LOAD_RUN=$$
source "$REPO/bench/lib.sh"
export BIG_GROUP=c0000000-0000-4000-8000-000000050000
LOAD_TOKEN=$("$BIN/scimctl" --config "$STATE/scimsync.conf" token create --name load 2>/dev/null)
export LOAD_TOKEN

if [[ ${LOAD_HOLD:-0} == 1 ]]; then
  printf 'STATE=%s\nPORT=%s\nLOAD_TOKEN=%s\nLOAD_DIR=%s\nLOAD_USERS=%s\nBIG_GROUP=%s\n' \
    "$STATE" "$PORT" "$LOAD_TOKEN" "$LOAD_DIR" "$USERS" "$BIG_GROUP" >"$STATE/bench.env"
  say "holding the stack: source $STATE/bench.env; touch $STATE/release to stop"
  for ((i = 0; i < 3600; i++)); do [[ -e $STATE/release ]] && break; sleep 1; done
  exit 0
fi

# Ceiling 1: nginx + a libfcgi hello responder (bench/lib.sh).
hello_ceiling "$HPORT" "$((PORT + 2))"
say "ceiling: nginx + libfcgi hello, 32 conns: $HELLO req/s (keep_conn off $HELLO_OFF, on $HELLO_KC)"

# Ceiling 2: the raw SQL of POST's transaction (users insert + queue insert).
PW=$(cat "$STATE/db-password")
SQL16=$("$REPO/build/bench/sql_ceiling" "$STATE/run/mysqld.sock" scimsync "$PW" scimsync 16 "$SECS" post | sed 's/.*tx_per_s=//')
SQL1=$("$REPO/build/bench/sql_ceiling" "$STATE/run/mysqld.sock" scimsync "$PW" scimsync 1 "$SECS" post | sed 's/.*tx_per_s=//')
say "ceiling: POST's SQL transaction: 16 clients $SQL16 tx/s, 1 client $SQL1 tx/s"
# Not a ceiling of the issue, but the floor under every GET: MariaDB's point
# read by id (prepared, 16 clients). A GET costs at least a hello plus one
# such read on the same 2 cores: 1 / (1/hello + 1/read) req/s.
GET16=$(SQL_CEILING_USERS=$USERS "$REPO/build/bench/sql_ceiling" "$STATE/run/mysqld.sock" scimsync "$PW" scimsync 16 "$SECS" get | sed 's/.*tx_per_s=//')
say "floor: one point read by id, 16 clients: $GET16 reads/s; hello + one read on the same cores: $(awk -v h="$HELLO" -v g="$GET16" 'BEGIN { printf "%.0f req/s = %.2f x hello", 1 / (1 / h + 1 / g), 1 / (1 / h + 1 / g) / h }')"

say ""
say "$(printf '%-28s %5s %9s %9s %9s %7s  %s' scenario conns req/s p50_ms p99_ms non2xx 'vs ceiling')"
scenario() {
  local name=$1 script=$2 ceiling=$3 ceiling_name=$4
  [[ $script =~ ${LOAD_SCENARIOS:-.} ]] || return 0
  for conns in 1 32; do
    read -r rps p50 p99 bad < <(run_wrk "$conns" "$script" "http://127.0.0.1:$PORT")
    local ratio=""
    if [[ $conns -eq 32 && -n $ceiling ]]; then
      ratio=$(awk -v a="$rps" -v b="$ceiling" -v n="$ceiling_name" 'BEGIN { printf "%.2f x %s", a / b, n }')
      [[ $script == post_users.lua ]] && POST32=$rps
    fi
    say "$(printf '%-28s %5d %9s %9s %9s %7s  %s' "$name" "$conns" "$rps" "$p50" "$p99" "$bad" "$ratio")"
    drained
  done
}

# Waits (up to 120 s) until the daemon has applied every queued change, so
# that no scenario is measured while the daemon drains the previous one's
# writes; says how long that took when it was more than a moment.
drained() {
  local start=$SECONDS pending=1
  for ((i = 0; i < 1200; i++)); do
    pending=$(sql "SELECT COUNT(*) FROM change_queue WHERE status = 'pending'")
    [[ $pending -eq 0 ]] && break
    sleep 0.1
  done
  local took=$((SECONDS - start))
  ((took >= 2 || pending > 0)) && say "    (daemon drained the writes in ${took}s; still pending: $pending)"
  return 0
}
scenario "POST /Users" post_users.lua "$SQL16" "SQL ceiling"
scenario "GET filter userName (hit)" filter_hit.lua "$HELLO" "hello"
scenario "GET filter userName (miss)" filter_miss.lua "$HELLO" "hello"
scenario "GET /Users/{id}" get_by_id.lua "$HELLO" "hello"
scenario "PUT /Users/{id}" put_user.lua "" ""
scenario "PATCH Okta deactivate" patch_okta.lua "" ""
scenario "PATCH Entra multi-op" patch_entra.lua "" ""
scenario "GET deep page (count=100)" list_deep.lua "" ""
scenario "PATCH member, 50k group" group_member.lua "" ""
scenario "GET filter co" filter_co.lua "" ""

# Last, as it adds rows to the tables the scenarios read: not the issue's
# ceiling, but the very statements of scimsync's POST on its own tables
# (scim_users with its indexes, change_queue, audit_log), prepared, without
# the daemon. POST against it is what scimsync's code, nginx and the daemon
# add to the SQL the schema needs.
if [[ -n ${POST32:-} ]]; then
  SCIM16=$("$REPO/build/bench/sql_ceiling" "$STATE/run/mysqld.sock" scimsync "$PW" scimsync 16 "$SECS" scim | sed 's/.*tx_per_s=//')
  say ""
  say "ceiling: scimsync's own POST statements on its tables, 16 clients: $SCIM16 tx/s; POST /Users at 32 conns: $(awk -v a="$POST32" -v b="$SCIM16" 'BEGIN { printf "%.2f", a / b }') x that"
fi

say ""
say "largest scim-fcgi RSS after the run: $(worker_rss) MB"
say "queue after the run: $("$BIN/scimctl" --config "$STATE/scimsync.conf" status | head -1)"
