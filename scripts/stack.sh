#!/usr/bin/env bash
# The local scimsync stack: a private MariaDB, the FastCGI workers, nginx in
# front (and optionally Apache, on a second port, to the same workers) and
# the sync daemon, all under one state directory, started and stopped by
# PID. No systemd, no system-wide config is touched.
#
#   stack.sh run               state in var/, foreground until Ctrl-C
#   stack.sh start | stop      state in var/, in the background
#                              (SCIM_APACHE_PORT=8081: Apache too)
#   stack.sh up DIR PORT [APACHE_PORT]   (tests) state in DIR, background
#   stack.sh down DIR          (tests)
#   stack.sh galera-up DIR PORT GALERA_BASE   (make test-galera) the same
#                              parts over a 3-node Galera cluster (scripts/galera.sh,
#                              in DIR/galera): workers on nodes 1 and 2 behind one
#                              nginx upstream, daemons on nodes 2 and 3
#   stack.sh galera-node-kill DIR N | galera-node-start DIR N   (tests)
#
# An application of its own for `up` (scripts/test.sh, the sample schema):
#   SCIMSYNC_EXTRA_CONFIG=FILE       appended to the config (say, a directory mapping)
#   SCIMSYNC_PRE_START_SQL="F1 F2"   run as root after the migrations, before the
#                                    workers and the daemon start (tables, grants)
#   with @SCHEMA@ in both replaced by SCIMSYNC_APP_SCHEMA (default: app).
set -euo pipefail

REPO=$(cd "$(dirname "$0")/.." && pwd)
BIN=${SCIMSYNC_BIN:-$REPO/build/bin}

log() { echo "stack: $*" >&2; }
die() { log "$*"; exit 1; }

source "$REPO/scripts/proc.sh"

# Waits (bounded) until "$@" succeeds.
wait_for() {
  local tries=$1; shift
  for ((i = 0; i < tries; i++)); do
    "$@" >/dev/null 2>&1 && return 0
    sleep 0.1
  done
  return 1
}

# innodb_flush_log_at_trx_commit=2 is for speed only: a crash of the machine
# can lose the last second of commits. Production needs 1 (README,
# Deploying); `scimctl doctor` reports this stack UNSAFE for it, on purpose.
start_mariadb() {
  local s=$1
  # A private tmpdir: nothing of another server's (or a cleaner's) in /tmp
  # can meet this one's temporary tables.
  mkdir -p "$s/mysql/tmp" "$s/run" "$s/log"
  if [[ ! -d "$s/mysql/data/mysql" ]]; then
    log "initialising MariaDB in $s/mysql/data"
    if ! mariadb-install-db --no-defaults --user=root --datadir="$s/mysql/data" \
      --tmpdir="$s/mysql/tmp" --auth-root-authentication-method=normal --skip-test-db \
      >"$s/log/mariadb-install.log" 2>&1; then
      cat "$s/log/mariadb-install.log" >&2
      rm -rf "$s/mysql/data"  # half made: the next attempt starts afresh
      die "mariadb-install-db failed"
    fi
  fi
  mariadbd --no-defaults --user=root --datadir="$s/mysql/data" --tmpdir="$s/mysql/tmp" \
    --socket="$s/run/mysqld.sock" \
    --pid-file="$s/run/mysqld.pid" --log-error="$s/log/mariadb.log" --skip-networking \
    --skip-name-resolve --character-set-server=utf8mb4 --collation-server=utf8mb4_unicode_ci \
    --innodb-buffer-pool-size=256M --innodb-flush-log-at-trx-commit=2 >/dev/null 2>&1 &
  wait_for 300 mariadb-admin --no-defaults --socket="$s/run/mysqld.sock" -uroot ping \
    || { tail -20 "$s/log/mariadb.log" >&2; die "MariaDB did not start"; }
}

# The application account and its database; the password is made once.
create_database() {
  local s=$1 sock=${2:-$1/run/mysqld.sock}
  [[ -f "$s/db-password" ]] || (umask 077; head -c 18 /dev/urandom | base64 | tr -d '+/=' >"$s/db-password")
  local pw; pw=$(cat "$s/db-password")
  mariadb --no-defaults --socket="$sock" -uroot <<SQL
CREATE DATABASE IF NOT EXISTS scimsync CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci;
CREATE USER IF NOT EXISTS 'scimsync'@'localhost' IDENTIFIED BY '$pw';
GRANT ALL PRIVILEGES ON scimsync.* TO 'scimsync'@'localhost';
SQL
}

