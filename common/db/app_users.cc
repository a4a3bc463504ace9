#include "common/db/app_users.h"

#include <deque>

#include "common/db/sync_rows.h"

namespace scim::db {
namespace {

using config::Attr;
using sync::DirectoryUser;

soci::indicator NullIfEmpty(const std::string& s) { return s.empty() ? soci::i_null : soci::i_ok; }

bool IsTimestamp(Attr a) { return a == Attr::kCreatedAt || a == Attr::kUpdatedAt; }

// The link and protection columns of UserColumns(), in FromRow's order.
constexpr char kLinkColumns[] =
    "l.app_key IS NOT NULL, COALESCE(l.scim_id, ''), COALESCE(l.applied_version, 0), "
    "COALESCE(l.applied_active, 1), COALESCE(l.applied_role, ''), "
    "l.local_deactivated_at IS NOT NULL, COALESCE(l.local_deactivated_by, ''), "
    "COALESCE(l.local_deactivation_reason, ''), "
    "COALESCE(DATE_FORMAT(l.local_deactivated_at, '%Y-%m-%dT%H:%i:%s.%fZ'), ''), "
    "p.app_key IS NOT NULL";
constexpr size_t kLinkCount = 10;

std::string* Field(DirectoryUser* u, Attr a) {
  switch (a) {
    case Attr::kUserName:
      return &u->user_name;
    case Attr::kGivenName:
      return &u->given_name;
    case Attr::kFamilyName:
      return &u->family_name;
    case Attr::kDisplayName:
      return &u->display_name;
    case Attr::kEmail:
      return &u->email;
    case Attr::kExternalId:
      return &u->external_id;
    case Attr::kDepartment:
      return &u->department;
    case Attr::kTitle:
      return &u->title;
    default:
      return nullptr;
  }
}

// Values bound to one statement, alive as long as it is.
struct Binds {
  std::deque<std::string> strings;
  std::deque<soci::indicator> inds;
  void Add(soci::statement& st, const std::string& v, bool null_if_empty) {
    strings.push_back(v);
    inds.push_back(null_if_empty ? NullIfEmpty(v) : soci::i_ok);
    st.exchange(soci::use(strings.back(), inds.back()));
  }
};

void Run(soci::statement& st, const std::string& text) {
  st.alloc();
  st.prepare(text);
  st.define_and_bind();
  st.execute(true);
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
  constexpr size_t kChunk = 1000;
  for (size_t at = 0; at < ids.size(); at += kChunk) {
    Binds b;
    soci::statement st(sql);
    soci::row r;
    st.exchange(soci::into(r));
    std::string list;
    for (size_t i = at; i < ids.size() && i < at + kChunk; ++i) {
      list += (list.empty() ? ":k" : ",:k") + std::to_string(i - at);
      b.Add(st, ids[i], false);
    }
    st.alloc();
    st.prepare("SELECT " + select_ + " FROM directory_links l JOIN " + Table() + " a ON a." +
               config::QuoteIdentifier(m_.key) +
               " = l.app_key LEFT JOIN directory_protected p ON p.app_key = l.app_key "
               "WHERE l.scim_id IN (" +
               list + ") FOR UPDATE");
    st.define_and_bind();
    if (st.execute(true)) {
      do {
        DirectoryUser u = FromRow(r, 0);
        std::string id = u.scim_id;
        (*out)[id] = std::move(u);
      } while (st.fetch());
    }
  }
}

void AppUsers::ByUserNames(soci::session& sql, const std::vector<std::string>& names,
                           std::map<std::string, DirectoryUser>* out) const {
  constexpr size_t kChunk = 1000;
  for (size_t at = 0; at < names.size(); at += kChunk) {
    // Each row comes with the name it was asked by: names compare by the
    // column's collation (case folded), so the asked-for name is the key.
    Binds b;
    soci::statement st(sql);
    soci::row r;
    st.exchange(soci::into(r));
    std::string list;
    for (size_t i = at; i < names.size() && i < at + kChunk; ++i) {
      std::string p = ":k" + std::to_string(i - at);
      list += list.empty() ? "SELECT " + p + " AS k" : " UNION ALL SELECT " + p;
      b.Add(st, names[i], false);
    }
    std::string key = KeyText("a");
    st.alloc();
    st.prepare("SELECT q.k, " + select_ + " FROM (" + list + ") q STRAIGHT_JOIN " + Table() +
               " a ON a." + config::QuoteIdentifier(m_.column(Attr::kUserName)) +
               " = q.k LEFT JOIN directory_links l ON l.app_key = " + key +
               " LEFT JOIN directory_protected p ON p.app_key = " + key + " FOR UPDATE");
    st.define_and_bind();
    if (st.execute(true)) {
      do {
        (*out)[r.get<std::string>(0)] = FromRow(r, 1);
      } while (st.fetch());
    }
  }
}

std::string AppUsers::InsertRow(soci::session& sql, const DirectoryUser& u) const {
  Binds b;
  soci::statement st(sql);
  std::string columns, values;
  auto add = [&](Attr a, const std::string& v, bool null_if_empty) {
    columns += (columns.empty() ? "" : ", ") + config::QuoteIdentifier(m_.column(a));
    values += (values.empty() ? ":v" : ", :v") + std::to_string(b.strings.size());
    b.Add(st, v, null_if_empty);
  };
  DirectoryUser copy = u;
  for (Attr a : read_) {
    if (const std::string* f = Field(&copy, a)) {
      add(a, *f, a != Attr::kUserName);
    } else if (a == Attr::kActive) {
      add(a, config::ActiveToColumn(m_, u.active), false);
    } else if (a == Attr::kRole && u.role) {
      add(a, config::RoleToColumn(m_, *u.role), false);
    }
  }
  for (Attr a : {Attr::kCreatedAt, Attr::kUpdatedAt}) {
    if (!m_.mapped(a)) continue;
    columns += ", " + config::QuoteIdentifier(m_.column(a));
    values += ", NOW(3)";
  }
  Run(st, "INSERT INTO " + Table() + " (" + columns + ") VALUES (" + values + ")");
  std::string key;
  sql << "SELECT " + KeyText("a") + " FROM " + Table() + " a WHERE a." +
             config::QuoteIdentifier(m_.column(Attr::kUserName)) + " = :n ORDER BY a." +
             config::QuoteIdentifier(m_.key) + " DESC LIMIT 1",
      soci::into(key), soci::use(u.user_name);
  return key;
}

bool AppUsers::UpdateRow(soci::session& sql, const DirectoryUser& after,
                         const DirectoryUser& before) const {
  Binds b;
  soci::statement st(sql);
  std::string sets;
  auto set = [&](Attr a, const std::string& v, bool null_if_empty) {
    sets += (sets.empty() ? "" : ", ") + config::QuoteIdentifier(m_.column(a)) + " = :v" +
            std::to_string(b.strings.size());
    b.Add(st, v, null_if_empty);
  };
  DirectoryUser a_copy = after, b_copy = before;
  for (Attr a : read_) {
    const std::string* now = Field(&a_copy, a);
    if (now) {
      if (*now != *Field(&b_copy, a)) set(a, *now, a != Attr::kUserName);
    } else if (a == Attr::kActive && after.active != before.active) {
      set(a, config::ActiveToColumn(m_, after.active), false);
    } else if (a == Attr::kRole && after.role && after.role != before.role) {
      set(a, config::RoleToColumn(m_, *after.role), false);
    }
  }
  if (sets.empty()) return false;
  if (m_.mapped(Attr::kUpdatedAt)) {
    sets += ", " + config::QuoteIdentifier(m_.column(Attr::kUpdatedAt)) + " = NOW(3)";
  }
  b.Add(st, before.key, false);
  Run(st,
      "UPDATE " + Table() + " SET " + sets + " WHERE " + config::QuoteIdentifier(m_.key) + " = :k");
  return true;
}

void AppUsers::SaveLink(soci::session& sql, const DirectoryUser& u,
                        std::string_view linked_by) const {
  long long version = u.scim_version;
  int active = u.applied_active ? 1 : 0, local = u.locally_deactivated ? 1 : 0;
  std::string role = u.applied_role ? std::string(sync::RoleName(*u.applied_role)) : "";
  std::string by = local ? u.local_by : "", why = local ? u.local_reason : "";
  std::string how(linked_by);
  soci::indicator ri = NullIfEmpty(role), bi = local ? soci::i_ok : soci::i_null,
                  wi = local ? soci::i_ok : soci::i_null;
  // A link of this SCIM id to a row the application has deleted since.
  sql << "DELETE FROM directory_links WHERE scim_id = :sid AND app_key <> :k", soci::use(u.scim_id),
      soci::use(u.key);
  // A local deactivation keeps the time it was first recorded.
  sql << "INSERT INTO directory_links (app_key, scim_id, applied_version, applied_active, "
         "applied_role, local_deactivated_by, local_deactivated_at, local_deactivation_reason, "
         "linked_at, linked_by) VALUES (:k, :sid, :v, :a, :r, :by, IF(:l = 1, NOW(3), NULL), "
         ":why, NOW(3), :how) ON DUPLICATE KEY UPDATE "
         "linked_by = IF(scim_id = VALUES(scim_id), linked_by, 'takeover'), "
         "linked_at = IF(scim_id = VALUES(scim_id), linked_at, NOW(3)), "
         "scim_id = VALUES(scim_id), applied_version = VALUES(applied_version), "
         "applied_active = VALUES(applied_active), applied_role = VALUES(applied_role), "
         "local_deactivated_at = IF(VALUES(local_deactivated_at) IS NULL, NULL, "
         "COALESCE(local_deactivated_at, VALUES(local_deactivated_at))), "
         "local_deactivated_by = VALUES(local_deactivated_by), "
         "local_deactivation_reason = VALUES(local_deactivation_reason)",
      soci::use(u.key), soci::use(u.scim_id), soci::use(version), soci::use(active),
      soci::use(role, ri), soci::use(by, bi), soci::use(local), soci::use(why, wi), soci::use(how);
}

void AppUsers::DeleteRow(soci::session& sql, const DirectoryUser& u) const {
  if (m_.groups) {
    std::string key = config::QuoteIdentifier(m_.key);
    sql << "DELETE m FROM " + config::QuoteTable(m_.member_table) + " m JOIN " + Table() +
               " a ON a." + config::QuoteIdentifier(m_.member_user_key_or_key()) + " = m." +
               config::QuoteIdentifier(m_.member_user) + " WHERE a." + key + " = :k",
        soci::use(u.key);
  }
  sql << "DELETE FROM " + Table() + " WHERE " + config::QuoteIdentifier(m_.key) + " = :k",
      soci::use(u.key);
  sql << "DELETE FROM directory_links WHERE app_key = :k", soci::use(u.key);
}

void AppUsers::DeactivateLocally(soci::session& sql, const DirectoryUser& u, const std::string& by,
                                 const std::string& reason) const {
  DirectoryUser after = u;
  after.active = false;
  UpdateRow(sql, after, u);
  after.locally_deactivated = true;
  after.local_by = by;
  after.local_reason = reason;
  SaveLink(sql, after, "adopt");
}

void AppUsers::ReactivateLocally(soci::session& sql, const DirectoryUser& u, bool active) const {
  DirectoryUser after = u;
  after.active = active;
  UpdateRow(sql, after, u);
  after.applied_active = active;
  after.locally_deactivated = false;
  SaveLink(sql, after, "adopt");
}

void AppUsers::Protect(soci::session& sql, const DirectoryUser& u, const std::string& by,
                       const std::string& reason) const {
  soci::indicator ri = NullIfEmpty(reason);
  sql << "INSERT INTO directory_protected (app_key, user_name, protected_by, protected_at, reason) "
         "VALUES (:k, :n, :by, NOW(3), :r) ON DUPLICATE KEY UPDATE user_name = VALUES(user_name), "
         "protected_by = VALUES(protected_by), protected_at = VALUES(protected_at), "
         "reason = VALUES(reason)",
      soci::use(u.key), soci::use(u.user_name), soci::use(by), soci::use(reason, ri);
  if (!u.linked) return;
  sql << "DELETE FROM scim_group_members WHERE member_id = :id", soci::use(u.scim_id);
  sql << "DELETE FROM scim_users WHERE id = :id", soci::use(u.scim_id);
  ResolveOpenConflict(sql, u.scim_id, "the account was protected");
}

void AppUsers::Unprotect(soci::session& sql, const DirectoryUser& u) const {
  sql << "DELETE FROM directory_protected WHERE app_key = :k", soci::use(u.key);
  // Its SCIM user left the view when it was protected: start afresh.
  sql << "DELETE l FROM directory_links l LEFT JOIN scim_users s ON s.id = l.scim_id "
         "WHERE l.app_key = :k AND s.id IS NULL",
      soci::use(u.key);
}

}  // namespace scim::db
