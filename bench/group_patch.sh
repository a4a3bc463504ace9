#!/usr/bin/env bash
# Times a one-member PATCH (add, then remove) on a 10-member and on a
# 50,000-member group against a running stack (make start). Members are
# inserted directly in SQL to build the big group quickly; the PATCHes go
# through nginx. Prints the median of N runs for each size.
#   bench/group_patch.sh [RUNS]
set -euo pipefail
cd "$(dirname "$0")/.."
RUNS=${1:-20}
CONF=var/scimsync.conf
SOCK=var/run/mysqld.sock
PORT=$(cat var/run/port)
B=http://127.0.0.1:$PORT/scim/v2
TOKEN=$(build/bin/scimctl --config "$CONF" token create --name "bench-$(date +%s)")
H=(-H "Authorization: Bearer $TOKEN" -H "Content-Type: application/scim+json")
sql() { mariadb --no-defaults --socket="$SOCK" -uroot scimsync -N -e "$1"; }

json_id() { python3 -c 'import json,sys; print(json.load(sys.stdin)["id"])'; }
new_user() {
  curl -s "${H[@]}" -X POST "$B/Users" \
    -d "{\"schemas\":[\"urn:ietf:params:scim:schemas:core:2.0:User\"],\"userName\":\"$1\"}" | json_id
}
new_group() {
  curl -s "${H[@]}" -X POST "$B/Groups" \
    -d "{\"schemas\":[\"urn:ietf:params:scim:schemas:core:2.0:Group\"],\"displayName\":\"$1\"}" | json_id
}

tag=$(date +%s)
extra=$(new_user "bench-extra-$tag")
# 50,000 users straight into the view (the sync daemon does not need them).
sql "INSERT INTO scim_users (id, user_name, version, created_ms, last_modified_ms, attributes)
     SELECT UUID(), CONCAT('bench-$tag-', seq), 1, 0, 0, CONCAT('{\"userName\":\"bench-$tag-', seq, '\"}')
     FROM seq_1_to_50000"
for size in 10 50000; do
  gid=$(new_group "bench-$size-$tag")
  sql "INSERT INTO scim_group_members (group_id, member_id, member_type)
       SELECT '$gid', id, 'User' FROM scim_users WHERE user_name LIKE 'bench-$tag-%' LIMIT $size"
  times=()
  for ((i = 0; i < RUNS; i++)); do
    for op in add remove; do
      if [[ $op == add ]]; then
        body="{\"schemas\":[\"urn:ietf:params:scim:api:messages:2.0:PatchOp\"],\"Operations\":[{\"op\":\"add\",\"path\":\"members\",\"value\":[{\"value\":\"$extra\"}]}]}"
      else
        body="{\"schemas\":[\"urn:ietf:params:scim:api:messages:2.0:PatchOp\"],\"Operations\":[{\"op\":\"remove\",\"path\":\"members[value eq \\\"$extra\\\"]\"}]}"
      fi
      # A group PATCH answers 204 No Content (RFC 7644 §3.5.2); time only those.
      read -r code t < <(curl -s -o /dev/null -w '%{http_code} %{time_total}\n' "${H[@]}" \
        -X PATCH "$B/Groups/$gid" -d "$body")
      [[ $code == 204 ]] || { echo "PATCH answered $code, not 204" >&2; exit 1; }
      times+=("$t")
    done
  done
  median=$(printf '%s\n' "${times[@]}" | sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}')
  echo "group of $size members: one-member PATCH median ${median}s over ${#times[@]} requests"
done
