#include "common/scim/filter_eval.h"

#include <gtest/gtest.h>

#include <map>
#include <string>

#include "tests/scim_matchers.h"

namespace scim {
namespace {

constexpr const char* kUser = R"({
  "schemas": ["urn:ietf:params:scim:schemas:core:2.0:User",
              "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User"],
  "id": "2819c223-7f76-453a-919d-413861904646",
  "externalId": "jyoung",
  "userName": "bjensen@example.com",
  "name": {"familyName": "Jensen", "givenName": "Barbara",
           "formatted": "Ms. Barbara J Jensen III"},
  "displayName": "Babs Jensen",
  "title": "Tour Guide",
  "nickName": "",
  "userType": "Employee",
  "active": true,
  "emails": [{"value": "bjensen@example.com", "type": "work", "primary": true},
             {"value": "babs@jensen.org", "type": "home"}],
  "phoneNumbers": [],
  "roles": [{"value": "admin", "primary": true}, {"value": "dev", "primary": false}],
  "x509Certificates": [{"value": "MIIDQzCCAqygAwIBAgICEAAwDQYJKoZIhvcNAQEFBQAwTjELMAkGA1UEBhMCVVMx"}],
  "loginCount": 42,
  "score": 3.5,
  "profileUrl": null,
  "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User": {
    "employeeNumber": "701984",
    "department": "Tour Operations",
    "manager": {"value": "26118915-6090-4610-87e4-49d8ca9f808d", "displayName": "John Smith"}
  },
  "meta": {"resourceType": "User", "created": "2010-01-23T04:56:22Z",
           "lastModified": "2011-05-13T04:42:34Z", "version": "W/\"3694e05e9dff591\""}
})";

constexpr const char* kGroup = R"({
  "schemas": ["urn:ietf:params:scim:schemas:core:2.0:Group"],
  "id": "e9e30dba-f08f-4109-8486-d5c6a331660a",
  "displayName": "Group A",
  "members": [
    {"value": "2819c223-7f76-453a-919d-413861904646", "display": "Babs Jensen", "type": "User",
     "$ref": "https://example.com/v2/Users/2819c223-7f76-453a-919d-413861904646"},
    {"value": "902c246b-6245-4190-8e05-00816be7344a", "display": "Mandy Pepperidge",
     "type": "User"}
  ],
  "meta": {"resourceType": "Group", "lastModified": "2011-05-13T04:42:34Z"}
})";

using Type = AttrTraits::Type;