# A file of SCIMSYNC_EXTRA_CONFIG / SCIMSYNC_PRE_START_SQL with @SCHEMA@
# replaced.
app_schema_text() {
  [[ -r $1 ]] || die "cannot read $1"
  sed -e "s/@SCHEMA@/${SCIMSYNC_APP_SCHEMA:-app}/g" "$1"
}

run_pre_start_sql() {
  local s=$1 sock=${2:-$1/run/mysqld.sock} f
  for f in ${SCIMSYNC_PRE_START_SQL:-}; do
    app_schema_text "$f" | mariadb --no-defaults --socket="$sock" -uroot \
      || die "$f failed"
  done
}

write_config() {
  local s=$1 sock=${2:-$1/run/mysqld.sock}
  cat >"$s/scimsync.conf" <<CONF
# Written by scripts/stack.sh for the local stack in $s.
db.socket = $sock
db.name = scimsync
db.user = scimsync
db.password = $(cat "$s/db-password")
fcgi.socket = $s/run/fcgi.sock
fcgi.socket_mode = 0666
fcgi.processes = 2
fcgi.threads = 24
migrations_dir = $REPO/sql
fcgi.settings_ttl_ms = ${SCIMSYNC_SETTINGS_TTL_MS:-5000}
CONF
  if [[ -n ${SCIMSYNC_TRUSTED_PROXIES:-} ]]; then
    echo "fcgi.trusted_proxies = $SCIMSYNC_TRUSTED_PROXIES" >>"$s/scimsync.conf"
  fi
  if [[ -n ${SCIMSYNC_EXTRA_CONFIG:-} ]]; then
    app_schema_text "$SCIMSYNC_EXTRA_CONFIG" >>"$s/scimsync.conf"
  fi
  # A second worker pool that inherits its socket from spawn-fcgi (and
  # trusts no proxy).
  sed -e '/^fcgi.socket/d' -e '/^fcgi.processes/d' -e '/^fcgi.trusted_proxies/d' \
    "$s/scimsync.conf" >"$s/spawned.conf"
  echo "fcgi.base_paths = /spawned/scim/v2" >>"$s/spawned.conf"
}

# Ready once the socket has its mode (fcgi.socket_mode is set after listen):
# nginx and Apache connect as another user.
socket_ready() { [[ -S $1 && $(stat -c %a "$1") == 666 ]]; }

# A worker pool: NAME.pid, NAME.sock and log/NAME.log from config CONF
# (default: the stack's one pool, fcgi, from scimsync.conf).
start_fcgi() {
  local s=$1 name=${2:-fcgi} conf=${3:-$1/scimsync.conf}
  pid_alive "$s/run/$name.pid" && die "scim-fcgi already runs from $s ($name)"
  rm -f "$s/run/$name.sock"  # a stale one would look ready at once
  "$BIN/scim-fcgi" --config "$conf" >>"$s/log/$name.log" 2>&1 &
  echo $! >"$s/run/$name.pid"
  wait_for 100 socket_ready "$s/run/$name.sock" || die "scim-fcgi did not open its socket (see $s/log/$name.log)"
}

start_workers() {
  local s=$1
  start_fcgi "$s"
  spawn-fcgi -n -s "$s/run/spawned.sock" -M 0666 -- "$BIN/scim-fcgi" --config "$s/spawned.conf" \
    >>"$s/log/spawned.log" 2>&1 &
  echo $! >"$s/run/spawned.pid"
  wait_for 100 test -S "$s/run/spawned.sock" || die "spawn-fcgi did not start (see $s/log/spawned.log)"
  "$BIN/scim-syncd" --config "$s/scimsync.conf" >>"$s/log/syncd.log" 2>&1 &
  echo $! >"$s/run/syncd.pid"
}

# The admin console's login for the local stack: user admin with a random
# password (kept across restarts in $s/admin-password), as an apr1 htpasswd.
write_admin_htpasswd() {
  local s=$1
  [[ -f "$s/admin-password" ]] || (umask 077; head -c 12 /dev/urandom | base64 | tr -d '+/=' >"$s/admin-password")
  (umask 022; printf 'admin:%s\n' "$(openssl passwd -apr1 -stdin <"$s/admin-password")" >"$s/admin.htpasswd")
}

