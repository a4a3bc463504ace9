# scimsync — the only build entry point (plain GNU make, out of tree in build/).
# `make help` lists the targets.

CXX      ?= g++
CXXFLAGS ?= -std=c++20 -O2 -g -Wall -Wextra -Wpedantic
CPPFLAGS += -I. -MMD -MP $(shell pkg-config --cflags libmariadb 2>/dev/null || echo -I/usr/include/mariadb)
LDFLAGS  ?=
BUILD    ?= build
JOBS     ?= $(shell nproc 2>/dev/null || echo 2)
ifdef SANITIZE
  CXXFLAGS += -fsanitize=$(SANITIZE) -fno-omit-frame-pointer
  LDFLAGS  += -fsanitize=$(SANITIZE)
endif
ifdef WERROR
  CXXFLAGS += -Werror
endif

LIB_POCO = -lPocoFoundation -lcrypto
LIB_NET  = -lPocoNet -lPocoFoundation
LIB_DB   = -lsoci_mysql -lsoci_core -lmariadb -ldl
LIB_FCGI = -lfcgi
LIB_TEST = -lgtest -lpthread
LIB_BENCH = -lbenchmark -lpthread

# Debian 12 packages the build, the stack and the tests need.
DEB_PACKAGES = g++ make pkg-config libfcgi-dev libpoco-dev libsoci-dev libmariadb-dev \
  mariadb-server mariadb-client nginx apache2 spawn-fcgi wrk libgtest-dev libbenchmark-dev \
  libboost-dev clang libclang-rt-14-dev \
  curl ca-certificates openssl procps chromium nodejs galera-4 rsync socat

# ---- sources (sorted, one per line) -----------------------------------------
ADMIN_SRCS = \
  admin/assets.cc \
  admin/audit_page.cc \
  admin/csrf.cc \
  admin/html.cc \
  admin/idp_steps.cc \
  admin/pages.cc \
  admin/roles_page.cc \
  admin/router.cc \
  admin/scim_page.cc \
  admin/settings_page.cc \
  admin/sync_page.cc \
  admin/tokens_page.cc \
  admin/users_page.cc

SCIM_SRCS = \
  common/auth/token.cc \
  common/scim/bulk.cc \
  common/scim/change_payload.cc \
  common/scim/clock.cc \
  common/scim/error.cc \
  common/scim/filter.cc \
  common/scim/filter_eval.cc \
  common/scim/json.cc \
  common/scim/list.cc \
  common/scim/patch.cc \
  common/scim/projection.cc \
  common/scim/resource.cc \
  common/scim/resource_service.cc \
  common/scim/schema.cc \
  common/scim/store_query.cc \
  common/scim/text.cc \
  common/scim/user.cc

CONFIG_SRCS = \
  common/config/config.cc \
  common/config/directory_mapping.cc \
  common/ops/directory_check.cc \
  common/ops/doctor.cc \
  common/ops/liveness.cc \
  common/sync/directory_user.cc \
  common/sync/settings.cc \
  common/util/cidr.cc \
  common/util/password.cc \
  common/util/system.cc

DB_SRCS = \
  common/db/adoption.cc \
  common/db/app_groups.cc \
  common/db/app_users.cc \
  common/db/app_users_write.cc \
  common/db/change_queue.cc \
  common/db/connection.cc \
  common/db/console_secret.cc \
  common/db/daemon_heartbeats.cc \
  common/db/leases.cc \
  common/db/local_admin.cc \
  common/db/migrate.cc \
  common/db/mysql_group_store.cc \
  common/db/mysql_token_store.cc \
  common/db/mysql_user_store.cc \
  common/db/record_query.cc \
  common/db/schema_facts.cc \
  common/db/server_facts.cc \
  common/db/settings_store.cc \
  common/db/sync_rows.cc

CGI_LIB_SRCS = \
  cgi/error_response.cc \
  cgi/guard.cc \
  cgi/handlers.cc \
  cgi/http.cc \
  cgi/router.cc

CGI_SRCS = \
  cgi/cgi_io.cc \
  cgi/fcgi_io.cc \
  cgi/main.cc \
  cgi/worker.cc

