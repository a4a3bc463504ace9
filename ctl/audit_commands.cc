// scimctl audit: the audit log, oldest first, filtered by time and user.
#include <iostream>
#include <utility>
#include <vector>

#include "common/db/connection.h"
#include "common/db/sync_rows.h"
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
  return ParseDateOrTime(text);
}

void PrintEntry(const db::AuditEntry& e, bool json) {
  if (json) {                     // one JSON object per line
    Json o = Json::MakeObject();  // an empty column is left out
    for (const auto& [name, value] : db::AuditColumns(e)) {
      if (!value->empty()) o.Set(name, *value);
    }
    std::cout << ToJson(o) << "\n";
    return;
  }
  const db::AuditRow& r = e.row;
  std::string resource = r.resource_type;
  if (!r.resource_id.empty()) resource += "/" + r.resource_id;
  std::cout << e.at << "\t" << r.actor << "\t" << resource << "\t" << r.user_name << "\t"
            << r.operation << "\t" << r.outcome << "\t" << r.changes << "\t" << r.detail << "\n";
}

}  // namespace

int AuditLog(const Args& args, const config::Config& config) {
  auto since = SinceMs(OptionValue(args, "--since"));
  if (!since) {
    std::cerr << "scimctl: --since takes a time (2026-11-22T10:00:00Z), a date or a duration "
                 "(24h, 7d); the default is 24h\n";
    return 2;
  }
  db::AuditFilter filter;
  filter.since_ms = *since;
  filter.user_name = OptionValue(args, "--user");
  bool json = HasFlag(args, "--json");
  db::Connection conn(config.db);
  auto r = db::Guarded(conn, [&](soci::session& sql) -> Result<std::vector<db::AuditEntry>> {
    return db::ReadAudit(sql, filter);
  });
  if (!r.ok()) return Fail("audit", r.error().detail);
  if (!json) std::cout << "at\tactor\tresource\tuser\toperation\toutcome\tchanges\tdetail\n";
  for (const auto& e : r.value()) PrintEntry(e, json);
  return 0;
}

}  // namespace scim::ctl
