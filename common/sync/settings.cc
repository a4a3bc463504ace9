#include "common/sync/settings.h"

#include <charconv>

#include "common/scim/json.h"
#include "common/scim/text.h"

namespace scim::sync {
namespace {

Result<bool> OnOff(std::string_view key, std::string_view v) {
  for (auto yes : {"on", "true", "yes", "1"}) {
    if (EqualsCi(v, yes)) return true;
  }
  for (auto no : {"off", "false", "no", "0"}) {
    if (EqualsCi(v, no)) return false;
  }
  return InvalidValue(std::string(key) + " takes on or off");
}

Result<int> Count(std::string_view key, std::string_view v, int min, int max) {
  int x = 0;
  auto r = std::from_chars(v.data(), v.data() + v.size(), x);
  if (r.ec != std::errc() || r.ptr != v.data() + v.size() || x < min || x > max) {
    return InvalidValue(std::string(key) + " takes a whole number from " + std::to_string(min) +
                        " to " + std::to_string(max));
  }
  return x;
}

// "7", "7d", "30 days" -> days.
Result<int> Days(std::string_view key, std::string_view v) {
  while (!v.empty() && (v.back() == ' ' || v.back() == 's')) v.remove_suffix(1);
  if (v.size() > 3 && EqualsCi(v.substr(v.size() - 3), "day"))
    v.remove_suffix(3);
  else if (!v.empty() && (v.back() == 'd' || v.back() == 'D'))
    v.remove_suffix(1);
  while (!v.empty() && v.back() == ' ') v.remove_suffix(1);
  return Count(key, v, 1, 36500);
}

std::string OnOffText(bool b) { return b ? "on" : "off"; }

}  // namespace

bool CiLess::operator()(const std::string& a, const std::string& b) const {
  size_t n = std::min(a.size(), b.size());
  for (size_t i = 0; i < n; ++i) {
    int x = std::tolower(static_cast<unsigned char>(a[i]));
    int y = std::tolower(static_cast<unsigned char>(b[i]));
    if (x != y) return x < y;
  }
  return a.size() < b.size();
}

std::string_view RoleName(Role role) {
  switch (role) {
    case Role::kRegistered:
      return "Registered";
    case Role::kModerator:
      return "Moderator";
    case Role::kAdmin:
      return "Admin";
  }
  return "Registered";
}

std::optional<Role> ParseRole(std::string_view text) {
  for (Role r : {Role::kRegistered, Role::kModerator, Role::kAdmin}) {
    if (EqualsCi(text, RoleName(r))) return r;
  }
  return std::nullopt;
}

Result<void> SetSetting(Settings* s, std::string_view key, std::string_view v) {
  auto set_bool = [&](bool* field) -> Result<void> {
    auto b = OnOff(key, v);
    if (!b.ok()) return b.error();
    *field = b.value();
    return {};
  };
  auto set_int = [&](int* field, Result<int> n) -> Result<void> {
    if (!n.ok()) return n.error();
    *field = n.value();
    return {};
  };
  if (key == "enabled") return set_bool(&s->enabled);
  if (key == "allow_moderator_promotion") return set_bool(&s->allow_moderator_promotion);
  if (key == "allow_admin_promotion") return set_bool(&s->allow_admin_promotion);
  if (key == "delete_behaviour" || key == "delete_behavior") {
    if (EqualsCi(v, "deactivate"))
      s->delete_behaviour = DeleteBehaviour::kDeactivate;
    else if (EqualsCi(v, "delete"))
      s->delete_behaviour = DeleteBehaviour::kDelete;
    else
      return InvalidValue("delete_behaviour takes deactivate or delete");
    return {};
  }
  if (key == "conflict_policy") {
    if (EqualsCi(v, "local_wins"))
      s->conflict_policy = ConflictPolicy::kLocalWins;
    else if (EqualsCi(v, "idp_wins"))
      s->conflict_policy = ConflictPolicy::kIdpWins;
    else
      return InvalidValue("conflict_policy takes local_wins or idp_wins");
    return {};
  }
  if (key == "max_attempts") return set_int(&s->max_attempts, Count(key, v, 1, 1000));
  if (key == "queue_retention") return set_int(&s->queue_retention_days, Days(key, v));
  if (key == "audit_retention") return set_int(&s->audit_retention_days, Days(key, v));
  if (key == "rate_limit") return set_int(&s->rate_limit, Count(key, v, 0, 1000000));
  return InvalidValue("unknown setting '" + std::string(key) + "'");
}

std::vector<std::pair<std::string, std::string>> SettingsAsText(const Settings& s) {
  return {
      {"enabled", OnOffText(s.enabled)},
      {"allow_moderator_promotion", OnOffText(s.allow_moderator_promotion)},
      {"allow_admin_promotion", OnOffText(s.allow_admin_promotion)},
      {"delete_behaviour",
       s.delete_behaviour == DeleteBehaviour::kDeactivate ? "deactivate" : "delete"},
      {"conflict_policy",
       s.conflict_policy == ConflictPolicy::kLocalWins ? "local_wins" : "idp_wins"},
      {"max_attempts", std::to_string(s.max_attempts)},
      {"queue_retention", std::to_string(s.queue_retention_days) + "d"},
      {"audit_retention", std::to_string(s.audit_retention_days) + "d"},
      {"rate_limit", std::to_string(s.rate_limit)},
  };
}

}  // namespace scim::sync
