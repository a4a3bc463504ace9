#include "common/sync/directory_user.h"

#include "common/scim/schema.h"

namespace scim::sync {

void MaskUnmapped(const MappedFields& f, DirectoryUser* u) {
  if (!f.given_name) u->given_name.clear();
  if (!f.family_name) u->family_name.clear();
  if (!f.display_name) u->display_name.clear();
  if (!f.email) u->email.clear();
  if (!f.external_id) u->external_id.clear();
  if (!f.department) u->department.clear();
  if (!f.title) u->title.clear();
  if (!f.role) u->role.reset();
}

Json ScimAttributesOf(const DirectoryUser& u, const MappedFields& f) {
  Json out = Json::MakeObject();
  auto set = [&](Json* o, std::string_view key, bool mapped, const std::string& v) {
    if (mapped && !v.empty()) o->Set(key, v);
  };
  set(&out, "userName", true, u.user_name);
  set(&out, "externalId", f.external_id, u.external_id);
  Json name = Json::MakeObject();
  set(&name, "givenName", f.given_name, u.given_name);
  set(&name, "familyName", f.family_name, u.family_name);
  if (!name.as_object().empty()) out.Set("name", std::move(name));
  set(&out, "displayName", f.display_name, u.display_name);
  set(&out, "title", f.title, u.title);
  if (f.role && u.role) out.Set("userType", std::string(RoleName(*u.role)));
  out.Set("active", u.active);
  if (f.email && !u.email.empty()) {
    Json email = Json::MakeObject();
    email.Set("value", u.email);
    email.Set("type", "work");
    email.Set("primary", true);
    Json emails = Json::MakeArray();
    emails.as_array().push_back(std::move(email));
    out.Set("emails", std::move(emails));
  }
  if (f.department && !u.department.empty()) {
    Json ext = Json::MakeObject();
    ext.Set("department", u.department);
    out.Set(kEnterpriseUserSchema, std::move(ext));
  }
  return out;
}

}  // namespace scim::sync
