#include "common/scim/resource.h"

#include <gtest/gtest.h>

#include "common/scim/clock.h"
#include "common/scim/user.h"
#include "tests/scim_matchers.h"

namespace scim {
namespace {

Json Parse(const std::string& text) {
  auto r = ParseJson(text);
  EXPECT_SCIM_OK(r);
  return r.ok() ? r.value() : Json();
}

const std::string kUser = R"("schemas":["urn:ietf:params:scim:schemas:core:2.0:User"])";
const std::string kEnt = "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User";

struct NormalizeCase {
  std::string name;
  std::string body;      // inside {…} after the schemas member
  std::string expected;  // the normalised attributes
};

TEST(NormalizeResourceTest, AcceptsWhatIdpsSend) {
  const NormalizeCase cases[] = {
      {"names in any case, null means unset, readOnly and unknown dropped",
       R"("UserName":"ann","ACTIVE":"False","id":"client-id","meta":{"x":1},"groups":[],
          "nickName":null,"unknownThing":1,"name":{"givenName":"Ann","middleName":null}})",
       R"({"userName":"ann","active":false,"name":{"givenName":"Ann"}})"},
      {"booleans as strings: True / false",
       R"("userName":"a","active":"True","emails":[{"value":"a@x","primary":"false"}]})",
       R"({"userName":"a","active":true,"emails":[{"value":"a@x","primary":false}]})"},
      {"OneLogin: emails as a single object; department, title, userType at the top level",
       R"("userName":"a","emails":{"value":"a@x"},"department":"R&D","title":"Eng",
          "userType":"Moderator"})",
       R"({"userName":"a","emails":[{"value":"a@x"}],")" + kEnt +
           R"(":{"department":"R&D"},"title":"Eng","userType":"Moderator"})"},
      {"manager as a bare string", R"("userName":"a",")" + kEnt + R"(":{"manager":"m1"}})",
       R"({"userName":"a",")" + kEnt + R"(":{"manager":{"value":"m1"}}})"},
      {"manager as [{value}]", R"("userName":"a",")" + kEnt + R"(":{"manager":[{"value":"m1"}]}})",
       R"({"userName":"a",")" + kEnt + R"(":{"manager":{"value":"m1"}}})"},
      {"manager as {value}, readOnly displayName dropped",
       R"("userName":"a",")" + kEnt + R"(":{"manager":{"value":"m1","displayName":"Boss"}}})",
       R"({"userName":"a",")" + kEnt + R"(":{"manager":{"value":"m1"}}})"},
      {"Entra roles on create",
       R"("userName":"a","roles":[{"primary":true,"type":"WindowsAzureActiveDirectoryRole",
          "value":"Admin","display":"Admin"}]})",
       R"({"userName":"a","roles":[{"primary":true,"type":"WindowsAzureActiveDirectoryRole",
          "value":"Admin","display":"Admin"}]})"},
      {"Entra role value carrying a JSON object",
       R"("userName":"a","roles":[{"value":"{\"id\":\"7\",\"value\":\"Admin\",\"displayName\":\"Administrator\"}"}]})",
       R"({"userName":"a","roles":[{"value":"Admin","display":"Administrator"}]})"},
      {"numbers where strings are due",
       R"("userName":"a",")" + kEnt + R"(":{"employeeNumber":42}})",
       R"({"userName":"a",")" + kEnt + R"(":{"employeeNumber":"42"}})"},
      {"null values and an unknown extension are ignored",
       R"("userName":"a",")" + kEnt + R"(":{"department":null},
          "urn:example:custom:1.0:User":{"x":1}})",
       R"({"userName":"a"})"},
      {"URN-qualified extension attribute at the top level",
       R"("userName":"a",")" + kEnt + R"(:costCenter":"4130"})",
       R"({"userName":"a",")" + kEnt + R"(":{"costCenter":"4130"}})"},
      {"externalId kept", R"("userName":"a","externalId":"ext-1"})",
       R"({"userName":"a","externalId":"ext-1"})"},
  };
  for (const auto& c : cases) {
    SCOPED_TRACE(c.name);
    auto r = NormalizeResource(UserType(), Parse("{" + kUser + "," + c.body));
    ASSERT_SCIM_OK(r);
    EXPECT_EQ(r.value(), Parse(c.expected)) << ToJson(r.value());
  }
}

TEST(NormalizeResourceTest, RejectsInvalidBodies) {
  struct Case {
    std::string body;
    ScimType type;
  };
  const Case cases[] = {
      {R"([1])", ScimType::kInvalidSyntax},
      {R"({"userName":"a"})", ScimType::kInvalidValue},
      {R"({"schemas":["urn:ietf:params:scim:schemas:core:2.0:Group"],"userName":"a"})",
       ScimType::kInvalidValue},
      {"{" + kUser + "}", ScimType::kInvalidValue},
      {"{" + kUser + R"(,"userName":"  "})", ScimType::kInvalidValue},
      {"{" + kUser + R"(,"userName":true})", ScimType::kInvalidValue},
      {"{" + kUser + R"(,"userName":null})", ScimType::kInvalidValue},
      {"{" + kUser + R"(,"userName":"a","active":"maybe"})", ScimType::kInvalidValue},
      {"{" + kUser + R"(,"userName":"a","name":"Ann"})", ScimType::kInvalidValue},
      {"{" + kUser + R"(,"userName":"a","emails":[true]})", ScimType::kInvalidValue},
  };
  for (const auto& c : cases) {
    SCOPED_TRACE(c.body);
    EXPECT_SCIM_ERROR(NormalizeResource(UserType(), Parse(c.body)), 400, c.type);
  }
}

