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
