#include "common/scim/schema.h"

#include <gtest/gtest.h>

#include <map>
#include <string>
#include <utility>
#include <vector>

namespace scim {
namespace {

// Every attribute of type "reference" in a /Schemas attribute list (and in
// their subAttributes), as "schema name: attr.sub" -> its referenceTypes
// (nullptr when missing).
void CollectReferences(const Json& attributes, const std::string& prefix,
                       std::vector<std::pair<std::string, const Json*>>* out) {
  for (const auto& a : attributes.as_array()) {
    std::string name = prefix + a.Find("name")->as_string();
    if (a.Find("type")->as_string() == "reference")
      out->emplace_back(name, a.Find("referenceTypes"));
    if (const Json* subs = a.Find("subAttributes")) CollectReferences(*subs, name + ".", out);
  }
}

std::vector<std::pair<std::string, const Json*>> References(const std::vector<Json>& schemas) {
  std::vector<std::pair<std::string, const Json*>> out;
  for (const auto& s : schemas) {
    CollectReferences(*s.Find("attributes"), s.Find("name")->as_string() + ": ", &out);
  }
  return out;
}

// RFC 7643 §7: "referenceTypes ... A multi-valued array of JSON strings that
// indicate the SCIM resource types that may be referenced" — a client
// library that reads the schema needs it on every reference attribute.
TEST(SchemaTest, EveryReferenceAttributeDeclaresItsReferenceTypes) {
  std::vector<Json> schemas;
  for (const auto* s : AllSchemas()) schemas.push_back(SchemaJson(*s, "https://h/scim/v2"));
  schemas.push_back(SchemaJson(CommonAttributesDef(), "https://h/scim/v2"));
  auto refs = References(schemas);
  EXPECT_GE(refs.size(), 6u);
  for (const auto& [name, types] : refs) {
    SCOPED_TRACE(name);
    ASSERT_NE(types, nullptr) << "no referenceTypes";
    ASSERT_TRUE(types->is_array());
    EXPECT_FALSE(types->as_array().empty());
    for (const auto& t : types->as_array()) EXPECT_TRUE(t.is_string() && !t.as_string().empty());
  }
}

// The values RFC 7643 §8.7.1 declares.
TEST(SchemaTest, ReferenceTypesAreThoseOfRfc7643) {
  std::vector<Json> schemas;
  for (const auto* s : AllSchemas()) schemas.push_back(SchemaJson(*s, ""));
  std::map<std::string, std::string> want = {
      {"User: profileUrl", R"(["external"])"},
      {"User: photos.value", R"(["external"])"},
      {"User: groups.$ref", R"(["User","Group"])"},
      {"EnterpriseUser: manager.$ref", R"(["User"])"},
      {"Group: members.$ref", R"(["User","Group"])"},
  };
  std::map<std::string, std::string> got;
  for (const auto& [name, types] : References(schemas)) got[name] = types ? ToJson(*types) : "";
  EXPECT_EQ(got, want);
}

}  // namespace
}  // namespace scim
