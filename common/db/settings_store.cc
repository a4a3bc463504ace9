#include "common/db/settings_store.h"

#include "common/util/system.h"

namespace scim::db {

sync::Settings ReadSettings(soci::session& sql) {
  sync::Settings s;
  soci::rowset<soci::row> rs = sql.prepare << "SELECT name, value FROM settings";
  for (const auto& r : rs) {
    std::string name = r.get<std::string>(0), value = r.get<std::string>(1);
    if (auto ok = sync::SetSetting(&s, name, value); !ok.ok()) {
      util::Log("error", "settings", "ignored stored " + name + ": " + ok.error().detail);
    }
  }
  soci::rowset<soci::row> maps = sql.prepare << "SELECT idp_value, role FROM role_mappings";
  for (const auto& r : maps) {
    if (auto role = sync::ParseRole(r.get<std::string>(1))) {
      s.role_mappings[r.get<std::string>(0)] = *role;
    }
  }
  return s;
}

Result<void> WriteSetting(soci::session& sql, const std::string& key, const std::string& value,
                          const std::string& by) {
  sync::Settings probe;
  if (auto r = sync::SetSetting(&probe, key, value); !r.ok()) return r;
  sql << "INSERT INTO settings (name, value, updated_at, updated_by) VALUES (:n, :v, NOW(3), :b) "
         "ON DUPLICATE KEY UPDATE value = VALUES(value), updated_at = VALUES(updated_at), "
         "updated_by = VALUES(updated_by)",
      soci::use(key), soci::use(value), soci::use(by);
  return {};
}

void WriteRoleMapping(soci::session& sql, const std::string& idp_value, sync::Role role) {
  std::string r(sync::RoleName(role));
  sql << "INSERT INTO role_mappings (idp_value, role, created_at) VALUES (:v, :r, NOW(3)) "
         "ON DUPLICATE KEY UPDATE role = VALUES(role)",
      soci::use(idp_value), soci::use(r);
}

bool DeleteRoleMapping(soci::session& sql, const std::string& idp_value) {
  soci::statement st =
      (sql.prepare << "DELETE FROM role_mappings WHERE idp_value = :v", soci::use(idp_value));
  st.execute(true);
  return st.get_affected_rows() > 0;
}

}  // namespace scim::db