# nginx in front of the worker pool(s): one upstream over the sockets named
# (default: the one pool's), and, with several, a server per pool for the
# tests (pool1.localhost, pool2.localhost, ...: one pool, not the upstream).
start_nginx() {
  local s=$1 port=$2 pools=${3:-$1/run/fcgi.sock}
  mkdir -p "$s/nginx/extra"
  write_admin_htpasswd "$s"
  # Several pools: a pool that refuses a connection is skipped for that
  # request (fastcgi_next_upstream), never marked down (max_fails=0), so the
  # first request after a restart of all pools is served.
  local servers="" sock opts=""
  [[ $pools == *" "* ]] && opts=" max_fails=0"
  for sock in $pools; do servers+="server unix:$sock$opts; "; done
  sed -e "s|@LISTEN@|127.0.0.1:$port|" -e "s|@SERVER_NAME@|localhost|" -e "s|@ADMIN_HTPASSWD@|$s/admin.htpasswd|" \
      -e "s|server unix:@FCGI_SOCKET@;|$servers|" -e "s|include fastcgi_params;|include /etc/nginx/fastcgi_params;|" \
      "$REPO/deploy/nginx/scimsync.conf" >"$s/nginx/site.conf"
  local n=0 per_pool=""
  if [[ $pools == *" "* ]]; then
    for sock in $pools; do
      n=$((n + 1))
      per_pool+="    server {
        listen 127.0.0.1:$port;
        server_name pool$n.localhost;
        location / {
            include /etc/nginx/fastcgi_params;
            fastcgi_pass unix:$sock;
        }
    }
"
    done
  fi
  cat >"$s/nginx/nginx.conf" <<CONF
