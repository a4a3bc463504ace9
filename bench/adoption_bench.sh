#!/usr/bin/env bash
# Adoption benchmark (issue 10): an application with ADOPT_USERS users that
# SCIM has never seen (rows put straight into directory_users by bulk SQL,
# app-1 … app-N), on a private stack like `make test`'s.
#  1. `GET /Users?filter=userName eq "app-<n>"` at 1 and 32 connections
#     against the same run's hello ceiling: names never asked before (each
#     request adopts its row: a write), names adopted by those requests
#     (reads), and names the table does not have.
#  2. Adoption of the rest, which makes them listable: scim-syncd's idle
#     sweep for up to ADOPT_DAEMON_SECONDS, then `scim-syncd reconcile` for
#     up to ADOPT_RECONCILE_SECONDS (rows/s each, peak RSS); rows still
#     not adopted then are adopted by bulk SQL (what adoption writes), so
#     the run stays bounded. Large caps measure a whole adoption.
#  3. Okta's "Import existing members": one kept-alive connection (curl)
#     pages through GET /Users?startIndex=1,101,…&count=100 up to
#     totalResults (total seconds, per-page times, worker RSS), capped at
#     ADOPT_IMPORT_SECONDS.
# Loopback only; the daemon runs only in step 2.
#   bench/adoption_bench.sh [OUT_FILE]   ADOPT_USERS=1000000 ADOPT_SECONDS=10
#     ADOPT_DAEMON_SECONDS=60 ADOPT_RECONCILE_SECONDS=60
#     ADOPT_IMPORT_SECONDS=600 BENCH_PORT=(random)
set -euo pipefail
REPO=$(cd "$(dirname "$0")/.." && pwd)
BIN=$REPO/build/bin
OUT=${1:-/dev/stdout}
N=${ADOPT_USERS:-1000000}
SECS=${ADOPT_SECONDS:-10}
DAEMON_SECS=${ADOPT_DAEMON_SECONDS:-60}
RECONCILE_SECS=${ADOPT_RECONCILE_SECONDS:-60}
IMPORT_SECS=${ADOPT_IMPORT_SECONDS:-600}
say() { echo "$*" | tee -a "$OUT"; }

STATE=$(mktemp -d /tmp/scimsync-adopt.XXXXXX)
HELLO_PID= SYNCD_PID=
cleanup() {
  [[ -n $HELLO_PID ]] && kill $HELLO_PID 2>/dev/null
  [[ -n $SYNCD_PID ]] && kill "$SYNCD_PID" 2>/dev/null
  SCIMSYNC_BIN=$BIN "$REPO/scripts/stack.sh" down "$STATE" >/dev/null 2>&1 || true
  rm -rf "$STATE"
}
trap cleanup EXIT
PORT=${BENCH_PORT:-$((20000 + RANDOM % 20000))}
SCIMSYNC_BIN=$BIN "$REPO/scripts/stack.sh" up "$STATE" "$PORT" >/dev/null 2>&1
kill "$(cat "$STATE/run/syncd.pid")"  # nothing adopts behind the lookups' back
sql() { mariadb --no-defaults --socket="$STATE/run/mysqld.sock" -uroot scimsync -N -e "$1"; }
export LOAD_DIR=$REPO/bench/load
source "$REPO/bench/lib.sh"
links() { sql "SELECT COUNT(*) FROM directory_links"; }

say "== scimsync adoption benchmark, $(date -u +%FT%TZ), $(nproc) cores, $N application users, ${SECS}s per figure"
t0=$(date +%s.%N)
sql "INSERT INTO directory_users (user_name, given_name, family_name, display_name, email, role,
       active, created_at, updated_at)
     SELECT CONCAT('app-', seq), CONCAT('Given', seq), CONCAT('Family', seq), CONCAT('App User ', seq),
            CONCAT('app-', seq, '@example.com'), 'Registered', 1, NOW(3), NOW(3)
     FROM seq_1_to_$N"
say "$(awk -v s="$t0" -v e="$(date +%s.%N)" -v n="$N" 'BEGIN { printf "setup: %d rows inserted into directory_users in %.1f s (not timed below)", n, e - s }')"

