#!/usr/bin/env bash
# A private 3-node MariaDB Galera cluster on 127.0.0.1, for tests. Everything
# lives under one directory; processes are started and stopped by PID (never
# by name). No systemd, no system-wide config is touched.
#
#   galera.sh up DIR BASE        init + start nodes 1, 2, 3 (one after the
#                                other); returns when all 3 are Synced and
#                                wsrep_cluster_size = 3
#   galera.sh kill DIR N         kill -9 node N's mariadbd (by its PID file),
#                                wait until it is gone
#   galera.sh start DIR N        start node N again (it rejoins by IST: its
#                                position is recovered first if it crashed);
#                                returns when it is Synced with cluster size 3
#   galera.sh wait-synced DIR N  bounded wait until node N is Synced and ready
#   galera.sh down DIR           stop all nodes (mariadb-admin shutdown, then
#                                SIGTERM, then SIGKILL, each bounded)
#   galera.sh status DIR         one line per node: N pid port state cluster_size
#
# Layout, for N = 1, 2, 3:
#   DIR/nodeN/data, DIR/nodeN/tmp   datadir and tmpdir
#   DIR/nodeN/my.cnf                the node's whole configuration
#   DIR/nodeN/mysqld.sock           unix socket: as root,
#                                   mariadb --no-defaults --socket=DIR/nodeN/mysqld.sock -uroot
#   DIR/nodeN/mysqld.pid            PID file
#   DIR/nodeN/mariadb.log           error log (SST and IST show up here)
#   DIR/nodeN/recover.log           log of the --wsrep-recover before a
#                                   restart after a crash (see start_node)
#   DIR/base                        BASE, as given to `up`
# Ports on 127.0.0.1: client BASE+N; Galera group communication BASE+10*N;
# IST BASE+10*N+1; SST (rsync) BASE+10*N+5. So BASE=30400 uses 30401-30403,
# 30410/11/15, 30420/21/25 and 30430/31/35.
#
# Node 1 alone is made by mariadb-install-db and bootstraps the cluster
# (--wsrep-new-cluster, at `up` only); nodes 2 and 3 start empty and get
# everything by rsync SST. mariadbd runs as user mysql (rsync SST fails as
# root), so the node directories belong to mysql and DIR (and its parents)
# must be traversable by it: `up` makes them so.
#
# The evs.* timeouts make a node's death noticed in ~3 s (a commit on the
# survivors stalls that long after a kill -9). innodb_flush_log_at_trx_commit=2
# and pc.recovery=false are for tests only.
set -euo pipefail

NODES=(1 2 3)
WAIT_SECS=${GALERA_WAIT_SECS:-120}   # per node, for start/join/Synced
STOP_SECS=${GALERA_STOP_SECS:-60}    # per node, for a shutdown

log() { echo "galera: $*" >&2; }
die() { log "$*"; exit 1; }

source "$(dirname "$0")/proc.sh"

node_dir() { echo "$DIR/node$1"; }
sock() { echo "$DIR/node$1/mysqld.sock"; }
pidfile() { echo "$DIR/node$1/mysqld.pid"; }
node_pid() { local f; f=$(pidfile "$1"); pid_alive "$f" && cat "$f"; }

client_port() { echo $((BASE + $1)); }
gcomm_port() { echo $((BASE + 10 * $1)); }
node_ports() { local g; g=$(gcomm_port "$1"); echo "$(client_port "$1") $g $((g + 1)) $((g + 5))"; }

check_node_arg() {
  [[ ${1:-} =~ ^[123]$ ]] || die "node must be 1, 2 or 3 (got '${1:-}')"
}

# DIR is given by the caller; BASE was recorded by `up`.
load_dir() {
  [[ -n ${1:-} ]] || die "no DIR given"
  DIR=$(cd "$1" 2>/dev/null && pwd) || die "$1 is not a directory"
  [[ -f $DIR/base ]] || die "$DIR holds no cluster (no $DIR/base: run 'up' first)"
  BASE=$(cat "$DIR/base")
}

tail_log() {
  local f; f="$(node_dir "$1")/mariadb.log"
  [[ -f $f ]] || return 0
  if grep -q 'ERROR' "$f"; then
    log "last errors in $f:"
    grep 'ERROR' "$f" | tail -n 8 >&2
  fi
  log "last lines of $f:"
  tail -n 20 "$f" >&2
}

