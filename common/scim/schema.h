// Schema and message URNs of RFC 7643/7644 used across scimsync.
#ifndef SCIM_COMMON_SCIM_SCHEMA_H_
#define SCIM_COMMON_SCIM_SCHEMA_H_

#include <string_view>

namespace scim {

inline constexpr std::string_view kUserSchema = "urn:ietf:params:scim:schemas:core:2.0:User";
inline constexpr std::string_view kEnterpriseUserSchema =
    "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User";
inline constexpr std::string_view kGroupSchema = "urn:ietf:params:scim:schemas:core:2.0:Group";
inline constexpr std::string_view kListResponseSchema =
    "urn:ietf:params:scim:api:messages:2.0:ListResponse";
inline constexpr std::string_view kErrorSchema = "urn:ietf:params:scim:api:messages:2.0:Error";
inline constexpr std::string_view kPatchOpSchema = "urn:ietf:params:scim:api:messages:2.0:PatchOp";

}  // namespace scim

#endif  // SCIM_COMMON_SCIM_SCHEMA_H_
