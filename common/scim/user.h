// The User resource: input normalisation (RFC 7643 §4.1 + enterprise
// extension), rendering, the columns the store indexes, and the change-queue
// payload. Pure functions of values.
#ifndef SCIM_COMMON_SCIM_USER_H_
#define SCIM_COMMON_SCIM_USER_H_

#include <cstdint>
#include <string>
#include <string_view>

#include "common/scim/error.h"
#include "common/scim/json.h"

namespace scim {

// A stored user. `attributes` holds the client-writable attributes in
// canonical names (no id, meta, schemas or groups).
struct UserRecord {
  std::string id;
  int64_t version = 0;
  int64_t created_ms = 0;
  int64_t last_modified_ms = 0;
  Json attributes = Json::MakeObject();
};

// The values the store keeps in indexed columns, derived from attributes.
struct UserColumns {
  std::string user_name;
  std::string external_id;
  std::string display_name;
  std::string given_name;
  std::string family_name;
  std::string email;  // the primary email, else the first
  std::string user_type;
  bool active = true;
};

// Validates a POST/PUT body and returns its attributes in canonical form:
// attribute names matched case-insensitively, null meaning "not set",
// readOnly attributes (id, meta, groups) and unknown ones dropped, "True" /
// "false" strings accepted for booleans.
// Errors: 400 invalidSyntax (not an object), 400 invalidValue (schemas
// without the User URN, missing or empty userName, a value of the wrong type).
Result<Json> NormalizeUser(const Json& body);

UserColumns ColumnsOf(const Json& attributes);

// The SCIM representation. base_url is the service root, e.g.
// "https://example.com/scim/v2"; meta.location is base_url + "/Users/" + id.
Json RenderUser(const UserRecord& user, std::string_view base_url);

// The weak ETag of a version: W/"<version>".
std::string WeakEtag(int64_t version);

// The change-queue payload: the full state after the change. op is
// "upsert" or "delete". See daemon/change.cc for the format.
Json UserChangePayload(const UserRecord& user, std::string_view op);

}  // namespace scim

#endif  // SCIM_COMMON_SCIM_USER_H_
