#include <gtest/gtest.h>

#include <string>

#include "common/scim/filter.h"
#include "tests/filter_dump.h"
#include "tests/scim_matchers.h"

namespace scim {
namespace {

using testing::Dump;

struct ValidCase {
  const char* input;
  const char* attr;    // ToString(path.attr)
  const char* filter;  // Dump(*path.value_filter), "" when there is none
  const char* sub;
};

TEST(PatchPathTest, ParsesValidPaths) {
  const ValidCase cases[] = {
      {"members", "members", "", ""},
      {"name.givenName", "name.givenName", "", ""},
      {"emails[type eq \"work\"].value", "emails", R"((eq type "work"))", "value"},
      {"members[value eq \"2819c223-7f76-453a-919d-413861904646\"]", "members",
       R"((eq value "2819c223-7f76-453a-919d-413861904646"))", ""},
      {"urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:manager",
       "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:manager", "", ""},
      {"urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:manager.value",
       "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:manager.value", "", ""},
      {"urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:employeeNumber",
       "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:employeeNumber", "", ""},
      {"roles[primary eq \"True\"].value", "roles", R"((eq primary "True"))", "value"},
      {"addresses[type eq \"work\"].streetAddress", "addresses", R"((eq type "work"))",
       "streetAddress"},
      {"emails[type eq \"work\" and value ew \"@example.com\"]", "emails",
       R"((and (eq type "work") (ew value "@example.com")))", ""},
      {"members[value eq \"a\" or value eq \"b\"]", "members",
       R"((or (eq value "a") (eq value "b")))", ""},
      {"emails[not (primary eq true)]", "emails", "(not (eq primary true))", ""},
      {"emails[ type EQ \"work\" ].display", "emails", R"((eq type "work"))", "display"},
      {"members[value eq jyoung]", "members", R"((eq value "jyoung"))", ""},
      {"x509Certificates[value pr]", "x509Certificates", "(pr value)", ""},
      {"urn:ietf:params:scim:schemas:core:2.0:User:emails[type eq \"work\"].value",
       "urn:ietf:params:scim:schemas:core:2.0:User:emails", R"((eq type "work"))", "value"},
      {"  members  ", "members", "", ""},
      {"Name.GivenName", "Name.GivenName", "", ""},
  };
  for (const auto& c : cases) {
    SCOPED_TRACE(c.input);
    auto p = ParsePatchPath(c.input);
    ASSERT_SCIM_OK(p);
    EXPECT_EQ(ToString(p.value().attr), c.attr);
    EXPECT_EQ(p.value().value_filter ? Dump(*p.value().value_filter) : "", c.filter);
    EXPECT_EQ(p.value().sub, c.sub);
  }
}

struct SplitCase {
  const char* input;
  const char* urn;
  const char* attr;
  const char* sub;
};

TEST(PatchPathTest, SplitsUrnAttributeAndSubAttribute) {
  const SplitCase cases[] = {
      {"name.givenName", "", "name", "givenName"},
      {"urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:manager",
       "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User", "manager", ""},
      {"urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:manager.value",
       "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User", "manager", "value"},
      // A bare schema URN splits by the same last-':' rule; the PATCH code
      // must recognise urn + ":" + attr as a schema URN itself.
      {"urn:ietf:params:scim:schemas:extension:enterprise:2.0:User",
       "urn:ietf:params:scim:schemas:extension:enterprise:2.0", "User", ""},
  };
  for (const auto& c : cases) {
    SCOPED_TRACE(c.input);
    auto p = ParsePatchPath(c.input);
    ASSERT_SCIM_OK(p);
    EXPECT_EQ(p.value().attr.urn, c.urn);
    EXPECT_EQ(p.value().attr.attr, c.attr);
    EXPECT_EQ(p.value().attr.sub, c.sub);
  }
}

TEST(PatchPathTest, ErrorsSayWhatFailed) {
  EXPECT_EQ(ParsePatchPath("emails[type eq]").error().detail,
            "invalid value filter: expected a value after 'eq' at offset 14");
  EXPECT_EQ(ParsePatchPath("name givenName").error().detail, "unexpected text at offset 5");
  EXPECT_EQ(ParsePatchPath("").error().detail, "empty path");
}

struct InvalidCase {
  std::string input;
  int status;
  ScimType type;
};

TEST(PatchPathTest, RejectsMalformedPaths) {
  constexpr int k400 = 400;
  constexpr ScimType kPath = ScimType::kInvalidPath;
  const InvalidCase cases[] = {
      {"", k400, kPath},
      {"  ", k400, kPath},
      {"[type eq \"work\"]", k400, kPath},
      {"emails[", k400, kPath},
      {"emails[type eq \"work\"", k400, kPath},
      {"emails[type eq]", k400, kPath},
      {"emails[]", k400, kPath},
      {"emails[type eq \"work\"]value", k400, kPath},
      {"emails[type eq \"work\"].", k400, kPath},
      {"emails[type eq \"work\"].value.x", k400, kPath},
      {"emails[type eq \"work\"].value eq \"x\"", k400, kPath},
      {"emails[type eq \"work\"]x", k400, kPath},
      {"emails[type eq \"work\"][value pr]", k400, kPath},
      {"emails[type eq \"work\")", k400, kPath},
      {"emails[type eq \"unterminated]", k400, kPath},
      {"emails[type[value pr]]", k400, kPath},
      {"emails[urn:a:b:type eq \"x\"]", k400, kPath},
      {"emails[type.sub eq \"x\"]", k400, kPath},
      {"emails [type eq \"work\"]", k400, kPath},
      {"name.givenName[value pr]", k400, kPath},
      {"name.givenName.x", k400, kPath},
      {"name..x", k400, kPath},
      {"name.", k400, kPath},
      {".name", k400, kPath},
      {"1name", k400, kPath},
      {"name givenName", k400, kPath},
      {"user:name", k400, kPath},
      {"urn:", k400, kPath},
      {"urn:x", k400, kPath},
      {"urn:a:b:", k400, kPath},
      {"emails]", k400, kPath},
      {"emails)", k400, kPath},
      {"emails(type eq \"x\")", k400, kPath},
      {"\"members\"", k400, kPath},
      {"members\xff", k400, kPath},
      {"emails[" + std::string(65, '(') + "a pr" + std::string(65, ')') + "]", k400, kPath},
  };
  for (const auto& c : cases) {
    SCOPED_TRACE(c.input);
    EXPECT_SCIM_ERROR(ParsePatchPath(c.input), c.status, c.type);
  }
}

}  // namespace
}  // namespace scim