daemon off;
worker_processes 2;
pid $s/run/nginx.pid;
error_log $s/log/nginx-error.log warn;
events { worker_connections 1024; }
http {
    access_log $s/log/nginx-access.log;
    client_body_temp_path $s/nginx/client_body;
    fastcgi_temp_path $s/nginx/fastcgi;
    include $s/nginx/site.conf;
    # Benchmarks drop extra servers here (and reload nginx with SIGHUP).
    include $s/nginx/extra/*.conf;
$per_pool    # Test-only: the pool started by spawn-fcgi (inherited socket).
    server {
        listen 127.0.0.1:$port;
        server_name spawned.localhost;
        location /spawned/scim/v2 {
            include /etc/nginx/fastcgi_params;
            fastcgi_pass unix:$s/run/spawned.sock;
        }
    }
}
CONF
  nginx -e "$s/log/nginx-error.log" -p "$s/nginx" -c "$s/nginx/nginx.conf" >>"$s/log/nginx.log" 2>&1 &
  echo $! >"$s/run/nginx.launcher.pid"
  wait_for 100 curl -sf -o /dev/null "http://127.0.0.1:$port/healthz" \
    || { tail -5 "$s/log/nginx-error.log" >&2; die "nginx did not answer on 127.0.0.1:$port"; }
}

# Apache 2.4 on a second port, to the same workers: deploy/apache/scimsync.conf
# rendered, plus (test-only) its plain-CGI alternative on cgi.localhost.
# Its own ServerRoot and modules: nothing under /etc/apache2 is read.
start_apache() {
  local s=$1 port=$2 conf=$REPO/deploy/apache/scimsync.conf
  mkdir -p "$s/apache/run"
  write_admin_htpasswd "$s"
  sed -e "s|@LISTEN@|127.0.0.1:$port|" -e "s|@SERVER_NAME@|localhost|" -e "s|@ADMIN_HTPASSWD@|$s/admin.htpasswd|" \
      -e "s|@FCGI_SOCKET@|$s/run/fcgi.sock|" "$conf" >"$s/apache/site.conf"
  # Test-only: the same site on cgi.localhost with the plain-CGI block that
  # ends the file (uncommented) in place of its Proxy lines.
  sed -n '/^# Alternative for hosts without FastCGI/,$s/^#   /    /p' "$conf" |
    sed -e "s|/etc/scimsync/scimsync.conf|$s/scimsync.conf|" -e "s|/usr/local/bin/scim-fcgi|$BIN/scim-fcgi|" \
      >"$s/apache/cgi.part"
  sed -e '/^    ProxyPass/d' -e "s|^    ServerName .*|    ServerName cgi.localhost|" \
      -e "/^    ServerName /r $s/apache/cgi.part" "$s/apache/site.conf" >"$s/apache/cgi-site.conf"
  local user=""
  [[ $(id -u) -eq 0 ]] && user=$'User nobody\nGroup nogroup'
  cat >"$s/apache/httpd.conf" <<CONF
ServerRoot $s/apache
DefaultRuntimeDir $s/apache/run
PidFile $s/apache/run/httpd.pid
ErrorLog $s/log/apache-error.log
Listen 127.0.0.1:$port
ServerName localhost
$user
$(for m in mpm_event authz_core authz_user authn_core authn_file auth_basic proxy proxy_fcgi headers unique_id setenvif env alias cgid; do
    echo "LoadModule ${m}_module /usr/lib/apache2/modules/mod_$m.so"
  done)
LogFormat "%h %t \"%r\" %>s %b %{UNIQUE_ID}e" scimsync
CustomLog $s/log/apache-access.log scimsync
# As in Debian's apache2.conf: nothing on the file system is served unless
# granted.
<Directory />
    AllowOverride None
    Require all denied
</Directory>
Include $s/apache/site.conf
Include $s/apache/cgi-site.conf
CONF
  apache2 -f "$s/apache/httpd.conf" -E "$s/log/apache-error.log" -DFOREGROUND >>"$s/log/apache.log" 2>&1 &
  echo $! >"$s/run/apache.pid"
  wait_for 100 curl -sf -o /dev/null "http://127.0.0.1:$port/healthz" \
    || { tail -5 "$s/log/apache-error.log" >&2; die "Apache did not answer on 127.0.0.1:$port"; }
}

# The stack over a 3-node Galera cluster (make test-galera): the cluster in
# $s/galera (scripts/galera.sh; client ports BASE+1..3), the migrations
# through node 1, worker pools on node 1 (fcgi) and node 2 (fcgi2) behind
# one nginx upstream, and daemons on node 2 (syncd) and node 3 (syncd2).
# scimsync.conf is node 1's; node2.conf and node3.conf the others'.
galera_up() {
  local s=$1 port=$2 base=$3 g=$1/galera
  chmod 755 "$s"
  mkdir -p "$s/run" "$s/log"
  port_in_use "$port" && die "port $port is in use"
  "$REPO/scripts/galera.sh" up "$g" "$base"
  create_database "$s" "$g/node1/mysqld.sock"
  write_config "$s" "$g/node1/mysqld.sock"
  local n
  for n in 2 3; do
    sed -e "s|^db.socket = .*|db.socket = $g/node$n/mysqld.sock|" \
      -e "s|^fcgi.socket = .*|fcgi.socket = $s/run/fcgi$n.sock|" "$s/scimsync.conf" >"$s/node$n.conf"
  done
  "$BIN/scimctl" --config "$s/scimsync.conf" migrate
  run_pre_start_sql "$s" "$g/node1/mysqld.sock"
  start_fcgi "$s" fcgi "$s/scimsync.conf"
  start_fcgi "$s" fcgi2 "$s/node2.conf"
  "$BIN/scim-syncd" --config "$s/node2.conf" >>"$s/log/syncd.log" 2>&1 &
  echo $! >"$s/run/syncd.pid"
  "$BIN/scim-syncd" --config "$s/node3.conf" >>"$s/log/syncd2.log" 2>&1 &
  echo $! >"$s/run/syncd2.pid"
  start_nginx "$s" "$port" "$s/run/fcgi.sock $s/run/fcgi2.sock"
  echo "$port" >"$s/run/port"
}

up() {
  local s=$1 port=$2 apache_port=${3:-}
  chmod 755 "$s"  # nginx and Apache workers (nobody) reach the sockets through it
  port_in_use "$port" && die "port $port is in use; set SCIM_PORT to another"
  if [[ -n $apache_port ]] && port_in_use "$apache_port"; then
    die "port $apache_port is in use; set SCIM_APACHE_PORT to another"
  fi
  start_mariadb "$s"
  create_database "$s"
  write_config "$s"
  "$BIN/scimctl" --config "$s/scimsync.conf" migrate
  run_pre_start_sql "$s"
  start_workers "$s"
  start_nginx "$s" "$port"
  echo "$port" >"$s/run/port"
  if [[ -n $apache_port ]]; then
    start_apache "$s" "$apache_port"
    echo "$apache_port" >"$s/run/apache-port"
  fi
}

stop_pid() {
  local file=$1 name=$2
  pid_alive "$file" || { rm -f "$file"; return 0; }
  local pid; pid=$(cat "$file")
  kill -TERM "$pid" 2>/dev/null || true
  for ((i = 0; i < 200; i++)); do proc_alive "$pid" || break; sleep 0.05; done
  if proc_alive "$pid"; then
    log "$name ($pid) ignored SIGTERM for 10 s; killing it"
    kill -KILL "$pid" 2>/dev/null || true
  fi
  rm -f "$file"
}

down() {
  local s=$1
  [[ -d "$s/run" ]] || return 0
  stop_pid "$s/run/nginx.pid" nginx
  stop_pid "$s/run/nginx.launcher.pid" nginx
  stop_pid "$s/run/apache.pid" apache2
  rm -f "$s/run/apache-port"
  stop_pid "$s/run/fcgi.pid" scim-fcgi
  stop_pid "$s/run/fcgi2.pid" "scim-fcgi (node 2)"
  stop_pid "$s/run/spawned.pid" "scim-fcgi (spawn-fcgi)"
  stop_pid "$s/run/syncd.pid" scim-syncd
  stop_pid "$s/run/syncd2.pid" "scim-syncd (node 3)"
  [[ -d "$s/galera" ]] && "$REPO/scripts/galera.sh" down "$s/galera"
  if pid_alive "$s/run/mysqld.pid"; then
    mariadb-admin --no-defaults --socket="$s/run/mysqld.sock" -uroot shutdown 2>/dev/null || true
    stop_pid "$s/run/mysqld.pid" mariadbd
  fi
}

print_banner() {
  local s=$1 port=$2 token=$3
  echo "SCIM base URL: http://127.0.0.1:$port/scim/v2"
  [[ -f $s/run/apache-port ]] && echo "Through Apache: http://127.0.0.1:$(cat "$s/run/apache-port")/scim/v2"
  echo "Bearer token: $token"
  echo "Admin console: http://127.0.0.1:$port/scim-admin/ (user admin, password $(cat "$s/admin-password"))"
  log "config: $s/scimsync.conf  logs: $s/log/  stop: make stop (or Ctrl-C for make run)"
}

# The stack of `make run` / `make start`, in var/. STATE is global so the
# traps can still see it after the function returns.
local_stack() {
  local mode=$1 port=${SCIM_PORT:-8080}
  STATE=$REPO/var
  mkdir -p "$STATE"
  if pid_alive "$STATE/run/nginx.pid" || pid_alive "$STATE/run/mysqld.pid"; then
    die "a stack is already running from $STATE (make stop first)"
  fi
  down "$STATE"
  trap 'down "$STATE"' EXIT
  up "$STATE" "$port" "${SCIM_APACHE_PORT:-}"
  local token
  token=$("$BIN/scimctl" --config "$STATE/scimsync.conf" token create \
    --name "make-$mode-$(date +%Y%m%d-%H%M%S)")
  print_banner "$STATE" "$port" "$token"
  if [[ $mode == start ]]; then
    trap - EXIT
    return 0
  fi
  # Ctrl-C reaches the whole process group; whatever is still up is stopped.
  trap 'echo >&2; log "stopping"; down "$STATE"; trap - EXIT; exit 0' INT TERM
  while pid_alive "$STATE/run/nginx.pid" || pid_alive "$STATE/run/nginx.launcher.pid"; do
    sleep 1 &
    wait $! || true
  done
  log "nginx exited; stopping the rest"
}

case "${1:-}" in
  run | start) local_stack "$1" ;;
  stop) down "$REPO/var"; log "stopped" ;;
  up) up "$2" "$3" "${4:-}" ;;
  galera-up) galera_up "$2" "$3" "$4" ;;
  galera-node-kill) "$REPO/scripts/galera.sh" kill "$2/galera" "$3" ;;
  galera-node-start) "$REPO/scripts/galera.sh" start "$2/galera" "$3" ;;
  down) down "$2" ;;
  # Tests: take the database away under the running stack, and bring it back.
  db-stop)
    mariadb-admin --no-defaults --socket="$2/run/mysqld.sock" -uroot shutdown
    stop_pid "$2/run/mysqld.pid" mariadbd ;;
  db-start) start_mariadb "$2" ;;
  # Tests: the same for the worker pool(s) behind nginx and Apache (on the
  # Galera stack, both pools).
  fcgi-stop)
    stop_pid "$2/run/fcgi.pid" scim-fcgi
    stop_pid "$2/run/fcgi2.pid" "scim-fcgi (node 2)" ;;
  fcgi-start)
    start_fcgi "$2"
    if [[ -f "$2/node2.conf" ]]; then start_fcgi "$2" fcgi2 "$2/node2.conf"; fi ;;
  *) echo "usage: $0 run|start|stop|up DIR PORT [APACHE_PORT]|down DIR|db-stop DIR|db-start DIR|fcgi-stop DIR|fcgi-start DIR|galera-up DIR PORT BASE|galera-node-kill DIR N|galera-node-start DIR N" >&2; exit 2 ;;
esac