hello_ceiling "$((PORT + 1))" "$((PORT + 2))"
say "ceiling: nginx + libfcgi hello, 32 conns: $HELLO req/s (keep_conn off $HELLO_OFF, on $HELLO_KC)"
LOAD_TOKEN=$("$BIN/scimctl" --config "$STATE/scimsync.conf" token create --name load 2>/dev/null)
export LOAD_TOKEN

say ""
say "$(printf '%-36s %5s %9s %9s %9s %7s  %s' 'GET filter userName eq' conns req/s p50_ms p99_ms non2xx 'vs hello')"
line() {  # name conns rps p50 p99 bad [note]
  local ratio=""
  [[ $2 -eq 32 ]] && ratio=$(awk -v a="$3" -v b="$HELLO" 'BEGIN { printf "%.2f x", a / b }')
  say "$(printf '%-36s %5d %9s %9s %9s %7s  %s %s' "$1" "$2" "$3" "$4" "$5" "$6" "$ratio" "${7:-}")"
}
# Names in key order: app-<n> is the row of key BASE + n - 1.
BASE=$(sql "SELECT MIN(id) FROM directory_users")
next_name() { sql "SELECT COALESCE(MAX(CAST(app_key AS UNSIGNED)), $BASE - 1) - $BASE + 2 FROM directory_links"; }
for conns in 1 32; do
  before=$(links)
  export ADOPT_FIRST=$(next_name)
  export ADOPT_STRIDE=$((conns == 1 ? 1 : 2))
  read -r rps p50 p99 bad < <(run_wrk "$conns" adopt_new.lua "http://127.0.0.1:$PORT")
  line "never seen (each request adopts)" "$conns" "$rps" "$p50" "$p99" "$bad" "($(($(links) - before)) adopted)"
  # The names the 1-connection run adopted (wrk skips one at its start).
  [[ $conns -eq 1 ]] && SEEN=$(($(next_name) - 1))
done
export ADOPT_SEEN=$SEEN
for conns in 1 32; do
  before=$(links)
  read -r rps p50 p99 bad < <(run_wrk "$conns" adopt_seen.lua "http://127.0.0.1:$PORT")
  line "adopted before (app-1..$ADOPT_SEEN)" "$conns" "$rps" "$p50" "$p99" "$bad" "($(($(links) - before)) adopted)"
done
for conns in 1 32; do
  read -r rps p50 p99 bad < <(run_wrk "$conns" filter_miss.lua "http://127.0.0.1:$PORT")
  line "not in the table" "$conns" "$rps" "$p50" "$p99" "$bad"
done

say ""
say "== adoption of the rest (what makes them listable)"
before=$(links)
"$BIN/scim-syncd" --config "$STATE/scimsync.conf" >>"$STATE/log/bench-syncd.log" 2>&1 &
SYNCD_PID=$!
start=$(date +%s.%N)
for ((i = 0; i < DAEMON_SECS; i++)); do
  sleep 1
  [[ $(links) -ge $N ]] && break
done
kill "$SYNCD_PID"
wait "$SYNCD_PID" 2>/dev/null || true
SYNCD_PID=
end=$(date +%s.%N)
got=$(($(links) - before))
say "$(awk -v g="$got" -v s="$start" -v e="$end" -v n="$N" 'BEGIN { r = g / (e - s); printf "scim-syncd idle sweep: %d rows adopted in %.1f s = %.0f rows/s", g, e - s, r; if (r > 0) printf " (%d rows: %.0f s at that rate)", n, n / r }')"
before=$(links)
start=$(date +%s.%N)
/usr/bin/time -f "%e %M" -o "$STATE/time" timeout -s INT "$RECONCILE_SECS" \
  "$BIN/scim-syncd" --config "$STATE/scimsync.conf" reconcile >"$STATE/rec.out" 2>&1 || true
