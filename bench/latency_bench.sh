#!/usr/bin/env bash
# Commit-to-applied latency of scim-syncd under a steady write load, on a
# private stack like `make test`'s: bench/ceiling/rate_client POSTs unique
# enterprise users at LAT_RATE req/s (open loop, 16 keep-alive connections)
# for LAT_SECONDS, then, over the run's change_queue rows, the time from
# created_at (NOW(3) in the worker's write transaction) to done_at (NOW(3)
# when the daemon marks the row applied, in its batch transaction):
# count, p50, p99 (nearest rank) and max, next to the HTTP latency seen by
# the client (from each request's scheduled time); and the same without the
# run's first second (the daemon starts it idle, backed off to its longest
# poll). Both stamps are NOW(3): 1 ms resolution. Loopback only; bounded
# by LAT_SECONDS + 10 s (client drain) + 60 s (queue drain).
#   bench/latency_bench.sh [OUT_FILE]        LAT_RATE=500 LAT_SECONDS=20
set -euo pipefail
REPO=$(cd "$(dirname "$0")/.." && pwd)
BIN=$REPO/build/bin
OUT=${1:-/dev/stdout}
RATE=${LAT_RATE:-500}
SECS=${LAT_SECONDS:-20}
CONNS=16
say() { echo "$*" | tee -a "$OUT"; }

[[ -x $BIN/scim-fcgi && -x $BIN/scim-syncd && -x $BIN/scimctl ]] || make -C "$REPO" -j2 all >/dev/null
mkdir -p "$REPO/build/bench"
gcc -O2 -Wall -Wextra "$REPO/bench/ceiling/rate_client.c" -o "$REPO/build/bench/rate_client"

STATE=$(mktemp -d /tmp/scimsync-latency.XXXXXX)
cleanup() {
  SCIMSYNC_BIN=$BIN "$REPO/scripts/stack.sh" down "$STATE" >/dev/null 2>&1 || true
  rm -rf "$STATE"
}
trap cleanup EXIT
PORT=$((20000 + RANDOM % 20000))
SCIMSYNC_BIN=$BIN "$REPO/scripts/stack.sh" up "$STATE" "$PORT" >/dev/null 2>&1
sql() { mariadb --no-defaults --socket="$STATE/run/mysqld.sock" -uroot scimsync -N -e "$1"; }
TOKEN=$("$BIN/scimctl" --config "$STATE/scimsync.conf" token create --name load 2>/dev/null)

say "== scimsync commit-to-applied latency, $(date -u +%FT%TZ), $(nproc) cores, $RATE req/s for ${SECS}s, $CONNS conns"
# The run's rows are those after FIRST (the stack is private; the id range
# only guards against rows the stack may write itself).
FIRST=$(sql "SELECT COALESCE(MAX(id), 0) FROM change_queue")
set +e
CLIENT=$("$REPO/build/bench/rate_client" 127.0.0.1 "$PORT" /scim/v2/Users "$TOKEN" "$RATE" "$SECS" "$CONNS")
CLIENT_RC=$?
set -e
say "$CLIENT"
[[ $CLIENT_RC -eq 0 ]] || say "warning: rate_client exited $CLIENT_RC (connection errors; see above)"
LAST=$(sql "SELECT COALESCE(MAX(id), 0) FROM change_queue")
RUN="id > $FIRST AND id <= $LAST"

# Wait (up to 60 s) until none of the run's rows is pending.
waited=0
for ((i = 0; i < 600; i++)); do
  [[ $(sql "SELECT COUNT(*) FROM change_queue WHERE $RUN AND status = 'pending'") -eq 0 ]] && break
  sleep 0.1
  waited=$((i + 1))
done

# "count p50 p99 max" in ms over the run's done rows matching $1.
latency() {
  sql "
  WITH r AS (
    SELECT TIMESTAMPDIFF(MICROSECOND, created_at, done_at) / 1000 AS ms,
           ROW_NUMBER() OVER (ORDER BY TIMESTAMPDIFF(MICROSECOND, created_at, done_at)) AS rn,
           COUNT(*) OVER () AS n
    FROM change_queue WHERE $RUN AND status = 'done' AND $1)
  SELECT COUNT(*), COALESCE(MIN(CASE WHEN rn >= CEIL(0.50 * n) THEN ms END), 0),
         COALESCE(MIN(CASE WHEN rn >= CEIL(0.99 * n) THEN ms END), 0), COALESCE(MAX(ms), 0)
  FROM r"
}
read -r n p50 p99 max < <(latency TRUE)
# The same without the first second: the daemon starts the run idle, at its
# longest poll interval, so the first rows wait out the back-off.
read -r _ sp50 sp99 smax < <(latency "created_at >= (SELECT MIN(created_at) + INTERVAL 1 SECOND
                                                   FROM change_queue WHERE $RUN)")
read -r total dead pending < <(sql "
  SELECT COUNT(*), COALESCE(SUM(status = 'dead'), 0), COALESCE(SUM(status = 'pending'), 0)
  FROM change_queue WHERE $RUN")
http_p50=$(sed -n 's/.*http_p50_ms=\([^ ]*\).*/\1/p' <<<"$CLIENT")
http_p99=$(sed -n 's/.*http_p99_ms=\([^ ]*\).*/\1/p' <<<"$CLIENT")
say "$(printf 'commit-to-applied at %s req/s (%s s, %d changes): p50 %.1f ms, p99 %.1f ms, max %.0f ms; HTTP p50 %s ms, p99 %s ms; dead %d, pending %d' \
  "$RATE" "$SECS" "$total" "$p50" "$p99" "$max" "${http_p50:-?}" "${http_p99:-?}" "$dead" "$pending")"
say "$(printf 'without the first second: p50 %.1f ms, p99 %.1f ms, max %.0f ms' "$sp50" "$sp99" "$smax")"
[[ $n -eq $total ]] || say "note: $((total - n)) of the run's rows are not done (dead or pending after ${waited}x0.1 s)"
# The daemon's batches during the run (its log has one line per non-empty batch).
say "$(grep -o 'event=batch claimed=[0-9]*' "$STATE/log/syncd.log" | awk -F= '
  { n++; s += $3; if ($3 > m) m = $3 }
  END { printf "daemon: %d batches, mean %.1f rows, largest %d (stack defaults: batch_size 1000, idle poll 10..200 ms)", n, n ? s / n : 0, m }')"
