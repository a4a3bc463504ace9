#include "common/util/cidr.h"

#include <gtest/gtest.h>

namespace scim::util {
namespace {

bool In(const char* block, const char* address) {
  auto c = ParseCidr(block);
  auto a = ParseIpAddress(address);
  EXPECT_TRUE(c.has_value()) << block;
  EXPECT_TRUE(a.has_value()) << address;
  return c && a && Contains(*c, *a);
}

TEST(CidrTest, MembershipByPrefix) {
  struct Case {
    const char* block;
    const char* address;
    bool in;
  } cases[] = {
      {"10.0.0.0/8", "10.255.1.2", true},
      {"10.0.0.0/8", "11.0.0.1", false},
      {"192.168.1.0/25", "192.168.1.127", true},
      {"192.168.1.0/25", "192.168.1.128", false},
      {"127.0.0.1", "127.0.0.1", true},
      {"127.0.0.1", "127.0.0.2", false},
      {"0.0.0.0/0", "203.0.113.5", true},
      {"0.0.0.0/0", "2001:db8::1", false},
      {"2001:db8::/32", "2001:db8:ffff::1", true},
      {"2001:db8::/32", "2001:db9::1", false},
      {"::1", "::1", true},
      {"10.0.0.0/8", "::ffff:10.1.1.1", true},  // IPv4-mapped is the same address
      {"fe80::/10", "febf::1", true},
      {"fe80::/10", "fec0::1", false},
  };
  for (const auto& c : cases) {
    SCOPED_TRACE(std::string(c.block) + " " + c.address);
    EXPECT_EQ(In(c.block, c.address), c.in);
  }
}

TEST(CidrTest, RejectsMalformedBlocksAndAddresses) {
  for (const char* bad : {"", "10.0.0.0/33", "10.0.0.0/", "10.0.0.0/x", "10.0.0/8", "::/129",
                          "host.example", "10.0.0.0/8/8", "1.2.3.4/-1"}) {
    SCOPED_TRACE(bad);
    EXPECT_FALSE(ParseCidr(bad).has_value());
  }
  for (const char* bad : {"", "1.2.3", "1.2.3.4.5", "[::1", "x", "1.2.3.4:port:x"}) {
    SCOPED_TRACE(bad);
    EXPECT_FALSE(ParseIpAddress(bad).has_value());
  }
  EXPECT_TRUE(ParseIpAddress("[::1]").has_value());
  EXPECT_TRUE(ParseIpAddress(" 192.0.2.1:80 ").has_value());
}

TEST(CidrTest, ParsesAList) {
  auto list = ParseCidrList(" 10.0.0.0/8 , ::1 ");
  ASSERT_TRUE(list.has_value());
  ASSERT_EQ(list->size(), 2u);
  EXPECT_EQ((*list)[0].text, "10.0.0.0/8");
  EXPECT_TRUE(ParseCidrList("")->empty());
  EXPECT_FALSE(ParseCidrList("10.0.0.0/8, nope").has_value());
  EXPECT_TRUE(AnyContains(*list, *ParseIpAddress("::1")));
  EXPECT_FALSE(AnyContains(*list, *ParseIpAddress("192.0.2.1")));
}

}  // namespace
}  // namespace scim::util
