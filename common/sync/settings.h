// The product settings that live in MySQL (DESIGN §7): their keys,
// defaults, parsing and text form, and the directory roles. Pure; the
// table access is in common/db/settings_store.
#ifndef SCIM_COMMON_SYNC_SETTINGS_H_
#define SCIM_COMMON_SYNC_SETTINGS_H_

#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "common/scim/error.h"

namespace scim::sync {

// Directory roles, in order of privilege (DESIGN §4).
enum class Role { kRegistered, kModerator, kAdmin };
std::string_view RoleName(Role role);
// "registered", "Moderator", "ADMIN" … (case-insensitive), else nullopt.
std::optional<Role> ParseRole(std::string_view text);

enum class DeleteBehaviour { kDeactivate, kDelete };
enum class ConflictPolicy { kLocalWins, kIdpWins };

struct CiLess {
  bool operator()(const std::string& a, const std::string& b) const;
};

struct Settings {
  bool enabled = true;                     // enabled: on
  bool allow_moderator_promotion = false;  // allow_moderator_promotion: off
  bool allow_admin_promotion = false;      // allow_admin_promotion: off
  DeleteBehaviour delete_behaviour = DeleteBehaviour::kDeactivate;  // delete_behaviour: deactivate
  ConflictPolicy conflict_policy = ConflictPolicy::kLocalWins;      // conflict_policy: local_wins
  int max_attempts = 10;                                            // max_attempts: 10
  int queue_retention_days = 7;    // queue_retention: 7 (days; done rows only)
  int audit_retention_days = 365;  // audit_retention: 365 (days)
  int rate_limit = 0;              // rate_limit: 0 (requests/s per token; 0 = off)
  std::map<std::string, Role, CiLess> role_mappings;  // IdP role value -> role
};

// Sets one key from its text form. Errors: 400 invalidValue naming the key
// and what it accepts (unknown key, bad value).
Result<void> SetSetting(Settings* settings, std::string_view key, std::string_view value);

// Every key with its current value in text form, in a stable order.
std::vector<std::pair<std::string, std::string>> SettingsAsText(const Settings& settings);

}  // namespace scim::sync

#endif  // SCIM_COMMON_SYNC_SETTINGS_H_