DAEMON_LIB_SRCS = \
  daemon/adoption_tick.cc \
  daemon/applier.cc \
  daemon/heartbeat.cc \
  daemon/policy.cc \
  daemon/reconcile.cc \
  daemon/reconcile_run.cc \
  daemon/sql_directory.cc \
  daemon/sql_queue.cc \
  daemon/sync_loop.cc

DAEMON_SRCS = \
  daemon/main.cc

CTL_SRCS = \
  ctl/audit_commands.cc \
  ctl/commands.cc \
  ctl/directory_commands.cc \
  ctl/health_commands.cc \
  ctl/main.cc \
  ctl/queue_commands.cc \
  ctl/settings_commands.cc \
  ctl/token_commands.cc \
  ctl/user_commands.cc

UNIT_TEST_SRCS = \
  tests/admin/audit_page_test.cc \
  tests/admin/csrf_test.cc \
  tests/admin/html_test.cc \
  tests/admin/pages_test.cc \
  tests/cgi/http_test.cc \
  tests/cgi/router_test.cc \
  tests/common/auth/token_test.cc \
  tests/common/config/config_test.cc \
  tests/common/config/directory_mapping_test.cc \
  tests/common/db/migrate_diff_test.cc \
  tests/common/db/migrate_split_test.cc \
  tests/common/ops/directory_check_test.cc \
  tests/common/ops/doctor_test.cc \
  tests/common/ops/liveness_test.cc \
  tests/common/scim/bulk_test.cc \
  tests/common/scim/change_payload_test.cc \
  tests/common/scim/error_test.cc \
  tests/common/scim/filter_eval_test.cc \
  tests/common/scim/filter_test.cc \
  tests/common/scim/json_test.cc \
  tests/common/scim/list_test.cc \
  tests/common/scim/patch_path_test.cc \
  tests/common/scim/patch_test.cc \
  tests/common/scim/projection_test.cc \
  tests/common/scim/resource_service_ids_test.cc \
  tests/common/scim/resource_service_test.cc \
  tests/common/scim/resource_test.cc \
  tests/common/scim/schema_test.cc \
  tests/common/scim/store_query_test.cc \
  tests/common/scim/text_test.cc \
  tests/common/util/cidr_test.cc \
  tests/common/util/password_test.cc \
  tests/daemon/applier_test.cc \
  tests/daemon/heartbeat_test.cc \
  tests/daemon/policy_test.cc \
  tests/daemon/reconcile_test.cc \
  tests/daemon/sync_loop_test.cc \
  tests/unit_main.cc

INTEGRATION_TEST_SRCS = \
  tests/integration/admin_readers_test.cc \
  tests/integration/admission_test.cc \
  tests/integration/adoption_bulk_test.cc \
  tests/integration/adoption_concurrency_test.cc \
  tests/integration/apache_test.cc \
  tests/integration/app_schema_test.cc \
  tests/integration/application_test.cc \
  tests/integration/console_test.cc \
  tests/integration/daemon_signals_test.cc \
  tests/integration/daemon_test.cc \
  tests/integration/directory_check_test.cc \
  tests/integration/env.cc \
  tests/integration/galera_test.cc \
  tests/integration/groups_api_test.cc \
  tests/integration/health_test.cc \
  tests/integration/idp_lifecycle_test.cc \
  tests/integration/ids_test.cc \
  tests/integration/lifecycles.cc \
  tests/integration/outage_test.cc \
  tests/integration/protocol_test.cc \
  tests/integration/reconcile_test.cc \
  tests/integration/rfc_test.cc \
  tests/integration/scimctl_test.cc \
  tests/integration/security_test.cc \
  tests/integration/sync_test.cc \
  tests/integration/users_api_test.cc \
  tests/integration/web_server_test.cc \
  tests/integration/worker_modes_test.cc

BENCH_SRCS = \
  bench/core_bench.cc

obj = $(patsubst %.cc,$(BUILD)/obj/%.o,$(1))