std::string Lower(std::string s) {
  for (char& c : s) c = (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c;
  return s;
}

// A fake schema for User and Group: keys are lower-case "[urn:]attr[.sub]".
std::optional<AttrTraits> FakeTraits(const AttrPath& path) {
  const AttrTraits kStr{Type::kString, false, false};
  const AttrTraits kExact{Type::kString, true, false};
  const AttrTraits kBool{Type::kBoolean, false, false};
  const AttrTraits kMulti{Type::kComplex, false, true};
  const AttrTraits kComplex{Type::kComplex, false, false};
  const AttrTraits kDate{Type::kDateTime, false, false};
  const std::string ent = "urn:ietf:params:scim:schemas:extension:enterprise:2.0:user:";
  static const std::map<std::string, AttrTraits> kTraits = {
      {"id", kExact},
      {"externalid", kExact},
      {"username", kStr},
      {"displayname", kStr},
      {"title", kStr},
      {"nickname", kStr},
      {"usertype", kStr},
      {"active", kBool},
      {"name", kComplex},
      {"name.familyname", kStr},
      {"name.givenname", kStr},
      {"emails", kMulti},
      {"emails.value", kStr},
      {"emails.type", kStr},
      {"emails.primary", kBool},
      {"phonenumbers", kMulti},
      {"phonenumbers.value", kStr},
      {"roles", kMulti},
      {"roles.value", kStr},
      {"roles.primary", kBool},
      {"x509certificates", kMulti},
      {"x509certificates.value", AttrTraits{Type::kBinary, true, false}},
      {"logincount", AttrTraits{Type::kInteger, false, false}},
      {"score", AttrTraits{Type::kDecimal, false, false}},
      {"profileurl", AttrTraits{Type::kReference, true, false}},
      {"meta", kComplex},
      {"meta.created", kDate},
      {"meta.lastmodified", kDate},
      {"meta.resourcetype", kExact},
      {"meta.version", kExact},
      {ent + "employeenumber", kStr},
      {ent + "department", kStr},
      {ent + "manager", kComplex},
      {ent + "manager.value", kExact},
      {ent + "manager.displayname", kStr},
      {"members", kMulti},
      {"members.value", kExact},
      {"members.display", kStr},
      {"members.type", kStr},
      {"members.$ref", AttrTraits{Type::kReference, true, false}},
  };
  std::string key = path.urn.empty() ? "" : Lower(path.urn) + ":";
  key += Lower(path.attr);
  if (!path.sub.empty()) key += "." + Lower(path.sub);
  auto it = kTraits.find(key);
  if (it == kTraits.end()) return std::nullopt;
  return it->second;
}

struct MatchCase {
  const char* filter;
  bool expected;
};

void ExpectMatches(const char* resource_text, const MatchCase* cases, size_t n) {
  auto resource = ParseJson(resource_text);
  ASSERT_SCIM_OK(resource);
  for (size_t i = 0; i < n; ++i) {
    SCOPED_TRACE(cases[i].filter);
    auto f = ParseFilter(cases[i].filter);
    ASSERT_SCIM_OK(f);
    EXPECT_EQ(Matches(resource.value(), *f.value(), FakeTraits), cases[i].expected);
  }
}

TEST(FilterEvalTest, MatchesUserAttributes) {
  const MatchCase cases[] = {
      // Strings: case-insensitive unless caseExact.
      {R"(userName eq "bjensen@example.com")", true},
      {R"(userName eq "BJENSEN@EXAMPLE.COM")", true},
      {R"(UserName EQ "bjensen@example.com")", true},
      {R"(USERNAME eq "bjensen@example.com")", true},
      {R"(externalId eq jyoung)", true},
      {R"(externalId eq "jyoung")", true},
      {R"(externalId eq JYOUNG)", false},
      {R"(id eq "2819C223-7F76-453A-919D-413861904646")", false},
      {R"(displayName eq "Babs Jensen")", true},
      {R"(userName ne "x")", true},
      {R"(userName ne "BJensen@example.com")", false},
      {R"(userName co "JENSEN")", true},
      {R"(userName sw "bjen")", true},
      {R"(userName ew "example.com")", true},
      {R"(userName ew "example")", false},
      {R"(externalId co "YOUNG")", false},
      {R"(userName gt "a")", true},
      {R"(userName lt "a")", false},
      {R"(userName ge "BJENSEN@example.com")", true},
      {R"(userName le "bjensen@example.com")", true},
      {R"(userName lt "C")", true},
      {R"(name.familyName eq "jensen")", true},
      {R"(name.givenName sw "Bar")", true},
      {R"(name eq "Jensen")", false},
      // pr, null.
      {R"(title pr)", true},
      {R"(nickName pr)", false},
      {R"(phoneNumbers pr)", false},
      {R"(profileUrl pr)", false},
      {R"(missing pr)", false},
      {R"(emails pr)", true},
      {R"(name pr)", true},
      {R"(name.middleName pr)", false},
      {R"(missing eq null)", true},
      {R"(title eq null)", false},
      {R"(title ne null)", true},
      {R"(profileUrl eq null)", true},
      {R"(nickName eq null)", true},
      {R"(missing ne null)", false},
      // Missing attributes: false except ne.
      {R"(missing eq "x")", false},
      {R"(missing ne "x")", true},
      {R"(missing gt "x")", false},
      {R"(missing co "x")", false},
      {R"(name.middleName ne "x")", true},
      // Multi-valued: any value; a complex one compares its "value".
      {R"(emails eq "babs@jensen.org")", true},
      {R"(emails co "example.com")", true},
      {R"(emails.value eq "BABS@JENSEN.ORG")", true},
      {R"(emails.type eq "home")", true},
      {R"(emails.type eq "other")", false},
      {R"(emails.type ne "work")", true},
      {R"(emails[type eq "work"])", true},
      {R"(emails[type eq "other"])", false},
      {R"(emails[type eq "work" and value co "@example.com"])", true},
      {R"(emails[type eq "work" and value co "@jensen.org"])", false},
      {R"(emails[type eq "work"].value eq "bjensen@example.com")", true},
      {R"(emails[type eq "home"].value eq "bjensen@example.com")", false},
      {R"(emails[not (type eq "work")].value ew "jensen.org")", true},
      {R"(emails[primary eq true])", true},
      {R"(emails[primary eq "True"])", true},
      {R"(emails[primary pr and type eq "home"])", false},
      {R"(phoneNumbers[value pr])", false},
      {R"(name[givenName eq "barbara"])", true},
      // Booleans, including Entra's "True".
      {R"(roles[primary eq "True"].value eq "admin")", true},
      {R"(roles[primary eq "TRUE" and value eq "dev"])", false},
      {R"(roles[primary eq "false"].value eq "dev")", true},
      {R"(active eq true)", true},
      {R"(active eq "true")", true},
      {R"(active eq "True")", true},
      {R"(active eq false)", false},
      {R"(active ne false)", true},
      {R"(active eq "yes")", false},
      {R"(active ne "yes")", true},
      {R"(active gt false)", false},
      {R"(active co "tr")", false},
      // Numbers.
      {R"(loginCount gt 40)", true},
      {R"(loginCount eq 42)", true},
      {R"(loginCount eq 42.0)", true},
      {R"(loginCount lt "50")", true},
      {R"(loginCount ge 43)", false},
      {R"(loginCount eq "forty-two")", false},
      {R"(loginCount ne "forty-two")", true},
      {R"(score gt 3)", true},
      {R"(score le 3.5)", true},
      {R"(score lt 3.5)", false},
      // dateTime: instants, not text.
      {R"(meta.lastModified gt "2011-05-13T04:42:34Z")", false},
      {R"(meta.lastModified ge "2011-05-13T04:42:34Z")", true},
      {R"(meta.lastModified gt "2011-05-13T04:42:33Z")", true},
      {R"(meta.lastModified le "2011-05-13T04:42:34Z")", true},
      {R"(meta.lastModified eq "2011-05-13T06:42:34+02:00")", true},
      {R"(meta.lastModified lt "2011-05-13T06:42:34+02:00")", false},
      {R"(meta.lastModified gt "2011-05-13T04:42:34.001Z")", false},
      {R"(meta.lastModified lt "2011-05-13T04:42:34.001Z")", true},
      {R"(meta.lastModified gt "2011-05-13T00:42:34-04:01")", false},
      {R"(meta.created lt "2011-01-01T00:00:00Z")", true},
      {R"(meta.lastModified gt "2011")", true},  // not a dateTime: compared as text
      {R"(meta.lastModified sw "2011-05")", true},
      {R"(meta.resourceType eq "User")", true},
      {R"(meta.resourceType eq "user")", false},
      // URN-qualified paths.
      {R"(urn:ietf:params:scim:schemas:core:2.0:User:userName eq "bjensen@example.com")", true},
      {R"(URN:IETF:PARAMS:SCIM:SCHEMAS:CORE:2.0:USER:userName eq "bjensen@example.com")", true},
      {R"(urn:ietf:params:scim:schemas:core:2.0:User:externalId eq "JYOUNG")", false},
      {R"(urn:ietf:params:scim:schemas:core:2.0:User:meta.lastModified eq "2011-05-13T06:42:34+02:00")",
       true},
      {R"(urn:ietf:params:scim:schemas:core:2.0:User:emails[type eq "work"])", true},
      {R"(urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:department eq "tour operations")",
       true},
      {R"(urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:manager.value eq "26118915-6090-4610-87e4-49d8ca9f808d")",
       true},
      {R"(urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:manager.value eq "26118915-6090-4610-87E4-49d8ca9f808d")",
       false},
      {R"(urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:manager eq "26118915-6090-4610-87e4-49d8ca9f808d")",
       true},
      {R"(urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:employeeNumber eq 701984)",
       true},
      {R"(department eq "Tour Operations")", false},
      {R"(urn:ietf:params:scim:schemas:extension:other:2.0:User:department pr)", false},
      // Logic and precedence.
      {R"(not (title pr))", false},
      {R"(not (missing pr))", true},
      {R"(userName eq "x" or title pr and active eq false)", false},
      {R"((userName eq "x" or title pr) and active eq true)", true},
      {R"(userName eq "x" or userName eq "y" or externalId eq jyoung)", true},
      {R"(userType eq "Employee" and (emails co "example.com" or emails.value co "example.org"))",
       true},
      {R"(not (not (active eq true)))", true},
  };
  ExpectMatches(kUser, cases, std::size(cases));
}

TEST(FilterEvalTest, MatchesGroupMembers) {
  const MatchCase cases[] = {
      {R"(displayName eq "Group A")", true},
      {R"(displayName eq "group a")", true},
      {R"(displayName eq "Group B")", false},
      {R"(members[value eq "2819c223-7f76-453a-919d-413861904646"])", true},
      {R"(members[value eq "2819C223-7F76-453A-919D-413861904646"])", false},
      {R"(members.value eq "902c246b-6245-4190-8e05-00816be7344a")", true},
      {R"(members eq "902c246b-6245-4190-8e05-00816be7344a")", true},
      {R"(members[display co "mandy"])", true},
      {R"(members[type eq "Group"])", false},
      {R"(members.$ref pr)", true},
      {R"(urn:ietf:params:scim:schemas:core:2.0:Group:displayName eq "Group A")", true},
      {R"(meta.resourceType eq "Group" and meta.lastModified ge "2011-01-01T00:00:00Z")", true},
  };
  ExpectMatches(kGroup, cases, std::size(cases));
}

TEST(FilterEvalTest, EvaluatesLongChains) {
  auto user = ParseJson(kUser);
  ASSERT_SCIM_OK(user);
  std::string text = "userName eq \"u0\"";
  for (int i = 1; i < 20000; ++i) text += " or userName eq \"u" + std::to_string(i) + "\"";
  auto miss = ParseFilter(text);
  auto hit = ParseFilter(text + " or externalId eq jyoung");
  ASSERT_SCIM_OK(miss);
  ASSERT_SCIM_OK(hit);
  EXPECT_FALSE(Matches(user.value(), *miss.value(), FakeTraits));
  EXPECT_TRUE(Matches(user.value(), *hit.value(), FakeTraits));
}

TEST(FilterEvalTest, WorksWithoutSchema) {
  auto user = ParseJson(kUser);
  ASSERT_SCIM_OK(user);
  const MatchCase cases[] = {
      {R"(externalId eq JYOUNG)", true},  // no caseExact without traits
      {R"(active eq "True")", true},
      {R"(loginCount gt 40)", true},
      {R"(emails[type eq "work"].value co "EXAMPLE")", true},
  };
  for (const auto& c : cases) {
    SCOPED_TRACE(c.filter);
    auto f = ParseFilter(c.filter);
    ASSERT_SCIM_OK(f);
    EXPECT_EQ(Matches(user.value(), *f.value(), TraitsFn()), c.expected);
  }
}

struct ValidateCase {
  const char* filter;
  bool ok;
};

TEST(FilterEvalTest, ValidateFilterRejectsOrderingOnUnorderedTypes) {
  const ValidateCase cases[] = {
      {R"(active gt true)", false},
      {R"(active lt false)", false},
      {R"(urn:ietf:params:scim:schemas:core:2.0:User:active ge true)", false},
      {R"(emails.primary ge true)", false},
      {R"(emails[primary gt true])", false},
      {R"(userName pr and emails[type eq "work" or primary le true])", false},
      {R"(not (active gt true))", false},
      {R"(name gt "x")", false},
      {R"(meta le "x")", false},
      {R"(x509Certificates.value gt "a")", false},
      {R"(x509Certificates gt "a")", false},
      {R"(urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:manager.value gt "a")", true},
      {R"(active eq true)", true},
      {R"(active ne "False")", true},
      {R"(userName gt "a")", true},
      {R"(emails gt "a")", true},
      {R"(emails[value lt "m"])", true},
      {R"(loginCount lt 3)", true},
      {R"(unknownAttr gt 1)", true},
      {R"(meta.lastModified gt "2011-05-13T04:42:34Z")", true},
      {R"(name co "x" and active pr)", true},
  };
  for (const auto& c : cases) {
    SCOPED_TRACE(c.filter);
    auto f = ParseFilter(c.filter);
    ASSERT_SCIM_OK(f);
    auto r = ValidateFilter(*f.value(), FakeTraits);
    if (c.ok) {
      EXPECT_SCIM_OK(r);
    } else {
      EXPECT_SCIM_ERROR(r, 400, ScimType::kInvalidFilter);
    }
  }
  auto f = ParseFilter("active gt true");
  ASSERT_SCIM_OK(f);
  EXPECT_EQ(ValidateFilter(*f.value(), FakeTraits).error().detail,
            "'gt' is not defined for the boolean attribute 'active'");
  EXPECT_SCIM_OK(ValidateFilter(*f.value(), TraitsFn()));
}

}  // namespace
}  // namespace scim
