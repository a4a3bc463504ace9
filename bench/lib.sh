# Shared by the bench scripts that drive wrk against a private stack
# (bench/load_bench.sh, bench/adoption_bench.sh): source it after setting
# REPO, STATE, LOAD_DIR (the wrk scripts) and SECS (seconds per figure).

# "rps p50_ms p99_ms non2xx" from one wrk run: run_wrk CONNS SCRIPT URL.
run_wrk() {
  local conns=$1 script=$2 url=$3 threads=2
  [[ $conns -eq 1 ]] && threads=1
  LOAD_RUN=$$-$conns-$RANDOM wrk -t"$threads" -c"$conns" -d"${SECS}s" --latency -s "$LOAD_DIR/$script" "$url" 2>&1 | awk '
    function ms(v) { if (v ~ /us$/) return v / 1000; if (v ~ /ms$/) return v + 0; if (v ~ /s$/) return v * 1000; return v }
    /Requests\/sec:/ { rps = $2 }
    /^ +50%/ { p50 = ms($2) } /^ +99%/ { p99 = ms($2) }
    /Non-2xx or 3xx responses:/ { bad = $5 }
    END { printf "%.0f %.2f %.2f %d\n", rps, p50, p99, bad + 0 }'
}

# The nginx + libfcgi ceiling: a hello responder (bench/ceiling/hello_fcgi.c)
# behind the stack's nginx, both ways nginx can talk to it: a connection per
# request (8 threads, on port $1), and kept-alive connections as scimsync's
# own pool has (48 threads, keepalive 8, on port $2). Sets HELLO (the higher
# figure, the ceiling), HELLO_OFF and HELLO_KC, at 32 connections.
hello_ceiling() {
  local off_port=$1 kc_port=$2
  mkdir -p "$REPO/build/bench"
  gcc -O2 -Wall -Wextra -pthread "$REPO/bench/ceiling/hello_fcgi.c" -lfcgi -o "$REPO/build/bench/hello_fcgi"
  "$REPO/build/bench/hello_fcgi" "$STATE/run/hello.sock" 8 &
  HELLO_PID=$!
  "$REPO/build/bench/hello_fcgi" "$STATE/run/hello-kc.sock" 48 &
  HELLO_PID="$HELLO_PID $!"
  sleep 0.3
  cat >"$STATE/nginx/extra/hello.conf" <<CONF
upstream hello_kc { server unix:$STATE/run/hello-kc.sock; keepalive 8; }
server {
    listen 127.0.0.1:$off_port;
    location /hello { include /etc/nginx/fastcgi_params; fastcgi_pass unix:$STATE/run/hello.sock; }
}
server {
    listen 127.0.0.1:$kc_port;
    location /hello { include /etc/nginx/fastcgi_params; fastcgi_pass hello_kc; fastcgi_keep_conn on; }
}
CONF
  kill -HUP "$(cat "$STATE/run/nginx.pid")"
  sleep 0.5
  read -r HELLO_OFF _ _ _ < <(run_wrk 32 hello.lua "http://127.0.0.1:$off_port")
  read -r HELLO_KC _ _ _ < <(run_wrk 32 hello.lua "http://127.0.0.1:$kc_port")
  HELLO=$((HELLO_OFF > HELLO_KC ? HELLO_OFF : HELLO_KC))
  kill $HELLO_PID
  HELLO_PID=
}

# The largest VmRSS and VmHWM (peak) of the stack's scim-fcgi processes, in MB.
worker_rss() {
  local field=${1:-VmRSS}
  for p in $(pgrep -f "scim-fcgi --config $STATE/scimsync.conf"); do
    awk -v f="$field:" '$1 == f { print $2 }' "/proc/$p/status"
  done | sort -n | tail -1 | awk '{ printf "%d", $1 / 1024 }'
}
