#!/usr/bin/env bash
# make test: the unit tests, then the integration tests against a private
# stack (MariaDB, nginx, workers, daemon) in a temp dir on a free port, so
# it never collides with a running `make run`; then the HTTP suites once
# more through Apache (mod_proxy_fcgi, same workers) on a second free port;
# then AppSchemaTest on a second stack whose target is the sample
# application's own tables (tests/data/app_schema.sql, app_mapping.conf).
# The admin console's browser tests (tests/browser: Debian's chromium driven
# by puppeteer-core) run on the first stack after its integration runs.
# Ends with "N passed, M failed" over all runs.
#
#   scripts/test.sh [BUILD] [browser]   browser: only the browser tests
#   scripts/test.sh [BUILD] galera      only the Galera run (make test-galera;
#     logs in BUILD/test-logs-galera): the stack over a private 3-node
#     cluster (stack.sh galera-up) and the integration suites through it,
#     GaleraTest among them (node killed under load, daemons racing, two
#     reconciles, read-your-writes).
set -uo pipefail

BUILD=${1:-build}
ONLY=${2:-}
REPO=$(cd "$(dirname "$0")/.." && pwd)
BIN=$(cd "$REPO/$BUILD/bin" && pwd)
source "$REPO/scripts/proc.sh"
cd "$REPO"

passed=0
failed=0
LOGS=$REPO/$BUILD/test-logs
[[ $ONLY == galera ]] && LOGS=$REPO/$BUILD/test-logs-galera  # make test's stay
rm -rf "$LOGS" && mkdir -p "$LOGS"

# Runs one gtest binary and adds its counts; a crash counts as a failure.
run_suite() {
  local name=$1; shift
  echo "==> $name"
  "$@" 2>&1 | tee "$LOGS/$name.log"
  local rc=${PIPESTATUS[0]}
  local p f
  p=$(sed -n 's/^\[  PASSED  \] \([0-9]*\) tests\?\..*/\1/p' "$LOGS/$name.log" | tail -1)
  f=$(sed -n 's/^\[  FAILED  \] \([0-9]*\) tests\?, listed below.*/\1/p' "$LOGS/$name.log" | tail -1)
  p=${p:-0}
  f=${f:-0}
  if [[ $rc -ne 0 && $f -eq 0 ]]; then
    echo "$name exited with status $rc without a test summary: counted as one failure"
    f=1
  fi
  passed=$((passed + p))
  failed=$((failed + f))
}

free_port() {
  local p
  for _ in $(seq 1 50); do
    p=$((20000 + RANDOM % 40000))
    port_in_use "$p" || { echo "$p"; return 0; }
  done
  return 1
}

