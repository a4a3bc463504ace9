#include "common/db/app_users.h"

#include <functional>

#include "common/db/app_users_sql.h"

namespace scim::db {
namespace {

using app_sql::Binds;
using app_sql::Field;
using app_sql::IsTimestamp;
using config::Attr;
using sync::DirectoryUser;

// The link and protection columns of UserColumns(), in FromRow's order.
constexpr char kLinkColumns[] =
    "l.app_key IS NOT NULL, COALESCE(l.scim_id, ''), COALESCE(l.applied_version, 0), "
    "COALESCE(l.applied_active, 1), COALESCE(l.applied_role, ''), "
    "l.local_deactivated_at IS NOT NULL, COALESCE(l.local_deactivated_by, ''), "
    "COALESCE(l.local_deactivation_reason, ''), "
    "COALESCE(DATE_FORMAT(l.local_deactivated_at, '%Y-%m-%dT%H:%i:%s.%fZ'), ''), "
    "p.app_key IS NOT NULL";
constexpr size_t kLinkCount = 10;

// Runs the statement text(placeholders) once per 1,000 values, each value
// bound to its placeholder, and visits every row it returns: the multi-row
// reads (ByScimIds, ByUserNames, ByKeys).
void InChunks(soci::session& sql, const std::vector<std::string>& values,
              const std::function<std::string(const std::vector<std::string>&)>& text,
              const std::function<void(const soci::row&)>& visit) {
  constexpr size_t kChunk = 1000;
  for (size_t at = 0; at < values.size(); at += kChunk) {
    Binds b;
    soci::statement st(sql);
    soci::row r;
    st.exchange(soci::into(r));
    std::vector<std::string> params;
    for (size_t i = at; i < values.size() && i < at + kChunk; ++i) {
      params.push_back(b.Add(st, values[i], false));
    }
    st.alloc();
    st.prepare(text(params));
    st.define_and_bind();
    if (st.execute(true)) {
      do {
        visit(r);
      } while (st.fetch());
    }
  }
}

std::string CommaList(const std::vector<std::string>& items) {
  std::string out;
  for (const auto& i : items) out += (out.empty() ? "" : ",") + i;
  return out;
}

}  // namespace

AppUsers::AppUsers(config::DirectoryMapping mapping) : m_(std::move(mapping)) {
  for (Attr a : config::MappedAttrs(m_)) {
    if (!IsTimestamp(a)) read_.push_back(a);
  }
  select_ = UserColumns();
}

sync::MappedFields AppUsers::fields() const {
  sync::MappedFields f;
  f.given_name = m_.mapped(Attr::kGivenName);
  f.family_name = m_.mapped(Attr::kFamilyName);
  f.display_name = m_.mapped(Attr::kDisplayName);
  f.email = m_.mapped(Attr::kEmail);
  f.external_id = m_.mapped(Attr::kExternalId);
  f.department = m_.mapped(Attr::kDepartment);
  f.title = m_.mapped(Attr::kTitle);
  f.role = m_.mapped(Attr::kRole);
  return f;
}

std::string AppUsers::Table() const { return config::QuoteTable(m_.table); }

std::string AppUsers::KeyText(std::string_view alias) const {
  return "CAST(" + config::QuoteIdentifier(alias) + "." + config::QuoteIdentifier(m_.key) +
         " AS CHAR CHARACTER SET utf8mb4) COLLATE utf8mb4_bin";
}

std::string AppUsers::UserColumns() const {
  std::string out = KeyText("a") + ", " + kLinkColumns;
  for (Attr a : read_) {
    out += ", COALESCE(CAST(a." + config::QuoteIdentifier(m_.column(a)) +
           " AS CHAR CHARACTER SET utf8mb4), '')";
  }
  return out;
}

std::string AppUsers::SelectFrom(std::string_view extra) const {
  std::string key = KeyText("a");
  return "SELECT " + std::string(extra) + (extra.empty() ? "" : ", ") + select_ + " FROM " +
         Table() + " a LEFT JOIN directory_links l ON l.app_key = " + key +
         " LEFT JOIN directory_protected p ON p.app_key = " + key;
}

DirectoryUser AppUsers::FromRow(const soci::row& r, size_t o) const {
  DirectoryUser u;
  u.key = r.get<std::string>(o);
  u.linked = r.get<int>(o + 1) != 0;
  u.scim_id = r.get<std::string>(o + 2);
  u.scim_version = r.get<long long>(o + 3);
  u.applied_active = r.get<int>(o + 4) != 0;
  u.applied_role = sync::ParseRole(r.get<std::string>(o + 5));
  u.locally_deactivated = r.get<int>(o + 6) != 0;
  u.local_by = r.get<std::string>(o + 7);
  u.local_reason = r.get<std::string>(o + 8);
  u.local_since = r.get<std::string>(o + 9);
  u.is_protected = r.get<int>(o + 10) != 0;
  size_t at = o + 1 + kLinkCount;
  for (Attr a : read_) {
    std::string v = r.get<std::string>(at++);
    if (std::string* f = Field(&u, a)) {
      *f = std::move(v);
    } else if (a == Attr::kActive) {
      u.active = config::ActiveFromColumn(m_, v).value_or(false);
    } else if (a == Attr::kRole) {
      u.role = config::RoleFromColumn(m_, v);
    }
  }
  return u;
}

std::string AppUsers::Where(std::string_view condition, bool lock) const {
  return SelectFrom() + " WHERE " + std::string(condition) + (lock ? " FOR UPDATE" : "");
}

std::optional<DirectoryUser> AppUsers::One(soci::session& sql, const std::string& text,
                                           const std::string& value) const {
  soci::rowset<soci::row> rs = (sql.prepare << text, soci::use(value));
  for (const auto& r : rs) return FromRow(r, 0);
  return std::nullopt;
}

std::optional<DirectoryUser> AppUsers::ByScimId(soci::session& sql, const std::string& scim_id,
                                                bool lock) const {
  // From the link to the row: the link's index, then the row's key.
  return One(sql,
             "SELECT " + select_ + " FROM directory_links l JOIN " + Table() + " a ON a." +
                 config::QuoteIdentifier(m_.key) +
                 " = l.app_key LEFT JOIN directory_protected p ON p.app_key = l.app_key "
                 "WHERE l.scim_id = :id" +
                 (lock ? " FOR UPDATE" : ""),
             scim_id);
}

std::optional<DirectoryUser> AppUsers::ByUserName(soci::session& sql, const std::string& user_name,
                                                  bool lock) const {
  return One(sql, Where("a." + config::QuoteIdentifier(m_.column(Attr::kUserName)) + " = :n", lock),
             user_name);
}

std::optional<DirectoryUser> AppUsers::ByKey(soci::session& sql, const std::string& key,
                                             bool lock) const {
  return One(sql, Where("a." + config::QuoteIdentifier(m_.key) + " = :k", lock), key);
}

void AppUsers::ByScimIds(soci::session& sql, const std::vector<std::string>& ids,
                         std::map<std::string, DirectoryUser>* out) const {
  InChunks(
      sql, ids,
      [&](const std::vector<std::string>& params) {
        return "SELECT " + select_ + " FROM directory_links l JOIN " + Table() + " a ON a." +
               config::QuoteIdentifier(m_.key) +
               " = l.app_key LEFT JOIN directory_protected p ON p.app_key = l.app_key "
               "WHERE l.scim_id IN (" +
               CommaList(params) + ") FOR UPDATE";
      },
      [&](const soci::row& r) {
        DirectoryUser u = FromRow(r, 0);
        std::string id = u.scim_id;
        (*out)[id] = std::move(u);
      });
}

void AppUsers::ByUserNames(soci::session& sql, const std::vector<std::string>& names,
                           std::map<std::string, DirectoryUser>* out) const {
  // Each row comes with the name it was asked by: names compare by the
  // column's collation (case folded), so the asked-for name is the key.
  std::string key = KeyText("a");
  InChunks(
      sql, names,
      [&](const std::vector<std::string>& params) {
        std::string asked;
        for (const auto& p : params) {
          asked += asked.empty() ? "SELECT " + p + " AS k" : " UNION ALL SELECT " + p;
        }
        return "SELECT q.k, " + select_ + " FROM (" + asked + ") q STRAIGHT_JOIN " + Table() +
               " a ON a." + config::QuoteIdentifier(m_.column(Attr::kUserName)) +
               " = q.k LEFT JOIN directory_links l ON l.app_key = " + key +
               " LEFT JOIN directory_protected p ON p.app_key = " + key + " FOR UPDATE";
      },
      [&](const soci::row& r) { (*out)[r.get<std::string>(0)] = FromRow(r, 1); });
}

std::vector<DirectoryUser> AppUsers::ByKeys(soci::session& sql,
                                            const std::vector<std::string>& keys,
                                            bool skip_locked) const {
  std::vector<DirectoryUser> out;
  std::string key = "a." + config::QuoteIdentifier(m_.key);
  InChunks(
      sql, keys,
      [&](const std::vector<std::string>& params) {
        return Where(key + " IN (" + CommaList(params) + ") ORDER BY " + key, true) +
               (skip_locked ? " SKIP LOCKED" : "");
      },
      [&](const soci::row& r) { out.push_back(FromRow(r, 0)); });
  return out;
}

std::vector<DirectoryUser> AppUsers::LocallyDeactivated(soci::session& sql, long long limit) const {
  std::vector<DirectoryUser> out;
  soci::rowset<soci::row> rs = (sql.prepare << SelectFrom() +
                                                   " WHERE l.local_deactivated_at IS NOT NULL "
                                                   "ORDER BY l.local_deactivated_at LIMIT :n",
                                soci::use(limit));
  for (const auto& r : rs) out.push_back(FromRow(r, 0));
  return out;
}

std::vector<ProtectedAccount> ListProtected(soci::session& sql) {
  std::vector<ProtectedAccount> out;
  soci::rowset<soci::row> rs =
      sql.prepare << "SELECT user_name, protected_by, "
                     "DATE_FORMAT(protected_at, '%Y-%m-%dT%H:%i:%sZ'), COALESCE(reason, '') "
                     "FROM directory_protected ORDER BY user_name";
  for (const auto& r : rs) {
    out.push_back({r.get<std::string>(0), r.get<std::string>(1), r.get<std::string>(2),
                   r.get<std::string>(3)});
  }
  return out;
}

}  // namespace scim::db
