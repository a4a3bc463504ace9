#include "common/db/adoption.h"

#include <vector>

#include "common/db/mysql_user_store.h"
#include "common/db/sync_rows.h"
#include "common/scim/resource.h"
#include "common/scim/schema.h"

namespace scim::db {
namespace {

using config::QuoteIdentifier;

// The keys of unlinked, unprotected rows matching `where` (bound to
// value), read without locks; AdoptRow locks each again.
std::vector<std::string> Candidates(soci::session& sql, const AppUsers& users,
                                    const std::string& where, const std::string& value,
                                    long long limit) {
  std::vector<std::string> keys;
  std::string text = "SELECT " + users.KeyText("a") + " FROM " + users.Table() +
                     " a LEFT JOIN directory_links l ON l.app_key = " + users.KeyText("a") +
                     " LEFT JOIN directory_protected p ON p.app_key = " + users.KeyText("a") +
                     " WHERE l.app_key IS NULL AND p.app_key IS NULL" +
                     (where.empty() ? "" : " AND " + where) + " ORDER BY a." +
                     QuoteIdentifier(users.mapping().key) + " LIMIT :lim";
  soci::rowset<std::string> rs = where.empty()
                                     ? (sql.prepare << text, soci::use(limit))
                                     : (sql.prepare << text, soci::use(value), soci::use(limit));
  for (const auto& k : rs) keys.push_back(k);
  return keys;
}

// The next transaction (an adoption's) runs at READ COMMITTED, as the daemon's
// batches run: at REPEATABLE READ the locking read of a row not linked yet
// gap-locks directory_links (and SaveLink's DELETE the scim_id index), so
// two lookups adopting neighbouring keys deadlock on each other's INSERT
// (bench/adoption_bench.sh at 32 connections: 681 of 897 lookups answered
// 503). Each adopter locks the application's row first (ByKey), so two
// never adopt the same row.
void ReadCommittedNext(soci::session& sql) {
  sql << "SET TRANSACTION ISOLATION LEVEL READ COMMITTED";
}

// Adopts the rows of keys, each re-read under a lock. Returns how many.
int AdoptKeys(soci::session& sql, const Adopter& a, const std::vector<std::string>& keys) {
  int adopted = 0;
  for (const auto& key : keys) {
    auto row = a.users.ByKey(sql, key, true);
    if (row && !row->linked && !AdoptRow(sql, a, *row).empty()) ++adopted;
  }
  return adopted;
}

}  // namespace

std::string AdoptRow(soci::session& sql, const Adopter& a, const sync::DirectoryUser& row) {
  if (row.is_protected || row.linked || row.user_name.empty()) return "";
  if (ScimUserNameTaken(sql, row.user_name)) return "";
  sync::MappedFields fields = a.users.fields();
  auto attributes = NormalizeResource(UserType(), sync::ScimAttributesOf(row, fields), false);
  if (!attributes.ok()) return "";  // a row SCIM cannot show (say, an invalid value)
  ResourceRecord record;
  record.id = a.ids.NewId();
  record.version = 1;
  record.created_ms = record.last_modified_ms = a.clock.NowMillis();
  record.attributes = std::move(attributes).value();
  InsertUserView(sql, record);
  sync::DirectoryUser linked = row;
  linked.linked = true;
  linked.scim_id = record.id;
  linked.scim_version = 1;
  linked.applied_active = row.active;
  linked.applied_role = row.role;
  if (!row.active) {
    linked.locally_deactivated = true;
    linked.local_by = "application";
    linked.local_reason = "inactive when scimsync first saw it";
  }
  a.users.SaveLink(sql, linked, "adopt");
  InsertAudit(sql, {a.actor, "", "", "User", record.id, row.user_name, "adopt", "", "linked",
                    "the application's account (key " + row.key + ") is now visible to SCIM" +
                        (row.active ? "" : "; it was inactive: a local deactivation")});
  return record.id;
}

Result<int> AdoptWhere(Connection& conn, const Adopter& a, config::Attr attr,
                       const std::string& value) {
  if (!a.users.mapping().mapped(attr) || value.empty()) return 0;
  std::string where = "a." + QuoteIdentifier(a.users.mapping().column(attr)) + " = :v";
  return Guarded(conn, [&](soci::session& sql) -> Result<int> {
    std::vector<std::string> keys = Candidates(sql, a.users, where, value, 10);
    if (keys.empty()) return 0;  // a lookup that finds nothing writes nothing
    ReadCommittedNext(sql);
    soci::transaction tr(sql);
    int n = AdoptKeys(sql, a, keys);
    tr.commit();
    return n;
  });
}

Result<long long> AdoptSweep(Connection& conn, const Adopter& a, long long limit,
                             const std::optional<std::string>& after, std::string* reached) {
  constexpr long long kChunk = 500;
  long long adopted = 0;
  std::string last = after.value_or("");
  bool first = !after;
  while (adopted < limit) {
    std::string where = first ? "" : "a." + QuoteIdentifier(a.users.mapping().key) + " > :v";
    auto n = Guarded(conn, [&](soci::session& sql) -> Result<std::pair<int, size_t>> {
      std::vector<std::string> keys =
          Candidates(sql, a.users, where, last, std::min(kChunk, limit - adopted));
      if (keys.empty()) return std::pair<int, size_t>{0, 0};
      ReadCommittedNext(sql);
      soci::transaction tr(sql);
      int got = AdoptKeys(sql, a, keys);
      tr.commit();
      last = keys.back();
      return std::pair<int, size_t>{got, keys.size()};
    });
    if (!n.ok()) return n.error();
    if (reached) *reached = last;
    adopted += n.value().first;
    if (n.value().second < static_cast<size_t>(kChunk)) break;
    first = false;
  }
  return adopted;
}

Result<std::string> AdoptKey(Connection& conn, const Adopter& a, const std::string& key) {
  return Guarded(conn, [&](soci::session& sql) -> Result<std::string> {
    ReadCommittedNext(sql);
    soci::transaction tr(sql);
    auto row = a.users.ByKey(sql, key, true);
    std::string id = row && !row->linked ? AdoptRow(sql, a, *row) : "";
    tr.commit();
    return id;
  });
}

Result<std::optional<sync::DirectoryUser>> LockLinkedRow(soci::session& sql, const Adopter& a,
                                                         const std::string& user_name) {
  auto row = a.users.ByUserName(sql, user_name, true);
  if (!row || row->linked || row->is_protected) return row;
  if (AdoptRow(sql, a, *row).empty()) {
    return Uniqueness("'" + user_name +
                      "' cannot be linked to SCIM: a SCIM user has that userName");
  }
  return a.users.ByUserName(sql, user_name, true);
}

Result<std::string> NewestKey(Connection& conn, const AppUsers& users) {
  return Guarded(conn, [&](soci::session& sql) -> Result<std::string> {
    std::string key;
    sql << "SELECT " + users.KeyText("a") + " FROM " + users.Table() + " a ORDER BY a." +
               QuoteIdentifier(users.mapping().key) + " DESC LIMIT 1",
        soci::into(key);
    return sql.got_data() ? key : std::string();
  });
}

}  // namespace scim::db
