#include "daemon/sql_directory.h"

#include <optional>

#include "common/db/mysql_user_store.h"
#include "common/db/settings_store.h"
#include "common/db/sync_rows.h"
#include "common/scim/clock.h"

namespace scim::sync {
namespace {

template <typename F>
auto Step(db::Connection& conn, F&& fn) {
  return db::Guarded(conn, std::forward<F>(fn), 1);  // part of the batch's transaction
}

// How a link starts when the daemon writes a row it had not linked.
std::string_view LinkedBy(const std::optional<DirectoryUser>& previous) {
  if (!previous) return "create";
  return previous->linked ? "takeover" : "adopt";
}

}  // namespace

SqlDirectory::SqlDirectory(db::Connection& conn, const config::DirectoryMapping& mapping)
    : conn_(conn), users_(mapping), groups_(users_) {}

Result<std::optional<DirectoryUser>> SqlDirectory::FindUser(std::string_view scim_id,
                                                            std::string_view user_name) {
  std::string id(scim_id), name(user_name);
  if (batch_) {
    auto by_id = by_id_.find(id);
    if (by_id != by_id_.end() && by_id->second) return by_id->second;
    bool known = id.empty() || by_id != by_id_.end();
    if (known && name.empty()) return std::optional<DirectoryUser>();
    auto by_name = by_name_.find(name);
    if (known && by_name != by_name_.end()) return Claimable(by_name->second, id);
  }
  if (auto b = Barrier(); !b.ok()) return b.error();
  return Step(conn_, [&](soci::session& sql) -> Result<std::optional<DirectoryUser>> {
    if (!id.empty()) {
      if (auto u = users_.ByScimId(sql, id, true)) return u;
    }
    if (name.empty()) return std::optional<DirectoryUser>();
    return Claim(sql, users_.ByUserName(sql, name, true), id);
  });
}

// A row found by userName in a batch: the same check as FindUser's.
Result<std::optional<DirectoryUser>> SqlDirectory::Claimable(const std::optional<DirectoryUser>& u,
                                                             const std::string& id) {
  if (!u || !u->linked || u->scim_id == id) return u;
  return Step(conn_, [&](soci::session& sql) { return Claim(sql, u, id); });
}

Result<std::optional<DirectoryUser>> SqlDirectory::Claim(soci::session& sql,
                                                         const std::optional<DirectoryUser>& u,
                                                         const std::string& scim_id) {
  if (u && u->linked && u->scim_id != scim_id && db::ScimUserActive(sql, u->scim_id)) {
    return Uniqueness("userName " + u->user_name +
                      " is the application's account linked to SCIM user " + u->scim_id);
  }
  return u;
}

Result<void> SqlDirectory::SaveUser(const DirectoryUser& u,
                                    const std::optional<DirectoryUser>& previous) {
  Held held{u, previous, LinkedBy(previous),
            !previous || !previous->linked || previous->scim_id != u.scim_id};
  if (previous) held.user.key = previous->key;
  if (batch_) {  // written with the batch's others at Flush
    held_.push_back(std::move(held));
    Remember(held_.back().user, previous);
    return {};
  }
  return Step(conn_, [&](soci::session& sql) -> Result<void> {
    if (previous) {
      users_.UpdateRow(sql, u, *previous);
    } else {
      held.user.key = users_.InsertRow(sql, u);
    }
    users_.SaveLink(sql, held.user, held.linked_by, held.relink);
    return {};
  });
}

Result<void> SqlDirectory::WriteHeld() {
  if (held_.empty()) return {};
  auto r = Step(conn_, [&](soci::session& sql) -> Result<void> {
    std::vector<const DirectoryUser*> rows;
    std::vector<db::RowUpdate> updates;
    for (const auto& h : held_) {
      if (h.before) {
        updates.push_back({&h.user, &*h.before});
      } else {
        rows.push_back(&h.user);
      }
    }
    users_.UpdateRows(sql, updates);
    std::vector<std::string> keys = users_.InsertRows(sql, rows);
    std::vector<db::LinkWrite> links;
    size_t next_key = 0;
    for (auto& h : held_) {
      if (!h.before) h.user.key = keys[next_key++];
      links.push_back({&h.user, h.linked_by, h.relink});
    }
    users_.SaveLinks(sql, links);
    return {};
  });
  held_.clear();
  return r;
}

Result<void> SqlDirectory::Prefetch(const std::vector<UserKey>& keys) {
  Discard();
  batch_ = true;
  if (keys.empty()) return {};
  // By SCIM id, then by userName for the keys not found by id (FindUser's
  // order), locking what they read.
  return Step(conn_, [&](soci::session& sql) -> Result<void> {
    std::vector<std::string> ids, names;
    for (const auto& k : keys) {
      if (!k.scim_id.empty() && by_id_.emplace(k.scim_id, std::nullopt).second) {
        ids.push_back(k.scim_id);
      }
    }
    std::map<std::string, DirectoryUser> found;
    users_.ByScimIds(sql, ids, &found);
    for (auto& [id, u] : found) by_id_[id] = std::move(u);
    for (const auto& k : keys) {
      bool found_by_id = !k.scim_id.empty() && by_id_[k.scim_id].has_value();
      if (!found_by_id && !k.user_name.empty() &&
          by_name_.emplace(k.user_name, std::nullopt).second) {
        names.push_back(k.user_name);
      }
    }
    found.clear();
    users_.ByUserNames(sql, names, &found);
    for (auto& [name, u] : found) by_name_[name] = std::move(u);
    return {};
  });
}

void SqlDirectory::Remember(const DirectoryUser& u, const std::optional<DirectoryUser>& previous) {
  if (previous) {
    if (previous->linked) by_id_[previous->scim_id] = std::nullopt;
    by_name_[previous->user_name] = std::nullopt;
  }
  // As a read of the row would show it.
  DirectoryUser stored = u;
  if (!stored.locally_deactivated) stored.local_by = stored.local_reason = stored.local_since = "";
  by_id_[stored.scim_id] = stored;
  by_name_[stored.user_name] = stored;
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

Result<void> SqlDirectory::DeleteUser(const DirectoryUser& user) {
  if (auto b = Barrier(); !b.ok()) return b.error();
  if (batch_) {  // forget what was read: the row goes, and its userName with it
    by_id_.clear();
    by_name_.clear();
  }
  return Step(conn_, [&](soci::session& sql) -> Result<void> {
    users_.DeleteRow(sql, user);
    return {};
  });
}

Result<std::optional<DirectoryGroup>> SqlDirectory::FindGroup(std::string_view scim_id) {
  if (auto b = Barrier(); !b.ok()) return b.error();
  std::string id(scim_id);
  return Step(conn_, [&](soci::session& sql) -> Result<std::optional<DirectoryGroup>> {
    auto g = groups_.Find(sql, id);
    if (!g) return std::optional<DirectoryGroup>();
    return std::optional<DirectoryGroup>(
        DirectoryGroup{id, g->display_name, g->applied_version, g->key});
  });
}

Result<void> SqlDirectory::SaveGroup(const DirectoryGroup& g) {
  if (auto b = Barrier(); !b.ok()) return b.error();
  return Step(conn_, [&](soci::session& sql) -> Result<void> {
    auto found = groups_.Find(sql, g.scim_id);
    groups_.Save(sql, g.scim_id, {found ? found->key : "", g.display_name, g.scim_version});
    return {};
  });
}

Result<void> SqlDirectory::SyncGroupMembers(std::string_view scim_id,
                                            const std::vector<std::string>* only) {
  if (auto b = Barrier(); !b.ok()) return b.error();
  std::string id(scim_id);
  // An id that scimsync cannot have issued (a removal of a value that was
  // never a member, queued by any caller) names no member: nothing to sync.
  std::optional<std::vector<std::string>> touched;
  if (only) {
    touched.emplace();
    for (const auto& m : *only) {
      if (CouldBeIssuedId(m)) touched->push_back(m);
    }
  }
  return Step(conn_, [&](soci::session& sql) -> Result<void> {
    auto g = groups_.Find(sql, id);
    if (!g) return Internal("group " + id + " has no row to hold its members");
    groups_.SyncMembers(sql, id, g->key, touched ? &*touched : nullptr);
    return {};
  });
}

Result<void> SqlDirectory::DeleteGroup(std::string_view scim_id) {
  if (auto b = Barrier(); !b.ok()) return b.error();
  std::string id(scim_id);
  return Step(conn_, [&](soci::session& sql) -> Result<void> {
    groups_.Delete(sql, id);
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
    return db::ResolveOpenConflict(sql, id, why);
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
