#include "ctl/commands.h"

#include <cstdlib>
#include <iostream>

#include "common/db/connection.h"
#include "common/db/migrate.h"
#include "common/db/sync_rows.h"

namespace scim::ctl {
namespace {

int Fail(const std::string& what, const ScimError& e) { return ctl::Fail(what, e.detail); }

}  // namespace

int Fail(const std::string& what, const std::string& detail) {
  std::cerr << "scimctl: " << what << ": " << detail << "\n";
  return 1;
}

bool HasFlag(const Args& args, const std::string& name) {
  for (const auto& a : args) {
    if (a == name) return true;
  }
  return false;
}

std::vector<std::string> Positionals(const Args& args) {
  static const std::vector<std::string> kValued = {"--reason", "--by",      "--limit", "--name",
                                                   "--dir",    "--expires", "--since", "--user"};
  std::vector<std::string> out;
  for (size_t i = 0; i < args.size(); ++i) {
    if (args[i].rfind("--", 0) != 0) {
      out.push_back(args[i]);
      continue;
    }
    for (const auto& v : kValued) {
      if (args[i] == v) ++i;  // skip its value
    }
  }
  return out;
}

void AuditAdmin(soci::session& sql, const std::string& actor, const std::string& operation,
                const std::string& detail, const std::string& user_name) {
  db::InsertAdminAudit(sql, actor, operation, detail, user_name);
}

std::string Actor(const Args& args) {
  std::string by = OptionValue(args, "--by");
  if (!by.empty()) return by;
  for (const char* env : {"SUDO_USER", "USER"}) {
    if (const char* v = std::getenv(env); v && *v) return std::string("admin:") + v;
  }
  return "admin";
}

std::string OptionValue(const Args& args, const std::string& name) {
  for (size_t i = 0; i < args.size(); ++i) {
    if (args[i] == name && i + 1 < args.size()) return args[i + 1];
    if (args[i].rfind(name + "=", 0) == 0) return args[i].substr(name.size() + 1);
  }
  return "";
}

int Migrate(const Args& args, const config::Config& config) {
  std::string dir = OptionValue(args, "--dir");
  if (dir.empty()) dir = config.migrations_dir;
  auto files = db::ReadMigrations(dir);
  if (!files.ok()) return Fail("migrate", files.error());
  db::Connection conn(config.db);
  auto applied = db::Migrate(conn, files.value());
  if (!applied.ok()) return Fail("migrate", applied.error());
  for (const auto& name : applied.value()) std::cerr << "applied " << name << "\n";
  std::cerr << "schema up to date (" << files.value().size() << " migrations, "
            << applied.value().size() << " applied now)\n";
  return 0;
}

}  // namespace scim::ctl