# "state ready cluster_size" of node N, or nothing if it does not answer.
node_status() {
  local out
  out=$(mariadb --no-defaults --socket="$(sock "$1")" -uroot --connect-timeout=2 -N -B -e \
    "SHOW GLOBAL STATUS WHERE Variable_name IN ('wsrep_local_state_comment','wsrep_ready','wsrep_cluster_size')" \
    2>/dev/null) || return 1
  awk -F'\t' '
    tolower($1) == "wsrep_local_state_comment" { st = $2 }
    tolower($1) == "wsrep_ready" { rd = $2 }
    tolower($1) == "wsrep_cluster_size" { cs = $2 }
    END { printf "%s %s %s\n", (st == "" ? "?" : st), (rd == "" ? "?" : rd), (cs == "" ? "?" : cs) }' <<<"$out"
}

# Bounded wait until node N is Synced and wsrep_ready; with a size, until
# wsrep_cluster_size is that too. Fails at once if mariadbd exits.
wait_synced() {
  local n=$1 size=${2:-} deadline=$((SECONDS + WAIT_SECS)) st="" pid state ready csize
  pid=$(cat "$(pidfile "$n")" 2>/dev/null) || die "node $n: no PID file $(pidfile "$n")"
  while ((SECONDS < deadline)); do
    proc_alive "$pid" || { tail_log "$n"; die "node $n: mariadbd ($pid) exited"; }
    if st=$(node_status "$n"); then
      read -r state ready csize <<<"$st"
      if [[ $state == Synced && $ready == ON && ( -z $size || $csize == "$size" ) ]]; then
        return 0
      fi
    fi
    sleep 0.2
  done
  tail_log "$n"
  die "node $n: not Synced${size:+ with cluster size $size} after ${WAIT_SECS}s (last: ${st:-no answer})"
}

write_cnf() {
  local n=$1 d g cp addr="" i
  d=$(node_dir "$n"); g=$(gcomm_port "$n"); cp=$(client_port "$n")
  for i in "${NODES[@]}"; do addr+="${addr:+,}127.0.0.1:$(gcomm_port "$i")"; done
  cat >"$d/my.cnf" <<CNF
# Written by scripts/galera.sh: node $n of the test cluster in $DIR.
[mysqld]
datadir = $d/data
tmpdir = $d/tmp
socket = $d/mysqld.sock
pid-file = $d/mysqld.pid
log-error = $d/mariadb.log
bind-address = 127.0.0.1
port = $cp
skip-name-resolve
character-set-server = utf8mb4
collation-server = utf8mb4_unicode_ci
default_storage_engine = InnoDB
binlog_format = ROW
innodb_autoinc_lock_mode = 2
innodb_buffer_pool_size = 128M
innodb_flush_log_at_trx_commit = 2
max_connections = 500

wsrep_on = ON
wsrep_provider = /usr/lib/galera/libgalera_smm.so
wsrep_cluster_name = scimsync_test_$BASE
wsrep_cluster_address = gcomm://$addr
wsrep_node_name = node$n
wsrep_node_address = 127.0.0.1
wsrep_node_incoming_address = 127.0.0.1:$cp
wsrep_sst_method = rsync
wsrep_sst_receive_address = 127.0.0.1:$((g + 5))
wsrep_slave_threads = 2
wsrep_provider_options = "base_port=$g;gmcast.listen_addr=tcp://127.0.0.1:$g;ist.recv_addr=127.0.0.1:$((g + 1));gcache.size=256M;evs.keepalive_period=PT0.5S;evs.suspect_timeout=PT2S;evs.inactive_timeout=PT3S;evs.inactive_check_period=PT0.5S;pc.recovery=false"
CNF
}

# After a crash (kill -9) grastate.dat says seqno -1: started like that, the
# node asks for a full state transfer (an rsync SST, with the donor blocked
# under FLUSH TABLES WITH READ LOCK meanwhile) and only then IST. As
# mysqld_safe does, the position is first recovered from InnoDB
# (--wsrep-recover, ~1 s) and handed to mariadbd, which then joins by IST
# alone. Prints the option, or nothing (a first start, a clean shutdown, or
# nothing recoverable: then SST as usual).
recovered_position_opt() {
  local n=$1 d g seqno pos
  d=$(node_dir "$n"); g=$d/data/grastate.dat
  [[ -f $g ]] || return 0
  seqno=$(awk '$1 == "seqno:" { print $2 }' "$g")
  [[ $seqno == -1 ]] || return 0
  rm -f "$d/recover.log"
  if ! timeout "$WAIT_SECS" mariadbd --defaults-file="$d/my.cnf" --user=mysql --wsrep-recover \
    --log-error="$d/recover.log" </dev/null >/dev/null 2>&1; then
    log "node $n: --wsrep-recover failed (see $d/recover.log); it will join by SST"
    return 0
  fi
  pos=$(sed -n 's/.*WSREP: Recovered position: \([0-9a-f-]*:-\{0,1\}[0-9][0-9]*\).*/\1/p' "$d/recover.log" | tail -n 1)
  if [[ -n $pos && $pos != *:-1 ]]; then
    log "node $n: recovered position $pos"
    echo "--wsrep-start-position=$pos"
  fi
}

