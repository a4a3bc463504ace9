#include "common/ops/doctor.h"

#include <cstdio>

#include "common/scim/text.h"

namespace scim::ops {
namespace {

std::string Var(const ServerFacts& s, const std::string& name) {
  auto it = s.variables.find(name);
  return it == s.variables.end() ? "" : it->second;
}

bool IsMariaDb(std::string_view version, std::string_view comment) {
  return LowerAscii(version).find("mariadb") != std::string::npos ||
         LowerAscii(comment).find("mariadb") != std::string::npos;
}

std::string Join(const std::vector<std::string>& items) {
  std::string out;
  for (const auto& i : items) out += (out.empty() ? "" : ", ") + i;
  return out;
}

Finding Version(const ServerFacts& s) {
  std::string version = Var(s, "version"), comment = Var(s, "version_comment");
  std::string name = version + (IsMariaDb(version, comment) ? " (MariaDB" : " (MySQL");
  if (SupportsSkipLocked(version, comment)) {
    return {Severity::kOk, "server", name + "; supports FOR UPDATE SKIP LOCKED)"};
  }
  return {Severity::kUnsafe, "server",
          name +
              "), so no FOR UPDATE SKIP LOCKED (or the version cannot be read): daemons "
              "cannot claim queue rows; scimsync needs MariaDB 10.6+ or MySQL 8.0.1+"};
}

Finding FlushLog(const ServerFacts& s) {
  std::string v = Var(s, "innodb_flush_log_at_trx_commit");
  std::string check = "innodb_flush_log_at_trx_commit";
  if (v == "1" || v == "3") return {Severity::kOk, check, v + " (each commit is on disk)"};
  return {Severity::kUnsafe, check,
          (v.empty() ? "unknown" : v) +
              ", so a machine crash or power loss can lose about the last second of committed "
              "changes (SCIM writes the IdP was told succeeded, and their queue rows); set it "
              "to 1 in production"};
}

Finding Binlog(const ServerFacts& s) {
  std::string log_bin = Var(s, "log_bin"), sync = Var(s, "sync_binlog");
  if (log_bin != "ON" && log_bin != "1") {
    return {Severity::kOk, "sync_binlog", "binary log off (log_bin=" + log_bin + "): not needed"};
  }
  if (sync == "1") return {Severity::kOk, "sync_binlog", "1 (the binary log is synced per commit)"};
  return {Severity::kUnsafe, "sync_binlog",
          (sync.empty() ? "unknown" : sync) +
              " with the binary log on, so after a machine crash the binary log can miss commits "
              "that InnoDB kept, so replicas and point-in-time recovery lose them; set it to 1"};
}

Finding Isolation(const ServerFacts& s) {
  std::string v = Var(s, "transaction_isolation");
  if (v.empty()) v = Var(s, "tx_isolation");
  std::string check = "isolation";
  if (v == "READ-COMMITTED" || v == "REPEATABLE-READ") {
    return {Severity::kOk, check, v + " (queue claims set READ COMMITTED themselves)"};
  }
  if (v == "SERIALIZABLE") {
    return {Severity::kWarn, check,
            v + ", so plain reads take locks and workers and daemons wait on each other more; "
                "READ-COMMITTED or REPEATABLE-READ is enough"};
  }
  return {Severity::kUnsafe, check,
          (v.empty() ? "unknown" : v) +
              ", so reads may see uncommitted changes that then roll back; use "
              "READ-COMMITTED or REPEATABLE-READ"};
}

Finding Charset(const ServerFacts& s) {
  std::vector<std::string> bad;
  for (const auto& t : s.tables) {
    if (t.collation.rfind("utf8mb4", 0) != 0) bad.push_back(t.name + " (" + t.collation + ")");
  }
  if (!bad.empty()) {
    return {Severity::kUnsafe, "character set",
            "tables not in utf8mb4: " + Join(bad) +
                "; names with emoji or other 4-byte characters are rejected or mangled"};
  }
  if (s.database_charset != "utf8mb4") {
    return {Severity::kWarn, "character set",
            "the database's default is " + s.database_charset +
                " (the tables are utf8mb4); ALTER DATABASE ... CHARACTER SET utf8mb4"};
  }
  return {Severity::kOk, "character set", "utf8mb4 (database and every table)"};
}

Finding Tables(const ServerFacts& s) {
  std::vector<std::string> not_innodb, no_key;
  for (const auto& t : s.tables) {
    if (LowerAscii(t.engine) != "innodb") not_innodb.push_back(t.name + " (" + t.engine + ")");
    if (!t.has_primary_key) no_key.push_back(t.name);
  }
  if (!not_innodb.empty()) {
    return {Severity::kUnsafe, "tables",
            "not InnoDB: " + Join(not_innodb) +
                "; without transactions a change and its queue row can part"};
  }
  if (!no_key.empty()) {
    return {Severity::kWarn, "tables",
            "without a primary key: " + Join(no_key) +
                " (Galera and row-based replication need one on every table)"};
  }
  return {Severity::kOk, "tables",
          std::to_string(s.tables.size()) + " tables, InnoDB, each with a primary key"};
}

Finding Packet(const ServerFacts& s, const config::Config& c) {
  unsigned long long packet = 0;
  std::sscanf(Var(s, "max_allowed_packet").c_str(), "%llu", &packet);
  unsigned long long body = c.fcgi.max_body_bytes;
  std::string detail = std::to_string(packet) +
                       " bytes for fcgi.max_body_bytes = " + std::to_string(body) + " (" +
                       std::to_string(body ? packet / body : 0) + "x)";
  if (packet >= 4 * body) return {Severity::kOk, "max_allowed_packet", detail};
  std::string why =
      ": a large body's stored JSON, its queue copy and the escaping of both can exceed it; "
      "keep it at least 4 x fcgi.max_body_bytes";
  return {packet < 2 * body ? Severity::kUnsafe : Severity::kWarn, "max_allowed_packet",
          detail + why};
}

Finding Migrations(const MigrationFacts& m, const config::Config& c) {
  if (!m.error.empty()) {
    return {Severity::kWarn, "migrations", "cannot compare: " + m.error};
  }
  if (!m.pending.empty() || !m.edited.empty()) {
    std::string detail = m.pending.empty() ? "" : "not applied: " + Join(m.pending) + "; ";
    if (!m.edited.empty()) detail += "edited after they were applied: " + Join(m.edited) + "; ";
    return {Severity::kUnsafe, "migrations",
            detail + "the code expects a schema the database does not have: run scimctl migrate"};
  }
  std::string done = std::to_string(m.available) + " of " + std::to_string(m.available) +
                     " applied (" + c.migrations_dir + ")";
  if (!m.unknown.empty()) {
    return {Severity::kWarn, "migrations",
            done + ", and " + std::to_string(m.unknown.size()) +
                " applied that this installation does not have: are these binaries older "
                "than the schema?"};
  }
  return {Severity::kOk, "migrations", done};
}

Finding Account(const config::Config& c) {
  if (c.db.user == "root") {
    return {Severity::kWarn, "db.user",
            "root: give scimsync its own account with privileges on its database only"};
  }
  if (c.db.password.empty() && c.db.socket.empty()) {
    return {Severity::kWarn, "db.user",
            c.db.user + " has no password over TCP (" + c.db.host + ")"};
  }
  return {Severity::kOk, "db.user",
          c.db.user + "@" + (c.db.socket.empty() ? c.db.host : c.db.socket) + ", database " +
              c.db.name};
}

}  // namespace

std::string_view SeverityName(Severity s) {
  switch (s) {
    case Severity::kOk:
      return "ok";
    case Severity::kWarn:
      return "warn";
    case Severity::kUnsafe:
      return "UNSAFE";
  }
  return "UNSAFE";
}

bool SupportsSkipLocked(std::string_view version, std::string_view comment) {
  int major = 0, minor = 0, patch = 0;
  std::string v(version);
  if (std::sscanf(v.c_str(), "%d.%d.%d", &major, &minor, &patch) < 2) return false;
  if (IsMariaDb(version, comment)) return major > 10 || (major == 10 && minor >= 6);
  return major > 8 || (major == 8 && (minor > 0 || patch >= 1));
}

std::vector<Finding> Diagnose(const ServerFacts& server, const MigrationFacts& migrations,
                              const config::Config& config) {
  return {Version(server), FlushLog(server), Binlog(server),         Isolation(server),
          Charset(server), Tables(server),   Packet(server, config), Migrations(migrations, config),
          Account(config)};
}

}  // namespace scim::ops
