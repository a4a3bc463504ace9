// The application's users table through the directory mapping (DESIGN
// §5a), with what scimsync keeps beside it: directory_links (SCIM id, last
// applied state, local deactivation) and directory_protected. The one
// place that builds SQL on the application's users table; the daemon
// (daemon/sql_directory), the workers (adoption, common/db/adoption) and
// scimctl all go through it. Every function runs inside the caller's
// transaction. Identifiers come from the validated mapping, values are
// bound.
#ifndef SCIM_COMMON_DB_APP_USERS_H_
#define SCIM_COMMON_DB_APP_USERS_H_

#include <soci/soci.h>

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "common/config/directory_mapping.h"
#include "common/sync/directory_user.h"

namespace scim::db {

// One row to update (AppUsers::UpdateRows): its state now and after.
struct RowUpdate {
  const sync::DirectoryUser* after;
  const sync::DirectoryUser* before;
};

// One link to write (AppUsers::SaveLinks).
struct LinkWrite {
  const sync::DirectoryUser* user;  // its key, SCIM id and the state to record
  std::string_view linked_by;       // create | adopt | takeover (for a new link)
  bool relink = false;              // the SCIM id was not linked to this row before
};

class AppUsers {
 public:
  explicit AppUsers(config::DirectoryMapping mapping);

  const config::DirectoryMapping& mapping() const { return m_; }
  sync::MappedFields fields() const;

  // The application's table as SQL (`schema`.`table`), and its key of the
  // row aliased `alias` as text in directory_links.app_key's collation:
  // the expression a join to the link tables compares.
  std::string Table() const;
  std::string KeyText(std::string_view alias) const;

  // "SELECT <user columns> FROM <users> a LEFT JOIN links l … LEFT JOIN
  // protected p …": append a WHERE on a., l. or p. The row's columns come
  // first, so FromRow(row, 0) reads them; `extra` columns are selected
  // before them (so FromRow's offset is the number of extra columns).
  std::string SelectFrom(std::string_view extra = "") const;
  // The user of a row of SelectFrom (or of a statement selecting
  // UserColumns()) whose first user column is at offset.
  sync::DirectoryUser FromRow(const soci::row& row, size_t offset) const;
  // The select list alone (aliases a, l, p).
  std::string UserColumns() const;

  // One user by link, by userName (the column's collation: case-insensitive
  // for a _ci column) or by key; with lock, FOR UPDATE.
  std::optional<sync::DirectoryUser> ByScimId(soci::session& sql, const std::string& scim_id,
                                              bool lock) const;
  std::optional<sync::DirectoryUser> ByUserName(soci::session& sql, const std::string& user_name,
                                                bool lock) const;
  std::optional<sync::DirectoryUser> ByKey(soci::session& sql, const std::string& key,
                                           bool lock) const;
  // Many at once (locked): by SCIM id -> user, by asked-for userName -> user;
  // by key, in key order (keys the table does not have are left out; with
  // skip_locked, so are rows another transaction has locked).
  void ByScimIds(soci::session& sql, const std::vector<std::string>& ids,
                 std::map<std::string, sync::DirectoryUser>* out) const;
  void ByUserNames(soci::session& sql, const std::vector<std::string>& names,
                   std::map<std::string, sync::DirectoryUser>* out) const;
  std::vector<sync::DirectoryUser> ByKeys(soci::session& sql, const std::vector<std::string>& keys,
                                          bool skip_locked = false) const;

  // Inserts the rows (mapped columns; the role column's default for a user
  // without a role), 500 to a statement, and returns their keys in order
  // (read back by userName). InsertRow: one.
  std::vector<std::string> InsertRows(soci::session& sql,
                                      const std::vector<const sync::DirectoryUser*>& users) const;
  std::string InsertRow(soci::session& sql, const sync::DirectoryUser& u) const;
  // Updates the mapped columns whose value differs between before and
  // after, in the row before.key. Returns false when nothing differs.
  // UpdateRows: many, rows changing the same columns in one statement.
  bool UpdateRow(soci::session& sql, const sync::DirectoryUser& after,
                 const sync::DirectoryUser& before) const;
  void UpdateRows(soci::session& sql, const std::vector<RowUpdate>& updates) const;
  // Writes u's link (u.key must be set): linked_by says how it started
  // (create, adopt, takeover); a new scim_id for a linked row is a takeover.
  // relink: u's SCIM id was not linked to this row before, so a link of it
  // to another row (one the application deleted) is removed first.
  void SaveLink(soci::session& sql, const sync::DirectoryUser& u, std::string_view linked_by,
                bool relink = false) const;
  // The same for many, 500 to a statement.
  void SaveLinks(soci::session& sql, const std::vector<LinkWrite>& links) const;
  // Deletes the row, its memberships and its link.
  void DeleteRow(soci::session& sql, const sync::DirectoryUser& u) const;

  // What the application's admins do through scimsync (scimctl, console):
  // a local deactivation writes the row inactive and records who and why
  // in the link (u must be linked); a local reactivation writes the row
  // `active` (what the IdP wants) and clears the record.
  void DeactivateLocally(soci::session& sql, const sync::DirectoryUser& u, const std::string& by,
                         const std::string& reason) const;
  void ReactivateLocally(soci::session& sql, const sync::DirectoryUser& u, bool active) const;
  // Protection (break-glass accounts): the row becomes invisible to SCIM
  // (its SCIM user, if any, leaves the SCIM view and its groups) and is
  // never changed by it. Unprotect makes it a row never seen: the next
  // lookup adopts it again.
  void Protect(soci::session& sql, const sync::DirectoryUser& u, const std::string& by,
               const std::string& reason) const;
  void Unprotect(soci::session& sql, const sync::DirectoryUser& u) const;

  // The users deactivated locally (who, why, since), oldest deactivation
  // first, up to limit (the admin console's list).
  std::vector<sync::DirectoryUser> LocallyDeactivated(soci::session& sql, long long limit) const;

 private:
  std::string Where(std::string_view condition, bool lock) const;
  uint64_t Changed(const sync::DirectoryUser& after, const sync::DirectoryUser& before) const;
  std::string ColumnValue(const sync::DirectoryUser& u, size_t i) const;
  std::optional<sync::DirectoryUser> One(soci::session& sql, const std::string& text,
                                         const std::string& value) const;

  config::DirectoryMapping m_;
  std::vector<config::Attr> read_;  // the mapped attributes read back (no timestamps)
  std::string select_;
};

// One protected account as listed: times as "YYYY-MM-DDTHH:MM:SSZ".
struct ProtectedAccount {
  std::string user_name, by, since, reason;
};
// Every protected account, by userName.
std::vector<ProtectedAccount> ListProtected(soci::session& sql);

// The text form of a link's local_since: "YYYY-MM-DDTHH:MM:SS.ffffffZ".
inline constexpr char kSqlTimeFormat[] = "%Y-%m-%dT%H:%i:%s.%fZ";

}  // namespace scim::db

#endif  // SCIM_COMMON_DB_APP_USERS_H_
