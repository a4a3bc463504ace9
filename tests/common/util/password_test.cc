#include "common/util/password.h"

#include <gtest/gtest.h>

#include <regex>
#include <string>

namespace scim::util {
namespace {

TEST(PasswordTest, AHashVerifiesItsPasswordAndNoOther) {
  Pbkdf2Hasher hasher;
  const std::string clear = "Sup3r-Secret!";
  std::string stored = hasher.Hash(clear);
  EXPECT_TRUE(VerifyPassword(clear, stored));
  for (const char* wrong : {"sup3r-secret!", "Sup3r-Secret", "Sup3r-Secret!!", ""}) {
    SCOPED_TRACE(wrong);
    EXPECT_FALSE(VerifyPassword(wrong, stored));
  }
}

TEST(PasswordTest, StoredAsSaltedPbkdf2NeverInClear) {
  Pbkdf2Hasher hasher;
  const std::string clear = "correct horse battery staple";
  std::string a = hasher.Hash(clear), b = hasher.Hash(clear);
  // "$pbkdf2-sha256$<iterations>$<16-byte salt>$<32-byte key>", base64.
  std::regex format(R"(\$pbkdf2-sha256\$100000\$[A-Za-z0-9+/]{22}==\$[A-Za-z0-9+/]{43}=)");
  EXPECT_TRUE(std::regex_match(a, format)) << a;
  EXPECT_NE(a, b) << "each hash has its own salt";
  EXPECT_NE(a.substr(0, a.rfind('$')), b.substr(0, b.rfind('$')));
  EXPECT_TRUE(VerifyPassword(clear, b));
  EXPECT_EQ(a.find(clear), std::string::npos);
  EXPECT_EQ(a.find("horse"), std::string::npos);
}

// RFC 7914 §11's first PBKDF2-HMAC-SHA256 vector (P "passwd", S "salt",
// c 1), its first 32 bytes: a directory that checks passwords with any
// standard PBKDF2 accepts what the workers store.
TEST(PasswordTest, VerifiesAStandardPbkdf2Sha256Hash) {
  const std::string vector =
      "$pbkdf2-sha256$1$c2FsdA==$VawEblbjCJ/sFpHCJUS2BflBhSFt3gRl5oudV8INrLw=";
  EXPECT_TRUE(VerifyPassword("passwd", vector));
  EXPECT_FALSE(VerifyPassword("passwe", vector));
  EXPECT_FALSE(VerifyPassword(
      "passwd", "$pbkdf2-sha256$2$c2FsdA==$VawEblbjCJ/sFpHCJUS2BflBhSFt3gRl5oudV8INrLw="));
}

TEST(PasswordTest, MalformedStoredValuesNeverVerify) {
  for (const char* stored :
       {"", "passwd", "$pbkdf2-sha256$", "$pbkdf2-sha256$1$c2FsdA==",
        "$pbkdf2-sha256$0$c2FsdA==$VawEblbjCJ/sFpHCJUS2BflBhSFt3gRl5oudV8INrLw=",
        "$pbkdf2-sha1$1$c2FsdA==$VawEblbjCJ/sFpHCJUS2BflBhSFt3gRl5oudV8INrLw=",
        "$pbkdf2-sha256$1$c2FsdA==$"}) {
    SCOPED_TRACE(stored);
    EXPECT_FALSE(VerifyPassword("passwd", stored));
  }
}

}  // namespace
}  // namespace scim::util
