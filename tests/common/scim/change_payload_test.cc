#include "common/scim/change_payload.h"

#include <gtest/gtest.h>

#include "common/scim/user.h"
#include "tests/scim_matchers.h"

namespace scim {
namespace {

ResourceRecord Record(const std::string& id, int64_t version, const std::string& attributes) {
  ResourceRecord r;
  r.id = id;
  r.version = version;
  r.attributes = ParseJson(attributes).value();
  return r;
}

// Writes the payload as the workers store it (text) and reads it back.
Change RoundTrip(const ResourceTypeDef& type, const ResourceRecord& r, std::string_view op,
                 const MemberDelta* members = nullptr) {
  auto c = DecodeChange(ToJson(ChangePayload(type, r, op, members)));
  EXPECT_SCIM_OK(c);
  return c.ok() ? c.value() : Change();
}

TEST(ChangePayloadTest, WritesTheFullStateAndVersion) {
  ResourceRecord r = Record("abc", 7, R"({"userName":"u"})");
  EXPECT_EQ(ParseJson(ToJson(ChangePayload(UserType(), r, "upsert"))).value(),
            ParseJson(R"({"op":"upsert","resourceType":"User","id":"abc","version":7,)"
                      R"("attributes":{"userName":"u"}})")
                .value());
  EXPECT_EQ(ParseJson(ToJson(ChangePayload(GroupType(), r, "delete"))).value(),
            ParseJson(R"({"op":"delete","resourceType":"Group","id":"abc","version":7})").value());
}

TEST(ChangePayloadTest, UserUpsertRoundTrips) {
  ResourceRecord u = Record(
      "abc", 4,
      R"({"userName":"ann","active":false,"name":{"givenName":"Ann"},)"
      R"("emails":[{"value":"ann@x","type":"work","primary":true}],)"
      R"("urn:ietf:params:scim:schemas:extension:enterprise:2.0:User":{"department":"R&D"}})");
  Change c = RoundTrip(UserType(), u, "upsert");
  EXPECT_EQ(c.op, ChangeOp::kUpsert);
  EXPECT_EQ(c.resource_type, "User");
  EXPECT_EQ(c.resource_id, "abc");
  EXPECT_EQ(c.version, 4);
  EXPECT_EQ(c.attributes, u.attributes);
  EXPECT_FALSE(c.members_touched.has_value());
}

TEST(ChangePayloadTest, UserDeleteRoundTripsAsATombstone) {
  ResourceRecord gone = Record("abc", 5, R"({"userName":"ann"})");
  EXPECT_EQ(ChangePayload(UserType(), gone, "delete").Find("attributes"), nullptr);
  Change c = RoundTrip(UserType(), gone, "delete");
  EXPECT_EQ(c.op, ChangeOp::kDelete);
  EXPECT_EQ(c.resource_type, "User");
  EXPECT_EQ(c.resource_id, "abc");
  EXPECT_EQ(c.version, 5);
  EXPECT_EQ(c.attributes, Json());
}

TEST(ChangePayloadTest, GroupUpsertRoundTripsWithTheMembersItTouched) {
  ResourceRecord g = Record("g", 7, R"({"displayName":"G"})");
  MemberDelta delta;
  delta.add = {"a", "b"};
  delta.remove = {"c"};
  Change c = RoundTrip(GroupType(), g, "upsert", &delta);
  EXPECT_EQ(c.op, ChangeOp::kUpsert);
  EXPECT_EQ(c.resource_type, "Group");
  EXPECT_EQ(c.resource_id, "g");
  EXPECT_EQ(c.version, 7);
  EXPECT_EQ(c.attributes, g.attributes);
  ASSERT_TRUE(c.members_touched.has_value());
  EXPECT_EQ(*c.members_touched, (std::vector<std::string>{"a", "b", "c"}));
  EXPECT_EQ(c.members_base, 6);

  // Members untouched (a rename) or all replaced: which changed is unknown.
  MemberDelta none, replaced;
  replaced.replace = true;
  replaced.add = {"a"};
  for (const MemberDelta* d : std::vector<const MemberDelta*>{nullptr, &none, &replaced}) {
    Change u = RoundTrip(GroupType(), g, "upsert", d);
    EXPECT_EQ(u.attributes, g.attributes);
    EXPECT_FALSE(u.members_touched.has_value());
  }
}

TEST(ChangePayloadTest, GroupDeleteRoundTrips) {
  ResourceRecord gone;
  gone.id = "g";
  gone.version = 9;
  Change c = RoundTrip(GroupType(), gone, "delete");
  EXPECT_EQ(c.op, ChangeOp::kDelete);
  EXPECT_EQ(c.resource_type, "Group");
  EXPECT_EQ(c.resource_id, "g");
  EXPECT_EQ(c.version, 9);
  EXPECT_FALSE(c.members_touched.has_value());
}

TEST(ChangePayloadTest, AnUnreadableMembersHintIsUnknownNotAnError) {
  auto payload = [](const std::string& members) {
    return R"({"op":"upsert","resourceType":"Group","id":"g","version":7,)"
           R"("attributes":{"displayName":"G"})" +
           (members.empty() ? std::string() : ",\"members\":" + members) + "}";
  };
  auto c = DecodeChange(payload(R"({"replace":false,"add":["a","b"],"remove":["c"]})"));
  ASSERT_SCIM_OK(c);
  ASSERT_TRUE(c.value().members_touched.has_value());
  EXPECT_EQ(*c.value().members_touched, (std::vector<std::string>{"a", "b", "c"}));
  EXPECT_EQ(c.value().members_base, 6);
  for (std::string members :
       std::vector<std::string>{R"({"replace":true,"add":["a"],"remove":[]})", "",
                                R"({"replace":false,"add":"a"})", R"({"add":[1]})", R"(["a"])"}) {
    SCOPED_TRACE(members);
    auto u = DecodeChange(payload(members));
    ASSERT_SCIM_OK(u);
    EXPECT_FALSE(u.value().members_touched.has_value());
  }
}

TEST(ChangePayloadTest, MalformedPayloadsAreInvalidValue) {
  const char* cases[] = {
      "not json",
      "[]",
      R"({"op":"upsert","resourceType":"User","id":"a"})",
      R"({"op":"upsert","resourceType":"User","id":"a","version":"1","attributes":{}})",
      R"({"op":"upsert","resourceType":"User","id":"a","version":1})",
      R"({"op":"upsert","resourceType":"User","id":"a","version":1,"attributes":[]})",
      R"({"op":"delete","resourceType":"User","version":1})",
      R"({"op":"merge","resourceType":"User","id":"a","version":1,"attributes":{}})",
  };
  for (const char* p : cases) {
    SCOPED_TRACE(p);
    EXPECT_SCIM_ERROR(DecodeChange(p), 400, ScimType::kInvalidValue);
  }
}

}  // namespace
}  // namespace scim
