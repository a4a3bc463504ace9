// scimctl queue list / queue retry: the change queue's dead letters.
#include <iostream>

#include "common/db/connection.h"
#include "ctl/commands.h"

namespace scim::ctl {
int QueueList(const Args& args, const config::Config& config) {
  std::string status = HasFlag(args, "--dead") ? "dead" : "pending";
  std::string limit_text = OptionValue(args, "--limit");
  long long limit = limit_text.empty() ? 100 : std::atoll(limit_text.c_str());
  db::Connection conn(config.db);
  auto r = db::Guarded(conn, [&](soci::session& sql) -> Result<void> {
    soci::rowset<soci::row> rs =
        (sql.prepare << "SELECT id, resource_type, resource_id, version, attempts, "
                        "DATE_FORMAT(created_at, '%Y-%m-%dT%H:%i:%sZ'), COALESCE(last_error, '') "
                        "FROM change_queue WHERE status = :s ORDER BY id LIMIT :n",
         soci::use(status), soci::use(limit));
    std::cout << "id\ttype\tresource\tversion\tattempts\tcreated\tlast_error\n";
    for (const auto& row : rs) {
      std::cout << row.get<unsigned long long>(0) << "\t" << row.get<std::string>(1) << "\t"
                << row.get<std::string>(2) << "\t" << row.get<long long>(3) << "\t"
                << row.get<int>(4) << "\t" << row.get<std::string>(5) << "\t"
                << row.get<std::string>(6) << "\n";
    }
    return {};
  });
  if (!r.ok()) return Fail("queue list", r.error().detail);
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
  int all_flag = all ? 1 : 0;
  std::string actor = Actor(args);
  db::Connection conn(config.db);
  auto r = db::Guarded(conn, [&](soci::session& sql) -> Result<long long> {
    soci::transaction tr(sql);
    // A retried row starts over: due now, with a fresh attempt budget.
    soci::statement st =
        (sql.prepare << "UPDATE change_queue SET status = 'pending', attempts = 0, "
                        "next_attempt_at = NOW(3) WHERE status = 'dead' AND (:all = 1 OR id = :id)",
         soci::use(all_flag), soci::use(id));
    st.execute(true);
    long long n = st.get_affected_rows();
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
    std::string what;
    soci::indicator ind;
    sql << "SELECT CONCAT(resource_type, ' ', resource_id, ' v', version, ': ', "
           "COALESCE(last_error, '')) FROM change_queue WHERE id = :id AND status = 'dead'",
        soci::into(what, ind), soci::use(id);
    if (!sql.got_data()) return 0;
    sql << "DELETE FROM change_queue WHERE id = :id AND status = 'dead'", soci::use(id);
    AuditAdmin(sql, actor, "queue drop", "row " + std::to_string(id) + " (" + what + ")");
    tr.commit();
    return 1;
  });
  if (!r.ok()) return Fail("queue drop", r.error().detail);
  if (r.value() == 0) return Fail("queue drop", "no dead row with id " + ids[0]);
  std::cerr << "dropped dead row " << ids[0] << "\n";
  return 0;
}

}  // namespace scim::ctl
