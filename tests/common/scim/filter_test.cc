#include "common/scim/filter.h"

#include <gtest/gtest.h>

#include "tests/scim_matchers.h"

namespace scim {
namespace {

struct Valid {
  const char* text;
  const char* attr;
  CompareOp op;
  Json value;
};

TEST(FilterParserTest, ParsesComparisons) {
  const Valid cases[] = {
      {R"(userName eq "bjensen")", "userName", CompareOp::kEq, Json("bjensen")},
      {R"(UserName EQ "a b")", "UserName", CompareOp::kEq, Json("a b")},
      {R"(  externalId eq jyoung  )", "externalId", CompareOp::kEq, Json("jyoung")},
      {R"(name.familyName co "O'Malley")", "name.familyName", CompareOp::kCo, Json("O'Malley")},
      {R"(urn:ietf:params:scim:schemas:core:2.0:User:userName sw "J")",
       "urn:ietf:params:scim:schemas:core:2.0:User:userName", CompareOp::kSw, Json("J")},
      {R"(active eq true)", "active", CompareOp::kEq, Json(true)},
      {R"(title pr)", "title", CompareOp::kPr, Json()},
      {R"(meta.lastModified gt "2011-05-13T04:42:34Z")", "meta.lastModified", CompareOp::kGt,
       Json("2011-05-13T04:42:34Z")},
      {R"(x le 42)", "x", CompareOp::kLe, Json(42)},
      {R"(userName eq "quote \" inside")", "userName", CompareOp::kEq, Json("quote \" inside")},
  };
  for (const auto& c : cases) {
    SCOPED_TRACE(c.text);
    auto f = ParseFilter(c.text);
    ASSERT_SCIM_OK(f);
    EXPECT_EQ(f.value().attr, c.attr);
    EXPECT_EQ(f.value().op, c.op);
    EXPECT_EQ(f.value().value, c.value);
  }
}

TEST(FilterParserTest, RejectsMalformedFiltersAsInvalidFilter) {
  const char* cases[] = {
      "",
      "userName",
      "userName eq",
      "userName zz \"x\"",
      "userName eq \"unterminated",
      "1abc eq \"x\"",
      "userName eq \"a\" and active eq true",  // not supported yet (issue 3)
      "not (userName eq \"a\")",
      "(userName eq \"a\")",
      "emails[type eq \"work\"]",
  };
  for (const char* text : cases) {
    SCOPED_TRACE(text);
    EXPECT_SCIM_ERROR(ParseFilter(text), 400, ScimType::kInvalidFilter);
  }
}

}  // namespace
}  // namespace scim