# Starts node N's mariadbd (extra options, e.g. --wsrep-new-cluster, after
# N) in a session of its own and waits until it is Synced.
start_node() {
  local n=$1; shift
  local d pf pid; d=$(node_dir "$n"); pf=$(pidfile "$n")
  pid_alive "$pf" && die "node $n already runs (pid $(cat "$pf"))"
  local p
  for p in $(node_ports "$n"); do
    port_in_use "$p" && die "node $n: port $p on 127.0.0.1 is in use"
  done
  local recovered; recovered=$(recovered_position_opt "$n")
  rm -f "$pf"
  # Both are written by root below and then by mariadbd (user mysql).
  touch "$d/mariadb.log" "$pf"
  chown -R mysql:mysql "$d"
  # setsid: not in the caller's process group (a Ctrl-C of the test does not
  # reach it). A background job of a script is no group leader, so setsid
  # execs mariadbd itself and $! is its PID; the PID file is written by
  # mariadbd only late in a joiner's start (after SST), so it is seeded here.
  setsid mariadbd --defaults-file="$d/my.cnf" --user=mysql ${recovered:+"$recovered"} "$@" </dev/null >>"$d/mariadb.log" 2>&1 &
  pid=$!
  disown "$pid"  # no "Aborted" job notice from this shell if it dies
  echo "$pid" >"$pf"
  log "node $n: mariadbd started (pid $pid, port $(client_port "$n"))"
  wait_synced "$n"
  local real; real=$(cat "$pf" 2>/dev/null || true)
  [[ $real == "$pid" ]] || log "node $n: warning: PID file says '$real', started $pid"
}

# Makes DIR and every parent traversable by user mysql.
make_traversable() {
  chmod 755 "$DIR"
  local p=$DIR
  while [[ $p != / ]]; do
    p=$(dirname "$p")
    if ! runuser -u mysql -- test -x "$p"; then
      log "making $p traversable (o+x) for user mysql"
      chmod o+x "$p"
    fi
  done
}

cmd_up() {
  [[ -n ${1:-} && ${2:-} =~ ^[0-9]+$ ]] || die "usage: up DIR BASE"
  mkdir -p "$1"
  DIR=$(cd "$1" && pwd)
  BASE=$2
  ((BASE >= 1024 && BASE + 35 <= 65535)) || die "BASE $BASE out of range (1024..65500)"
  local n p busy=""
  for n in "${NODES[@]}"; do
    pid_alive "$(pidfile "$n")" && die "node $n of $DIR already runs (pid $(cat "$(pidfile "$n")")); 'down' it first"
  done
  for n in "${NODES[@]}"; do
    for p in $(node_ports "$n"); do port_in_use "$p" && busy+=" $p"; done
  done
  [[ -z $busy ]] || die "port(s) in use on 127.0.0.1:$busy; choose another BASE than $BASE"
  if ! command -v mariadbd >/dev/null || ! command -v rsync >/dev/null \
    || [[ ! -f /usr/lib/galera/libgalera_smm.so ]]; then
    die "needs mariadb-server, galera-4 and rsync installed"
  fi
  id mysql >/dev/null 2>&1 || die "needs the user mysql (from mariadb-server)"

  # A fresh cluster each time: whatever an earlier one left is gone.
  for n in "${NODES[@]}"; do
    rm -rf "$(node_dir "$n")"
    mkdir -p "$(node_dir "$n")/data" "$(node_dir "$n")/tmp"
  done
  echo "$BASE" >"$DIR/base"
  # A failed `up` leaves nothing running.
  trap 'log "up failed; stopping what it started"; cmd_down "$DIR"' EXIT
  make_traversable
  for n in "${NODES[@]}"; do write_cnf "$n"; done

  local d1; d1=$(node_dir 1)
  log "initialising node 1 in $d1/data"
  chown -R mysql:mysql "$d1"
  if ! mariadb-install-db --no-defaults --user=mysql --datadir="$d1/data" --tmpdir="$d1/tmp" \
    --auth-root-authentication-method=normal --skip-test-db >"$d1/install.log" 2>&1; then
    cat "$d1/install.log" >&2
    die "mariadb-install-db failed"
  fi

  start_node 1 --wsrep-new-cluster
  start_node 2
  start_node 3
  for n in "${NODES[@]}"; do wait_synced "$n" 3; done
  trap - EXIT
  log "cluster up in $DIR (client ports $(client_port 1) $(client_port 2) $(client_port 3))"
}

