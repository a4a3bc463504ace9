#include <gtest/gtest.h>

#include "common/scim/resource.h"
#include "tests/scim_matchers.h"

namespace scim {
namespace {

Json Parse(const std::string& text) {
  auto r = ParseJson(text);
  EXPECT_SCIM_OK(r);
  return r.ok() ? r.value() : Json();
}

struct Case {
  std::string attributes, excluded, expected;
};

void ExpectProjections(const ResourceTypeDef& type, const Json& resource,
                       const std::vector<Case>& cases) {
  for (const auto& c : cases) {
    SCOPED_TRACE(c.attributes + " / " + c.excluded);
    auto p = ParseProjection(c.attributes, c.excluded);
    ASSERT_SCIM_OK(p);
    Json projected = Project(type, resource, p.value());
    EXPECT_EQ(projected, Parse(c.expected)) << ToJson(projected);
  }
}

TEST(ProjectionTest, AttributesAndExcludedAttributes) {
  Json user =
      Parse(R"({"schemas":["s"],"id":"1","userName":"u","name":{"givenName":"G","familyName":"F"},
    "emails":[{"value":"a@x","type":"work"}],
    "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User":{"department":"D","costCenter":"C"},
    "meta":{"resourceType":"User"}})");
  ExpectProjections(
      UserType(), user,
      {
          {"userName", "", R"({"schemas":["s"],"id":"1","userName":"u"})"},
          {"name.givenName,emails.value", "",
           R"({"schemas":["s"],"id":"1","name":{"givenName":"G"},"emails":[{"value":"a@x"}]})"},
          {"urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:department", "",
           R"({"schemas":["s"],"id":"1","urn:ietf:params:scim:schemas:extension:enterprise:2.0:User":{"department":"D"}})"},
          {"UserName,urn:ietf:params:scim:schemas:extension:enterprise:2.0:User", "",
           R"({"schemas":["s"],"id":"1","userName":"u","urn:ietf:params:scim:schemas:extension:enterprise:2.0:User":{"department":"D","costCenter":"C"}})"},
          {"", "emails,name.familyName,meta,id",
           R"({"schemas":["s"],"id":"1","userName":"u","name":{"givenName":"G"},
          "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User":{"department":"D","costCenter":"C"}})"},
      });
  auto members = ParseProjection("", "members");
  ASSERT_SCIM_OK(members);
  EXPECT_FALSE(members.value().Includes(GroupType(), "members"));
  EXPECT_TRUE(members.value().Includes(GroupType(), "displayName"));
}

// Entra's reference collection asks for attributes=emails[type eq "work"].
TEST(ProjectionTest, ValueFiltersSelectOrRemoveTheMatchingValues) {
  Json user = Parse(R"({"schemas":["s"],"id":"1","userName":"u",
    "emails":[{"value":"a@x","type":"work","primary":true},{"value":"b@x","type":"home"}],
    "meta":{"resourceType":"User"}})");
  const std::string head = R"({"schemas":["s"],"id":"1",)";
  ExpectProjections(
      UserType(), user,
      {
          {R"(emails[type eq "work"])", "",
           head + R"("emails":[{"value":"a@x","type":"work","primary":true}]})"},
          {R"(emails[type eq "work"].value)", "", head + R"("emails":[{"value":"a@x"}]})"},
          {R"(EMAILS[TYPE EQ "WORK"].VALUE)", "", head + R"("emails":[{"value":"a@x"}]})"},
          {R"(urn:ietf:params:scim:schemas:core:2.0:User:emails[type eq "work"].value)", "",
           head + R"("emails":[{"value":"a@x"}]})"},
          {R"(emails[type eq "fax"],userName)", "", head + R"("userName":"u"})"},
          {R"(emails[type eq "home" or primary eq true].value)", "",
           head + R"("emails":[{"value":"a@x"},{"value":"b@x"}]})"},
          {R"(emails.type,emails[type eq "home"])", "",
           head + R"("emails":[{"type":"work"},{"value":"b@x","type":"home"}]})"},
          {R"(emails[value eq "a,b@x"], userName)", "", head + R"("userName":"u"})"},
          {R"(emails[value sw "a"].display)", "", R"({"schemas":["s"],"id":"1"})"},
          {"", R"(emails[type eq "work"])",
           head + R"("userName":"u","emails":[{"value":"b@x","type":"home"}],
             "meta":{"resourceType":"User"}})"},
          {"", R"(emails[type eq "work"].value,meta)",
           head + R"("userName":"u","emails":[{"type":"work","primary":true},
             {"value":"b@x","type":"home"}]})"},
          {"", R"(emails[type eq "work" or type eq "home"],meta)", head + R"("userName":"u"})"},
      });
}

TEST(ProjectionTest, ValueFiltersOnGroupMembersDecideWhetherMembersAreRead) {
  Json group = Parse(R"({"schemas":["s"],"id":"g","displayName":"G",
    "members":[{"value":"u1","type":"User"},{"value":"g2","type":"Group"}]})");
  const std::string head = R"({"schemas":["s"],"id":"g",)";
  ExpectProjections(
      GroupType(), group,
      {
          {R"(members[type eq "Group"].value)", "", head + R"("members":[{"value":"g2"}]})"},
          {"", R"(members[value eq "u1"])",
           head + R"("displayName":"G","members":[{"value":"g2","type":"Group"}]})"},
      });
  auto asks = [](const std::string& a, const std::string& e) {
    return ParseProjection(a, e).value().Includes(GroupType(), "members");
  };
  EXPECT_TRUE(asks(R"(members[type eq "User"])", ""));
  EXPECT_TRUE(asks("", R"(members[type eq "User"])"));  // only some are removed
  EXPECT_FALSE(asks("displayName", ""));
  EXPECT_FALSE(asks("", "members"));
}

TEST(ProjectionTest, RejectsMalformedPathsAndFilters) {
  struct Bad {
    std::string attributes, excluded;
    ScimType type;
  };
  const Bad cases[] = {
      {"bad name!", "", ScimType::kInvalidValue},
      {"", "a..b", ScimType::kInvalidValue},
      {"emails[type eq]", "", ScimType::kInvalidFilter},
      {R"(emails[type eq "work")", "", ScimType::kInvalidFilter},
      {R"(emails[type eq "work"]x)", "", ScimType::kInvalidFilter},
      {R"(emails[value eq "x])", "", ScimType::kInvalidFilter},
      {"", "emails[", ScimType::kInvalidFilter},
      {R"(name.givenName[value eq "x"])", "", ScimType::kInvalidFilter},
      {R"(urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:manager[value eq "x"])", "",
       ScimType::kInvalidFilter},
  };
  for (const auto& c : cases) {
    SCOPED_TRACE(c.attributes + " / " + c.excluded);
    auto p = ParseProjection(c.attributes, c.excluded);
    EXPECT_SCIM_ERROR(p, 400, c.type);
    if (!p.ok()) {
      const std::string& item = c.attributes.empty() ? c.excluded : c.attributes;
      EXPECT_NE(p.error().detail.find(item), std::string::npos) << p.error().detail;
    }
  }
}

}  // namespace
}  // namespace scim
