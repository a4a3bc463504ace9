#include "ctl/commands.h"

#include <iostream>

#include "common/auth/token.h"
#include "common/db/connection.h"
#include "common/db/migrate.h"
#include "common/db/mysql_token_store.h"
#include "common/util/system.h"

namespace scim::ctl {
namespace {

int Fail(const std::string& what, const ScimError& e) {
  std::cerr << "scimctl: " << what << ": " << e.detail << "\n";
  return 1;
}

}  // namespace

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

int TokenCreate(const Args& args, const config::Config& config) {
  std::string name = OptionValue(args, "--name");
  if (name.empty() || name.size() > 128) {
    std::cerr << "scimctl: token create needs --name NAME (1-128 characters)\n";
    return 2;
  }
  unsigned char bytes[auth::kTokenRandomBytes];
  util::RandomBytes(bytes, sizeof bytes);
  std::string token = auth::TokenFromBytes(bytes);
  db::Connection conn(config.db);
  db::MysqlTokenStore store(conn);
  auto id = store.Create(name, auth::HashToken(token), "scimctl");
  if (!id.ok()) return Fail("token create", id.error());
  std::cout << token << "\n";
  std::cerr << "token '" << name << "' created (id " << id.value()
            << "); it is shown only this once\n";
  return 0;
}

int Status(const Args&, const config::Config& config) {
  db::Connection conn(config.db);
  auto r = db::Guarded(conn, [&](soci::session& sql) -> Result<void> {
    long long pending = 0, dead = 0, done = 0, oldest_s = 0;
    soci::indicator oldest_i = soci::i_ok;
    sql << "SELECT COALESCE(SUM(status = 'pending'), 0), COALESCE(SUM(status = 'dead'), 0), "
           "COALESCE(SUM(status = 'done'), 0), "
           "TIMESTAMPDIFF(SECOND, MIN(IF(status = 'pending', created_at, NULL)), NOW(3)) "
           "FROM change_queue",
        soci::into(pending), soci::into(dead), soci::into(done), soci::into(oldest_s, oldest_i);
    std::cout << "queue: pending=" << pending << " dead=" << dead << " done=" << done
              << " oldest_pending_age_s=" << (oldest_i == soci::i_ok ? oldest_s : 0) << "\n";
    return {};
  });
  if (!r.ok()) return Fail("status", r.error());
  return 0;
}

}  // namespace scim::ctl
