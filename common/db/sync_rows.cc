#include "common/db/sync_rows.h"

#include "common/db/statement_binds.h"

namespace scim::db {
namespace {

using stmt::NullIfEmpty;

// "(NOW(3), :b1, …)": the audit_log row of r, its values bound. One
// value per statement: they bind in the order they are added.
std::string AuditValues(soci::statement& st, stmt::Binds* b, const AuditRow& r) {
  std::string out = "(NOW(3), " + b->Add(st, r.actor, false);
  for (const std::string* v :
       {&r.request_id, &r.client, &r.resource_type, &r.resource_id, &r.user_name}) {
    out += ", " + b->Add(st, *v, true);
  }
  out += ", " + b->Add(st, r.operation, false);
  out += ", " + b->Add(st, r.changes, true);
  out += ", " + b->Add(st, r.outcome, false);
  out += ", " + b->Add(st, r.detail, true);
  return out + ")";
}

}  // namespace

void InsertAudits(soci::session& sql, const std::vector<AuditRow>& rows) {
  constexpr size_t kRowsPerStatement = 500;
  for (size_t at = 0; at < rows.size(); at += kRowsPerStatement) {
    stmt::Binds b;
    soci::statement st(sql);
    std::string values;
    for (size_t i = at; i < rows.size() && i < at + kRowsPerStatement; ++i) {
      values += (values.empty() ? "" : ", ") + AuditValues(st, &b, rows[i]);
    }
    stmt::Run(st,
              "INSERT INTO audit_log (at, actor, request_id, client, resource_type, resource_id, "
              "user_name, operation, changes, outcome, detail) VALUES " +
                  values);
  }
}

void InsertAudit(soci::session& sql, const AuditRow& row) { InsertAudits(sql, {row}); }

namespace {

// The rows of filter in the given order (ORDER BY text), limit rows after
// offset (limit < 0: all).
std::vector<AuditEntry> SelectAudit(soci::session& sql, const AuditFilter& f, const char* order,
                                    long long limit, long long offset) {
  long long since_ms = f.since_ms, until_ms = f.until_ms;
  int hu = f.user_name.empty() ? 0 : 1, ha = f.actor.empty() ? 0 : 1;
  int hop = f.operation.empty() ? 0 : 1, ho = f.outcome.empty() ? 0 : 1;
  long long lim = limit < 0 ? (1LL << 62) : limit;
  soci::rowset<soci::row> rs =
      (sql.prepare << "SELECT DATE_FORMAT(at, '%Y-%m-%dT%H:%i:%s.%fZ'), actor, "
                      "COALESCE(request_id, ''), COALESCE(client, ''), "
                      "COALESCE(resource_type, ''), COALESCE(resource_id, ''), "
                      "COALESCE(user_name, ''), operation, COALESCE(changes, ''), outcome, "
                      "COALESCE(detail, '') FROM audit_log "
                      "WHERE at >= FROM_UNIXTIME(:s / 1000) "
                      "AND (:un = 0 OR at < FROM_UNIXTIME(:un2 / 1000)) "
                      "AND (:hu = 0 OR user_name = :u) AND (:ha = 0 OR actor = :a) "
                      "AND (:hop = 0 OR operation = :op) AND (:ho = 0 OR outcome = :o) "
                   << "ORDER BY " << order << " LIMIT :lim OFFSET :off",
       soci::use(since_ms), soci::use(until_ms), soci::use(until_ms), soci::use(hu),
       soci::use(f.user_name), soci::use(ha), soci::use(f.actor), soci::use(hop),
       soci::use(f.operation), soci::use(ho), soci::use(f.outcome), soci::use(lim),
       soci::use(offset));
  std::vector<AuditEntry> entries;
  for (const auto& row : rs) {
    auto col = [&row](int i) { return row.get<std::string>(i); };
    entries.push_back(
        {col(0),
         {col(1), col(2), col(3), col(4), col(5), col(6), col(7), col(8), col(9), col(10)}});
  }
  return entries;
}

}  // namespace

std::vector<AuditEntry> ReadAudit(soci::session& sql, const AuditFilter& filter) {
  return SelectAudit(sql, filter, "id", -1, 0);
}

std::vector<AuditEntry> ReadAuditNewestFirst(soci::session& sql, const AuditFilter& filter,
                                             long long limit, long long offset) {
  return SelectAudit(sql, filter, "id DESC", limit, offset);
}

void InsertAdminAudit(soci::session& sql, const std::string& actor, const std::string& operation,
                      const std::string& detail, const std::string& user_name) {
  InsertAudit(sql, {actor, "", "", user_name.empty() ? "" : "User", "", user_name, operation, "",
                    "done", detail});
}

bool UpsertOpenConflict(soci::session& sql, const ConflictRow& c) {
  int idp = c.idp_active ? 1 : 0, local = c.local_active ? 1 : 0;
  std::string since = c.local_since;
  if (!since.empty() && since.back() == 'Z') since.pop_back();
  soci::indicator since_i = NullIfEmpty(since);
  soci::statement st =
      (sql.prepare << "INSERT INTO sync_conflicts (scim_id, open_key, user_name, idp_active, "
                      "local_active, local_by, local_reason, local_since, policy, opened_at, "
                      "last_seen_at) VALUES (:id, :k, :un, :i, :l, :by, :why, "
                      "COALESCE(STR_TO_DATE(:since, '%Y-%m-%dT%H:%i:%s.%f'), NOW(3)), :p, NOW(3), "
                      "NOW(3)) ON DUPLICATE KEY UPDATE last_seen_at = NOW(3), "
                      "user_name = VALUES(user_name)",
       soci::use(c.scim_id), soci::use(c.scim_id), soci::use(c.user_name), soci::use(idp),
       soci::use(local), soci::use(c.local_by), soci::use(c.local_reason),
       soci::use(since, since_i), soci::use(c.policy));
  st.execute(true);
  return st.get_affected_rows() == 1;  // 1: inserted; 2: refreshed
}

long long CountOpenConflicts(soci::session& sql) {
  long long n = 0;
  sql << "SELECT COUNT(*) FROM sync_conflicts WHERE open_key IS NOT NULL", soci::into(n);
  return n;
}

bool ResolveOpenConflict(soci::session& sql, const std::string& scim_id,
                         const std::string& resolution) {
  soci::statement st =
      (sql.prepare << "UPDATE sync_conflicts SET open_key = NULL, resolved_at = NOW(3), "
                      "resolution = :r WHERE open_key = :id",
       soci::use(resolution), soci::use(scim_id));
  st.execute(true);
  return st.get_affected_rows() > 0;
}

std::vector<ConflictListing> ListConflicts(soci::session& sql, bool all) {
  int every = all ? 1 : 0;
  std::vector<ConflictListing> out;
  soci::rowset<soci::row> rs =
      (sql.prepare << "SELECT id, user_name, idp_active, local_active, COALESCE(local_by, ''), "
                      "COALESCE(local_reason, ''), "
                      "COALESCE(DATE_FORMAT(local_since, '%Y-%m-%dT%H:%i:%sZ'), ''), "
                      "DATE_FORMAT(opened_at, '%Y-%m-%dT%H:%i:%sZ'), "
                      "DATE_FORMAT(last_seen_at, '%Y-%m-%dT%H:%i:%sZ'), policy, "
                      "COALESCE(resolution, '') FROM sync_conflicts "
                      "WHERE (:all = 1 OR open_key IS NOT NULL) ORDER BY id",
       soci::use(every));
  for (const auto& r : rs) {
    out.push_back({r.get<unsigned long long>(0), r.get<std::string>(1), r.get<int>(2) != 0,
                   r.get<int>(3) != 0, r.get<std::string>(4), r.get<std::string>(5),
                   r.get<std::string>(6), r.get<std::string>(7), r.get<std::string>(8),
                   r.get<std::string>(9), r.get<std::string>(10)});
  }
  return out;
}

void PruneAudit(soci::session& sql, long long days) {
  sql << "DELETE FROM audit_log WHERE at < NOW(3) - INTERVAL :d DAY LIMIT 10000", soci::use(days);
}

std::vector<std::pair<const char*, const std::string*>> AuditColumns(const AuditEntry& e) {
  const AuditRow& r = e.row;
  return {{"at", &e.at},
          {"actor", &r.actor},
          {"request_id", &r.request_id},
          {"client", &r.client},
          {"resource_type", &r.resource_type},
          {"resource_id", &r.resource_id},
          {"user_name", &r.user_name},
          {"operation", &r.operation},
          {"changes", &r.changes},
          {"outcome", &r.outcome},
          {"detail", &r.detail}};
}

}  // namespace scim::db
