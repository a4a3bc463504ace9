// The schema registry: RFC 7643 attribute definitions for User (core +
// enterprise extension) and Group, the resource types, and their discovery
// representations. The one source of truth for validation, filtering and
// /Schemas, /ResourceTypes, /ServiceProviderConfig. Pure.
#ifndef SCIM_COMMON_SCIM_SCHEMA_H_
#define SCIM_COMMON_SCIM_SCHEMA_H_

#include <string_view>
#include <vector>

#include "common/scim/filter.h"
#include "common/scim/filter_eval.h"
#include "common/scim/json.h"

namespace scim {

inline constexpr std::string_view kUserSchema = "urn:ietf:params:scim:schemas:core:2.0:User";
inline constexpr std::string_view kEnterpriseUserSchema =
    "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User";
inline constexpr std::string_view kGroupSchema = "urn:ietf:params:scim:schemas:core:2.0:Group";
inline constexpr std::string_view kListResponseSchema =
    "urn:ietf:params:scim:api:messages:2.0:ListResponse";
inline constexpr std::string_view kErrorSchema = "urn:ietf:params:scim:api:messages:2.0:Error";
inline constexpr std::string_view kPatchOpSchema = "urn:ietf:params:scim:api:messages:2.0:PatchOp";
inline constexpr std::string_view kSearchRequestSchema =
    "urn:ietf:params:scim:api:messages:2.0:SearchRequest";
inline constexpr std::string_view kBulkRequestSchema =
    "urn:ietf:params:scim:api:messages:2.0:BulkRequest";
inline constexpr std::string_view kBulkResponseSchema =
    "urn:ietf:params:scim:api:messages:2.0:BulkResponse";

using AttrType = AttrTraits::Type;
enum class AttrMutability { kReadOnly, kReadWrite, kImmutable, kWriteOnly };
enum class AttrReturned { kAlways, kNever, kDefault, kRequest };
enum class AttrUniqueness { kNone, kServer, kGlobal };

struct AttributeDef {
  std::string_view name;
  AttrType type = AttrType::kString;
  bool multi_valued = false;
  bool required = false;
  bool case_exact = false;
  AttrMutability mutability = AttrMutability::kReadWrite;
  AttrReturned returned = AttrReturned::kDefault;
  AttrUniqueness uniqueness = AttrUniqueness::kNone;
  std::string_view description;
  std::vector<std::string_view> canonical_values;
  std::vector<std::string_view> reference_types;
  std::vector<AttributeDef> sub_attributes;

  // The sub-attribute named (case-insensitively), or nullptr.
  const AttributeDef* Sub(std::string_view sub_name) const;
};

struct SchemaDef {
  std::string_view id;  // the URN
  std::string_view name;
  std::string_view description;
  std::vector<AttributeDef> attributes;

  const AttributeDef* Attr(std::string_view attr_name) const;
};

struct ResourceTypeDef {
  std::string_view name;      // "User"
  std::string_view endpoint;  // "/Users"
  std::string_view description;
  const SchemaDef* schema;
  std::vector<const SchemaDef*> extensions;  // never required here

  // The extension with this URN (case-insensitive), or nullptr.
  const SchemaDef* Extension(std::string_view urn) const;
};

const SchemaDef& UserSchemaDef();
const SchemaDef& EnterpriseUserSchemaDef();
const SchemaDef& GroupSchemaDef();
// id, externalId and meta: common to every resource (RFC 7643 §3.1).
const SchemaDef& CommonAttributesDef();
const ResourceTypeDef& UserType();
const ResourceTypeDef& GroupType();
const std::vector<const ResourceTypeDef*>& ResourceTypes();

// An attribute path resolved against a resource type.
struct ResolvedAttr {
  const SchemaDef* schema = nullptr;  // core or extension schema
  const AttributeDef* attr = nullptr;
  const AttributeDef* sub = nullptr;  // set when the path names a sub-attribute
  bool in_extension = false;          // the value lives under schema->id
};

// Resolves [urn:]attr[.sub] (names case-insensitive). nullptr attr when the
// schema does not define it.
ResolvedAttr Resolve(const ResourceTypeDef& type, const AttrPath& path);

// The TraitsFn for filtering resources of this type.
TraitsFn TraitsFor(const ResourceTypeDef& type);

// The TraitsFn for the filter inside a value path on def's values
// (emails[type eq "work"]): its paths name def's sub-attributes. It refers
// to def, which must outlive it (the registry's definitions do).
TraitsFn ElementTraits(const AttributeDef& def);

// Limits advertised in ServiceProviderConfig and enforced by the service.
inline constexpr int kMaxBulkOperations = 1000;
inline constexpr int kMaxBulkPayloadBytes = 1048576;
inline constexpr int kMaxFilterResults = 1000;

// Discovery documents (RFC 7643 §5-7). base_url: the service root.
Json ServiceProviderConfigJson(std::string_view base_url);
Json SchemaJson(const SchemaDef& schema, std::string_view base_url);
Json ResourceTypeJson(const ResourceTypeDef& type, std::string_view base_url);
// Every schema, in a stable order.
std::vector<const SchemaDef*> AllSchemas();

}  // namespace scim

#endif  // SCIM_COMMON_SCIM_SCHEMA_H_
