#include "common/db/adoption.h"

#include <algorithm>
#include <map>
#include <vector>

#include "common/db/mysql_user_store.h"
#include "common/db/sync_rows.h"
#include "common/scim/resource.h"
#include "common/scim/schema.h"

namespace scim::db {
namespace {

using config::QuoteIdentifier;

// The rows one transaction adopts at most (a sweep's step, AdoptKeys').
constexpr size_t kChunk = 500;

// The keys of unlinked, unprotected rows matching `where` (bound to
// value), read without locks; AdoptLocked locks them again. With linked
// given, rows that match but are linked already count there instead (a
// lookup's rows: one may have been adopted by someone else just now).
std::vector<std::string> Candidates(soci::session& sql, const AppUsers& users,
                                    const std::string& where, const std::string& value,
                                    long long limit, int* linked = nullptr) {
  std::vector<std::string> keys;
  std::string text = "SELECT " + users.KeyText("a") +
                     ", IF(l.app_key IS NULL, 'free', 'linked') FROM " + users.Table() +
                     " a LEFT JOIN directory_links l ON l.app_key = " + users.KeyText("a") +
                     " LEFT JOIN directory_protected p ON p.app_key = " + users.KeyText("a") +
                     " WHERE p.app_key IS NULL" + (linked ? "" : " AND l.app_key IS NULL") +
                     (where.empty() ? "" : " AND " + where) + " ORDER BY a." +
                     QuoteIdentifier(users.mapping().key) + " LIMIT :lim";
  soci::rowset<soci::row> rs = where.empty()
                                   ? (sql.prepare << text, soci::use(limit))
                                   : (sql.prepare << text, soci::use(value), soci::use(limit));
  for (const auto& r : rs) {
    if (r.get<std::string>(1) == "free") {
      keys.push_back(r.get<std::string>(0));
    } else if (linked) {
      ++*linked;
    }
  }
  return keys;
}

// The next transaction (an adoption's) runs at READ COMMITTED, as the daemon's
// batches run: at REPEATABLE READ the locking read of a row not linked yet
// gap-locks directory_links (and SaveLink's DELETE the scim_id index), so
// two lookups adopting neighbouring keys deadlock on each other's INSERT
// (bench/adoption_bench.sh at 32 connections: 681 of 897 lookups answered
// 503). Each adopter locks the application's rows first (ByKeys), so two
// never adopt the same row.
void ReadCommittedNext(soci::session& sql) {
  sql << "SET TRANSACTION ISOLATION LEVEL READ COMMITTED";
}

// The rows of keys locked (one read), then adopted. Returns how many. With
// skip_locked (the daemon's sweep) a row another transaction holds is left
// alone rather than waited for: that one is a lookup adopting it, or an
// admin's command, and a sweep must never hold such a row afterwards.
int AdoptLocked(soci::session& sql, const Adopter& a, const std::vector<std::string>& keys,
                bool skip_locked) {
  std::vector<std::string> ids = AdoptRows(sql, a, a.users.ByKeys(sql, keys, skip_locked));
  return static_cast<int>(
      std::count_if(ids.begin(), ids.end(), [](const std::string& id) { return !id.empty(); }));
}

// A row to adopt, its SCIM user and its link.
struct Adoption {
  size_t at;  // its position in AdoptRows' rows
  ResourceRecord record;
  sync::DirectoryUser linked;
};

// The rows that can be adopted (unlinked, unprotected, with a userName
// and attributes SCIM can show), their SCIM users not numbered yet.
std::vector<Adoption> Adoptable(const Adopter& a, const std::vector<sync::DirectoryUser>& rows) {
  std::vector<Adoption> out;
  sync::MappedFields fields = a.users.fields();
  for (size_t i = 0; i < rows.size(); ++i) {
    const sync::DirectoryUser& row = rows[i];
    if (row.is_protected || row.linked || row.user_name.empty()) continue;
    auto attributes = NormalizeResource(UserType(), sync::ScimAttributesOf(row, fields), false);
    if (!attributes.ok()) continue;  // a row SCIM cannot show (say, an invalid value)
    Adoption x{i, {}, row};
    x.record.attributes = std::move(attributes).value();
    out.push_back(std::move(x));
  }
  return out;
}

// Numbers the SCIM user of x (version 1) and sets its link: applied state
// = the row as it is; an inactive row is a local deactivation by the
// application.
void Number(const Adopter& a, Adoption* x) {
  x->record.id = a.ids.NewId();
  x->record.version = 1;
  x->record.created_ms = x->record.last_modified_ms = a.clock.NowMillis();
  sync::DirectoryUser& l = x->linked;
  l.linked = true;
  l.scim_id = x->record.id;
  l.scim_version = 1;
  l.applied_active = l.active;
  l.applied_role = l.role;
  if (!l.active) {
    l.locally_deactivated = true;
    l.local_by = "application";
    l.local_reason = "inactive when scimsync first saw it";
  }
}

AuditRow AdoptAudit(const Adopter& a, const Adoption& x) {
  const sync::DirectoryUser& row = x.linked;
  return {a.actor,
          "",
          "",
          "User",
          x.record.id,
          row.user_name,
          "adopt",
          "",
          "linked",
          "the application's account (key " + row.key + ") is now visible to SCIM" +
              (row.active ? "" : "; it was inactive: a local deactivation")};
}

}  // namespace

std::vector<std::string> AdoptRows(soci::session& sql, const Adopter& a,
                                   const std::vector<sync::DirectoryUser>& rows) {
  std::vector<std::string> ids(rows.size());
  std::vector<Adoption> all = Adoptable(a, rows);
  std::vector<std::string> names;
  for (const auto& x : all) names.push_back(x.linked.user_name);
  std::vector<Adoption> chosen;  // those whose userName SCIM does not have
  for (size_t i : FreeUserNames(sql, names)) chosen.push_back(std::move(all[i]));
  if (chosen.empty()) return ids;
  std::vector<const ResourceRecord*> records;
  std::vector<LinkWrite> links;
  std::vector<AuditRow> audits;
  for (auto& x : chosen) {
    Number(a, &x);
    ids[x.at] = x.record.id;
    records.push_back(&x.record);
    links.push_back({&x.linked, "adopt"});
    audits.push_back(AdoptAudit(a, x));
  }
  InsertUserViews(sql, records);
  a.users.SaveLinks(sql, links);
  InsertAudits(sql, audits);
  return ids;
}

Result<int> AdoptWhere(Connection& conn, const Adopter& a, config::Attr attr,
                       const std::string& value) {
  if (!a.users.mapping().mapped(attr) || value.empty()) return 0;
  std::string where = "a." + QuoteIdentifier(a.users.mapping().column(attr)) + " = :v";
  // The rows found to adopt, or linked already: a run that is retried (a
  // deadlock; on Galera, another node's adopter committed the same row
  // first), or that starts after the daemon's sweep linked the row, adopts
  // nothing, yet there is a user to read.
  int seen = 0;
  auto adopted = Guarded(conn, [&](soci::session& sql) -> Result<int> {
    int linked = 0;
    std::vector<std::string> keys = Candidates(sql, a.users, where, value, 10, &linked);
    seen = std::max(seen, static_cast<int>(keys.size()) + linked);
    if (keys.empty()) return 0;  // a lookup that finds nothing writes nothing
    ReadCommittedNext(sql);
    soci::transaction tr(sql);
    int n = AdoptLocked(sql, a, keys, false);
    tr.commit();
    return n;
  });
  if (!adopted.ok()) return adopted.error();
  return seen;
}

Result<long long> AdoptSweep(Connection& conn, const Adopter& a, long long limit,
                             const std::optional<std::string>& after, std::string* reached) {
  const long long chunk = kChunk;
  long long adopted = 0;
  std::string last = after.value_or("");
  bool first = !after;
  while (adopted < limit) {
    std::string where = first ? "" : "a." + QuoteIdentifier(a.users.mapping().key) + " > :v";
    auto n = Guarded(conn, [&](soci::session& sql) -> Result<std::pair<int, size_t>> {
      std::vector<std::string> keys =
          Candidates(sql, a.users, where, last, std::min(chunk, limit - adopted));
      if (keys.empty()) return std::pair<int, size_t>{0, 0};
      ReadCommittedNext(sql);
      soci::transaction tr(sql);
      int got = AdoptLocked(sql, a, keys, true);
      tr.commit();
      last = keys.back();
      return std::pair<int, size_t>{got, keys.size()};
    });
    if (!n.ok()) return n.error();
    if (reached) *reached = last;
    adopted += n.value().first;
    if (n.value().second < kChunk) break;
    first = false;
  }
  return adopted;
}

Result<void> AdoptKeys(Connection& conn, const Adopter& a, const std::vector<std::string>& keys,
                       std::map<std::string, std::string>* ids) {
  for (size_t at = 0; at < keys.size(); at += kChunk) {
    std::vector<std::string> chunk(keys.begin() + at,
                                   keys.begin() + std::min(keys.size(), at + kChunk));
    std::map<std::string, std::string> got;
    auto r = Guarded(conn, [&](soci::session& sql) -> Result<void> {
      got.clear();  // a retried run starts afresh
      ReadCommittedNext(sql);
      soci::transaction tr(sql);
      std::vector<sync::DirectoryUser> rows = a.users.ByKeys(sql, chunk);
      std::vector<std::string> made = AdoptRows(sql, a, rows);
      tr.commit();
      for (size_t i = 0; i < rows.size(); ++i) {
        if (!made[i].empty()) got[rows[i].key] = made[i];
      }
      return {};
    });
    if (!r.ok()) return r;
    ids->merge(got);
  }
  return {};
}

Result<std::optional<sync::DirectoryUser>> LockLinkedRow(soci::session& sql, const Adopter& a,
                                                         const std::string& user_name) {
  auto row = a.users.ByUserName(sql, user_name, true);
  if (!row || row->linked || row->is_protected) return row;
  if (AdoptRows(sql, a, {*row})[0].empty()) {
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
