#include "common/scim/json.h"

#include <gtest/gtest.h>

#include <random>

#include "tests/scim_matchers.h"

namespace scim {
namespace {

TEST(JsonTest, RoundTripsCompactText) {
  const char* cases[] = {
      R"({"a":1,"b":[true,false,null],"c":{"d":"e"}})",
      R"([])",
      R"({})",
      R"("caf\u00e9")",
      R"(-12)",
      R"(1.5)",
      R"({"z":1,"a":2})",  // insertion order is kept
  };
  for (const char* text : cases) {
    SCOPED_TRACE(text);
    auto parsed = ParseJson(text);
    ASSERT_SCIM_OK(parsed);
    auto again = ParseJson(ToJson(parsed.value()));
    ASSERT_SCIM_OK(again);
    EXPECT_EQ(parsed.value(), again.value());
  }
  EXPECT_EQ(ToJson(ParseJson(R"({"z":1,"a":2})").value()), R"({"z":1,"a":2})");
}

TEST(JsonTest, DecodesEscapesAndSurrogatePairs) {
  auto v = ParseJson(R"("a\"b\\c\/d\n\u00e9\ud83d\ude00")");
  ASSERT_SCIM_OK(v);
  EXPECT_EQ(v.value().as_string(), "a\"b\\c/d\n\xC3\xA9\xF0\x9F\x98\x80");
  EXPECT_EQ(ToJson(Json("tab\there\x01")), R"("tab\there\u0001")");
}

TEST(JsonTest, RejectsMalformedInput) {
  const char* cases[] = {
      "",      "{",        "{\"a\"}",      "{\"a\":}",         "[1,]",        "{\"a\":1,}", "tru",
      "01",    "1.",       "\"abc",        "\"\\x\"",          "\"\\ud800\"", "\"a\nb\"",   "{} x",
      "1e999", "\"\xC3\"", "\"\xC0\xAF\"", "\"\xED\xA0\x80\"", "nul",         "{1:2}",
  };
  for (const char* text : cases) {
    SCOPED_TRACE(text);
    EXPECT_SCIM_ERROR(ParseJson(text), 400, ScimType::kInvalidSyntax);
  }
}

// Text from a URL (an id, a schema URN) may be any bytes and ends up in
// error details: the writer must still produce JSON.
TEST(JsonTest, WritesBytesThatAreNotUtf8AsReplacementCharacters) {
  EXPECT_EQ(ToJson(Json("a\xFF"
                        "b")),
            "\"a\xEF\xBF\xBD"
            "b\"");
  EXPECT_EQ(ToJson(Json("\xC3")), "\"\xEF\xBF\xBD\"");                  // truncated
  EXPECT_EQ(ToJson(Json("\xC0\xAF")), "\"\xEF\xBF\xBD\xEF\xBF\xBD\"");  // overlong
  EXPECT_EQ(ToJson(Json("\xE2\x82\xAC\xF0\x9F\x99\x82")), "\"\xE2\x82\xAC\xF0\x9F\x99\x82\"");
  EXPECT_TRUE(IsValidUtf8("caf\xC3\xA9 \xF0\x9F\x99\x82"));
  for (const char* bad :
       {"\xFF", "\xC3", "\xC0\xAF", "\xED\xA0\x80", "\xF4\x90\x80\x80", "a\x80"}) {
    SCOPED_TRACE(bad);
    EXPECT_FALSE(IsValidUtf8(bad));
    EXPECT_SCIM_OK(ParseJson(ToJson(Json(bad))));
  }
}

// Property: for any bytes, ToJson writes JSON, and valid UTF-8 round-trips.
TEST(JsonTest, AnyBytesWriteAsJsonAndUtf8RoundTrips) {
  std::mt19937 rng(20261129);
  for (int i = 0; i < 20000; ++i) {
    std::string s(rng() % 12, '\0');
    for (auto& c : s) c = static_cast<char>(rng() % 4 == 0 ? 0x20 + rng() % 0x60 : rng() % 256);
    auto back = ParseJson(ToJson(Json(s)));
    ASSERT_TRUE(back.ok()) << ::testing::PrintToString(s);
    EXPECT_EQ(IsValidUtf8(s), back.value().as_string() == s) << ::testing::PrintToString(s);
  }
}

TEST(JsonTest, LimitsNestingDepth) {
  std::string deep(100, '[');
  deep += std::string(100, ']');
  EXPECT_SCIM_ERROR(ParseJson(deep), 400, ScimType::kInvalidSyntax);
  EXPECT_SCIM_OK(ParseJson(deep, JsonLimits{200}));
}

TEST(JsonTest, RepeatedKeyKeepsLastValueInFirstPosition) {
  auto v = ParseJson(R"({"a":1,"b":2,"a":3})");
  ASSERT_SCIM_OK(v);
  EXPECT_EQ(ToJson(v.value()), R"({"a":3,"b":2})");
}

TEST(JsonTest, FindCiMatchesAttributeNamesCaseInsensitively) {
  auto v = ParseJson(R"({"UserName":"x"})").value();
  ASSERT_NE(v.FindCi("userName"), nullptr);
  EXPECT_EQ(v.Find("userName"), nullptr);
}

TEST(JsonTest, IntegersAndDoublesCompareByValue) {
  EXPECT_EQ(ParseJson("2").value(), ParseJson("2.0").value());
  EXPECT_EQ(ParseJson("9223372036854775807").value().as_int(), INT64_MAX);
  EXPECT_TRUE(ParseJson("9223372036854775808").value().kind() == Json::Kind::kDouble);
}

}  // namespace
}  // namespace scim
