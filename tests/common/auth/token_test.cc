#include "common/auth/token.h"

#include <gtest/gtest.h>

#include <regex>

namespace scim::auth {
namespace {

TEST(TokenTest, TokenHasPrefixAnd256BitsInBase64Url) {
  unsigned char bytes[kTokenRandomBytes];
  for (size_t i = 0; i < kTokenRandomBytes; ++i) bytes[i] = static_cast<unsigned char>(i * 37);
  std::string t = TokenFromBytes(bytes);
  EXPECT_TRUE(std::regex_match(t, std::regex("scimsync_[A-Za-z0-9_-]{43}"))) << t;
  unsigned char zeros[kTokenRandomBytes] = {};
  EXPECT_EQ(TokenFromBytes(zeros), "scimsync_" + std::string(43, 'A'));
}

TEST(TokenTest, HashIsSha256Hex) {
  EXPECT_EQ(HashToken("abc"), "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
}

TEST(TokenTest, ParsesBearerHeaders) {
  EXPECT_EQ(BearerToken("Bearer abc").value_or(""), "abc");
  EXPECT_EQ(BearerToken("bearer   abc  ").value_or(""), "abc");
  EXPECT_FALSE(BearerToken("Basic abc").has_value());
  EXPECT_FALSE(BearerToken("Bearer").has_value());
  EXPECT_FALSE(BearerToken("Bearer ").has_value());
  EXPECT_FALSE(BearerToken("Bearerabc").has_value());
  EXPECT_FALSE(BearerToken("").has_value());
}

TEST(TokenTest, ConstantTimeEquals) {
  EXPECT_TRUE(ConstantTimeEquals("abc", "abc"));
  EXPECT_FALSE(ConstantTimeEquals("abc", "abd"));
  EXPECT_FALSE(ConstantTimeEquals("abc", "ab"));
}

}  // namespace
}  // namespace scim::auth
