#include "common/scim/user.h"

#include "common/scim/schema.h"

namespace scim {
namespace {

std::string StringAt(const Json* v) { return v && v->is_string() ? v->as_string() : ""; }

bool IsTrue(const Json* v) { return v && v->is_bool() && v->as_bool(); }

}  // namespace

UserColumns ColumnsOf(const Json& attributes) {
  UserColumns c;
  c.user_name = StringAt(attributes.Find("userName"));
  c.external_id = StringAt(attributes.Find("externalId"));
  c.display_name = StringAt(attributes.Find("displayName"));
  c.user_type = StringAt(attributes.Find("userType"));
  c.title = StringAt(attributes.Find("title"));
  if (const Json* ent = attributes.Find(kEnterpriseUserSchema)) {
    c.department = StringAt(ent->Find("department"));
  }
  if (const Json* name = attributes.Find("name")) {
    c.given_name = StringAt(name->Find("givenName"));
    c.family_name = StringAt(name->Find("familyName"));
  }
  if (const Json* emails = attributes.Find("emails"); emails && emails->is_array()) {
    for (const auto& e : emails->as_array()) {
      bool primary = IsTrue(e.Find("primary"));
      if (c.email.empty() || primary) c.email = StringAt(e.Find("value"));
      if (primary) break;
    }
  }
  if (const Json* active = attributes.Find("active"); active && active->is_bool()) {
    c.active = active->as_bool();
  }
  return c;
}

}  // namespace scim
