#!/usr/bin/env bash
# Daemon and reconcile benchmark (issue 4), on a private stack in a temp
# dir like `make test`: changes applied per second at batch sizes
# 1/100/1000, and reconcile wall time and peak RSS at 100,000 and
# 1,000,000 users. Data is generated in SQL (MariaDB's sequence engine).
#   bench/daemon_bench.sh [OUT_FILE]     BENCH_USERS_BIG=1000000 by default
# BENCH_PORT=N puts the stack's nginx on port N (default: a random port).
set -euo pipefail
REPO=$(cd "$(dirname "$0")/.." && pwd)
BIN=$REPO/build/bin
OUT=${1:-/dev/stdout}
BIG=${BENCH_USERS_BIG:-1000000}
STATE=$(mktemp -d /tmp/scimsync-bench.XXXXXX)
trap 'SCIMSYNC_BIN=$BIN "$REPO/scripts/stack.sh" down "$STATE" >/dev/null 2>&1; rm -rf "$STATE"' EXIT
PORT=${BENCH_PORT:-$((20000 + RANDOM % 40000))}
SCIMSYNC_BIN=$BIN "$REPO/scripts/stack.sh" up "$STATE" "$PORT" >/dev/null 2>&1
kill "$(cat "$STATE/run/syncd.pid")"  # the benchmark runs its own daemons
sql() { mariadb --no-defaults --socket="$STATE/run/mysqld.sock" -uroot scimsync -N -e "$1"; }
say() { echo "$*" | tee -a "$OUT"; }

# N users in the SCIM view (ids u-<tag>-<n>) and one queued change each.
plant_changes() {
  local n=$1 tag=$2
  sql "INSERT INTO scim_users (id, user_name, display_name, version, created_ms, last_modified_ms, attributes)
       SELECT CONCAT('u-$tag-', LPAD(seq, 10, '0')), CONCAT('$tag-', seq), 'Bench', 1, 0, 0,
              CONCAT('{\"userName\":\"$tag-', seq, '\",\"displayName\":\"Bench\",\"active\":true}')
       FROM seq_1_to_$n;
       INSERT INTO change_queue (resource_type, resource_id, version, op, payload, status, created_at, next_attempt_at)
       SELECT 'User', id, 1, 'upsert', CONCAT('{\"op\":\"upsert\",\"resourceType\":\"User\",\"id\":\"', id,
              '\",\"version\":1,\"attributes\":', attributes, '}'), 'pending', NOW(3), NOW(3)
       FROM scim_users WHERE id LIKE 'u-$tag-%'"
}

# Version 2 of the users planted under tag: a changed givenName each.
plant_updates() {
  local tag=$1
  sql "INSERT INTO change_queue (resource_type, resource_id, version, op, payload, status, created_at, next_attempt_at)
       SELECT 'User', id, 2, 'upsert', CONCAT('{\"op\":\"upsert\",\"resourceType\":\"User\",\"id\":\"', id,
              '\",\"version\":2,\"attributes\":{\"userName\":\"', user_name,
              '\",\"name\":{\"givenName\":\"Second\"},\"displayName\":\"Bench\",\"active\":true}}'),
              'pending', NOW(3), NOW(3)
       FROM scim_users WHERE id LIKE 'u-$tag-%'"
}

drain() {
  local what=$1 batch=$2 n=$3
  cp "$STATE/scimsync.conf" "$STATE/bench.conf"
  echo "daemon.batch_size = $batch" >>"$STATE/bench.conf"
  start=$(date +%s.%N)
  "$BIN/scim-syncd" --config "$STATE/bench.conf" --once 2>"$STATE/drain.log"
  end=$(date +%s.%N)
  left=$(sql "SELECT COUNT(*) FROM change_queue WHERE status <> 'done'")
  row_by_row=$(grep -c one_by_one_because "$STATE/drain.log" || true)
  say "$(awk -v w="$what" -v b="$batch" -v n="$n" -v s="$start" -v e="$end" -v l="$left" -v r="$row_by_row" \
    'BEGIN { printf "%-7s batch %4d: %6d changes in %6.2f s = %7.0f changes/s (left undone: %d, batches row by row: %d)\n", w, b, n, e-s, n/(e-s), l, r }')"
}

