// An in-memory TargetDirectory and SyncRecorder for the daemon's tests.
#ifndef SCIM_TESTS_FAKES_FAKE_DIRECTORY_H_
#define SCIM_TESTS_FAKES_FAKE_DIRECTORY_H_

#include <map>
#include <string>
#include <vector>

#include "daemon/target_directory.h"

namespace scim::testing {

class FakeDirectory : public sync::TargetDirectory {
 public:
  std::map<std::string, sync::DirectoryUser> users;  // by userName
  std::map<std::string, sync::DirectoryGroup> groups;
  std::vector<std::string> member_syncs;
  std::vector<std::optional<std::vector<std::string>>> member_sync_only;  // nullopt: all
  int saves = 0;

  Result<std::optional<sync::DirectoryUser>> FindUser(std::string_view scim_id,
                                                      std::string_view user_name) override {
    for (const auto& [k, u] : users) {
      if (!scim_id.empty() && u.linked && u.scim_id == scim_id) return std::optional(u);
    }
    auto it = users.find(std::string(user_name));
    if (it == users.end()) return std::optional<sync::DirectoryUser>();
    return std::optional(it->second);
  }
  Result<void> SaveUser(const sync::DirectoryUser& u,
                        const std::optional<sync::DirectoryUser>& previous) override {
    ++saves;
    if (previous) users.erase(previous->user_name);
    users[u.user_name] = u;
    if (u.key.empty()) users[u.user_name].key = previous ? previous->key : "k-" + u.user_name;
    return {};
  }
  Result<void> DeleteUser(const sync::DirectoryUser& u) override {
    users.erase(u.user_name);
    return {};
  }
  Result<std::optional<sync::DirectoryGroup>> FindGroup(std::string_view id) override {
    auto it = groups.find(std::string(id));
    if (it == groups.end()) return std::optional<sync::DirectoryGroup>();
    return std::optional(it->second);
  }
  Result<void> SaveGroup(const sync::DirectoryGroup& g) override {
    groups[g.scim_id] = g;
    return {};
  }
  Result<void> SyncGroupMembers(std::string_view id,
                                const std::vector<std::string>* only) override {
    member_syncs.emplace_back(id);
    member_sync_only.push_back(only ? std::optional(*only) : std::nullopt);
    return {};
  }
  Result<void> DeleteGroup(std::string_view id) override {
    groups.erase(std::string(id));
    return {};
  }
};

class FakeRecorder : public sync::SyncRecorder {
 public:
  std::map<std::string, sync::ConflictInfo> open;  // by scim id
  std::vector<std::string> resolved;
  std::vector<sync::AuditEntry> audit;
  sync::Settings settings;
  int refreshes = 0;

  Result<bool> OpenConflict(const sync::ConflictInfo& c) override {
    bool fresh = open.find(c.scim_id) == open.end();
    if (!fresh) ++refreshes;
    open[c.scim_id] = c;
    return fresh;
  }
  Result<bool> ResolveConflict(std::string_view id, std::string_view why) override {
    if (open.erase(std::string(id)) == 0) return false;
    resolved.emplace_back(why);
    return true;
  }
  Result<void> Audit(const sync::AuditEntry& e) override {
    audit.push_back(e);
    return {};
  }
  Result<sync::Settings> LoadSettings() override { return settings; }
};

}  // namespace scim::testing

#endif  // SCIM_TESTS_FAKES_FAKE_DIRECTORY_H_
