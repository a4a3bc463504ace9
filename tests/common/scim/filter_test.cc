#include "common/scim/filter.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <string>

#include "tests/filter_dump.h"
#include "tests/scim_matchers.h"

namespace scim {
namespace {

using testing::Dump;

int Depth(const Filter& f) {
  int l = f.left ? Depth(*f.left) : 0;
  int r = f.right ? Depth(*f.right) : 0;
  return 1 + std::max(l, r);
}

struct ValidCase {
  const char* input;
  const char* expected;
};

TEST(FilterParserTest, ParsesValidFilters) {
  const ValidCase cases[] = {
      // What IdPs send (Entra ID, Okta, OneLogin, the RFC examples).
      {R"(userName eq "bjensen")", R"((eq userName "bjensen"))"},
      {R"(UserName EQ "x")", R"((eq UserName "x"))"},
      {R"(externalId eq jyoung)", R"((eq externalId "jyoung"))"},
      {R"(displayName eq "Group A")", R"((eq displayName "Group A"))"},
      {R"(meta.lastModified gt "2011-05-13T04:42:34Z")",
       R"((gt meta.lastModified "2011-05-13T04:42:34Z"))"},
      {R"(meta.lastModified ge "2011-05-13T04:42:34Z")",
       R"((ge meta.lastModified "2011-05-13T04:42:34Z"))"},
      {R"(meta.lastModified lt "2011-05-13T04:42:34Z")",
       R"((lt meta.lastModified "2011-05-13T04:42:34Z"))"},
      {R"(meta.lastModified le "2011-05-13T04:42:34Z")",
       R"((le meta.lastModified "2011-05-13T04:42:34Z"))"},
      {R"(title pr)", R"((pr title))"},
      {R"(title PR)", R"((pr title))"},
      {R"(name.familyName co "O'Malley")", R"((co name.familyName "O'Malley"))"},
      {R"(userName sw "J")", R"((sw userName "J"))"},
      {R"(userName ew "@example.com")", R"((ew userName "@example.com"))"},
      {R"(userName ne "x")", R"((ne userName "x"))"},
      {R"(userType eq "Employee" and (emails co "example.com" or emails.value co "example.org"))",
       R"((and (eq userType "Employee") (or (co emails "example.com") (co emails.value "example.org"))))"},
      {R"(emails[type eq "work" and value co "@example.com"] or ims[type eq "xmpp" and value co "@foo.com"])",
       R"((or (vp emails (and (eq type "work") (co value "@example.com"))) (vp ims (and (eq type "xmpp") (co value "@foo.com")))))"},
      {R"(members[value eq "2819c223-7f76-453a-919d-413861904646"])",
       R"((vp members (eq value "2819c223-7f76-453a-919d-413861904646")))"},
      {R"(roles[primary eq "True"])", R"((vp roles (eq primary "True")))"},
      {R"(emails[not (type eq "work")])", R"((vp emails (not (eq type "work"))))"},
      // Value path + sub-attribute in a filter: our documented extension.
      {R"(emails[type eq "work"].value eq "a@b")",
       R"((vp emails (and (eq type "work") (eq value "a@b"))))"},
      {R"(emails[type eq "work"].value pr)", R"((vp emails (and (eq type "work") (pr value))))"},
      // not, precedence, grouping.
      {R"(not (a eq "b"))", R"((not (eq a "b")))"},
      {R"(NOT(a eq "b"))", R"((not (eq a "b")))"},
      {R"(not (not (a pr)))", R"((not (not (pr a))))"},
      {R"(a eq 1 or b eq 2 and c eq 3)", R"((or (eq a 1) (and (eq b 2) (eq c 3))))"},
      {R"(a eq 1 and b eq 2 or c eq 3)", R"((or (and (eq a 1) (eq b 2)) (eq c 3)))"},
      {R"((a eq 1 or b eq 2) and c eq 3)", R"((and (or (eq a 1) (eq b 2)) (eq c 3)))"},
      {R"(a pr AND b pr Or c pr)", R"((or (and (pr a) (pr b)) (pr c)))"},
      {R"(a pr and b pr and c pr and d pr)", R"((and (pr a) (pr b) (pr c) (pr d)))"},
      {R"(((((a pr)))))", R"((pr a))"},
      {R"(((a pr) and ((b pr) or (c pr))))", R"((and (pr a) (or (pr b) (pr c))))"},
      {R"(a pr and(b pr))", R"((and (pr a) (pr b)))"},
      // URN-qualified paths.
      {R"(urn:ietf:params:scim:schemas:core:2.0:User:userName sw "J")",
       R"((sw urn:ietf:params:scim:schemas:core:2.0:User:userName "J"))"},
      {R"(urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:manager.value eq "x")",
       R"((eq urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:manager.value "x"))"},
      {R"(urn:ietf:params:scim:schemas:core:2.0:User:emails[type eq "work"])",
       R"((vp urn:ietf:params:scim:schemas:core:2.0:User:emails (eq type "work")))"},
      // compValue: JSON literals, case-insensitive keywords, bare words.
      {R"(active eq true)", R"((eq active true))"},
      {R"(active eq True)", R"((eq active true))"},
      {R"(active eq FALSE)", R"((eq active false))"},
      {R"(title eq null)", R"((eq title null))"},
      {R"(title ne NULL)", R"((ne title null))"},
      {R"(x le 42)", R"((le x 42))"},
      {R"(x gt -1.5)", R"((gt x -1.5))"},
      {R"(x gt 1e3)", R"((gt x 1000))"},
      {R"(x eq "42")", R"((eq x "42"))"},
      {R"(x eq 12abc)", R"((eq x "12abc"))"},
      {R"(x eq 0123)", R"((eq x "0123"))"},
      {R"(x eq a@b.com)", R"((eq x "a@b.com"))"},
      {R"(x eq "quote \" inside")", R"((eq x "quote \" inside"))"},
      {R"(x eq "caf\u00e9 \\ ) ] (")", "(eq x \"caf\xC3\xA9 \\\\ ) ] (\")"},
      {"displayName eq Zo\xC3\xAB", "(eq displayName \"Zo\xC3\xAB\")"},
      {R"(x eq "")", R"((eq x ""))"},
      {R"((externalId eq jyoung))", R"((eq externalId "jyoung"))"},
      {R"(members.$ref pr)", R"((pr members.$ref))"},
      {"  userName \t eq\t\"x\"  ", R"((eq userName "x"))"},
      {"a pr\nand\r\nb pr", R"((and (pr a) (pr b)))"},
  };
  for (const auto& c : cases) {
    SCOPED_TRACE(c.input);
    auto f = ParseFilter(c.input);
    ASSERT_SCIM_OK(f);
    EXPECT_EQ(Dump(*f.value()), c.expected);
    // Written back as filter text, it parses into the same tree.
    std::string text = testing::RenderFilter(*f.value());
    auto again = ParseFilter(text);
    ASSERT_SCIM_OK(again) << text;
    EXPECT_EQ(Dump(*again.value()), c.expected) << text;
  }
}

struct PathCase {
  const char* input;
  const char* urn;
  const char* attr;
  const char* sub;
};

TEST(FilterParserTest, SplitsAttributePaths) {
  const PathCase cases[] = {
      {"userName pr", "", "userName", ""},
      {"name.givenName pr", "", "name", "givenName"},
      {"urn:ietf:params:scim:schemas:core:2.0:User:userName pr",
       "urn:ietf:params:scim:schemas:core:2.0:User", "userName", ""},
      {"urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:manager.value pr",
       "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User", "manager", "value"},
      {"URN:IETF:params:scim:schemas:core:2.0:User:name.familyName pr",
       "URN:IETF:params:scim:schemas:core:2.0:User", "name", "familyName"},
      {"urn:a:b pr", "urn:a", "b", ""},
  };
  for (const auto& c : cases) {
    SCOPED_TRACE(c.input);
    auto f = ParseFilter(c.input);
    ASSERT_SCIM_OK(f);
    EXPECT_EQ(f.value()->path.urn, c.urn);
    EXPECT_EQ(f.value()->path.attr, c.attr);
    EXPECT_EQ(f.value()->path.sub, c.sub);
  }
}

TEST(FilterParserTest, ToStringWritesPathsAsScimDoes) {
  EXPECT_EQ(ToString(AttrPath{"", "userName", ""}), "userName");
  EXPECT_EQ(ToString(AttrPath{"", "name", "givenName"}), "name.givenName");
  EXPECT_EQ(ToString(AttrPath{"urn:x:y", "manager", "value"}), "urn:x:y:manager.value");
  EXPECT_EQ(ToString(AttrPath{"urn:x:y", "department", ""}), "urn:x:y:department");
}

std::string Nested(int levels, std::string_view open, std::string_view inner) {
  std::string s;
  for (int i = 0; i < levels; ++i) s.append(open);
  s.append(inner);
  s.append(static_cast<size_t>(levels), ')');
  return s;
}

TEST(FilterParserTest, AllowsSixtyFourLevelsOfNesting) {
  EXPECT_SCIM_OK(ParseFilter(Nested(64, "(", "a pr")));
  EXPECT_SCIM_OK(ParseFilter(Nested(64, "not (", "a pr")));
  EXPECT_SCIM_OK(ParseFilter(Nested(63, "(", "emails[type pr]")));
}

TEST(FilterParserTest, KeepsLongChainsShallow) {
  std::string text = "a eq 0";
  for (int i = 1; i < 20000; ++i) text += (i % 3 ? " or a eq " : " and a eq ") + std::to_string(i);
  auto f = ParseFilter(text);
  ASSERT_SCIM_OK(f);
  EXPECT_LE(Depth(*f.value()), 40);
}

TEST(FilterParserTest, ErrorsSayWhatFailedAndWhere) {
  EXPECT_EQ(ParseFilter("userName eq").error().detail, "expected a value after 'eq' at offset 11");
  EXPECT_EQ(ParseFilter("userName zz \"x\"").error().detail, "unknown operator at offset 9");
  EXPECT_EQ(ParseFilter("(a pr").error().detail, "expected ')' at offset 5");
  EXPECT_EQ(ParseFilter("a pr)").error().detail, "unbalanced ')' at offset 4");
  EXPECT_EQ(ParseFilter("a eq \"x").error().detail, "unterminated string at offset 5");
  EXPECT_EQ(ParseFilter("").error().detail, "empty filter");
  EXPECT_EQ(ParseFilter(Nested(65, "(", "a pr")).error().detail,
            "nesting deeper than 64 levels at offset 64");
}

struct InvalidCase {
  std::string input;
  int status;
  ScimType type;
};

TEST(FilterParserTest, RejectsMalformedFilters) {
  constexpr int k400 = 400;
  constexpr ScimType kFilter = ScimType::kInvalidFilter;
  const InvalidCase cases[] = {
      {"", k400, kFilter},
      {" \t ", k400, kFilter},
      {"userName", k400, kFilter},
      {"userName eq", k400, kFilter},
      {"userName eq ", k400, kFilter},
      {"userName zz \"x\"", k400, kFilter},
      {"userName eq \"unterminated", k400, kFilter},
      {"userName eq \"ends in backslash\\", k400, kFilter},
      {"userName eq \"bad \\q escape\"", k400, kFilter},
      {"userName eq \"bad \\u12 escape\"", k400, kFilter},
      {"userName eq \"raw \x01 control\"", k400, kFilter},
      {"userName eq \"bad utf8 \xff\"", k400, kFilter},
      {"userName eq bad\xffutf8", k400, kFilter},
      {"userName eq bad\x01"
       "control",
       k400, kFilter},
      {"userName eq \"x\" extra", k400, kFilter},
      {"userName eq \"x\"y", k400, kFilter},
      {"userName eq \"x\" userName eq \"y\"", k400, kFilter},
      {"userName eq \"x\" and", k400, kFilter},
      {"userName eq \"x\" or", k400, kFilter},
      {"userName eq \"x\" and or b pr", k400, kFilter},
      {"and a pr", k400, kFilter},
      {"title pr \"x\"", k400, kFilter},
      {"a pr pr", k400, kFilter},
      {"a eq ()", k400, kFilter},
      {"\"userName\" eq \"x\"", k400, kFilter},
      {"1abc eq \"x\"", k400, kFilter},
      {"a..b pr", k400, kFilter},
      {"a. pr", k400, kFilter},
      {".a pr", k400, kFilter},
      {"a.b.c pr", k400, kFilter},
      {"user:name pr", k400, kFilter},
      {"urn: pr", k400, kFilter},
      {"urn:userName pr", k400, kFilter},
      {"urn:a:b: pr", k400, kFilter},
      {"urn:a:1b pr", k400, kFilter},
      // Parentheses.
      {"(userName eq \"x\"", k400, kFilter},
      {"userName eq \"x\")", k400, kFilter},
      {"((a pr)", k400, kFilter},
      {"(a pr))", k400, kFilter},
      {"()", k400, kFilter},
      {")", k400, kFilter},
      {"(a pr b pr)", k400, kFilter},
      {"not a eq \"b\"", k400, kFilter},
      {"not (a eq \"b\"", k400, kFilter},
      {"not ()", k400, kFilter},
      {"not", k400, kFilter},
      // Brackets.
      {"emails[type eq \"work\"", k400, kFilter},
      {"emails[type eq \"work\"]]", k400, kFilter},
      {"emails type eq \"work\"]", k400, kFilter},
      {"emails[]", k400, kFilter},
      {"emails [type eq \"work\"]", k400, kFilter},
      {"emails[type eq \"work\")", k400, kFilter},
      {"(emails[type eq \"work\")]", k400, kFilter},
      {"emails[type[value pr]]", k400, kFilter},
      {"emails[type eq \"a\"] and emails[x[y pr]]", k400, kFilter},
      {"emails[urn:a:b:type eq \"a\"]", k400, kFilter},
      {"emails[type.x eq \"a\"]", k400, kFilter},
      {"name.givenName[value pr]", k400, kFilter},
      {"emails[type eq \"work\"] pr", k400, kFilter},
      {"emails[type eq \"work\"].value", k400, kFilter},
      {"emails[type eq \"work\"].1x eq \"a\"", k400, kFilter},
      {"emails[type eq \"work\"]. value eq \"a\"", k400, kFilter},
      {"emails[type eq \"work\"].value.x eq \"a\"", k400, kFilter},
      // Nesting past the limit.
      {Nested(65, "(", "a pr"), k400, kFilter},
      {Nested(65, "not (", "a pr"), k400, kFilter},
      {Nested(64, "(", "emails[type pr]"), k400, kFilter},
      {std::string(100000, '('), k400, kFilter},
  };
  for (const auto& c : cases) {
    SCOPED_TRACE(c.input.substr(0, 80));
    EXPECT_SCIM_ERROR(ParseFilter(c.input), c.status, c.type);
  }
}

}  // namespace
}  // namespace scim