# After mariadbd N (a session leader, by setsid) is gone: what it left in its
# session (an SST helper: rsync, the wsrep_sst_rsync script) goes too, so
# that nothing holds the node's ports.
reap_session() {
  local sid=$1 left
  mapfile -t left < <(ps -e -o pid=,sid= | awk -v s="$sid" '$2 == s && $1 != s { print $1 }')
  ((${#left[@]})) || return 0
  log "killing what mariadbd $sid left in its session: ${left[*]}"
  kill -KILL "${left[@]}" 2>/dev/null || true
}

wait_gone() {
  local pid=$1 secs=$2 deadline
  deadline=$((SECONDS + secs))
  while proc_alive "$pid"; do
    ((SECONDS < deadline)) || return 1
    sleep 0.1
  done
}

cmd_kill() {
  load_dir "$1"; check_node_arg "${2:-}"
  local n=$2 pid
  pid=$(node_pid "$n") || die "node $n does not run"
  kill -KILL "$pid" 2>/dev/null || true
  wait_gone "$pid" 30 || die "node $n: mariadbd ($pid) still there 30 s after SIGKILL"
  reap_session "$pid"
  log "node $n: killed (pid $pid)"
}

cmd_start() {
  load_dir "$1"; check_node_arg "${2:-}"
  local n=$2
  [[ -d $(node_dir "$n")/data ]] || die "node $n has no datadir; run 'up' first"
  # Never --wsrep-new-cluster here: the node joins the running ones.
  start_node "$n"
  wait_synced "$n" 3
  log "node $n: Synced, cluster size 3"
}

cmd_wait_synced() {
  load_dir "$1"; check_node_arg "${2:-}"
  wait_synced "$2"
}

stop_node() {
  local n=$1 pid
  pid=$(node_pid "$n") || return 0
  timeout 30 mariadb-admin --no-defaults --socket="$(sock "$n")" -uroot --connect-timeout=2 shutdown \
    >/dev/null 2>&1 || true
  if ! wait_gone "$pid" "$STOP_SECS"; then
    log "node $n: mariadbd ($pid) did not shut down in ${STOP_SECS}s; SIGTERM"
    kill -TERM "$pid" 2>/dev/null || true
    if ! wait_gone "$pid" 10; then
      log "node $n: mariadbd ($pid) ignored SIGTERM for 10 s; SIGKILL"
      kill -KILL "$pid" 2>/dev/null || true
      wait_gone "$pid" 10 || log "node $n: mariadbd ($pid) survives SIGKILL"
    fi
  fi
  reap_session "$pid"
  rm -f "$(pidfile "$n")"
}

cmd_down() {
  [[ -n ${1:-} ]] || die "usage: down DIR"
  [[ -d $1 ]] || return 0
  DIR=$(cd "$1" && pwd)
  # Reverse order: node 1, the last to go, is the one safe to bootstrap from.
  local n
  for n in 3 2 1; do stop_node "$n"; done
  log "cluster in $DIR stopped"
}

cmd_status() {
  load_dir "$1"
  local n pid st state _ready csize
  for n in "${NODES[@]}"; do
    if pid=$(node_pid "$n"); then
      st=$(node_status "$n") || st="no-answer ? ?"
      read -r state _ready csize <<<"$st"
      echo "$n $pid $(client_port "$n") $state $csize"
    else
      echo "$n - $(client_port "$n") down -"
    fi
  done
}

case "${1:-}" in
  up) cmd_up "${2:-}" "${3:-}" ;;
  kill) cmd_kill "${2:-}" "${3:-}" ;;
  start) cmd_start "${2:-}" "${3:-}" ;;
  wait-synced) cmd_wait_synced "${2:-}" "${3:-}" ;;
  down) cmd_down "${2:-}" ;;
  status) cmd_status "${2:-}" ;;
  *) echo "usage: $0 up DIR BASE | kill DIR N | start DIR N | wait-synced DIR N | down DIR | status DIR" >&2; exit 2 ;;
esac