end=$(date +%s.%N)
got=$(($(links) - before))
kb=$(awk 'NF == 2 { print $2 }' "$STATE/time")
say "$(awk -v g="$got" -v s="$start" -v e="$end" -v k="${kb:-0}" -v n="$N" 'BEGIN { r = g / (e - s); printf "scim-syncd reconcile: %d rows adopted in %.1f s = %.0f rows/s, peak RSS %.1f MB", g, e - s, r, k / 1024; if (r > 0) printf " (%d rows: %.0f s at that rate)", n, n / r }')   ($(grep -o 'reconcile:.*' "$STATE/rec.out" | cut -c1-100 || echo "stopped at the ${RECONCILE_SECS}s cap"))"
left=$((N - $(links)))
if ((left > 0)); then
  # Bounded run: what adoption writes (the SCIM view row, the link), by SQL.
  sql "INSERT INTO scim_users (id, user_name, display_name, given_name, family_name, email, user_type,
         active, version, created_ms, last_modified_ms, attributes)
       SELECT UUID(), d.user_name, d.display_name, d.given_name, d.family_name, d.email, 'Registered',
              1, 1, 0, 0, CONCAT('{\"userName\":\"', d.user_name, '\",\"name\":{\"givenName\":\"', d.given_name,
              '\",\"familyName\":\"', d.family_name, '\"},\"displayName\":\"', d.display_name,
              '\",\"userType\":\"Registered\",\"active\":true,\"emails\":[{\"value\":\"', d.email,
              '\",\"type\":\"work\",\"primary\":true}]}')
       FROM directory_users d LEFT JOIN directory_links l
         ON l.app_key = CAST(d.id AS CHAR CHARACTER SET utf8mb4) COLLATE utf8mb4_bin
       WHERE l.app_key IS NULL ORDER BY d.id;
       INSERT INTO directory_links (app_key, scim_id, applied_version, applied_active, applied_role,
                                    linked_at, linked_by)
       SELECT CAST(d.id AS CHAR), s.id, 1, 1, 'Registered', NOW(3), 'adopt'
       FROM scim_users s JOIN directory_users d ON d.user_name = s.user_name
       LEFT JOIN directory_links l ON l.scim_id = s.id WHERE l.scim_id IS NULL"
  say "the other $left rows: adopted by bulk SQL (the same SCIM view rows and links; bounded run)"
fi
say "linked now: $(links) of $N; SCIM users: $(sql "SELECT COUNT(*) FROM scim_users")"

say ""
say "== Okta import: GET /Users?startIndex=1,101,...&count=100 until totalResults, 1 connection"
URL=http://127.0.0.1:$PORT/scim/v2/Users
AUTH="Authorization: Bearer $LOAD_TOKEN"
total=$(curl -s -H "$AUTH" "$URL?startIndex=1&count=1" | sed -n 's/.*"totalResults":\([0-9]*\).*/\1/p')
for ((i = 1; i <= total; i += 100)); do echo "url = \"$URL?startIndex=$i&count=100\""; done >"$STATE/import.curl"
# One curl: one kept-alive connection, the pages one after the other.
start=$(date +%s.%N)
resources=$( (timeout "$IMPORT_SECS" curl -s -H "$AUTH" -K "$STATE/import.curl" \
  -w '%{stderr}%{http_code} %{time_total}\n' 2>"$STATE/import.times" || true) | grep -o '"userName":' | wc -l)
took=$(awk -v s="$start" -v e="$(date +%s.%N)" 'BEGIN { printf "%.1f", e - s }')
pages=$(wc -l <"$STATE/import.times")
bad=$(awk '$1 != 200' "$STATE/import.times" | wc -l)
pct() { sort -n | awk -v q="$1" '{ v[NR] = $1 } END { i = int(q * NR + 0.999); if (i < 1) i = 1; printf "%.1f", v[i] * 1000 }'; }
say "$(printf 'import: %d of %d pages, %d of totalResults %d resources, %s s (%s), non-2xx %d' \
  "$pages" "$(((total + 99) / 100))" "$resources" "$total" "$took" \
  "$([[ $pages -ge $(((total + 99) / 100)) ]] && echo complete || echo "stopped at the ${IMPORT_SECS}s cap")" "$bad")"
say "page time ms: p50 $(awk '{ print $2 }' "$STATE/import.times" | pct 0.5), p99 $(awk '{ print $2 }' "$STATE/import.times" | pct 0.99); first 100 pages p50 $(head -100 "$STATE/import.times" | awk '{ print $2 }' | pct 0.5), last 100 p50 $(tail -100 "$STATE/import.times" | awk '{ print $2 }' | pct 0.5)"
say "scim-fcgi RSS after the import: largest $(worker_rss VmRSS) MB, peak (VmHWM) $(worker_rss VmHWM) MB"