TEST(NormalizeResourceTest, GroupsNeedDisplayNameAndMembersWithValues) {
  const std::string g = R"("schemas":["urn:ietf:params:scim:schemas:core:2.0:Group"])";
  auto ok = NormalizeResource(
      GroupType(),
      Parse("{" + g + R"(,"displayName":"G","members":[{"value":"u1","display":"U"}]})"));
  ASSERT_SCIM_OK(ok);
  EXPECT_EQ(ok.value(), Parse(R"({"displayName":"G","members":[{"value":"u1","display":"U"}]})"));
  EXPECT_SCIM_ERROR(NormalizeResource(GroupType(), Parse("{" + g + "}")), 400,
                    ScimType::kInvalidValue);
}

TEST(RenderResourceTest, RendersSchemasIdMetaAndNeverThePassword) {
  ResourceRecord r;
  r.id = "abc";
  r.version = 3;
  r.created_ms = 0;
  r.last_modified_ms = 1500;
  r.attributes = Parse(
      R"({"userName":"u","password":"hashed","urn:ietf:params:scim:schemas:extension:enterprise:2.0:User":{"department":"R&D"}})");
  Json out = RenderResource(UserType(), r, "https://h/scim/v2");
  EXPECT_EQ(
      ToJson(*out.Find("schemas")),
      R"(["urn:ietf:params:scim:schemas:core:2.0:User","urn:ietf:params:scim:schemas:extension:enterprise:2.0:User"])");
  EXPECT_EQ(out.Find("password"), nullptr);
  const Json* meta = out.Find("meta");
  ASSERT_NE(meta, nullptr);
  EXPECT_EQ(meta->Find("location")->as_string(), "https://h/scim/v2/Users/abc");
  EXPECT_EQ(meta->Find("version")->as_string(), "W/\"3\"");
  EXPECT_EQ(meta->Find("created")->as_string(), "1970-01-01T00:00:00.000Z");
  EXPECT_EQ(meta->Find("lastModified")->as_string(), "1970-01-01T00:00:01.500Z");
}

TEST(ResourceTest, ColumnsPickThePrimaryEmail) {
  auto attrs = Parse(R"({"userName":"u","externalId":"e","displayName":"D","userType":"Admin",
      "name":{"givenName":"G","familyName":"F"},"active":false,
      "emails":[{"value":"first@x"},{"value":"primary@x","primary":true}]})");
  UserColumns c = ColumnsOf(attrs);
  EXPECT_EQ(c.user_name, "u");
  EXPECT_EQ(c.external_id, "e");
  EXPECT_EQ(c.user_type, "Admin");
  EXPECT_EQ(c.given_name, "G");
  EXPECT_EQ(c.email, "primary@x");
  EXPECT_FALSE(c.active);
  EXPECT_TRUE(ColumnsOf(Parse(R"({"userName":"u"})")).active);
}

TEST(ClockTest, FormatsTimestampsAndUuids) {
  EXPECT_EQ(FormatTimestamp(1763830025123), "2025-11-22T16:47:05.123Z");
  unsigned char zeros[16] = {};
  EXPECT_EQ(UuidFromBytes(zeros), "00000000-0000-4000-8000-000000000000");
}

TEST(ClockTest, CouldBeIssuedIdAcceptsExactlyLowerCaseUuids) {
  unsigned char bytes[16];
  for (int i = 0; i < 16; ++i) bytes[i] = static_cast<unsigned char>(i * 17);
  const std::string issued = UuidFromBytes(bytes);
  struct Case {
    std::string id;
    bool ok;
  } cases[] = {
      {issued, true},
      {"00000000-0000-4000-8000-000000000001", true},
      {"0f1e2d3c-4b5a-1978-8695-a4b3c2d1e0ff", true},  // MariaDB's UUID() (version 1)
      {"", false},
      {"abc", false},
      {"0F1E2D3C-4B5A-4978-8695-A4B3C2D1E0FF", false},  // upper case
      {issued + " ", false},
      {" " + issued, false},
      {issued.substr(0, 35), false},
      {issued + "0", false},
      {"00000000-0000-4000-8000-00000000000g", false},
      {"00000000_0000-4000-8000-000000000001", false},
      {"000000000000-4000-8000-0000000000001", false},  // a dash moved
      {std::string("00000000-0000-4000-8000-00000000000\0", 36), false},
      {"\xe2\x82\xac\xf0\x9f\x99\x82", false},
      {"00000000-0000-4000-8000-0000000000\xc3\xa9", false},
  };
  for (const auto& c : cases) {
    SCOPED_TRACE(c.id);
    EXPECT_EQ(CouldBeIssuedId(c.id), c.ok);
  }
}

}  // namespace
}  // namespace scim

namespace scim {
namespace {

TEST(AuditDiffTest, SetRemovedMaskedAndFlattened) {
  const std::string ent = "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User";
  Json before = ParseJson(R"j({"userName":"a","title":"x","password":"h1",")j" + ent +
                          R"j(":{"department":"D","costCenter":"C"}})j")
                    .value();
  Json after =
      ParseJson(R"j({"userName":"a","password":"h2",")j" + ent + R"j(":{"department":"E"}})j")
          .value();
  // Extension attributes are diffed where the extension object stands.
  EXPECT_EQ(AuditDiff(&before, after), R"j({"set":{"password":"(changed)",")j" + ent +
                                           R"j(:department":"E"},"removed":[")j" + ent +
                                           R"j(:costCenter","title"]})j");
  EXPECT_EQ(AuditDiff(nullptr, ParseJson(R"j({"userName":"a","password":"h"})j").value()),
            R"j({"set":{"userName":"a","password":"(changed)"}})j");
  EXPECT_EQ(AuditDiff(&before, before), "{}");
  EXPECT_EQ(AuditDiff(&before, before, Json(int64_t{3})), R"j({"members":3})j");
}

}  // namespace
}  // namespace scim
