#include "daemon/change.h"

#include <gtest/gtest.h>

#include "common/scim/resource.h"
#include "tests/scim_matchers.h"

namespace scim::sync {
namespace {

TEST(ChangeTest, DecodesWhatTheWorkersWrite) {
  ResourceRecord u;
  u.id = "abc";
  u.version = 4;
  u.attributes = ParseJson(R"({"userName":"ann","active":false})").value();
  auto c = DecodeChange(ToJson(ChangePayload(UserType(), u, "upsert")));
  ASSERT_SCIM_OK(c);
  EXPECT_EQ(c.value().resource_type, "User");
  EXPECT_EQ(c.value().resource_id, "abc");
  EXPECT_EQ(c.value().version, 4);
  EXPECT_EQ(c.value().op, ChangeOp::kUpsert);
  EXPECT_EQ(c.value().attributes, u.attributes);

  auto d = DecodeChange(ToJson(ChangePayload(UserType(), u, "delete")));
  ASSERT_SCIM_OK(d);
  EXPECT_EQ(d.value().op, ChangeOp::kDelete);
}

TEST(ChangeTest, AGroupChangeSaysWhichMembersItTouched) {
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
  // Unknown: all replaced, no hint (a rename), or a hint it cannot read.
  for (std::string members :
       std::vector<std::string>{R"({"replace":true,"add":["a"],"remove":[]})", "",
                                R"({"replace":false,"add":"a"})", R"({"add":[1]})"}) {
    SCOPED_TRACE(members);
    auto u = DecodeChange(payload(members));
    ASSERT_SCIM_OK(u);
    EXPECT_FALSE(u.value().members_touched.has_value());
  }
}

TEST(ChangeTest, PoisonPayloadsAreInvalidValue) {
  const char* cases[] = {
      "not json",
      R"({"op":"upsert","resourceType":"User","id":"a"})",
      R"({"op":"upsert","resourceType":"User","id":"a","version":"1","attributes":{}})",
      R"({"op":"upsert","resourceType":"User","id":"a","version":1})",
      R"({"op":"merge","resourceType":"User","id":"a","version":1,"attributes":{}})",
  };
  for (const char* p : cases) {
    SCOPED_TRACE(p);
    EXPECT_SCIM_ERROR(DecodeChange(p), 400, ScimType::kInvalidValue);
  }
}

}  // namespace
}  // namespace scim::sync
