#include "common/db/mysql_user_store.h"

#include <string>

#include "common/db/change_queue.h"
#include "common/db/mysql_group_store.h"
#include "common/db/record_query.h"
#include "common/db/statement_binds.h"
#include "common/scim/change_payload.h"
#include "common/scim/user.h"

namespace scim::db {
namespace {

const char* UserColumn(Column c) {
  switch (c) {
    case Column::kId:
      return "id";
    case Column::kUserName:
      return "user_name";
    case Column::kExternalId:
      return "external_id";
    case Column::kDisplayName:
      return "display_name";
    case Column::kGivenName:
      return "given_name";
    case Column::kFamilyName:
      return "family_name";
    case Column::kEmail:
      return "email";
    case Column::kCreated:
      return "created_ms";
    case Column::kLastModified:
      return "last_modified_ms";
  }
  return nullptr;
}

using stmt::NullIfEmpty;

// A user's groups, read with the user (record_query.h).
constexpr RelatedSpec kGroupsOfUser{
    " LEFT JOIN (SELECT m.member_id AS r_owner, g.id AS r_id, g.display_name AS r_display, "
    "g.seq AS r_seq FROM scim_group_members m JOIN scim_groups g ON g.id = m.group_id) r "
    "ON r.r_owner = t.id",
    "SELECT m.member_id, g.id, g.display_name, g.seq FROM scim_group_members m "
    "JOIN scim_groups g ON g.id = m.group_id WHERE m.member_id IN ",
    "Group"};

// The row values of a record, kept alive while a statement binds them.
struct UserRow {
  explicit UserRow(const ResourceRecord& r)
      : c(ColumnsOf(r.attributes)),
        attributes(ToJson(r.attributes)),
        payload(ToJson(ChangePayload(UserType(), r, "upsert"))),
        version(r.version),
        created(r.created_ms),
        modified(r.last_modified_ms),
        active(c.active ? 1 : 0) {}
  UserColumns c;
  std::string attributes, payload;
  long long version, created, modified;
  int active;
  soci::indicator ext_i = NullIfEmpty(c.external_id), dn_i = NullIfEmpty(c.display_name),
                  gn_i = NullIfEmpty(c.given_name), fn_i = NullIfEmpty(c.family_name),
                  em_i = NullIfEmpty(c.email), ut_i = NullIfEmpty(c.user_type);
};

// "(:b1, :b2, …)": the scim_users row of r, its values bound. One value
// per statement: they bind in the order they are added.
std::string UserViewValues(soci::statement& st, stmt::Binds* b, const ResourceRecord& r) {
  UserColumns c = ColumnsOf(r.attributes);
  std::string out = "(" + b->Add(st, r.id, false);
  out += ", " + b->Add(st, c.user_name, false);
  for (const std::string* v :
       {&c.external_id, &c.display_name, &c.given_name, &c.family_name, &c.email, &c.user_type}) {
    out += ", " + b->Add(st, *v, true);
  }
  for (long long v :
       {c.active ? 1LL : 0LL, static_cast<long long>(r.version),
        static_cast<long long>(r.created_ms), static_cast<long long>(r.last_modified_ms)}) {
    out += ", " + b->AddNumber(st, v);
  }
  out += ", " + b->Add(st, ToJson(r.attributes), false);
  return out + ")";
}

}  // namespace

std::optional<bool> ScimUserActive(soci::session& sql, const std::string& id) {
  int active = 0;
  sql << "SELECT active FROM scim_users WHERE id = :id", soci::into(active), soci::use(id);
  if (!sql.got_data()) return std::nullopt;
  return active != 0;
}

std::vector<size_t> FreeUserNames(soci::session& sql, const std::vector<std::string>& user_names) {
  // scim_users.user_name's collation (sql/001_init.sql), said explicitly:
  // the bound names come in the connection's.
  constexpr char kCollation[] = " COLLATE utf8mb4_unicode_ci";
  std::vector<size_t> free;
  if (user_names.empty()) return free;
  if (user_names.size() == 1) {  // a lookup's row: one index probe, no derived table
    int n = 0;
    sql << "SELECT COUNT(*) FROM scim_users WHERE user_name = :n", soci::into(n),
        soci::use(user_names[0]);
    if (n == 0) free.push_back(0);
    return free;
  }
  stmt::Binds b;
  soci::statement st(sql);
  long long at = 0;
  st.exchange(soci::into(at));
  std::string list;
  for (size_t i = 0; i < user_names.size(); ++i) {
    list += (i == 0 ? "SELECT 0 AS i, " : " UNION ALL SELECT " + std::to_string(i) + ", ") +
            b.Add(st, user_names[i], false) + (i == 0 ? " AS k" : "");
  }
  st.alloc();
  st.prepare("SELECT MIN(q.i) FROM (" + list +
             ") q WHERE NOT EXISTS (SELECT 1 FROM scim_users s WHERE s.user_name = q.k" +
             kCollation + ") GROUP BY q.k" + kCollation + " ORDER BY 1");
  st.define_and_bind();
  if (st.execute(true)) {
    do {
      free.push_back(static_cast<size_t>(at));
    } while (st.fetch());
  }
  return free;
}

void InsertUserViews(soci::session& sql, const std::vector<const ResourceRecord*>& records) {
  constexpr size_t kRowsPerStatement = 500;
  for (size_t at = 0; at < records.size(); at += kRowsPerStatement) {
    stmt::Binds b;
    soci::statement st(sql);
    std::string rows;
    for (size_t i = at; i < records.size() && i < at + kRowsPerStatement; ++i) {
      rows += (rows.empty() ? "" : ", ") + UserViewValues(st, &b, *records[i]);
    }
    stmt::Run(st,
              "INSERT INTO scim_users (id, user_name, external_id, display_name, given_name, "
              "family_name, email, user_type, active, version, created_ms, last_modified_ms, "
              "attributes) VALUES " +
                  rows);
  }
}

void InsertUserView(soci::session& sql, const ResourceRecord& record) {
  InsertUserViews(sql, {&record});
}

// POST of a userName the application already has (DESIGN §5a): never a
// second account for one person. A row SCIM does not see yet (or a
// protected one) is a uniqueness clash; a retired row (its SCIM user was
// deleted) is taken over by the daemon when it applies the new user.
Result<void> MysqlUserStore::TakenInTheApplication(soci::session& sql,
                                                   const std::string& user_name) {
  if (!adopter_) return {};
  auto row = adopter_->users.ByUserName(sql, user_name, false);
  if (!row) return {};
  if (row->linked && !row->is_protected && !ScimUserActive(sql, row->scim_id)) return {};
  return Uniqueness("userName " + user_name +
                    " is taken by an existing user of the application; look it up with "
                    "filter=userName eq \"" +
                    user_name + "\"");
}

Result<void> MysqlUserStore::Create(const ResourceRecord& record, const MemberDelta*,
                                    const WriteAudit& audit) {
  UserRow row(record);
  return Guarded(conn_, [&](soci::session& sql) -> Result<void> {
    soci::transaction tr(sql);
    if (auto taken = TakenInTheApplication(sql, row.c.user_name); !taken.ok()) return taken;
    InsertUserView(sql, record);
    EnqueueChange(sql, UserType(), record.id, row.version, "upsert", row.payload);
    WriteAuditRow(sql, UserType(), record.id, row.c.user_name, audit);
    tr.commit();
    return {};
  });
}

Result<ResourceRecord> MysqlUserStore::Get(std::string_view id) {
  std::string key(id);
  return Guarded(conn_, [&](soci::session& sql) -> Result<ResourceRecord> {
    auto r = ReadRecord(sql, "scim_users", key, false, kGroupsOfUser);
    if (!r.ok()) return r.error();
    if (!r.value()) return NotFound("no User with id " + key);
    return *std::move(r).value();
  });
}

Result<void> MysqlUserStore::Update(const ResourceRecord& record, int64_t expected_version,
                                    const MemberDelta*, const WriteAudit& audit) {
  UserRow row(record);
  long long expected = expected_version;
  return Guarded(conn_, [&](soci::session& sql) -> Result<void> {
    soci::transaction tr(sql);
    soci::statement st =
        (sql.prepare << "UPDATE scim_users SET user_name = :un, external_id = :ext, "
                        "display_name = :dn, given_name = :gn, family_name = :fn, email = :em, "
                        "user_type = :ut, active = :a, version = :v, last_modified_ms = :m, "
                        "attributes = :attrs WHERE id = " +
                            IdParam("id") + " AND version = :expected",
         soci::use(row.c.user_name), soci::use(row.c.external_id, row.ext_i),
         soci::use(row.c.display_name, row.dn_i), soci::use(row.c.given_name, row.gn_i),
         soci::use(row.c.family_name, row.fn_i), soci::use(row.c.email, row.em_i),
         soci::use(row.c.user_type, row.ut_i), soci::use(row.active), soci::use(row.version),
         soci::use(row.modified), soci::use(row.attributes), soci::use(record.id),
         soci::use(expected));
    st.execute(true);
    if (st.get_affected_rows() == 0) return MissedVersion(sql, "scim_users", record.id);
    EnqueueChange(sql, UserType(), record.id, row.version, "upsert", row.payload);
    WriteAuditRow(sql, UserType(), record.id, row.c.user_name, audit);
    tr.commit();
    return {};
  });
}

Result<void> MysqlUserStore::Delete(std::string_view id, int64_t expected_version, int64_t now_ms,
                                    const WriteAudit& audit) {
  std::string key(id);
  return Guarded(conn_, [&](soci::session& sql) -> Result<void> {
    soci::transaction tr(sql);
    if (auto r = DeleteResource(sql, UserType(), key, expected_version, now_ms, audit); !r.ok()) {
      return r;
    }
    tr.commit();
    return {};
  });
}

Result<Page> MysqlUserStore::Query(const StoreQuery& query) {
  if (!adopter_ || query.lookups.empty()) return Read(query);
  // Under `userName eq` (every IdP lookup), a candidate found means SCIM
  // has that userName: no row of the application can be adopted into this
  // answer (adoption refuses a taken userName), so a hit reads once and
  // skips the adoption probe (bench/adoption_bench.sh).
  bool by_user_name = false;
  for (const auto& c : query.lookups) by_user_name |= c.column == Column::kUserName;
  std::optional<Page> first;
  if (by_user_name) {
    auto page = Read(query);
    if (!page.ok() || !page.value().records.empty()) return page;
    first = std::move(page).value();
  }
  int found = 0;  // rows adopted, by this lookup or concurrently by another
  for (const auto& c : query.lookups) {
    auto attr = c.column == Column::kUserName     ? config::Attr::kUserName
                : c.column == Column::kExternalId ? config::Attr::kExternalId
                                                  : config::Attr::kEmail;
    auto r = AdoptWhere(conn_, *adopter_, attr, c.value.as_string());
    if (!r.ok()) return r.error();
    found += r.value();
  }
  if (first && found == 0) return std::move(*first);
  return Read(query);
}

Result<Page> MysqlUserStore::Read(const StoreQuery& query) {
  // Candidates under an equality on a unique column (Okta's and Entra's
  // `userName eq` before every create): at most one, read with its groups
  // in one statement. The service evaluates the whole filter on it.
  const Condition* unique = nullptr;
  for (const auto& c : query.conditions) {
    if (c.op == CompareOp::kEq && c.value.is_string() &&
        (c.column == Column::kUserName || c.column == Column::kId)) {
      unique = &c;
    }
  }
  return Guarded(conn_, [&](soci::session& sql) -> Result<Page> {
    if (unique && query.limit < 0 && query.offset == 0 && query.after_seq == 0) {
      auto r = ReadRecord(sql, "scim_users", unique->value.as_string(), false, kGroupsOfUser,
                          UserColumn(unique->column));
      if (!r.ok()) return r.error();
      Page page;
      if (r.value()) page.records.push_back(*std::move(r).value());
      page.total = static_cast<int64_t>(page.records.size());
      return page;
    }
    return QueryRecords(sql, "scim_users", &UserColumn, query, kGroupsOfUser);
  });
}

Result<std::vector<MemberRef>> MysqlUserStore::Related(std::string_view id) {
  std::string key(id);
  return Guarded(conn_, [&](soci::session& sql) -> Result<std::vector<MemberRef>> {
    std::vector<MemberRef> out;
    soci::rowset<soci::row> rs =
        (sql.prepare << "SELECT g.id, g.display_name FROM scim_group_members m "
                        "JOIN scim_groups g ON g.id = m.group_id "
                        "WHERE m.member_id = " +
                            IdParam("id") + " ORDER BY g.seq",
         soci::use(key));
    for (const auto& r : rs) out.push_back({r.get<std::string>(0), "Group", r.get<std::string>(1)});
    return out;
  });
}

void MysqlUserStore::AuditRefusal(std::string_view id, const WriteAudit& audit) {
  AuditRefusalRow(conn_, UserType(), id, audit);
}

}  // namespace scim::db
