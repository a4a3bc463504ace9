#include "common/ops/doctor.h"

#include <gtest/gtest.h>

#include <functional>

namespace scim::ops {
namespace {

ServerFacts SafeServer() {
  ServerFacts s;
  s.variables = {{"version", "10.11.6-MariaDB-0+deb12u1"},
                 {"version_comment", "Debian 12"},
                 {"innodb_flush_log_at_trx_commit", "1"},
                 {"log_bin", "OFF"},
                 {"sync_binlog", "0"},
                 {"tx_isolation", "REPEATABLE-READ"},
                 {"max_allowed_packet", "16777216"}};
  s.database_charset = "utf8mb4";
  s.tables = {{"change_queue", "InnoDB", "utf8mb4_unicode_ci", true},
              {"schema_migrations", "InnoDB", "utf8mb4_general_ci", true}};
  return s;
}

MigrationFacts AllApplied() {
  MigrationFacts m;
  m.available = 5;
  return m;
}

config::Config SafeConfig() {
  config::Config c;
  c.db.password = "secret";
  return c;
}

Severity SeverityOf(const std::vector<Finding>& findings, const std::string& check) {
  for (const auto& f : findings) {
    if (f.check == check) return f.severity;
  }
  ADD_FAILURE() << "no finding for " << check;
  return Severity::kOk;
}

TEST(DoctorTest, ASafeSetUpHasOnlyOkFindings) {
  for (const auto& f : Diagnose(SafeServer(), AllApplied(), SafeConfig())) {
    EXPECT_EQ(f.severity, Severity::kOk) << f.check << ": " << f.detail;
  }
}

TEST(DoctorTest, EachUnsafeOrDoubtfulSettingIsNamed) {
  struct Case {
    const char* name;
    std::function<void(ServerFacts&, MigrationFacts&, config::Config&)> change;
    const char* check;
    Severity severity;
  };
  using S = ServerFacts&;
  using M = MigrationFacts&;
  using C = config::Config&;
  const Case cases[] = {
      {"flush 2 (the local stack)",
       [](S s, M, C) { s.variables["innodb_flush_log_at_trx_commit"] = "2"; },
       "innodb_flush_log_at_trx_commit", Severity::kUnsafe},
      {"flush 0", [](S s, M, C) { s.variables["innodb_flush_log_at_trx_commit"] = "0"; },
       "innodb_flush_log_at_trx_commit", Severity::kUnsafe},
      {"flush 3 syncs per commit",
       [](S s, M, C) { s.variables["innodb_flush_log_at_trx_commit"] = "3"; },
       "innodb_flush_log_at_trx_commit", Severity::kOk},
      {"binlog on, sync_binlog 0", [](S s, M, C) { s.variables["log_bin"] = "ON"; }, "sync_binlog",
       Severity::kUnsafe},
      {"binlog on, sync_binlog 1",
       [](S s, M, C) {
         s.variables["log_bin"] = "ON";
         s.variables["sync_binlog"] = "1";
       },
       "sync_binlog", Severity::kOk},
      {"read committed (MySQL 8 spelling)",
       [](S s, M, C) {
         s.variables.erase("tx_isolation");
         s.variables["transaction_isolation"] = "READ-COMMITTED";
       },
       "isolation", Severity::kOk},
      {"serializable", [](S s, M, C) { s.variables["tx_isolation"] = "SERIALIZABLE"; }, "isolation",
       Severity::kWarn},
      {"read uncommitted", [](S s, M, C) { s.variables["tx_isolation"] = "READ-UNCOMMITTED"; },
       "isolation", Severity::kUnsafe},
      {"a latin1 table", [](S s, M, C) { s.tables[0].collation = "latin1_swedish_ci"; },
       "character set", Severity::kUnsafe},
      {"a utf8mb3 table", [](S s, M, C) { s.tables[0].collation = "utf8mb3_general_ci"; },
       "character set", Severity::kUnsafe},
      {"database default latin1", [](S s, M, C) { s.database_charset = "latin1"; }, "character set",
       Severity::kWarn},
      {"a MyISAM table", [](S s, M, C) { s.tables[1].engine = "MyISAM"; }, "tables",
       Severity::kUnsafe},
      {"a table without primary key", [](S s, M, C) { s.tables[1].has_primary_key = false; },
       "tables", Severity::kWarn},
      {"MariaDB 10.5: no SKIP LOCKED",
       [](S s, M, C) { s.variables["version"] = "10.5.23-MariaDB"; }, "server", Severity::kUnsafe},
      {"MySQL 5.7", [](S s, M, C) { s.variables["version"] = "5.7.44"; }, "server",
       Severity::kUnsafe},
      {"MySQL 8.0.36", [](S s, M, C) { s.variables["version"] = "8.0.36"; }, "server",
       Severity::kOk},
      {"packet below 2x the body", [](S s, M, C) { s.variables["max_allowed_packet"] = "1048576"; },
       "max_allowed_packet", Severity::kUnsafe},
      {"packet 3x the body", [](S s, M, C) { s.variables["max_allowed_packet"] = "3145728"; },
       "max_allowed_packet", Severity::kWarn},
      {"a bigger body cap", [](S, M, C c) { c.fcgi.max_body_bytes = 9u << 20; },
       "max_allowed_packet", Severity::kUnsafe},
      {"a migration not applied", [](S, M m, C) { m.pending = {"005_daemon_heartbeat.sql"}; },
       "migrations", Severity::kUnsafe},
      {"a migration edited", [](S, M m, C) { m.edited = {"001_init.sql"}; }, "migrations",
       Severity::kUnsafe},
      {"the schema is newer than these files", [](S, M m, C) { m.unknown = {6}; }, "migrations",
       Severity::kWarn},
      {"migrations_dir unreadable", [](S, M m, C) { m.error = "cannot read /nowhere"; },
       "migrations", Severity::kWarn},
      {"root account", [](S, M, C c) { c.db.user = "root"; }, "db.user", Severity::kWarn},
      {"no password over TCP", [](S, M, C c) { c.db.password.clear(); }, "db.user",
       Severity::kWarn},
      {"no password over the socket",
       [](S, M, C c) {
         c.db.password.clear();
         c.db.socket = "/run/mysqld/mysqld.sock";
       },
       "db.user", Severity::kOk},
  };
  for (const auto& c : cases) {
    SCOPED_TRACE(c.name);
    ServerFacts server = SafeServer();
    MigrationFacts migrations = AllApplied();
    config::Config config = SafeConfig();
    c.change(server, migrations, config);
    EXPECT_EQ(SeverityOf(Diagnose(server, migrations, config), c.check), c.severity);
  }
}

TEST(DoctorTest, FlushLogFindingSaysWhatIsLostAndWhatToSet) {
  ServerFacts s = SafeServer();
  s.variables["innodb_flush_log_at_trx_commit"] = "2";
  for (const auto& f : Diagnose(s, AllApplied(), SafeConfig())) {
    if (f.check != "innodb_flush_log_at_trx_commit") continue;
    EXPECT_NE(f.detail.find("machine crash"), std::string::npos) << f.detail;
    EXPECT_NE(f.detail.find("set it to 1"), std::string::npos) << f.detail;
  }
}

TEST(DoctorTest, SkipLockedByVersion) {
  struct Case {
    const char* version;
    const char* comment;
    bool supported;
  };
  const Case cases[] = {
      {"10.6.0-MariaDB", "", true},
      {"10.11.6-MariaDB-0+deb12u1", "", true},
      {"11.4.2-MariaDB", "", true},
      {"10.5.99-MariaDB", "", false},
      {"10.3.39", "mariadb.org binary distribution", false},
      {"8.0.1", "MySQL Community Server", true},
      {"8.0.0", "", false},
      {"8.4.0", "", true},
      {"9.0.1", "", true},
      {"5.7.44-log", "", false},
      {"", "", false},
      {"garbage", "", false},
  };
  for (const auto& c : cases) {
    SCOPED_TRACE(c.version);
    EXPECT_EQ(SupportsSkipLocked(c.version, c.comment), c.supported);
  }
}

}  // namespace
}  // namespace scim::ops
