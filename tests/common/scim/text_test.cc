#include "common/scim/text.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace scim {
namespace {

TEST(TextTest, EqualsCiFoldsAsciiOnly) {
  EXPECT_TRUE(EqualsCi("ABC", "abc"));
  EXPECT_TRUE(EqualsCi("", ""));
  EXPECT_FALSE(EqualsCi("abc", "abd"));
  EXPECT_FALSE(EqualsCi("abc", "ab"));
  EXPECT_FALSE(EqualsCi("\xC3\x89", "\xC3\xA9"));  // É, é: no Unicode folding
}

TEST(TextTest, LowerAsciiFoldsAsciiLettersOnly) {
  EXPECT_EQ(LowerAscii("InnoDB Version_Comment"), "innodb version_comment");
  EXPECT_EQ(LowerAscii("\xC3\x89t\xC3\xA9"), "\xC3\x89t\xC3\xA9");  // UTF-8 bytes untouched
  EXPECT_EQ(LowerAscii(""), "");
}

TEST(TextTest, TrimRemovesBlanksAtBothEnds) {
  EXPECT_EQ(Trim(" \t a b \r\n"), "a b");
  EXPECT_EQ(Trim("a"), "a");
  EXPECT_EQ(Trim(" \t"), "");
  EXPECT_EQ(Trim(""), "");
}

TEST(TextTest, SplitListTrimsItemsAndIgnoresATrailingComma) {
  using V = std::vector<std::string_view>;
  struct Case {
    const char* text;
    V items;
  } cases[] = {
      {"a, b ,c", V{"a", "b", "c"}},
      {"a, b,", V{"a", "b"}},
      {"a,,b", V{"a", "", "b"}},
      {",a", V{"", "a"}},
      {" W/\"1\" , \"2\"", V{"W/\"1\"", "\"2\""}},
      {"", V{}},
      {"  ", V{}},
      {"a", V{"a"}},
  };
  for (const auto& c : cases) {
    SCOPED_TRACE(c.text);
    EXPECT_EQ(SplitList(c.text), c.items);
  }
}

struct DateCase {
  const char* text;
  std::optional<int64_t> expected;
};

TEST(TextTest, ParsesRfc3339DateTimes) {
  const DateCase cases[] = {
      {"1970-01-01T00:00:00Z", 0},
      {"2011-05-13T04:42:34Z", 1305261754000},
      {"2011-05-13T04:42:34.123Z", 1305261754123},
      {"2011-05-13T06:42:34.123+02:00", 1305261754123},
      {"2011-05-13T04:42:34.1239Z", 1305261754123},
      {"2011-05-13T04:42:34.1Z", 1305261754100},
      {"2011-05-13t04:42:34z", 1305261754000},
      {"2011-05-13T00:00:00-05:30", 1305264600000},
      {"2011-05-13T04:42:34-00:00", 1305261754000},
      {"2000-02-29T00:00:00Z", 951782400000},
      {"1969-12-31T23:59:59Z", -1000},
      {"0000-01-01T00:00:00Z", -62167219200000},
      {"9999-12-31T23:59:59Z", 253402300799000},
      {"2016-12-31T23:59:60Z", 1483228800000},
      {"", std::nullopt},
      {"2011-05-13", std::nullopt},
      {"2011-05-13T04:42:34", std::nullopt},
      {"2011-05-13 04:42:34Z", std::nullopt},
      {"2011-5-13T04:42:34Z", std::nullopt},
      {"+2011-05-13T04:42:34Z", std::nullopt},
      {"2011-13-01T00:00:00Z", std::nullopt},
      {"2011-00-01T00:00:00Z", std::nullopt},
      {"2011-04-31T00:00:00Z", std::nullopt},
      {"2011-02-29T00:00:00Z", std::nullopt},
      {"1900-02-29T00:00:00Z", std::nullopt},
      {"2011-05-00T00:00:00Z", std::nullopt},
      {"2011-05-13T24:00:00Z", std::nullopt},
      {"2011-05-13T04:60:00Z", std::nullopt},
      {"2011-05-13T04:42:61Z", std::nullopt},
      {"2011-05-13T04:42:34.Z", std::nullopt},
      {"2011-05-13T04:42:34+2:00", std::nullopt},
      {"2011-05-13T04:42:34+0200", std::nullopt},
      {"2011-05-13T04:42:34+24:00", std::nullopt},
      {"2011-05-13T04:42:34+02:60", std::nullopt},
      {"2011-05-13T04:42:34Zjunk", std::nullopt},
      {"2011-05-13T04:42:34+02:00 ", std::nullopt},
      {"2011-05-13T04:42:3xZ", std::nullopt},
  };
  for (const auto& c : cases) {
    SCOPED_TRACE(c.text);
    EXPECT_EQ(ParseDateTime(c.text), c.expected);
  }
}

}  // namespace
}  // namespace scim
