#include "daemon/sql_directory.h"

#include <deque>

#include "common/db/settings_store.h"
#include "common/db/sync_rows.h"

namespace scim::sync {
namespace {

std::string Select() { return "SELECT " + DirectoryUserColumns() + " FROM directory_users d"; }

std::optional<DirectoryUser> FindBy(soci::session& sql, const char* column,
                                    const std::string& key) {
  soci::rowset<soci::row> rs =
      (sql.prepare << Select() + " WHERE d." + column + " = :k FOR UPDATE", soci::use(key));
  for (const auto& r : rs) return DirectoryUserFromRow(r, 0);
  return std::nullopt;
}

soci::indicator NullIfEmpty(const std::string& s) { return s.empty() ? soci::i_null : soci::i_ok; }

template <typename F>
auto Step(db::Connection& conn, F&& fn) {
  return db::Guarded(conn, std::forward<F>(fn), 1);  // part of the batch's transaction
}

// One user written on its own: an INSERT, or an UPDATE of the row
// `previous` names.
void WriteUser(soci::session& sql, const DirectoryUser& u,
               const std::optional<DirectoryUser>& previous) {
  std::string role(RoleName(u.role));
  int active = u.active ? 1 : 0, local = u.locally_deactivated ? 1 : 0;
  long long version = u.scim_version;
  soci::indicator gi = NullIfEmpty(u.given_name), fi = NullIfEmpty(u.family_name),
                  di = NullIfEmpty(u.display_name), ei = NullIfEmpty(u.email);
  if (!previous) {
    sql << "INSERT INTO directory_users (scim_id, user_name, given_name, family_name, "
           "display_name, email, role, active, scim_version, created_at, updated_at) VALUES "
           "(:sid, :un, :gn, :fn, :dn, :em, :r, :a, :v, NOW(3), NOW(3))",
        soci::use(u.scim_id), soci::use(u.user_name), soci::use(u.given_name, gi),
        soci::use(u.family_name, fi), soci::use(u.display_name, di), soci::use(u.email, ei),
        soci::use(role), soci::use(active), soci::use(version);
    return;
  }
  // Match the row as it was found: by its scim_id, else (a takeover) its userName.
  std::string key = previous->scim_id.empty() ? previous->user_name : previous->scim_id;
  std::string where = previous->scim_id.empty() ? "user_name = :k" : "scim_id = :k";
  sql << "UPDATE directory_users SET scim_id = :sid, user_name = :un, given_name = :gn, "
         "family_name = :fn, display_name = :dn, email = :em, role = :r, active = :a, "
         "scim_version = :v, "
         "local_deactivated_at = IF(:l = 1, local_deactivated_at, NULL), "
         "local_deactivated_by = IF(:l2 = 1, local_deactivated_by, NULL), "
         "local_deactivation_reason = IF(:l3 = 1, local_deactivation_reason, NULL), "
         "updated_at = NOW(3) WHERE " +
             where,
      soci::use(u.scim_id), soci::use(u.user_name), soci::use(u.given_name, gi),
      soci::use(u.family_name, fi), soci::use(u.display_name, di), soci::use(u.email, ei),
      soci::use(role), soci::use(active), soci::use(version), soci::use(local), soci::use(local),
      soci::use(local), soci::use(key);
}

// The columns of a held user as bound values, kept alive for a statement.
struct UserValues {
  std::deque<std::string> strings;
  std::deque<long long> numbers;
  std::deque<int> ints;
  std::deque<soci::indicator> inds;

