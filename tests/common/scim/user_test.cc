#include "common/scim/user.h"

#include <gtest/gtest.h>

#include "common/scim/clock.h"
#include "common/scim/schema.h"
#include "tests/scim_matchers.h"

namespace scim {
namespace {

Json Parse(const std::string& text) {
  auto r = ParseJson(text);
  EXPECT_SCIM_OK(r);
  return r.ok() ? r.value() : Json();
}

const std::string kSchemas = R"("schemas":["urn:ietf:params:scim:schemas:core:2.0:User"])";

TEST(UserTest, NormalizesNamesBooleansNullsAndReadOnly) {
  auto r = NormalizeUser(Parse("{" + kSchemas + R"(,"UserName":"ann","ACTIVE":"False",
      "id":"client-id","meta":{"x":1},"groups":[],"nickName":null,"unknownThing":1,
      "name":{"givenName":"Ann","middleName":null}})"));
  ASSERT_SCIM_OK(r);
  EXPECT_EQ(ToJson(r.value()), R"({"userName":"ann","active":false,"name":{"givenName":"Ann"}})");
}

TEST(UserTest, AcceptsOneLoginSingleEmailObject) {
  auto r = NormalizeUser(Parse("{" + kSchemas + R"(,"userName":"a","emails":{"value":"a@x"}})"));
  ASSERT_SCIM_OK(r);
  EXPECT_EQ(ToJson(*r.value().Find("emails")), R"([{"value":"a@x"}])");
}

TEST(UserTest, RejectsInvalidBodies) {
  struct Case {
    std::string body;
    ScimType type;
  };
  const Case cases[] = {
      {R"([1])", ScimType::kInvalidSyntax},
      {R"({"userName":"a"})", ScimType::kInvalidValue},
      {R"({"schemas":["urn:ietf:params:scim:schemas:core:2.0:Group"],"userName":"a"})",
       ScimType::kInvalidValue},
      {"{" + kSchemas + "}", ScimType::kInvalidValue},
      {"{" + kSchemas + R"(,"userName":"  "})", ScimType::kInvalidValue},
      {"{" + kSchemas + R"(,"userName":42})", ScimType::kInvalidValue},
      {"{" + kSchemas + R"(,"userName":null})", ScimType::kInvalidValue},
      {"{" + kSchemas + R"(,"userName":"a","active":"maybe"})", ScimType::kInvalidValue},
      {"{" + kSchemas + R"(,"userName":"a","name":"Ann"})", ScimType::kInvalidValue},
      {"{" + kSchemas + R"(,"userName":"a","emails":"a@x"})", ScimType::kInvalidValue},
  };
  for (const auto& c : cases) {
    SCOPED_TRACE(c.body);
    EXPECT_SCIM_ERROR(NormalizeUser(Parse(c.body)), 400, c.type);
  }
}

TEST(UserTest, ColumnsPickThePrimaryEmail) {
  auto attrs = Parse(R"({"userName":"u","externalId":"e","displayName":"D","userType":"Admin",
      "name":{"givenName":"G","familyName":"F"},"active":false,
      "emails":[{"value":"first@x"},{"value":"primary@x","primary":true}]})");
  UserColumns c = ColumnsOf(attrs);
  EXPECT_EQ(c.user_name, "u");
  EXPECT_EQ(c.external_id, "e");
  EXPECT_EQ(c.display_name, "D");
  EXPECT_EQ(c.user_type, "Admin");
  EXPECT_EQ(c.given_name, "G");
  EXPECT_EQ(c.family_name, "F");
  EXPECT_EQ(c.email, "primary@x");
  EXPECT_FALSE(c.active);
  EXPECT_TRUE(ColumnsOf(Parse(R"({"userName":"u"})")).active);
  EXPECT_EQ(ColumnsOf(Parse(R"({"emails":[{"value":"only@x"}]})")).email, "only@x");
}

TEST(UserTest, RendersSchemasIdAndMeta) {
  UserRecord u;
  u.id = "abc";
  u.version = 3;
  u.created_ms = 0;
  u.last_modified_ms = 1500;
  u.attributes = Parse(
      R"({"userName":"u","urn:ietf:params:scim:schemas:extension:enterprise:2.0:User":{"department":"R&D"}})");
  Json out = RenderUser(u, "https://h/scim/v2");
  EXPECT_EQ(
      ToJson(*out.Find("schemas")),
      R"(["urn:ietf:params:scim:schemas:core:2.0:User","urn:ietf:params:scim:schemas:extension:enterprise:2.0:User"])");
  EXPECT_EQ(out.Find("id")->as_string(), "abc");
  const Json* meta = out.Find("meta");
  ASSERT_NE(meta, nullptr);
  EXPECT_EQ(meta->Find("location")->as_string(), "https://h/scim/v2/Users/abc");
  EXPECT_EQ(meta->Find("version")->as_string(), "W/\"3\"");
  EXPECT_EQ(meta->Find("created")->as_string(), "1970-01-01T00:00:00.000Z");
  EXPECT_EQ(meta->Find("lastModified")->as_string(), "1970-01-01T00:00:01.500Z");
  EXPECT_EQ(meta->Find("resourceType")->as_string(), "User");
}

TEST(UserTest, ChangePayloadCarriesFullStateAndVersion) {
  UserRecord u;
  u.id = "abc";
  u.version = 7;
  u.attributes = Parse(R"({"userName":"u"})");
  EXPECT_EQ(
      ToJson(UserChangePayload(u, "upsert")),
      R"({"op":"upsert","resourceType":"User","id":"abc","version":7,"attributes":{"userName":"u"}})");
}

TEST(ClockTest, FormatsTimestampsAndUuids) {
  EXPECT_EQ(FormatTimestamp(1763830025123), "2025-11-22T16:47:05.123Z");
  unsigned char zeros[16] = {};
  EXPECT_EQ(UuidFromBytes(zeros), "00000000-0000-4000-8000-000000000000");
}

}  // namespace
}  // namespace scim