SCIM_OBJS   = $(call obj,$(SCIM_SRCS))
CONFIG_OBJS = $(call obj,$(CONFIG_SRCS))
DB_OBJS     = $(call obj,$(DB_SRCS))
CGI_LIB_OBJS = $(call obj,$(CGI_LIB_SRCS))
ADMIN_OBJS  = $(call obj,$(ADMIN_SRCS))
DAEMON_LIB_OBJS = $(call obj,$(DAEMON_LIB_SRCS))

BINS = $(BUILD)/bin/scim-fcgi $(BUILD)/bin/scim-syncd $(BUILD)/bin/scimctl
TEST_BINS = $(BUILD)/bin/unit_tests $(BUILD)/bin/integration_tests

.PHONY: all deps test test-galera unit-test browser-test run start stop bench fuzz clean fmt lint help
.DEFAULT_GOAL := all

all: $(BINS)

help:
	@echo "make deps | all | test | test-galera | browser-test | run | start | stop | bench | fuzz | clean | fmt | lint"

# Installs the Debian packages that are missing, then the browser tests' npm
# packages (tests/browser/package-lock.json); a no-op when all are there.
deps:
	@scripts/deps.sh $(DEB_PACKAGES)
	@scripts/npm-deps.sh tests/browser

$(BUILD)/obj/%.o: %.cc
	@mkdir -p $(dir $@)
	$(CXX) $(CPPFLAGS) $(CXXFLAGS) -c $< -o $@

$(BUILD)/bin/scim-fcgi: $(call obj,$(CGI_SRCS)) $(ADMIN_OBJS) $(CGI_LIB_OBJS) $(DB_OBJS) $(SCIM_OBJS) $(CONFIG_OBJS)
	@mkdir -p $(dir $@)
	$(CXX) $(LDFLAGS) $^ -o $@ $(LIB_DB) $(LIB_FCGI) $(LIB_POCO) -lpthread

$(BUILD)/bin/scim-syncd: $(call obj,$(DAEMON_SRCS)) $(DAEMON_LIB_OBJS) $(DB_OBJS) $(SCIM_OBJS) $(CONFIG_OBJS)
	@mkdir -p $(dir $@)
	$(CXX) $(LDFLAGS) $^ -o $@ $(LIB_DB) $(LIB_POCO) -lpthread

$(BUILD)/bin/scimctl: $(call obj,$(CTL_SRCS)) $(DB_OBJS) $(SCIM_OBJS) $(CONFIG_OBJS)
	@mkdir -p $(dir $@)
	$(CXX) $(LDFLAGS) $^ -o $@ $(LIB_DB) $(LIB_POCO) -lpthread

$(BUILD)/bin/unit_tests: $(call obj,$(UNIT_TEST_SRCS)) $(ADMIN_OBJS) $(CGI_LIB_OBJS) $(DAEMON_LIB_OBJS) $(DB_OBJS) $(SCIM_OBJS) $(CONFIG_OBJS)
	@mkdir -p $(dir $@)
	$(CXX) $(LDFLAGS) $^ -o $@ $(LIB_DB) $(LIB_POCO) $(LIB_TEST)

$(BUILD)/bin/integration_tests: $(call obj,$(INTEGRATION_TEST_SRCS)) $(DB_OBJS) $(SCIM_OBJS) $(CONFIG_OBJS)
	@mkdir -p $(dir $@)
	$(CXX) $(LDFLAGS) $^ -o $@ $(LIB_DB) $(LIB_NET) $(LIB_POCO) $(LIB_TEST)

$(BUILD)/bin/core_bench: $(call obj,$(BENCH_SRCS)) $(SCIM_OBJS)
	@mkdir -p $(dir $@)
	$(CXX) $(LDFLAGS) $^ -o $@ $(LIB_POCO) $(LIB_BENCH)

# Unit tests need no server; the integration tests get a private MariaDB,
# nginx, workers and daemon from scripts/test.sh, on free ports in a temp dir,
# and the browser tests (tests/browser, Debian's chromium) run on that stack.
# core_bench is built too, so that it cannot fall behind the code unseen.
test: deps
	@$(MAKE) --no-print-directory -j$(JOBS) all $(TEST_BINS) $(BUILD)/bin/core_bench
	@scripts/test.sh $(BUILD)

