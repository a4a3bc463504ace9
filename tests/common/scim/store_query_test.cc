#include "common/scim/store_query.h"

#include <gtest/gtest.h>

namespace scim {
namespace {

// "column=value" of each lookup the filter makes, in order.
std::vector<std::string> Lookups(const ResourceTypeDef& type, const std::string& filter) {
  auto f = ParseFilter(filter);
  EXPECT_TRUE(f.ok()) << filter;
  std::vector<Condition> out;
  if (f.ok()) CollectLookups(type, *f.value(), false, &out);
  std::vector<std::string> text;
  for (const auto& c : out) {
    std::string col = c.column == Column::kUserName     ? "userName"
                      : c.column == Column::kExternalId ? "externalId"
                      : c.column == Column::kEmail      ? "email"
                                                        : "?";
    text.push_back(col + "=" + c.value.as_string());
  }
  return text;
}

using V = std::vector<std::string>;

// The lookups Okta, Entra and OneLogin make before they create or update
// a user: each is a hint for adoption (issue 10), never a narrowing.
TEST(StoreQueryTest, TheIdpsLookupsAreCollected) {
  EXPECT_EQ(Lookups(UserType(), R"(userName eq "Bob@Example.com")"), V{"userName=Bob@Example.com"});
  EXPECT_EQ(Lookups(UserType(), R"(USERNAME EQ "bob")"), V{"userName=bob"});
  EXPECT_EQ(Lookups(UserType(), R"(externalId eq "00u1")"), V{"externalId=00u1"});
  EXPECT_EQ(Lookups(UserType(), R"(emails.value eq "b@x.org")"), V{"email=b@x.org"});
  EXPECT_EQ(Lookups(UserType(), R"(emails[type eq "work"].value eq "b@x.org")"),
            V{"email=b@x.org"});
  EXPECT_EQ(Lookups(UserType(), R"(emails[value eq "b@x.org"])"), V{"email=b@x.org"});
  EXPECT_EQ(Lookups(UserType(), R"(userName eq "a" and externalId eq "b")"),
            (V{"userName=a", "externalId=b"}));
}

TEST(StoreQueryTest, OtherFiltersLookNothingUp) {
  EXPECT_EQ(Lookups(UserType(), R"(userName ne "a")"), V{});
  EXPECT_EQ(Lookups(UserType(), R"(userName sw "a")"), V{});
  EXPECT_EQ(Lookups(UserType(), R"(userName eq "a" or userName eq "b")"), V{})
      << "an or is not one user's lookup";
  EXPECT_EQ(Lookups(UserType(), R"(not (userName eq "a"))"), V{});
  EXPECT_EQ(Lookups(UserType(), R"(displayName eq "a")"), V{});
  EXPECT_EQ(Lookups(UserType(), R"(emails[type eq "work"])"), V{});
  EXPECT_EQ(Lookups(UserType(), R"(emails.type eq "work")"), V{});
  EXPECT_EQ(Lookups(UserType(), R"(userName eq 5)"), V{});
}

}  // namespace
}  // namespace scim