say "== daemon drain (scim-syncd --once on a queue of N single-user changes), $(date -u +%FT%TZ)"
for spec in 1:3000 100:100000 1000:100000; do
  batch=${spec%%:*} n=${spec##*:} tag=d$batch
  plant_changes "$n" "$tag"
  drain creates "$batch" "$n"
  plant_updates "$tag"
  drain updates "$batch" "$n"
done

say "== reconcile (all users in sync; wall time and peak RSS of scim-syncd reconcile)"
sql "DELETE FROM change_queue; DELETE FROM directory_links; DELETE FROM directory_users;
     DELETE FROM scim_users"
have=0
for n in 100000 "$BIG"; do
  add=$((n - have))
  [ "$add" -gt 0 ] || continue  # BENCH_USERS_BIG <= 100000: the small run only
  sql "INSERT INTO scim_users (id, user_name, display_name, version, created_ms, last_modified_ms, attributes)
       SELECT CONCAT('r-', LPAD(seq + $have, 10, '0')), CONCAT('r-', seq + $have), 'Bench', 1, 0, 0,
              CONCAT('{\"userName\":\"r-', seq + $have, '\",\"displayName\":\"Bench\",\"active\":true}')
       FROM seq_1_to_$add;
       INSERT INTO directory_users (user_name, display_name, role, active, created_at, updated_at)
       SELECT user_name, display_name, 'Registered', 1, NOW(3), NOW(3) FROM scim_users
       WHERE id > CONCAT('r-', LPAD($have, 10, '0')) AND id LIKE 'r-%';
       INSERT INTO directory_links (app_key, scim_id, applied_version, applied_active, applied_role,
                                    linked_at, linked_by)
       SELECT CAST(d.id AS CHAR), s.id, 1, 1, 'Registered', NOW(3), 'create'
       FROM scim_users s JOIN directory_users d ON d.user_name = s.user_name
       WHERE s.id > CONCAT('r-', LPAD($have, 10, '0')) AND s.id LIKE 'r-%'"
  have=$n
  /usr/bin/time -f "%e %M" -o "$STATE/time" "$BIN/scim-syncd" --config "$STATE/scimsync.conf" reconcile >"$STATE/rec.out"
  read -r secs kb <"$STATE/time"
  say "$(printf 'reconcile %8d users: %6.1f s, peak RSS %6.1f MB   (%s)' "$n" "$secs" "$(awk -v k="$kb" 'BEGIN{print k/1024}')" "$(cut -c1-80 "$STATE/rec.out")")"
done

say "== reconcile after a lost directory: 50,000 of the $BIG users missing there (recreated)"
sql "DELETE FROM directory_users WHERE id % $((BIG / 50000)) = 0"
# The application deleted the rows; scimsync's links to them stay (its own tables).
missing=$(sql "SELECT COUNT(*) FROM scim_users s LEFT JOIN directory_links l ON l.scim_id = s.id
               LEFT JOIN directory_users d ON d.id = l.app_key WHERE d.id IS NULL")
/usr/bin/time -f "%e %M" -o "$STATE/time" "$BIN/scim-syncd" --config "$STATE/scimsync.conf" reconcile >"$STATE/rec.out"
read -r secs kb <"$STATE/time"
say "$(printf 'reconcile %8d users, %d missing: %6.1f s, peak RSS %6.1f MB   (%s)' "$BIG" "$missing" "$secs" "$(awk -v k="$kb" 'BEGIN{print k/1024}')" "$(cut -c1-100 "$STATE/rec.out")")"