# The stack over a private 3-node MariaDB Galera cluster (scripts/galera.sh):
# the API and sync suites through it, a node killed under load, two
# daemons racing, two reconciles, read-your-writes (docs/SCALING.md).
test-galera: deps
	@$(MAKE) --no-print-directory -j$(JOBS) all $(TEST_BINS)
	@scripts/test.sh $(BUILD) galera

unit-test: $(BUILD)/bin/unit_tests
	$(BUILD)/bin/unit_tests

# Only the admin console's browser tests (tests/browser), on a private stack.
browser-test: deps
	@$(MAKE) --no-print-directory -j$(JOBS) all
	@scripts/test.sh $(BUILD) browser

# The whole stack in the foreground, state under var/ (Ctrl-C stops it).
run: deps
	@$(MAKE) --no-print-directory -j$(JOBS) all
	@scripts/stack.sh run

start: deps
	@$(MAKE) --no-print-directory -j$(JOBS) all
	@scripts/stack.sh start

stop:
	@scripts/stack.sh stop

# Core micro-benchmarks, the daemon/reconcile benchmark, commit-to-applied
# latency under a steady write load, the end-to-end load benchmark and the
# adoption benchmark (1,000,000 application users; each on a private
# stack); raw output under bench/results/.
bench: deps
	@$(MAKE) --no-print-directory -j$(JOBS) all $(BUILD)/bin/core_bench
	@mkdir -p bench/results
	$(BUILD)/bin/core_bench | tee bench/results/core-$$(date +%Y%m%d).txt
	bench/daemon_bench.sh bench/results/daemon-$$(date +%Y%m%d).txt
	bench/latency_bench.sh bench/results/latency-$$(date +%Y%m%d).txt
	bench/load_bench.sh bench/results/load-$$(date +%Y%m%d).txt
	bench/adoption_bench.sh bench/results/adoption-$$(date +%Y%m%d).txt

# libFuzzer targets of the pure core under ASan/UBSan, FUZZ_SECONDS each.
fuzz: deps
	@scripts/fuzz.sh

# libFuzzer targets (scripts/fuzz.sh runs them): the pure core built once
# with clang under ASan/UBSan into build/fuzzobj, each target linked to it.
FUZZ_CXX     ?= clang++
FUZZ_FLAGS    = -std=c++20 -O1 -g -fsanitize=fuzzer,address,undefined \
  -fno-sanitize-recover=all -fno-omit-frame-pointer
FUZZ_CORE_SRCS = $(filter common/scim/%,$(SCIM_SRCS))
fuzzobj = $(patsubst %.cc,$(BUILD)/fuzzobj/%.o,$(1))

$(BUILD)/fuzzobj/%.o: %.cc
	@mkdir -p $(dir $@)
	$(FUZZ_CXX) -I. -MMD -MP $(FUZZ_FLAGS) -c $< -o $@

# Kept between runs (make would delete them as intermediates of the rule below).
.SECONDARY: $(call fuzzobj,$(FUZZ_CORE_SRCS) $(wildcard tests/fuzz/*_fuzz.cc))

$(BUILD)/fuzz/%_fuzz: $(BUILD)/fuzzobj/tests/fuzz/%_fuzz.o $(call fuzzobj,$(FUZZ_CORE_SRCS))
	@mkdir -p $(dir $@)
	$(FUZZ_CXX) $(FUZZ_FLAGS) $^ -o $@

fmt:
	clang-format -i $$(git ls-files '*.cc' '*.h')

# Style check, and the rule that the SCIM core does no I/O.
lint:
	@! grep -rnE '#include <(soci|fcgi|Poco/Net|Poco/Util)' common/scim || \
	  (echo "common/scim must not include I/O libraries" && false)
	@clang-format --dry-run --Werror $$(git ls-files '*.cc' '*.h')

clean:
	rm -rf $(BUILD)

-include $(shell find $(BUILD)/obj $(BUILD)/fuzzobj -name '*.d' 2>/dev/null)
