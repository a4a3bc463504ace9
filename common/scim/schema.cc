#include "common/scim/schema.h"

#include <utility>

#include "common/scim/json.h"
#include "common/scim/text.h"

namespace scim {
namespace {

// Builders keep the definitions below close to RFC 7643 §4 and §8.7.1.
AttributeDef A(std::string_view name, AttrType type, std::string_view description) {
  AttributeDef a;
  a.name = name;
  a.type = type;
  a.description = description;
  return a;
}
AttributeDef Str(std::string_view name, std::string_view description) {
  return A(name, AttrType::kString, description);
}
AttributeDef Ref(std::string_view name, std::vector<std::string_view> types,
                 std::string_view description) {
  AttributeDef a = A(name, AttrType::kReference, description);
  a.reference_types = std::move(types);
  return a;
}
AttributeDef Complex(std::string_view name, std::vector<AttributeDef> subs,
                     std::string_view description) {
  AttributeDef a = A(name, AttrType::kComplex, description);
  a.sub_attributes = std::move(subs);
  return a;
}
AttributeDef Multi(AttributeDef a) {
  a.multi_valued = true;
  return a;
}
AttributeDef ReadOnly(AttributeDef a) {
  a.mutability = AttrMutability::kReadOnly;
  for (auto& s : a.sub_attributes) s.mutability = AttrMutability::kReadOnly;
  return a;
}
AttributeDef Exact(AttributeDef a) {
  a.case_exact = true;
  return a;
}
AttributeDef Canonical(AttributeDef a, std::vector<std::string_view> values) {
  a.canonical_values = std::move(values);
  return a;
}

// The sub-attributes shared by multi-valued attributes (RFC 7643 §2.4).
// value_refs: the referenceTypes of a "value" of type reference.
std::vector<AttributeDef> MultiSubs(std::vector<std::string_view> types, AttrType value_type,
                                    std::vector<std::string_view> value_refs = {}) {
  AttributeDef value = A("value", value_type, "The value.");
  value.reference_types = std::move(value_refs);
  return {value, Str("display", "A human-readable name, primarily used for display purposes."),
          Canonical(Str("type", "A label indicating the attribute's function."), std::move(types)),
          A("primary", AttrType::kBoolean, "Indicates the primary or preferred value.")};
}

SchemaDef MakeUserSchema() {
  AttributeDef user_name = Str("userName", "Unique identifier for the User.");
  user_name.required = true;
  user_name.uniqueness = AttrUniqueness::kServer;
  AttributeDef password = Str("password", "The User's cleartext password (write-only).");
  password.mutability = AttrMutability::kWriteOnly;
  password.returned = AttrReturned::kNever;
  AttributeDef groups = ReadOnly(Multi(
      Complex("groups",
              {Exact(Str("value", "The identifier of the User's group.")),
               Ref("$ref", {"User", "Group"}, "The URI of the corresponding 'Group' resource."),
               Str("display", "A human-readable name."),
               Canonical(Str("type", "direct or indirect membership."), {"direct", "indirect"})},
              "A list of groups to which the user belongs.")));
  return SchemaDef{
      kUserSchema,
      "User",
      "User Account",
      {user_name,
       Complex("name",
               {Str("formatted", "The full name."), Str("familyName", "The family name."),
                Str("givenName", "The given name."), Str("middleName", "The middle name(s)."),
                Str("honorificPrefix", "The honorific prefix(es)."),
                Str("honorificSuffix", "The honorific suffix(es).")},
               "The components of the user's real name."),
       Str("displayName", "The name of the User, suitable for display to end-users."),
       Str("nickName", "The casual way to address the user."),
       Ref("profileUrl", {"external"}, "A fully qualified URL to the User's online profile."),
       Str("title", "The user's title."),
       Str("userType", "Used to identify the relationship between the organization and the user."),
       Str("preferredLanguage", "The User's preferred written or spoken language."),
       Str("locale", "The User's default location."),
       Str("timezone", "The User's time zone in IANA format."),
       A("active", AttrType::kBoolean, "The User's administrative status."),
       password,
       Multi(Complex("emails", MultiSubs({"work", "home", "other"}, AttrType::kString),
                     "Email addresses for the user.")),
       Multi(Complex(
           "phoneNumbers",
           MultiSubs({"work", "home", "mobile", "fax", "pager", "other"}, AttrType::kString),
           "Phone numbers for the User.")),
       Multi(Complex("ims",
                     MultiSubs({"aim", "gtalk", "icq", "xmpp", "msn", "skype", "qq", "yahoo"},
                               AttrType::kString),
                     "Instant messaging addresses for the User.")),
       Multi(Complex("photos",
                     MultiSubs({"photo", "thumbnail"}, AttrType::kReference, {"external"}),
                     "URLs of photos of the User.")),
       Multi(Complex("addresses",
                     {Str("formatted", "The full mailing address."),
                      Str("streetAddress", "The full street address component."),
                      Str("locality", "The city or locality component."),
                      Str("region", "The state or region component."),
                      Str("postalCode", "The zip code or postal code component."),
                      Str("country", "The country name component."),
                      Canonical(Str("type", "A label indicating the attribute's function."),
                                {"work", "home", "other"}),
                      A("primary", AttrType::kBoolean, "The primary address.")},
                     "A physical mailing address for this User.")),
       groups,
       Multi(Complex("entitlements", MultiSubs({}, AttrType::kString),
                     "A list of entitlements for the User.")),
       Multi(Complex("roles", MultiSubs({}, AttrType::kString), "A list of roles for the User.")),
       Multi(Complex("x509Certificates", MultiSubs({}, AttrType::kBinary),
                     "A list of certificates issued to the User."))}};
}

SchemaDef MakeEnterpriseSchema() {
  AttributeDef manager =
      Complex("manager",
              {Exact(Str("value", "The id of the SCIM resource representing the User's manager.")),
               Ref("$ref", {"User"}, "The URI of the SCIM resource representing the manager."),
               ReadOnly(Str("displayName", "The displayName of the User's manager."))},
              "The User's manager.");
  return SchemaDef{
      kEnterpriseUserSchema,
      "EnterpriseUser",
      "Enterprise User",
      {Str("employeeNumber", "Numeric or alphanumeric identifier assigned to a person."),
       Str("costCenter", "Identifies the name of a cost center."),
       Str("organization", "Identifies the name of an organization."),
       Str("division", "Identifies the name of a division."),
       Str("department", "Identifies the name of a department."), manager}};
}

SchemaDef MakeGroupSchema() {
  AttributeDef display = Str("displayName", "A human-readable name for the Group.");
  display.required = true;
  AttributeDef members =
      Multi(Complex("members",
                    {[] {
                       AttributeDef v =
                           Exact(Str("value", "Identifier of the member of this Group."));
                       v.mutability = AttrMutability::kImmutable;
                       return v;
                     }(),
                     Ref("$ref", {"User", "Group"}, "The URI of the member resource."),
                     Str("display", "A human-readable name of the member."),
                     Canonical(Str("type", "The type of the member."), {"User", "Group"})},
                    "A list of members of the Group."));
  return SchemaDef{kGroupSchema, "Group", "Group", {display, members}};
}

SchemaDef MakeCommonAttributes() {
  AttributeDef id =
      ReadOnly(Exact(Str("id", "Unique identifier assigned by the service provider.")));
  id.returned = AttrReturned::kAlways;
  id.uniqueness = AttrUniqueness::kServer;
  AttributeDef meta = ReadOnly(
      Complex("meta",
              {Exact(Str("resourceType", "The name of the resource type.")),
               A("created", AttrType::kDateTime, "When the resource was added."),
               A("lastModified", AttrType::kDateTime, "When the resource was last updated."),
               Exact(Ref("location", {"uri"}, "The URI of the resource.")),
               Exact(Str("version", "The version (weak ETag) of the resource."))},
              "Resource metadata."));
  return SchemaDef{
      "",
      "Common",
      "",
      {id, Exact(Str("externalId", "Identifier defined by the provisioning client.")), meta}};
}

bool IsCoreUrn(std::string_view urn, const ResourceTypeDef& type) {
  return urn.empty() || EqualsCi(urn, type.schema->id);
}

AttrTraits TraitsOf(const AttributeDef& def) {
  return AttrTraits{def.type, def.case_exact, def.multi_valued};
}

}  // namespace

const AttributeDef* AttributeDef::Sub(std::string_view sub_name) const {
  for (const auto& s : sub_attributes) {
    if (EqualsCi(s.name, sub_name)) return &s;
  }
  return nullptr;
}

const AttributeDef* SchemaDef::Attr(std::string_view attr_name) const {
  for (const auto& a : attributes) {
    if (EqualsCi(a.name, attr_name)) return &a;
  }
  return nullptr;
}

const SchemaDef* ResourceTypeDef::Extension(std::string_view urn) const {
  for (const auto* e : extensions) {
    if (EqualsCi(e->id, urn)) return e;
  }
  return nullptr;
}

const SchemaDef& UserSchemaDef() {
  static const auto* s = new SchemaDef(MakeUserSchema());
  return *s;
}
const SchemaDef& EnterpriseUserSchemaDef() {
  static const auto* s = new SchemaDef(MakeEnterpriseSchema());
  return *s;
}
const SchemaDef& GroupSchemaDef() {
  static const auto* s = new SchemaDef(MakeGroupSchema());
  return *s;
}
const SchemaDef& CommonAttributesDef() {
  static const auto* s = new SchemaDef(MakeCommonAttributes());
  return *s;
}
const ResourceTypeDef& UserType() {
  static const auto* t = new ResourceTypeDef{
      "User", "/Users", "User Account", &UserSchemaDef(), {&EnterpriseUserSchemaDef()}};
  return *t;
}
const ResourceTypeDef& GroupType() {
  static const auto* t = new ResourceTypeDef{"Group", "/Groups", "Group", &GroupSchemaDef(), {}};
  return *t;
}
const std::vector<const ResourceTypeDef*>& ResourceTypes() {
  static const auto* v = new std::vector<const ResourceTypeDef*>{&UserType(), &GroupType()};
  return *v;
}
std::vector<const SchemaDef*> AllSchemas() {
  return {&UserSchemaDef(), &EnterpriseUserSchemaDef(), &GroupSchemaDef()};
}

ResolvedAttr Resolve(const ResourceTypeDef& type, const AttrPath& path) {
  ResolvedAttr r;
  if (IsCoreUrn(path.urn, type)) {
    r.schema = type.schema;
    r.attr = type.schema->Attr(path.attr);
    if (!r.attr && path.urn.empty()) {
      r.attr = CommonAttributesDef().Attr(path.attr);
      if (r.attr) r.schema = &CommonAttributesDef();
    }
  } else if (const SchemaDef* ext = type.Extension(path.urn)) {
    r.schema = ext;
    r.attr = ext->Attr(path.attr);
    r.in_extension = true;
  }
  if (r.attr && !path.sub.empty()) {
    r.sub = r.attr->Sub(path.sub);
    if (!r.sub) r.attr = nullptr;
  }
  return r;
}

TraitsFn TraitsFor(const ResourceTypeDef& type) {
  return [&type](const AttrPath& path) -> std::optional<AttrTraits> {
    ResolvedAttr r = Resolve(type, path);
    if (!r.attr) return std::nullopt;
    if (r.sub) {
      AttrTraits t = TraitsOf(*r.sub);
      t.multi_valued = r.attr->multi_valued;  // any-match over the parent's values
      return t;
    }
    return TraitsOf(*r.attr);
  };
}

TraitsFn ElementTraits(const AttributeDef& def) {
  return [&def](const AttrPath& p) -> std::optional<AttrTraits> {
    const AttributeDef* s = def.Sub(p.attr.empty() ? p.sub : p.attr);
    if (!s) return std::nullopt;
    return AttrTraits{s->type, s->case_exact, false};
  };
}

namespace {

std::string_view TypeName(AttrType t) {
  switch (t) {
    case AttrType::kString:
      return "string";
    case AttrType::kBoolean:
      return "boolean";
    case AttrType::kDecimal:
      return "decimal";
    case AttrType::kInteger:
      return "integer";
    case AttrType::kDateTime:
      return "dateTime";
    case AttrType::kBinary:
      return "binary";
    case AttrType::kReference:
      return "reference";
    case AttrType::kComplex:
      return "complex";
  }
  return "string";
}

std::string_view MutabilityName(AttrMutability m) {
  switch (m) {
    case AttrMutability::kReadOnly:
      return "readOnly";
    case AttrMutability::kReadWrite:
      return "readWrite";
    case AttrMutability::kImmutable:
      return "immutable";
    case AttrMutability::kWriteOnly:
      return "writeOnly";
  }
  return "readWrite";
}

std::string_view ReturnedName(AttrReturned r) {
  switch (r) {
    case AttrReturned::kAlways:
      return "always";
    case AttrReturned::kNever:
      return "never";
    case AttrReturned::kDefault:
      return "default";
    case AttrReturned::kRequest:
      return "request";
  }
  return "default";
}

std::string_view UniquenessName(AttrUniqueness u) {
  switch (u) {
    case AttrUniqueness::kNone:
      return "none";
    case AttrUniqueness::kServer:
      return "server";
    case AttrUniqueness::kGlobal:
      return "global";
  }
  return "none";
}

Json Strings(const std::vector<std::string_view>& values) {
  Json a = Json::MakeArray();
  for (auto v : values) a.as_array().emplace_back(v);
  return a;
}

Json AttributeJson(const AttributeDef& d) {
  Json a = Json::MakeObject();
  a.Set("name", d.name);
  a.Set("type", TypeName(d.type));
  a.Set("multiValued", d.multi_valued);
  a.Set("description", d.description);
  a.Set("required", d.required);
  if (d.type == AttrType::kString || d.type == AttrType::kReference ||
      d.type == AttrType::kBinary) {
    a.Set("caseExact", d.case_exact);
  }
  if (!d.canonical_values.empty()) a.Set("canonicalValues", Strings(d.canonical_values));
  if (!d.reference_types.empty()) a.Set("referenceTypes", Strings(d.reference_types));
  a.Set("mutability", MutabilityName(d.mutability));
  a.Set("returned", ReturnedName(d.returned));
  a.Set("uniqueness", UniquenessName(d.uniqueness));
  if (!d.sub_attributes.empty()) {
    Json subs = Json::MakeArray();
    for (const auto& s : d.sub_attributes) subs.as_array().push_back(AttributeJson(s));
    a.Set("subAttributes", std::move(subs));
  }
  return a;
}

Json Meta(std::string_view resource_type, std::string location) {
  Json m = Json::MakeObject();
  m.Set("resourceType", resource_type);
  m.Set("location", std::move(location));
  return m;
}

Json Supported(bool supported) {
  Json o = Json::MakeObject();
  o.Set("supported", supported);
  return o;
}

}  // namespace

Json SchemaJson(const SchemaDef& schema, std::string_view base_url) {
  Json out = Json::MakeObject();
  out.Set("schemas", Strings({"urn:ietf:params:scim:schemas:core:2.0:Schema"}));
  out.Set("id", schema.id);
  out.Set("name", schema.name);
  out.Set("description", schema.description);
  Json attrs = Json::MakeArray();
  for (const auto& a : schema.attributes) attrs.as_array().push_back(AttributeJson(a));
  out.Set("attributes", std::move(attrs));
  out.Set("meta", Meta("Schema", std::string(base_url) + "/Schemas/" + std::string(schema.id)));
  return out;
}

Json ResourceTypeJson(const ResourceTypeDef& type, std::string_view base_url) {
  Json out = Json::MakeObject();
  out.Set("schemas", Strings({"urn:ietf:params:scim:schemas:core:2.0:ResourceType"}));
  out.Set("id", type.name);
  out.Set("name", type.name);
  out.Set("endpoint", type.endpoint);
  out.Set("description", type.description);
  out.Set("schema", type.schema->id);
  Json exts = Json::MakeArray();
  for (const auto* e : type.extensions) {
    Json x = Json::MakeObject();
    x.Set("schema", e->id);
    x.Set("required", false);
    exts.as_array().push_back(std::move(x));
  }
  out.Set("schemaExtensions", std::move(exts));
  out.Set("meta",
          Meta("ResourceType", std::string(base_url) + "/ResourceTypes/" + std::string(type.name)));
  return out;
}

Json ServiceProviderConfigJson(std::string_view base_url) {
  Json out = Json::MakeObject();
  out.Set("schemas", Strings({"urn:ietf:params:scim:schemas:core:2.0:ServiceProviderConfig"}));
  out.Set("documentationUri", "https://github.com/scimsync/scimsync/blob/main/README.md");
  out.Set("patch", Supported(true));
  Json bulk = Supported(true);
  bulk.Set("maxOperations", kMaxBulkOperations);
  bulk.Set("maxPayloadSize", kMaxBulkPayloadBytes);
  out.Set("bulk", std::move(bulk));
  Json filter = Supported(true);
  filter.Set("maxResults", kMaxFilterResults);
  out.Set("filter", std::move(filter));
  out.Set("changePassword", Supported(false));
  // RFC 9865 §4: both index and cursor pagination.
  Json pagination = Json::MakeObject();
  pagination.Set("cursor", true);
  pagination.Set("index", true);
  pagination.Set("defaultPaginationMethod", "index");
  pagination.Set("defaultPageSize", 100);
  pagination.Set("maxPageSize", kMaxFilterResults);
  out.Set("pagination", std::move(pagination));
  out.Set("sort", Supported(true));
  out.Set("etag", Supported(true));
  Json scheme = Json::MakeObject();
  scheme.Set("type", "oauthbearertoken");
  scheme.Set("name", "OAuth Bearer Token");
  scheme.Set("description", "A bearer token created with `scimctl token create`.");
  scheme.Set("specUri", "https://www.rfc-editor.org/info/rfc6750");
  scheme.Set("primary", true);
  out.Set("authenticationSchemes", Json(Json::Array{std::move(scheme)}));
  out.Set("meta", Meta("ServiceProviderConfig", std::string(base_url) + "/ServiceProviderConfig"));
  return out;
}

}  // namespace scim