  // Appends "(:p, …, NOW(3), NOW(3))" for u to text and binds its values.
  void Add(soci::statement& st, std::string* text, const DirectoryUser& u) {
    int n = static_cast<int>(numbers.size());
    std::string p = ":v" + std::to_string(n) + "_";
    *text += (text->back() == ')' ? ",(" : "(") + p + "0," + p + "1," + p + "2," + p + "3," + p +
             "4," + p + "5," + p + "6," + p + "7," + p + "8,NOW(3),NOW(3))";
    BindString(st, u.scim_id, false);
    BindString(st, u.user_name, false);
    BindString(st, u.given_name, true);
    BindString(st, u.family_name, true);
    BindString(st, u.display_name, true);
    BindString(st, u.email, true);
    BindString(st, std::string(RoleName(u.role)), false);
    ints.push_back(u.active ? 1 : 0);
    st.exchange(soci::use(ints.back()));
    numbers.push_back(u.scim_version);
    st.exchange(soci::use(numbers.back()));
  }
  void BindString(soci::statement& st, const std::string& v, bool null_if_empty) {
    strings.push_back(v);
    inds.push_back(null_if_empty ? NullIfEmpty(v) : soci::i_ok);
    st.exchange(soci::use(strings.back(), inds.back()));
  }
};

constexpr char kInsertUsers[] =
    "INSERT INTO directory_users (scim_id, user_name, given_name, family_name, display_name, "
    "email, role, active, scim_version, created_at, updated_at) VALUES ";
// For plain updates: the row exists under both keys, so the INSERT always
// lands on it (both unique keys name the same row).
constexpr char kUpdateUsers[] =
    " ON DUPLICATE KEY UPDATE given_name = VALUES(given_name), family_name = "
    "VALUES(family_name), display_name = VALUES(display_name), email = VALUES(email), "
    "role = VALUES(role), active = VALUES(active), scim_version = VALUES(scim_version), "
    "updated_at = VALUES(updated_at)";
constexpr size_t kRowsPerStatement = 500;

enum class WriteKind { kInsert, kPlainUpdate, kOther };

WriteKind KindOf(const DirectoryUser& u, const std::optional<DirectoryUser>& previous) {
  if (!previous) return WriteKind::kInsert;
  bool plain = !previous->scim_id.empty() && previous->scim_id == u.scim_id &&
               previous->user_name == u.user_name && !previous->locally_deactivated &&
               !u.locally_deactivated;
  return plain ? WriteKind::kPlainUpdate : WriteKind::kOther;
}

// users (all of one kind) in multi-row statements.
void WriteMany(soci::session& sql, const std::vector<const DirectoryUser*>& users, WriteKind kind) {
  for (size_t at = 0; at < users.size(); at += kRowsPerStatement) {
    UserValues values;
    soci::statement st(sql);
    std::string text = kInsertUsers;
    for (size_t i = at; i < users.size() && i < at + kRowsPerStatement; ++i) {
      values.Add(st, &text, *users[i]);
    }
    if (kind == WriteKind::kPlainUpdate) text += kUpdateUsers;
    st.alloc();
    st.prepare(text);
    st.define_and_bind();
    st.execute(true);
  }
}

}  // namespace

std::string DirectoryUserColumns() {
  return "COALESCE(d.scim_id, ''), d.user_name, COALESCE(d.given_name, ''), "
         "COALESCE(d.family_name, ''), COALESCE(d.display_name, ''), COALESCE(d.email, ''), "
         "d.role, d.active, d.local_deactivated_at IS NOT NULL, "
         "COALESCE(d.local_deactivated_by, ''), COALESCE(d.local_deactivation_reason, ''), "
         "COALESCE(DATE_FORMAT(d.local_deactivated_at, '%Y-%m-%dT%H:%i:%s.%fZ'), ''), "
         "d.scim_version";
}

DirectoryUser DirectoryUserFromRow(const soci::row& r, size_t o) {
  DirectoryUser u;
  u.scim_id = r.get<std::string>(o + 0);
  u.user_name = r.get<std::string>(o + 1);
  u.given_name = r.get<std::string>(o + 2);
  u.family_name = r.get<std::string>(o + 3);
  u.display_name = r.get<std::string>(o + 4);
  u.email = r.get<std::string>(o + 5);
  u.role = ParseRole(r.get<std::string>(o + 6)).value_or(Role::kRegistered);
  u.active = r.get<int>(o + 7) != 0;
  u.locally_deactivated = r.get<int>(o + 8) != 0;
  u.local_by = r.get<std::string>(o + 9);
  u.local_reason = r.get<std::string>(o + 10);
  u.local_since = r.get<std::string>(o + 11);
  u.scim_version = r.get<long long>(o + 12);
  return u;
}

Result<std::optional<DirectoryUser>> SqlDirectory::FindUser(std::string_view scim_id,
                                                            std::string_view user_name) {
  std::string id(scim_id), name(user_name);
  if (batch_) {
    bool known = true;  // what the table would answer is known here
    if (!id.empty()) {
      auto by_id = by_id_.find(id);
      if (by_id == by_id_.end()) {
        known = false;
      } else if (by_id->second) {
        return by_id->second;
      }
    }
    if (known && name.empty()) return std::optional<DirectoryUser>();
    if (known) {
      auto by_name = by_name_.find(name);
      if (by_name != by_name_.end()) return by_name->second;
    }
    if (auto r = WriteHeld(); !r.ok()) return r.error();  // not prefetched: ask the table
  }
  return Step(conn_, [&](soci::session& sql) -> Result<std::optional<DirectoryUser>> {
    if (auto u = FindBy(sql, "scim_id", id)) return u;
    if (name.empty()) return std::optional<DirectoryUser>();
    return FindBy(sql, "user_name", name);
  });
}

Result<void> SqlDirectory::SaveUser(const DirectoryUser& u,
                                    const std::optional<DirectoryUser>& previous) {
  if (batch_) {
    held_.push_back({u, previous});
    Remember(u, previous);
    return {};
  }
  return Step(conn_, [&](soci::session& sql) -> Result<void> {
    WriteUser(sql, u, previous);
    return {};
  });
}

Result<void> SqlDirectory::Prefetch(const std::vector<UserKey>& keys) {
  Discard();
  batch_ = true;
  std::vector<std::string> ids;
  for (const auto& k : keys) {
    if (!k.scim_id.empty() && by_id_.emplace(k.scim_id, std::nullopt).second) {
      ids.push_back(k.scim_id);
    }
  }
  if (keys.empty()) return {};
  // Two queries, locking what they read: by SCIM id, then by userName for
  // the keys not found by id (FindUser's order). Rows found by userName
  // come with the name they were found by: names compare by the column's
  // collation (case and accents folded), so the asked-for name, not the
  // stored one, is the cache key.
  return Step(conn_, [&](soci::session& sql) -> Result<void> {
    auto read = [&](const std::vector<std::string>& keys, bool by_name) {
      if (keys.empty()) return;
      std::deque<std::string> bound(keys.begin(), keys.end());
      soci::statement st(sql);
      soci::row r;
      st.exchange(soci::into(r));
      std::string list;
      for (size_t i = 0; i < bound.size(); ++i) {
        std::string p = ":k" + std::to_string(i);
        list += by_name ? (i ? " UNION ALL SELECT " : "SELECT ") + p + (i ? "" : " AS k")
                        : (i ? "," : "") + p;
        st.exchange(soci::use(bound[i]));
      }
      st.alloc();
      st.prepare(by_name
                     ? "SELECT q.k, " + DirectoryUserColumns() + " FROM (" + list +
                           ") q STRAIGHT_JOIN directory_users d ON d.user_name = q.k "
                           "FOR UPDATE"
                     : "SELECT d.scim_id, " + DirectoryUserColumns() +
                           " FROM directory_users d WHERE d.scim_id IN (" + list + ") FOR UPDATE");
      st.define_and_bind();
      if (st.execute(true)) {
        do {
          (by_name ? by_name_ : by_id_)[r.get<std::string>(0)] = DirectoryUserFromRow(r, 1);
        } while (st.fetch());
      }
    };
    read(ids, false);
    std::vector<std::string> names;
    for (const auto& k : keys) {
      bool found_by_id = !k.scim_id.empty() && by_id_[k.scim_id].has_value();
      if (!found_by_id && !k.user_name.empty() &&
          by_name_.emplace(k.user_name, std::nullopt).second) {
        names.push_back(k.user_name);
      }
    }
    read(names, true);
    return {};
  });
}

void SqlDirectory::Remember(const DirectoryUser& u, const std::optional<DirectoryUser>& previous) {
  if (previous) {
    if (!previous->scim_id.empty()) by_id_[previous->scim_id] = std::nullopt;
    by_name_[previous->user_name] = std::nullopt;
  }
  // As a read of the row would show it.
  DirectoryUser stored = u;
  if (!stored.locally_deactivated) stored.local_by = stored.local_reason = stored.local_since = "";
  if (!stored.scim_id.empty()) by_id_[stored.scim_id] = stored;
  by_name_[stored.user_name] = stored;
}

Result<void> SqlDirectory::WriteHeld() {
  if (held_.empty()) return {};
  auto r = Step(conn_, [&](soci::session& sql) -> Result<void> {
    // In order; consecutive inserts, or plain updates, go together.
    for (size_t i = 0; i < held_.size();) {
      WriteKind kind = KindOf(held_[i].user, held_[i].previous);
      if (kind == WriteKind::kOther) {
        WriteUser(sql, held_[i].user, held_[i].previous);
        ++i;
        continue;
      }
      std::vector<const DirectoryUser*> run;
      for (; i < held_.size() && KindOf(held_[i].user, held_[i].previous) == kind; ++i) {
        run.push_back(&held_[i].user);
      }
      WriteMany(sql, run, kind);
    }
    return {};
  });
  held_.clear();
  return r;
}

Result<void> SqlDirectory::Flush() {
  auto r = WriteHeld();
  Discard();
  return r;
}

void SqlDirectory::Discard() {
  batch_ = false;
  by_id_.clear();
  by_name_.clear();
  held_.clear();
}

Result<void> SqlDirectory::DeleteUser(std::string_view scim_id) {
  if (auto b = Barrier(); !b.ok()) return b.error();
  if (batch_) {  // forget what was read: the row goes, and its userName with it
    by_id_.clear();
    by_name_.clear();
  }
  std::string id(scim_id);
  return Step(conn_, [&](soci::session& sql) -> Result<void> {
    sql << "DELETE FROM directory_group_members WHERE member_scim_id = :id", soci::use(id);
    sql << "DELETE FROM directory_users WHERE scim_id = :id", soci::use(id);
    return {};
  });
}

Result<std::optional<DirectoryGroup>> SqlDirectory::FindGroup(std::string_view scim_id) {
  if (auto b = Barrier(); !b.ok()) return b.error();
  std::string id(scim_id);
  return Step(conn_, [&](soci::session& sql) -> Result<std::optional<DirectoryGroup>> {
    DirectoryGroup g;
    long long version = 0;
    sql << "SELECT scim_id, display_name, scim_version FROM directory_groups WHERE scim_id = :g "
           "FOR UPDATE",
        soci::into(g.scim_id), soci::into(g.display_name), soci::into(version), soci::use(id);
    if (!sql.got_data()) return std::optional<DirectoryGroup>();
    g.scim_version = version;
    return std::optional<DirectoryGroup>(g);
  });
}

Result<void> SqlDirectory::SaveGroup(const DirectoryGroup& g) {
  if (auto b = Barrier(); !b.ok()) return b.error();
  return Step(conn_, [&](soci::session& sql) -> Result<void> {
    long long version = g.scim_version;
    sql << "INSERT INTO directory_groups (scim_id, display_name, scim_version, created_at, "
           "updated_at) VALUES (:g, :dn, :v, NOW(3), NOW(3)) ON DUPLICATE KEY UPDATE "
           "display_name = VALUES(display_name), scim_version = VALUES(scim_version), "
           "updated_at = VALUES(updated_at)",
        soci::use(g.scim_id), soci::use(g.display_name), soci::use(version);
    return {};
  });
}

Result<void> SqlDirectory::SyncGroupMembers(std::string_view scim_id,
                                            const std::vector<std::string>* only) {
  if (auto b = Barrier(); !b.ok()) return b.error();
  std::string id(scim_id);
  return Step(conn_, [&](soci::session& sql) -> Result<void> {
    if (!only) {
      sql << "DELETE d FROM directory_group_members d LEFT JOIN scim_group_members s "
             "ON s.group_id = d.group_scim_id AND s.member_id = d.member_scim_id "
             "WHERE d.group_scim_id = :g AND s.member_id IS NULL",
          soci::use(id);
      sql << "INSERT IGNORE INTO directory_group_members (group_scim_id, member_scim_id, "
             "member_type) SELECT group_id, member_id, member_type FROM scim_group_members "
             "WHERE group_id = :g",
          soci::use(id);
      return {};
    }
    // The same two statements, for the touched members only.
    constexpr size_t kChunk = 1000;
    for (size_t at = 0; at < only->size(); at += kChunk) {
      std::deque<std::string> bound(
          only->begin() + static_cast<long>(at),
          only->begin() + static_cast<long>(std::min(at + kChunk, only->size())));
      std::string list;
      for (size_t i = 0; i < bound.size(); ++i) list += (i ? ",:m" : ":m") + std::to_string(i);
      for (const char* text :
           {"DELETE d FROM directory_group_members d LEFT JOIN scim_group_members s "
            "ON s.group_id = d.group_scim_id AND s.member_id = d.member_scim_id "
            "WHERE d.group_scim_id = :g AND s.member_id IS NULL AND d.member_scim_id IN (",
            "INSERT IGNORE INTO directory_group_members (group_scim_id, member_scim_id, "
            "member_type) SELECT group_id, member_id, member_type FROM scim_group_members "
            "WHERE group_id = :g AND member_id IN ("}) {
        soci::statement st(sql);
        st.exchange(soci::use(id));
        for (auto& m : bound) st.exchange(soci::use(m));
        st.alloc();
        st.prepare(text + list + ")");
        st.define_and_bind();
        st.execute(true);
      }
    }
    return {};
  });
}

Result<void> SqlDirectory::DeleteGroup(std::string_view scim_id) {
  if (auto b = Barrier(); !b.ok()) return b.error();
  std::string id(scim_id);
  return Step(conn_, [&](soci::session& sql) -> Result<void> {
    sql << "DELETE FROM directory_group_members WHERE group_scim_id = :g OR member_scim_id = :g2",
        soci::use(id), soci::use(id);
    sql << "DELETE FROM directory_groups WHERE scim_id = :g", soci::use(id);
    return {};
  });
}

Result<void> SqlDirectory::ForEachUser(const std::function<bool(const DirectoryUser&)>& visit) {
  if (auto b = Barrier(); !b.ok()) return b.error();
  return db::Guarded(conn_, [&](soci::session& sql) -> Result<void> {
    soci::rowset<soci::row> rs = sql.prepare << Select() + " ORDER BY d.user_name";
    for (const auto& r : rs) {
      if (!visit(DirectoryUserFromRow(r, 0))) break;
    }
    return {};
  });
}

Result<bool> SqlRecorder::OpenConflict(const ConflictInfo& c) {
  return Step(conn_, [&](soci::session& sql) -> Result<bool> {
    return db::UpsertOpenConflict(
        sql, {c.scim_id, c.user_name, c.idp_active, c.local_active, c.local_by, c.local_reason,
              c.local_since, c.policy == ConflictPolicy::kLocalWins ? "local_wins" : "idp_wins"});
  });
}

Result<bool> SqlRecorder::ResolveConflict(std::string_view scim_id, std::string_view resolution) {
  std::string id(scim_id), why(resolution);
  return Step(conn_, [&](soci::session& sql) -> Result<bool> {
    soci::statement st =
        (sql.prepare << "UPDATE sync_conflicts SET open_key = NULL, resolved_at = NOW(3), "
                        "resolution = :r WHERE open_key = :id",
         soci::use(why), soci::use(id));
    st.execute(true);
    return st.get_affected_rows() > 0;
  });
}

Result<void> SqlRecorder::Audit(const AuditEntry& e) {
  return Step(conn_, [&](soci::session& sql) -> Result<void> {
    db::InsertAudit(sql, {e.actor, "", "", e.resource_type, e.resource_id, e.user_name, e.operation,
                          e.changes, e.outcome, e.detail});
    return {};
  });
}

Result<Settings> SqlRecorder::LoadSettings() {
  return Step(conn_, [&](soci::session& sql) -> Result<Settings> { return db::ReadSettings(sql); });
}

}  // namespace scim::sync
