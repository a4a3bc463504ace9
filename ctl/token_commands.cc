// scimctl token create | list | revoke. A token is shown once, at creation;
// only its SHA-256 is stored.
#include <iostream>

#include "common/auth/token.h"
#include "common/db/connection.h"
#include "common/db/mysql_token_store.h"
#include "common/util/system.h"
#include "ctl/commands.h"

namespace scim::ctl {
int TokenCreate(const Args& args, const config::Config& config) {
  std::string name = OptionValue(args, "--name");
  if (name.empty() || name.size() > 128) {
    std::cerr << "scimctl: token create needs --name NAME (1-128 characters)\n";
    return 2;
  }
  util::SystemClock clock;
  int64_t expires = 0;
  if (std::string e = OptionValue(args, "--expires"); !e.empty()) {
    auto parsed = auth::ParseExpiry(e, clock.NowMillis());
    if (!parsed || *parsed <= clock.NowMillis()) {
      std::cerr << "scimctl: --expires takes a future date (2027-01-31), time "
                   "(2027-01-31T12:00:00Z) or duration (90d, 12h, 30m)\n";
      return 2;
    }
    expires = *parsed;
  }
  unsigned char bytes[auth::kTokenRandomBytes];
  util::RandomBytes(bytes, sizeof bytes);
  std::string token = auth::TokenFromBytes(bytes);
  db::Connection conn(config.db);
  db::MysqlTokenStore store(conn);
  std::string actor = Actor(args);
  auto id = store.Create(name, auth::HashToken(token), actor, expires);
  if (!id.ok()) return Fail("token create", id.error().detail);
  (void)db::Guarded(conn, [&](soci::session& sql) -> Result<void> {
    AuditAdmin(sql, actor, "token create", "id " + std::to_string(id.value()) + " name " + name);
    return {};
  });
  std::cout << token << "\n";
  std::cerr << "token '" << name << "' created (id " << id.value() << ")"
            << (expires ? ", expires " + FormatTimestamp(expires) : "")
            << "; it is shown only this once\n";
  return 0;
}

int TokenList(const Args&, const config::Config& config) {
  db::Connection conn(config.db);
  auto r = db::Guarded(conn, [](soci::session& sql) -> Result<std::vector<db::ListedToken>> {
    return db::ListTokens(sql);
  });
  if (!r.ok()) return Fail("token list", r.error().detail);
  std::cout << "id\tname\tcreated\texpires\tlast_used\tstatus\n";
  for (const auto& t : r.value()) {
    std::cout << t.id << "\t" << t.name << "\t" << t.created << "\t" << t.expires << "\t"
              << t.last_used << "\t" << t.status << "\n";
  }
  return 0;
}

int TokenRevoke(const Args& args, const config::Config& config) {
  std::vector<std::string> pos = Positionals(args);
  if (pos.size() != 1) {
    std::cerr << "scimctl: token revoke ID|NAME\n";
    return 2;
  }
  const std::string& key = pos[0];
  long long id =
      key.find_first_not_of("0123456789") == std::string::npos ? std::atoll(key.c_str()) : -1;
  std::string actor = Actor(args);
  db::Connection conn(config.db);
  auto r = db::Guarded(conn, [&](soci::session& sql) -> Result<long long> {
    soci::transaction tr(sql);
    long long n = db::RevokeTokens(sql, id, key);
    if (n > 0)
      AuditAdmin(sql, actor, "token revoke", key + " (" + std::to_string(n) + " token(s))");
    tr.commit();
    return n;
  });
  if (!r.ok()) return Fail("token revoke", r.error().detail);
  if (r.value() == 0) return Fail("token revoke", "no active token with id or name '" + key + "'");
  std::cerr << "revoked " << r.value() << " token(s); requests with them now get 401\n";
  return 0;
}

}  // namespace scim::ctl
