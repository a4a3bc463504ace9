#include "common/scim/list.h"

#include <gtest/gtest.h>

#include "tests/scim_matchers.h"

namespace scim {
namespace {

TEST(ListQueryTest, DefaultsAndClamping) {
  auto q = DecodeListQuery({});
  ASSERT_SCIM_OK(q);
  EXPECT_EQ(q.value().start_index, 1);
  EXPECT_EQ(q.value().count, kDefaultCount);
  EXPECT_EQ(q.value().filter, "");

  q = DecodeListQuery({{"startIndex", "0"}, {"count", "-5"}, {"filter", "userName eq \"a\""}});
  ASSERT_SCIM_OK(q);
  EXPECT_EQ(q.value().start_index, 1);
  EXPECT_EQ(q.value().count, 0);
  EXPECT_EQ(q.value().filter, "userName eq \"a\"");

  q = DecodeListQuery({{"STARTINDEX", "7"}, {"Count", "100000"}});
  ASSERT_SCIM_OK(q);
  EXPECT_EQ(q.value().start_index, 7);
  EXPECT_EQ(q.value().count, kMaxCount);
}

TEST(ListQueryTest, RejectsNonIntegers) {
  EXPECT_SCIM_ERROR(DecodeListQuery({{"count", "ten"}}), 400, ScimType::kInvalidValue);
  EXPECT_SCIM_ERROR(DecodeListQuery({{"startIndex", "1x"}}), 400, ScimType::kInvalidValue);
}

TEST(ListQueryTest, ItemsPerPageIsWhatIsReturned) {
  Json out = RenderListResponse(5, 3, {Json::MakeObject(), Json::MakeObject()});
  EXPECT_EQ(
      ToJson(out),
      R"({"schemas":["urn:ietf:params:scim:api:messages:2.0:ListResponse"],"totalResults":5,"startIndex":3,"itemsPerPage":2,"Resources":[{},{}]})");
}

}  // namespace
}  // namespace scim
