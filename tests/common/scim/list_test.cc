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

// A cursor is valid only as EncodeCursor wrote it: anything else is
// invalidCursor, never a page from somewhere (c8000000000000000 used to
// decode to a negative position and restart the walk).
TEST(CursorTest, DecodesExactlyWhatEncodeCursorIssues) {
  for (int64_t seq : {int64_t{1}, int64_t{15}, int64_t{123456789}, INT64_MAX}) {
    SCOPED_TRACE(seq);
    EXPECT_EQ(DecodeCursor(EncodeCursor(seq)), std::optional<int64_t>(seq));
  }
  const char* invalid[] = {"",
                           "c",
                           "c0",
                           "c00",
                           "c01",
                           "cA",
                           "c1F",
                           "C1",
                           "c-1",
                           "c+1",
                           "c 1",
                           "c1 ",
                           "x1",
                           "c1g",
                           "\xe2\x82\xac",
                           "c8000000000000000",
                           "cffffffffffffffff",
                           "c10000000000000000"};
  for (const char* c : invalid) {
    SCOPED_TRACE(c);
    EXPECT_EQ(DecodeCursor(c), std::nullopt);
  }
}

}  // namespace
}  // namespace scim
