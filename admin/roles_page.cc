// The Roles page: the two promotion switches and the role mappings (IdP
// value -> Registered / Moderator / Admin).
#include "admin/pages.h"
#include "common/db/settings_store.h"
#include "common/scim/text.h"

namespace scim::admin {
namespace {

std::string Switch(const char* id, const char* label, bool on) {
  return std::string("<p><input type=\"checkbox\" id=\"") + id + "\" name=\"" + id +
         "\" value=\"on\"" + (on ? " checked" : "") + "><label class=\"inline\" for=\"" + id +
         "\">" + label + "</label></p>";
}

std::string MappingRows(const sync::Settings& s, const std::string& csrf) {
  std::string out;
  int n = 0;
  for (const auto& [value, role] : s.role_mappings) {
    std::string i = std::to_string(n++);
    out += "<tr id=\"role-map-" + i + "\"><td class=\"role-map-value\">" + Escape(value) +
           "</td><td class=\"role-map-role\">" + Escape(sync::RoleName(role)) + "</td><td>" +
           PostForm("role-map-remove", "role-map-remove-form-" + i, csrf,
                    "<input type=\"hidden\" name=\"idp_value\" value=\"" + Escape(value) +
                        "\"><button type=\"submit\" class=\"secondary\" id=\"role-map-remove-" + i +
                        "\" aria-label=\"Remove the mapping of " + Escape(value) +
                        "\">Remove</button>") +
           "</td></tr>";
  }
  if (s.role_mappings.empty()) out += "<tr><td colspan=\"3\">No mappings.</td></tr>";
  return out;
}

}  // namespace

std::string RenderRoles(const sync::Settings& s, const std::string& csrf) {
  std::string out =
      "<section aria-labelledby=\"h-promo\"><h2 id=\"h-promo\">Promotion</h2><p>Both are off by "
      "default: until you turn them on, SCIM changes no roles. A change needs the switch of "
      "every role it moves into or out of.</p>" +
      PostForm("promotion", "promotion-form", csrf,
               Switch("allow_moderator_promotion", "Allow Moderator promotion via userType / roles",
                      s.allow_moderator_promotion) +
                   Switch("allow_admin_promotion", "Allow Admin promotion via userType / roles",
                          s.allow_admin_promotion) +
                   "<button type=\"submit\" id=\"promotion-save\">Save settings</button>") +
      "</section>";
  out +=
      "<section aria-labelledby=\"h-maps\"><h2 id=\"h-maps\">Role mappings</h2><p>An IdP value "
      "(any case) in userType or roles that names a directory role.</p><table "
      "id=\"role-mappings\"><thead><tr><th scope=\"col\">IdP value</th><th "
      "scope=\"col\">Role</th><th scope=\"col\"><span class=\"muted\">Action</span></th></tr>"
      "</thead><tbody>" +
      MappingRows(s, csrf) + "</tbody></table>";
  out += PostForm("role-map-add", "role-map-add-form", csrf,
                  TextInput("role-map-value", "idp_value", "IdP value", "",
                            "required maxlength=\"255\"") +
                      "<div class=\"field\"><label for=\"role-map-role\">Role</label><select "
                      "id=\"role-map-role\" name=\"role\"><option>Registered</option><option>"
                      "Moderator</option><option>Admin</option></select></div> <button "
                      "type=\"submit\" "
                      "id=\"role-map-add\">Add mapping</button>") +
         "</section>";
  return out;
}

cgi::HttpResponse GetRoles(const Call& call, const Form&) {
  auto s = LoadSettings(call);
  if (!s.ok()) return Failed(call, s.error());
  return ShowPage(call, {"Roles", "roles", "", "", "", RenderRoles(s.value(), call.csrf)});
}

cgi::HttpResponse PostPromotion(const Call& call, const Form& form) {
  auto r = WriteSettingsAudited(
      call, {{"allow_moderator_promotion", OnOff(form.Get("allow_moderator_promotion") == "on")},
             {"allow_admin_promotion", OnOff(form.Get("allow_admin_promotion") == "on")}});
  if (!r.ok()) return Failed(call, r.error());
  return Redirect("roles", "promotion-saved");
}

cgi::HttpResponse PostRoleMapAdd(const Call& call, const Form& form) {
  std::string value(Trim(form.Get("idp_value")));
  auto role = sync::ParseRole(form.Get("role"));
  if (value.empty() || value.size() > 255 || !role) {
    auto s = LoadSettings(call);
    if (!s.ok()) return Failed(call, s.error());
    return ShowPage(call,
                    {"Roles", "roles", "", "",
                     "A mapping needs an IdP value (1-255 characters) and a role: Registered, "
                     "Moderator or Admin.",
                     RenderRoles(s.value(), call.csrf)},
                    400);
  }
  auto r = db::Guarded(call.console.conn, [&](soci::session& sql) -> Result<void> {
    soci::transaction tr(sql);
    db::WriteRoleMapping(sql, value, *role);
    db::InsertAdminAudit(sql, call.user, "role-map add",
                         value + " -> " + std::string(sync::RoleName(*role)));
    tr.commit();
    return {};
  });
  if (!r.ok()) return Failed(call, r.error());
  return Redirect("roles", "role-map-added");
}

cgi::HttpResponse PostRoleMapRemove(const Call& call, const Form& form) {
  const std::string& value = form.Get("idp_value");
  auto r = db::Guarded(call.console.conn, [&](soci::session& sql) -> Result<bool> {
    soci::transaction tr(sql);
    bool removed = db::DeleteRoleMapping(sql, value);
    if (removed) db::InsertAdminAudit(sql, call.user, "role-map remove", value);
    tr.commit();
    return removed;
  });
  if (!r.ok()) return Failed(call, r.error());
  return Redirect("roles", r.value() ? "role-map-removed" : "");
}

}  // namespace scim::admin
