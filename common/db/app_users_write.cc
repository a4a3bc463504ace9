// AppUsers' writes (app_users.h): rows of the application's table, and
// scimsync's links and protection beside them.
#include <cstdint>
#include <map>

#include "common/db/app_users.h"
#include "common/db/app_users_sql.h"
#include "common/db/sync_rows.h"
#include "common/scim/text.h"

namespace scim::db {
namespace {

using app_sql::Binds;
using app_sql::Field;
using app_sql::NullIfEmpty;
using app_sql::Run;
using config::Attr;
using sync::DirectoryUser;

constexpr size_t kRowsPerStatement = 500;

// "(:b1, :b2, …)" for one link, its values bound.
std::string LinkValues(soci::statement& st, Binds* b, const LinkWrite& w) {
  const DirectoryUser& u = *w.user;
  bool local = u.locally_deactivated;
  std::string role = u.applied_role ? std::string(sync::RoleName(*u.applied_role)) : "";
  // One placeholder per statement: they bind in the order they are made.
  std::string out = "(" + b->Add(st, u.key, false);
  out += ", " + b->Add(st, u.scim_id, false);
  out += ", " + b->AddNumber(st, u.scim_version);
  out += ", " + b->AddNumber(st, u.applied_active ? 1 : 0);
  out += ", " + b->Add(st, role, true);
  out += ", " + b->Add(st, local ? u.local_by : "", !local);
  out += local ? ", NOW(3)" : ", NULL";
  out += ", " + b->Add(st, local ? u.local_reason : "", !local);
  out += ", NOW(3), " + b->Add(st, std::string(w.linked_by), false) + ")";
  return out;
}

// Removes the links the SCIM ids of `relink` writes have to other rows
// (rows the application deleted since).
void DropStaleLinks(soci::session& sql, const std::vector<LinkWrite>& links, size_t at) {
  Binds b;
  soci::statement st(sql);
  std::string ids, keys;
  for (size_t i = at; i < links.size() && i < at + kRowsPerStatement; ++i) {
    if (!links[i].relink) continue;
    ids += (ids.empty() ? "" : ", ") + b.Add(st, links[i].user->scim_id, false);
  }
  if (ids.empty()) return;
  for (size_t i = at; i < links.size() && i < at + kRowsPerStatement; ++i) {
    if (!links[i].relink) continue;
    keys += (keys.empty() ? "" : ", ") + b.Add(st, links[i].user->key, false);
  }
  Run(st, "DELETE FROM directory_links WHERE scim_id IN (" + ids + ") AND app_key NOT IN (" + keys +
              ")");
}

}  // namespace

std::vector<std::string> AppUsers::InsertRows(
    soci::session& sql, const std::vector<const DirectoryUser*>& users) const {
  std::vector<std::string> keys;
  for (size_t at = 0; at < users.size(); at += kRowsPerStatement) {
    Binds b;
    soci::statement st(sql);
    std::string columns, rows, names;
    for (Attr a : read_)
      columns += (columns.empty() ? "" : ", ") + config::QuoteIdentifier(m_.column(a));
    for (Attr a : {Attr::kCreatedAt, Attr::kUpdatedAt}) {
      if (m_.mapped(a)) columns += ", " + config::QuoteIdentifier(m_.column(a));
    }
    size_t end = std::min(users.size(), at + kRowsPerStatement);
    for (size_t i = at; i < end; ++i) {
      DirectoryUser u = *users[i];
      std::string row;
      for (Attr a : read_) {
        std::string v;
        if (const std::string* f = Field(&u, a)) {
          v = b.Add(st, *f, a != Attr::kUserName);
        } else if (a == Attr::kActive) {
          v = b.Add(st, config::ActiveToColumn(m_, u.active), false);
        } else {  // the role: the table's default when the user has none
          v = u.role ? b.Add(st, config::RoleToColumn(m_, *u.role), false) : "DEFAULT";
        }
        row += (row.empty() ? "" : ", ") + v;
      }
      for (Attr a : {Attr::kCreatedAt, Attr::kUpdatedAt}) {
        if (m_.mapped(a)) row += ", NOW(3)";
      }
      rows += (rows.empty() ? "(" : ", (") + row + ")";
    }
    Run(st, "INSERT INTO " + Table() + " (" + columns + ") VALUES " + rows);
    // The new rows' keys, by the userName just written (the newest row of
    // a name, should the column not be unique).
    Binds nb;
    soci::statement read(sql);
    soci::row r;
    read.exchange(soci::into(r));
    for (size_t i = at; i < end; ++i) {
      names += (names.empty() ? "" : ", ") + nb.Add(read, users[i]->user_name, false);
    }
    std::string user_name = "a." + config::QuoteIdentifier(m_.column(Attr::kUserName));
    read.alloc();
    read.prepare("SELECT CAST(" + user_name + " AS CHAR CHARACTER SET utf8mb4), " + KeyText("a") +
                 " FROM " + Table() + " a WHERE " + user_name + " IN (" + names + ") ORDER BY a." +
                 config::QuoteIdentifier(m_.key));
    read.define_and_bind();
    std::map<std::string, std::string> by_name;
    if (read.execute(true)) {
      do {
        by_name[LowerAscii(r.get<std::string>(0))] = r.get<std::string>(1);
      } while (read.fetch());
    }
    for (size_t i = at; i < end; ++i) keys.push_back(by_name[LowerAscii(users[i]->user_name)]);
  }
  return keys;
}

std::string AppUsers::InsertRow(soci::session& sql, const DirectoryUser& u) const {
  return InsertRows(sql, {&u}).front();
}

// The attributes whose value differs between after and before, as bits of
// `read` (the mapped attributes, in order); role only when after has one.
uint64_t AppUsers::Changed(const DirectoryUser& after, const DirectoryUser& before) const {
  uint64_t bits = 0;
  DirectoryUser a_copy = after, b_copy = before;
  for (size_t i = 0; i < read_.size(); ++i) {
    Attr a = read_[i];
    const std::string* now = Field(&a_copy, a);
    bool differs = now                  ? *now != *Field(&b_copy, a)
                   : a == Attr::kActive ? after.active != before.active
                                        : after.role && after.role != before.role;
    if (differs) bits |= uint64_t{1} << i;
  }
  return bits;
}

// The column value of attribute read_[i] of u, as written.
std::string AppUsers::ColumnValue(const DirectoryUser& u, size_t i) const {
  DirectoryUser copy = u;
  Attr a = read_[i];
  if (const std::string* f = Field(&copy, a)) return *f;
  if (a == Attr::kActive) return config::ActiveToColumn(m_, u.active);
  return config::RoleToColumn(m_, *u.role);
}

void AppUsers::UpdateRows(soci::session& sql, const std::vector<RowUpdate>& updates) const {
  // Rows that change the same columns go together: one UPDATE … JOIN of
  // the new values, 500 rows to a statement.
  std::map<uint64_t, std::vector<const RowUpdate*>> groups;
  for (const auto& u : updates) {
    if (uint64_t bits = Changed(*u.after, *u.before)) groups[bits].push_back(&u);
  }
  std::string key = config::QuoteIdentifier(m_.key);
  for (const auto& [bits, rows] : groups) {
    std::string sets;
    for (size_t i = 0; i < read_.size(); ++i) {
      if (!(bits & (uint64_t{1} << i))) continue;
      sets += (sets.empty() ? "t." : ", t.") + config::QuoteIdentifier(m_.column(read_[i])) +
              " = v.c" + std::to_string(i);
    }
    if (m_.mapped(Attr::kUpdatedAt)) {
      sets += ", t." + config::QuoteIdentifier(m_.column(Attr::kUpdatedAt)) + " = NOW(3)";
    }
    for (size_t at = 0; at < rows.size(); at += kRowsPerStatement) {
      Binds b;
      soci::statement st(sql);
      std::string values;
      for (size_t r = at; r < rows.size() && r < at + kRowsPerStatement; ++r) {
        std::string row =
            "SELECT " + b.Add(st, rows[r]->before->key, false) + (r == at ? " AS k" : "");
        for (size_t i = 0; i < read_.size(); ++i) {
          if (!(bits & (uint64_t{1} << i))) continue;
          row += ", " + b.Add(st, ColumnValue(*rows[r]->after, i),
                              read_[i] != Attr::kUserName && read_[i] != Attr::kActive &&
                                  read_[i] != Attr::kRole);
          if (r == at) row += " AS c" + std::to_string(i);
        }
        values += (values.empty() ? "" : " UNION ALL ") + row;
      }
      Run(st,
          "UPDATE " + Table() + " t JOIN (" + values + ") v ON t." + key + " = v.k SET " + sets);
    }
  }
}

bool AppUsers::UpdateRow(soci::session& sql, const DirectoryUser& after,
                         const DirectoryUser& before) const {
  if (!Changed(after, before)) return false;
  UpdateRows(sql, {{&after, &before}});
  return true;
}

void AppUsers::SaveLinks(soci::session& sql, const std::vector<LinkWrite>& links) const {
  for (size_t at = 0; at < links.size(); at += kRowsPerStatement) {
    DropStaleLinks(sql, links, at);
    Binds b;
    soci::statement st(sql);
    std::string rows;
    for (size_t i = at; i < links.size() && i < at + kRowsPerStatement; ++i) {
      rows += (rows.empty() ? "" : ", ") + LinkValues(st, &b, links[i]);
    }
    // A local deactivation keeps the time it was first recorded; a new
    // SCIM id for a linked row is a takeover.
    Run(st,
        "INSERT INTO directory_links (app_key, scim_id, applied_version, applied_active, "
        "applied_role, local_deactivated_by, local_deactivated_at, local_deactivation_reason, "
        "linked_at, linked_by) VALUES " +
            rows +
            " ON DUPLICATE KEY UPDATE "
            "linked_by = IF(scim_id = VALUES(scim_id), linked_by, 'takeover'), "
            "linked_at = IF(scim_id = VALUES(scim_id), linked_at, NOW(3)), "
            "scim_id = VALUES(scim_id), applied_version = VALUES(applied_version), "
            "applied_active = VALUES(applied_active), applied_role = VALUES(applied_role), "
            "local_deactivated_at = IF(VALUES(local_deactivated_at) IS NULL, NULL, "
            "COALESCE(local_deactivated_at, VALUES(local_deactivated_at))), "
            "local_deactivated_by = VALUES(local_deactivated_by), "
            "local_deactivation_reason = VALUES(local_deactivation_reason)");
  }
}

void AppUsers::SaveLink(soci::session& sql, const DirectoryUser& u, std::string_view linked_by,
                        bool relink) const {
  SaveLinks(sql, {{&u, linked_by, relink}});
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
