// scimctl queue list / retry / drop: the change queue's pending rows and
// dead letters (the SQL is in common/db/change_queue.h).
#include <iostream>

#include "common/db/change_queue.h"
#include "common/db/connection.h"
#include "ctl/commands.h"

namespace scim::ctl {
int QueueList(const Args& args, const config::Config& config) {
  bool dead = HasFlag(args, "--dead");
  std::string limit_text = OptionValue(args, "--limit");
  long long limit = limit_text.empty() ? 100 : std::atoll(limit_text.c_str());
  db::Connection conn(config.db);
  auto r = db::Guarded(conn, [&](soci::session& sql) -> Result<std::vector<db::ListedChange>> {
    return db::ListChanges(sql, dead, limit);
  });
  if (!r.ok()) return Fail("queue list", r.error().detail);
  std::cout << "id\ttype\tresource\tversion\tattempts\tcreated\tlast_error\n";
  for (const auto& row : r.value()) {
    std::cout << row.id << "\t" << row.resource_type << "\t" << row.resource_id << "\t"
              << row.version << "\t" << row.attempts << "\t" << row.created << "\t"
              << row.last_error << "\n";
  }
  return 0;
}

int QueueRetry(const Args& args, const config::Config& config) {
  bool all = HasFlag(args, "--all-dead");
  std::vector<std::string> ids = Positionals(args);
  if (all == !ids.empty()) {
    std::cerr << "scimctl: queue retry takes an ID or --all-dead\n";
    return 2;
  }
  long long id = all ? 0 : std::atoll(ids[0].c_str());
  std::string actor = Actor(args);
  db::Connection conn(config.db);
  auto r = db::Guarded(conn, [&](soci::session& sql) -> Result<long long> {
    soci::transaction tr(sql);
    long long n = db::RetryDeadChanges(sql, all, id);
    AuditAdmin(sql, actor, "queue retry",
               all ? "all dead rows: " + std::to_string(n) : "row " + std::to_string(id));
    tr.commit();
    return n;
  });
  if (!r.ok()) return Fail("queue retry", r.error().detail);
  if (!all && r.value() == 0) return Fail("queue retry", "no dead row with id " + ids[0]);
  std::cerr << r.value() << " row(s) queued again\n";
  return 0;
}

// Dead rows are never pruned automatically; an admin drops them here.
int QueueDrop(const Args& args, const config::Config& config) {
  std::vector<std::string> ids = Positionals(args);
  if (ids.size() != 1) {
    std::cerr << "scimctl: queue drop ID (a dead row)\n";
    return 2;
  }
  long long id = std::atoll(ids[0].c_str());
  std::string actor = Actor(args);
  db::Connection conn(config.db);
  auto r = db::Guarded(conn, [&](soci::session& sql) -> Result<long long> {
    soci::transaction tr(sql);
    std::optional<std::string> what = db::DropDeadChange(sql, id);
    if (!what) return 0;
    AuditAdmin(sql, actor, "queue drop", "row " + std::to_string(id) + " (" + *what + ")");
    tr.commit();
    return 1;
  });
  if (!r.ok()) return Fail("queue drop", r.error().detail);
  if (r.value() == 0) return Fail("queue drop", "no dead row with id " + ids[0]);
  std::cerr << "dropped dead row " << ids[0] << "\n";
  return 0;
}

}  // namespace scim::ctl
