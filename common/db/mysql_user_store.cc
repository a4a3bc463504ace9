#include "common/db/mysql_user_store.h"

#include <string>

namespace scim::db {
namespace {

constexpr const char* kSelectUser =
    "SELECT id, version, created_ms, last_modified_ms, attributes FROM scim_users";

// Fixed attribute -> column map: no column name ever comes from a request.
const char* ColumnFor(UserKey key) {
  switch (key) {
    case UserKey::kId:
      return "id";
    case UserKey::kUserName:
      return "user_name";
    case UserKey::kExternalId:
      return "external_id";
    case UserKey::kDisplayName:
      return "display_name";
  }
  return "id";
}

soci::indicator NullIfEmpty(const std::string& s) { return s.empty() ? soci::i_null : soci::i_ok; }

Result<UserRecord> ToRecord(const soci::row& r) {
  UserRecord u;
  u.id = r.get<std::string>(0);
  u.version = r.get<long long>(1);
  u.created_ms = r.get<long long>(2);
  u.last_modified_ms = r.get<long long>(3);
  auto attributes = ParseJson(r.get<std::string>(4));
  if (!attributes.ok()) return Internal("stored user " + u.id + " is unreadable");
  u.attributes = std::move(attributes).value();
  return u;
}

}  // namespace

void EnqueueChange(soci::session& sql, const std::string& resource_type,
                   const std::string& resource_id, long long version, const std::string& op,
                   const std::string& payload) {
  sql << "INSERT INTO change_queue (resource_type, resource_id, version, op, payload, status, "
         "created_at, next_attempt_at) VALUES (:t, :id, :v, :op, :p, 'pending', NOW(3), NOW(3))",
      soci::use(resource_type), soci::use(resource_id), soci::use(version), soci::use(op),
      soci::use(payload);
}

Result<void> MysqlUserStore::Create(const UserRecord& user) {
  UserColumns c = ColumnsOf(user.attributes);
  std::string attributes = ToJson(user.attributes);
  std::string payload = ToJson(UserChangePayload(user, "upsert"));
  long long version = user.version, created = user.created_ms, modified = user.last_modified_ms;
  int active = c.active ? 1 : 0;
  soci::indicator ext_i = NullIfEmpty(c.external_id), dn_i = NullIfEmpty(c.display_name),
                  gn_i = NullIfEmpty(c.given_name), fn_i = NullIfEmpty(c.family_name),
                  em_i = NullIfEmpty(c.email), ut_i = NullIfEmpty(c.user_type);
  return Guarded(conn_, [&](soci::session& sql) -> Result<void> {
    soci::transaction tr(sql);
    sql << "INSERT INTO scim_users (id, user_name, external_id, display_name, given_name, "
           "family_name, email, user_type, active, version, created_ms, last_modified_ms, "
           "attributes) VALUES (:id, :un, :ext, :dn, :gn, :fn, :em, :ut, :a, :v, :c, :m, :attrs)",
        soci::use(user.id), soci::use(c.user_name), soci::use(c.external_id, ext_i),
        soci::use(c.display_name, dn_i), soci::use(c.given_name, gn_i),
        soci::use(c.family_name, fn_i), soci::use(c.email, em_i), soci::use(c.user_type, ut_i),
        soci::use(active), soci::use(version), soci::use(created), soci::use(modified),
        soci::use(attributes);
    EnqueueChange(sql, "User", user.id, version, "upsert", payload);
    tr.commit();
    return {};
  });
}

Result<UserRecord> MysqlUserStore::Get(std::string_view id) {
  std::string key(id);
  return Guarded(conn_, [&](soci::session& sql) -> Result<UserRecord> {
    soci::rowset<soci::row> rs =
        (sql.prepare << std::string(kSelectUser) + " WHERE id = :id", soci::use(key));
    for (const auto& r : rs) return ToRecord(r);
    return NotFound("no User with id " + key);
  });
}

Result<UserPage> MysqlUserStore::List(const UserQuery& q) {
  std::string where = q.has_match ? std::string(" WHERE ") + ColumnFor(q.key) + " = :v" : "";
  long long limit = q.count, offset = q.start_index - 1;
  return Guarded(conn_, [&](soci::session& sql) -> Result<UserPage> {
    UserPage page;
    long long total = 0;
    std::string select = std::string(kSelectUser) + where + " ORDER BY seq LIMIT :lim OFFSET :off";
    if (q.has_match) {
      sql << "SELECT COUNT(*) FROM scim_users" + where, soci::into(total), soci::use(q.value);
    } else {
      sql << "SELECT COUNT(*) FROM scim_users", soci::into(total);
    }
    page.total = total;
    if (limit == 0) return page;
    auto collect = [&](soci::rowset<soci::row>& rs) -> Result<void> {
      for (const auto& r : rs) {
        auto u = ToRecord(r);
        if (!u.ok()) return u.error();
        page.users.push_back(std::move(u).value());
      }
      return {};
    };
    Result<void> done;
    if (q.has_match) {
      soci::rowset<soci::row> rs =
          (sql.prepare << select, soci::use(q.value), soci::use(limit), soci::use(offset));
      done = collect(rs);
    } else {
      soci::rowset<soci::row> rs = (sql.prepare << select, soci::use(limit), soci::use(offset));
      done = collect(rs);
    }
    if (!done.ok()) return done.error();
    return page;
  });
}

}  // namespace scim::db
