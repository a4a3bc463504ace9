// PATCH (RFC 7644 §3.5.2): decoding a PatchOp request and applying its
// operations to a resource's attributes. Pure.
#ifndef SCIM_COMMON_SCIM_PATCH_H_
#define SCIM_COMMON_SCIM_PATCH_H_

#include <optional>
#include <string>
#include <vector>

#include "common/scim/error.h"
#include "common/scim/filter.h"
#include "common/scim/json.h"
#include "common/scim/schema.h"

namespace scim {

enum class PatchOpKind { kAdd, kRemove, kReplace };

struct PatchOperation {
  PatchOpKind op = PatchOpKind::kReplace;
  std::optional<PatchPath> path;  // nullopt: no "path"
  std::string raw_path;           // as sent, for messages
  Json value;                     // null when absent
};

// Decodes {"schemas":[PatchOp],"Operations":[{"op","path","value"}]}.
// "op" is matched case-insensitively (Entra sends "Replace").
// Errors: 400 invalidSyntax (not a PatchOp / no Operations), 400
// invalidValue (unknown op, add/replace without value), 400 invalidPath
// (a path that does not parse), 400 noTarget (remove without path).
Result<std::vector<PatchOperation>> ParsePatchRequest(const Json& body);

// Applies the operations in order to stored attributes and returns the
// normalised result (NormalizeResource rules; required attributes must
// remain). Quirks accepted: pathless values with dotted or URN-qualified
// keys; "remove" with a value on a multi-valued attribute removes just
// those values; add/replace on a value-filter path that matches nothing
// creates the element from the filter's equalities; readOnly attributes
// inside a pathless value (Okta's "id") are ignored.
// Errors: 400 mutability (a path naming a readOnly attribute), 400
// invalidPath (a filter on a single-valued attribute), 400 invalidValue.
Result<Json> ApplyPatch(const ResourceTypeDef& type, const Json& attributes,
                        const std::vector<PatchOperation>& ops);

}  // namespace scim

#endif  // SCIM_COMMON_SCIM_PATCH_H_
