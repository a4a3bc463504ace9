// Resources in general (Users and Groups): the stored record, input
// normalisation driven by the schema registry, rendering with meta, the
// attributes/excludedAttributes projection, the audit diff. Pure.
#ifndef SCIM_COMMON_SCIM_RESOURCE_H_
#define SCIM_COMMON_SCIM_RESOURCE_H_

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "common/scim/error.h"
#include "common/scim/filter.h"
#include "common/scim/json.h"
#include "common/scim/schema.h"

namespace scim {

// A stored resource. `attributes` holds the client-writable attributes in
// canonical names (no id, meta or schemas; extension attributes in an
// object under the extension's URN). For Groups, members are kept apart.
// A member of a group, or (for a user's "groups") a group the user is in.
struct MemberRef {
  std::string value;    // the id
  std::string type;     // "User" or "Group"
  std::string display;  // displayName (or userName)
};

struct ResourceRecord {
  std::string id;
  int64_t version = 0;
  int64_t created_ms = 0;
  int64_t last_modified_ms = 0;
  Json attributes = Json::MakeObject();
  int64_t seq = 0;  // the store's creation order; keys cursor pagination
  // A user's groups when the store read them with the record (one query
  // instead of two); nullopt: not read, ask the store. Never a group's
  // members (they can be 50,000).
  std::optional<std::vector<MemberRef>> related;
};

// Validates a POST/PUT body, or a resource after PATCH
// (require_schemas = false), and returns its attributes in canonical form.
// Liberal in what IdPs send: attribute names in any case; null = not set;
// readOnly attributes (id, meta, groups) and unknown attributes or
// extensions dropped; "True"/"false" strings as booleans; numbers where a
// string is due; a single object where an array is due (OneLogin emails);
// enterprise attributes at the top level moved into the extension
// (OneLogin department); manager as a bare string, [{"value"}] or
// {"value"}; Entra role values carrying a JSON object in a string.
// Errors: 400 invalidSyntax (not an object), 400 invalidValue (schemas
// without the core URN, a missing required attribute, a wrong type, a
// member without value).
Result<Json> NormalizeResource(const ResourceTypeDef& type, const Json& body,
                               bool require_schemas = true);

// One attribute's value in canonical form, by the same rules as
// NormalizeResource (def may be a sub-attribute). A null result means "not
// set". Errors: 400 invalidValue.
Result<Json> NormalizeAttribute(const AttributeDef& def, const Json& value);

// The SCIM representation: schemas, id, attributes (never writeOnly or
// returned:never ones), meta with location base_url + endpoint + "/" + id.
Json RenderResource(const ResourceTypeDef& type, const ResourceRecord& record,
                    std::string_view base_url);

// attributes / excludedAttributes (RFC 7644 §3.4.2.5, §3.9). Each entry is
// an attribute ("emails", "name.givenName", "urn:…:User:department") or, as
// Microsoft's Entra test collection sends, a value filter on a core
// attribute with an optional sub-attribute, in PATCH path syntax:
// emails[type eq "work"], emails[type eq "work"].value.
struct Projection {
  std::vector<PatchPath> attributes;  // empty: the default set
  std::vector<PatchPath> excluded;
  bool empty() const { return attributes.empty() && excluded.empty(); }
  // Whether `attr` (a top-level attribute of the core schema) will be in
  // the output: lets the service skip expensive ones (members).
  bool Includes(const ResourceTypeDef& type, std::string_view attr) const;
};

// Parses comma-separated paths (commas inside [] or quotes do not split).
// Errors: 400 invalidValue for a malformed attribute name; 400
// invalidFilter for a value filter that does not parse, or one on an
// extension attribute (the detail says which and where).
Result<Projection> ParseProjection(std::string_view attributes, std::string_view excluded);

// Applies a projection to a rendered resource. id and schemas are always
// returned. With a value filter, `attributes` returns the matching values
// (or the named sub-attribute of each) and `excludedAttributes` removes
// them (or removes the sub-attribute from each). An attribute left with no
// values, or a value left empty, is omitted.
Json Project(const ResourceTypeDef& type, const Json& rendered, const Projection& projection);

// A compact JSON diff of attributes for the audit log:
// {"set":{…},"removed":[…],"members":…} with extension attributes as
// "urn:…:name", a password shown as "(changed)", long values cut. before ==
// nullptr for a create; members (a group's member change) is left out when
// null.
std::string AuditDiff(const Json* before, const Json& after, const Json& members = Json());

// The weak ETag of a version: W/"<version>".
std::string WeakEtag(int64_t version);

}  // namespace scim

#endif  // SCIM_COMMON_SCIM_RESOURCE_H_
