// scimctl settings show|set and role-map add|remove|list. Every change is
// audited.
#include <iostream>

#include "common/db/connection.h"
#include "common/db/settings_store.h"
#include "ctl/commands.h"

namespace scim::ctl {
int SettingsShow(const Args&, const config::Config& config) {
  db::Connection conn(config.db);
  auto r = db::Guarded(conn, [&](soci::session& sql) -> Result<void> {
    sync::Settings s = db::ReadSettings(sql);
    for (const auto& [k, v] : sync::SettingsAsText(s)) std::cout << k << " = " << v << "\n";
    for (const auto& [idp, role] : s.role_mappings) {
      std::cout << "role_map " << idp << " = " << sync::RoleName(role) << "\n";
    }
    return {};
  });
  if (!r.ok()) return Fail("settings show", r.error().detail);
  return 0;
}

int SettingsSet(const Args& args, const config::Config& config) {
  std::vector<std::string> pos = Positionals(args);
  if (pos.size() != 2) {
    std::cerr << "scimctl: settings set KEY VALUE\n";
    return 2;
  }
  std::string actor = Actor(args);
  db::Connection conn(config.db);
  auto r = db::Guarded(conn, [&](soci::session& sql) -> Result<void> {
    soci::transaction tr(sql);
    if (auto w = db::WriteSetting(sql, pos[0], pos[1], actor); !w.ok()) return w;
    AuditAdmin(sql, actor, "settings set", pos[0] + " = " + pos[1]);
    tr.commit();
    return {};
  });
  if (!r.ok()) return Fail("settings set", r.error().detail);
  std::cerr << pos[0] << " = " << pos[1] << "\n";
  return 0;
}

int RoleMap(const Args& args, const config::Config& config) {
  std::vector<std::string> pos = Positionals(args);
  std::string verb = pos.empty() ? "" : pos[0];
  std::string actor = Actor(args);
  db::Connection conn(config.db);
  if (verb == "list" && pos.size() == 1) return SettingsShow(args, config);
  if (verb == "add" && pos.size() == 3) {
    auto role = sync::ParseRole(pos[2]);
    if (!role) return Fail("role-map add", "the role must be Registered, Moderator or Admin");
    auto r = db::Guarded(conn, [&](soci::session& sql) -> Result<void> {
      soci::transaction tr(sql);
      db::WriteRoleMapping(sql, pos[1], *role);
      AuditAdmin(sql, actor, "role-map add", pos[1] + " -> " + std::string(sync::RoleName(*role)));
      tr.commit();
      return {};
    });
    return r.ok() ? 0 : Fail("role-map add", r.error().detail);
  }
  if (verb == "remove" && pos.size() == 2) {
    auto r = db::Guarded(conn, [&](soci::session& sql) -> Result<bool> {
      soci::transaction tr(sql);
      bool removed = db::DeleteRoleMapping(sql, pos[1]);
      if (removed) AuditAdmin(sql, actor, "role-map remove", pos[1]);
      tr.commit();
      return removed;
    });
    if (!r.ok()) return Fail("role-map remove", r.error().detail);
    return r.value() ? 0 : Fail("role-map remove", "no mapping for '" + pos[1] + "'");
  }
  std::cerr << "scimctl: role-map add IDP_VALUE ROLE | role-map remove IDP_VALUE | role-map list\n";
  return 2;
}

}  // namespace scim::ctl