# The browser suite (node:test, one count per test; its screenshots go to
# $LOGS). Chromium or the npm packages missing is a failure, never a skip.
run_browser_suite() {
  echo "==> browser_tests"
  local missing=()
  [[ -x ${SCIMSYNC_CHROMIUM:-/usr/bin/chromium} ]] || missing+=("chromium")
  command -v node >/dev/null || missing+=("node")
  [[ -d $REPO/tests/browser/node_modules/puppeteer-core ]] || missing+=("tests/browser/node_modules")
  if [[ ${#missing[@]} -gt 0 ]]; then
    echo "browser tests cannot run without ${missing[*]} (make deps): counted as one failure"
    failed=$((failed + 1))
    return
  fi
  SCIMSYNC_TEST_STATE=$STATE SCIMSYNC_TEST_PORT=$PORT SCIMSYNC_TEST_BIN=$BIN SCIMSYNC_TEST_LOGS=$LOGS \
    timeout 600 node --test-reporter=spec "$REPO/tests/browser/console.test.mjs" 2>&1 |
    tee "$LOGS/browser_tests.log"
  local rc=${PIPESTATUS[0]}
  local p f c
  p=$(sed -n 's/^ℹ pass \([0-9]*\)$/\1/p' "$LOGS/browser_tests.log" | tail -1)
  f=$(sed -n 's/^ℹ fail \([0-9]*\)$/\1/p' "$LOGS/browser_tests.log" | tail -1)
  c=$(sed -n 's/^ℹ cancelled \([0-9]*\)$/\1/p' "$LOGS/browser_tests.log" | tail -1)
  p=${p:-0}
  f=$((${f:-0} + ${c:-0}))
  if [[ $rc -ne 0 && $f -eq 0 ]]; then
    echo "browser_tests exited with status $rc without a test summary: counted as one failure"
    f=1
  fi
  passed=$((passed + p))
  failed=$((failed + f))
}

# A free base for the Galera ports (stack.sh galera-up; scripts/galera.sh):
# BASE+1..3 clients, BASE+10/20/30 group communication, +1 IST, +5 SST.
free_galera_base() {
  local b o ok
  for _ in $(seq 1 50); do
    b=$((20000 + (RANDOM % 4000) * 10))
    ok=1
    for o in 1 2 3 10 11 15 20 21 25 30 31 35; do
      port_in_use $((b + o)) && { ok=0; break; }
    done
    [[ $ok -eq 1 ]] && { echo "$b"; return 0; }
  done
  return 1
}

# Over Galera: every integration suite but those about one server's
# set-up (Apache; the sample schema's stack; the single server's outages,
# its root socket for doctor and directory check; the trusted-proxy
# admission tests; the worker process modes: spawn-fcgi, CGI), then
# GaleraTest.
GALERA_SUITES="-ApacheTest.*:AppSchemaTest.*:OutageTest.*:HealthTest.*:DirectoryCheckTest.*"
GALERA_SUITES+=":AdmissionTest.*:WorkerModesTest.*"

run_galera() {
  local state port base up=0
  state=$(mktemp -d /tmp/scimsync-galera.XXXXXX)
  # At exit: the stack's logs and each node's error log kept, the rest
  # (data, gcache) removed.
  trap 'SCIMSYNC_BIN=$BIN "$REPO/scripts/stack.sh" down "$state" || true
        cp -r "$state/log" "$LOGS/galera-stack" 2>/dev/null
        for n in 1 2 3; do cp "$state/galera/node$n/mariadb.log" "$LOGS/galera-node$n.log" 2>/dev/null; done
        rm -rf "$state"' EXIT
  for attempt in 1 2 3; do
    port=$(free_port) && base=$(free_galera_base) || break
    echo "==> galera stack on port $port, Galera base $base (attempt $attempt)"
    if SCIMSYNC_SETTINGS_TTL_MS=1000 SCIMSYNC_BIN=$BIN \
        "$REPO/scripts/stack.sh" galera-up "$state" "$port" "$base"; then
      up=1
      break
    fi
    SCIMSYNC_BIN=$BIN "$REPO/scripts/stack.sh" down "$state" || true
    rm -rf "$state" && mkdir -p "$state"
  done
  if [[ $up -eq 1 ]]; then
    SCIMSYNC_TEST_STATE=$state SCIMSYNC_TEST_PORT=$port SCIMSYNC_TEST_BIN=$BIN \
      run_suite integration_tests_galera timeout 1200 "$BIN/integration_tests" \
      --gtest_filter="$GALERA_SUITES"
  else
    echo "could not start the Galera stack: counted as one failure"
    failed=$((failed + 1))
  fi
  echo
  echo "$passed passed, $failed failed"
  [[ $failed -eq 0 ]]
  exit
}
[[ $ONLY == galera ]] && run_galera

# Bounded: a hung test fails the run instead of stalling CI.
[[ $ONLY == browser ]] || run_suite unit_tests timeout 300 "$BIN/unit_tests"

STATE=$(mktemp -d /tmp/scimsync-test.XXXXXX)
APP_STATE=$(mktemp -d /tmp/scimsync-test-app.XXXXXX)
cleanup() {
  SCIMSYNC_BIN=$BIN "$REPO/scripts/stack.sh" down "$STATE" || true
  SCIMSYNC_BIN=$BIN "$REPO/scripts/stack.sh" down "$APP_STATE" || true
  cp -r "$STATE/log" "$LOGS/stack" 2>/dev/null || true
  cp -r "$APP_STATE/log" "$LOGS/app-stack" 2>/dev/null || true
  rm -rf "$STATE" "$APP_STATE"
}
trap cleanup EXIT

up=0
for attempt in 1 2 3; do
  PORT=$(free_port) || break
  APACHE_PORT=$(free_port) || break
  [[ $APACHE_PORT != "$PORT" ]] || continue
  # Short settings cache, so tests that flip a setting wait less. The test
  # client on 127.0.0.1 plays a trusted load balancer: tests send
  # X-Forwarded-For to act as distinct clients (admission_test).
  if SCIMSYNC_SETTINGS_TTL_MS=1000 SCIMSYNC_TRUSTED_PROXIES=127.0.0.1 SCIMSYNC_BIN=$BIN \
      "$REPO/scripts/stack.sh" up "$STATE" "$PORT" "$APACHE_PORT"; then
    up=1
    break
  fi
  echo "stack start failed on port $PORT (attempt $attempt)"
  SCIMSYNC_BIN=$BIN "$REPO/scripts/stack.sh" down "$STATE" || true
done

# The suites about HTTP (not the daemon, sync, reconcile, scimctl or outage
# ones), run a second time through Apache; ApacheTest only there.
APACHE_SUITES="UsersApiTest.*:OktaLifecycleTest.*:EntraLifecycleTest.*:ProtocolTest.*:RfcTest.*"
APACHE_SUITES+=":SecurityTest.*:WebServerTest.*:ApacheTest.*:AdmissionTest.Healthz*"
APACHE_SUITES+=":OutageTest.OverlongUriIs414WithScimBody:IdsTest.*:GroupsApiTest.*:ProtocolRulesTest.*"
APACHE_SUITES+=":ConsoleTest.*"

if [[ $up -eq 1 && $ONLY == browser ]]; then
  run_browser_suite
elif [[ $up -eq 1 ]]; then
  SCIMSYNC_TEST_STATE=$STATE SCIMSYNC_TEST_PORT=$PORT SCIMSYNC_TEST_BIN=$BIN \
    run_suite integration_tests timeout 900 "$BIN/integration_tests" \
    --gtest_filter=-ApacheTest.*:AppSchemaTest.*:GaleraTest.*
  SCIMSYNC_TEST_STATE=$STATE SCIMSYNC_TEST_PORT=$APACHE_PORT SCIMSYNC_TEST_BIN=$BIN \
    run_suite integration_tests_apache timeout 300 "$BIN/integration_tests" \
    --gtest_filter="$APACHE_SUITES"
  run_browser_suite
else
  echo "could not start the test stack: integration tests counted as one failure"
  failed=$((failed + 1))
fi
SCIMSYNC_BIN=$BIN "$REPO/scripts/stack.sh" down "$STATE" || true

# The sample application's stack (its mapping appended to the config, its
# schema and grants made before the workers start, which check the mapping).
run_app_stack_suite() {
  app_up=0
  for attempt in 1 2 3; do
    APP_PORT=$(free_port) || break
    if SCIMSYNC_SETTINGS_TTL_MS=1000 SCIMSYNC_BIN=$BIN SCIMSYNC_APP_SCHEMA=app \
        SCIMSYNC_EXTRA_CONFIG=$REPO/tests/data/app_mapping.conf \
        SCIMSYNC_PRE_START_SQL="$REPO/tests/data/app_schema.sql $REPO/tests/data/app_grants.sql" \
        "$REPO/scripts/stack.sh" up "$APP_STATE" "$APP_PORT"; then
      app_up=1
      break
    fi
    echo "sample application stack start failed on port $APP_PORT (attempt $attempt)"
    SCIMSYNC_BIN=$BIN "$REPO/scripts/stack.sh" down "$APP_STATE" || true
    rm -rf "$APP_STATE" && mkdir -p "$APP_STATE"
  done
  if [[ $app_up -eq 1 ]]; then
    SCIMSYNC_TEST_STATE=$APP_STATE SCIMSYNC_TEST_PORT=$APP_PORT SCIMSYNC_TEST_BIN=$BIN \
      run_suite integration_tests_app timeout 300 "$BIN/integration_tests" \
      --gtest_filter=AppSchemaTest.*
  else
    echo "could not start the sample application's stack: counted as one failure"
    failed=$((failed + 1))
  fi
}
[[ $ONLY == browser ]] || run_app_stack_suite

# In CI (or when FUZZ_SECONDS is set) each fuzz target runs briefly under
# ASan/UBSan and counts as one test.
if [[ $ONLY != browser && ( "${CI:-}" == true || -n "${FUZZ_SECONDS:-}" ) ]]; then
  for target in filter patch_path json body ids; do
    echo "==> fuzz $target"
    if FUZZ_TARGETS=$target FUZZ_SECONDS=${FUZZ_SECONDS:-10} timeout 300 "$REPO/scripts/fuzz.sh" \
        >"$LOGS/fuzz-$target.log" 2>&1; then
      passed=$((passed + 1))
      grep -E "^stat::number_of_executed_units" "$LOGS/fuzz-$target.log" | tail -1 || true
    else
      failed=$((failed + 1))
      tail -30 "$LOGS/fuzz-$target.log"
    fi
  done
fi

echo
echo "$passed passed, $failed failed"
[[ $failed -eq 0 ]]
