// scimctl audit: the audit log, oldest first, filtered by time and user.
#include <iostream>

#include "common/db/connection.h"
#include "common/scim/json.h"
#include "common/scim/text.h"
#include "common/util/system.h"
#include "ctl/commands.h"

namespace scim::ctl {
namespace {

// --since: an RFC 3339 time, a date, or a duration back from now (24h, 7d).
std::optional<int64_t> SinceMs(const std::string& text) {
  util::SystemClock clock;
  if (text.empty()) return clock.NowMillis() - 24LL * 3600 * 1000;
  char unit = text.back();
  if (unit == 'h' || unit == 'd' || unit == 'm') {
    long long n = std::atoll(text.substr(0, text.size() - 1).c_str());
    long long per = unit == 'd' ? 86400000LL : unit == 'h' ? 3600000LL : 60000LL;
    if (n <= 0) return std::nullopt;
    return clock.NowMillis() - n * per;
  }
  return ParseDateTime(text.size() == 10 ? text + "T00:00:00Z" : text);
}

constexpr const char* kNames[] = {
    "at",        "actor",     "request_id", "client",  "resource_type", "resource_id",
    "user_name", "operation", "changes",    "outcome", "detail"};

void PrintRow(const soci::row& row, bool json) {
  if (json) {  // one JSON object per line
    Json o = Json::MakeObject();
    for (int i = 0; i < 11; ++i) {
      std::string v = row.get<std::string>(i);
      if (!v.empty()) o.Set(kNames[i], v);
    }
    std::cout << ToJson(o) << "\n";
    return;
  }
  std::string resource = row.get<std::string>(4);
  if (!row.get<std::string>(5).empty()) resource += "/" + row.get<std::string>(5);
  std::cout << row.get<std::string>(0) << "\t" << row.get<std::string>(1) << "\t" << resource
            << "\t" << row.get<std::string>(6) << "\t" << row.get<std::string>(7) << "\t"
            << row.get<std::string>(9) << "\t" << row.get<std::string>(8) << "\t"
            << row.get<std::string>(10) << "\n";
}

}  // namespace

int AuditLog(const Args& args, const config::Config& config) {
  auto since = SinceMs(OptionValue(args, "--since"));
  if (!since) {
    std::cerr << "scimctl: --since takes a time (2026-11-22T10:00:00Z), a date or a duration "
                 "(24h, 7d); the default is 24h\n";
    return 2;
  }
  std::string user = OptionValue(args, "--user");
  int has_user = user.empty() ? 0 : 1;
  long long since_ms = *since;
  bool json = HasFlag(args, "--json");
  db::Connection conn(config.db);
  auto r = db::Guarded(conn, [&](soci::session& sql) -> Result<void> {
    soci::rowset<soci::row> rs =
        (sql.prepare << "SELECT DATE_FORMAT(at, '%Y-%m-%dT%H:%i:%s.%fZ'), actor, "
                        "COALESCE(request_id, ''), COALESCE(client, ''), "
                        "COALESCE(resource_type, ''), COALESCE(resource_id, ''), "
                        "COALESCE(user_name, ''), operation, COALESCE(changes, ''), outcome, "
                        "COALESCE(detail, '') FROM audit_log "
                        "WHERE at >= FROM_UNIXTIME(:s / 1000) AND (:hu = 0 OR user_name = :u) "
                        "ORDER BY id",
         soci::use(since_ms), soci::use(has_user), soci::use(user));
    if (!json) std::cout << "at\tactor\tresource\tuser\toperation\toutcome\tchanges\tdetail\n";
    for (const auto& row : rs) PrintRow(row, json);
    return {};
  });
  return r.ok() ? 0 : Fail("audit", r.error().detail);
}

}  // namespace scim::ctl
