#include "admin/csrf.h"

#include <gtest/gtest.h>

namespace scim::admin {
namespace {

TEST(AdminCsrfTest, TokenIsBoundToUserAndSecret) {
  std::string t = CsrfToken("secret", "admin");
  EXPECT_EQ(t.size(), 64u);
  EXPECT_TRUE(CsrfValid("secret", "admin", t));
  EXPECT_FALSE(CsrfValid("secret", "other", t));
  EXPECT_FALSE(CsrfValid("another", "admin", t));
  EXPECT_FALSE(CsrfValid("secret", "admin", ""));
  EXPECT_FALSE(CsrfValid("secret", "admin", t.substr(1)));
  EXPECT_FALSE(CsrfValid("", "admin", CsrfToken("", "admin"))) << "no secret, no token";
}

TEST(AdminCsrfTest, TokenIsHmacSha256OfThePrefixedUser) {
  // printf 'scimsync-console-csrf:admin' | openssl dgst -sha256 -hmac secret
  EXPECT_EQ(CsrfToken("secret", "admin"),
            "b634c9da66159f4e69f6fbadbf56e36e438491ef2030c1a5501a9cccb3a070ec");
}

cgi::HttpRequest Req(const std::string& authority, const std::string& origin,
                     const std::string& referer) {
  cgi::HttpRequest r;
  r.authority = authority;
  if (!origin.empty()) r.headers["origin"] = origin;
  if (!referer.empty()) r.headers["referer"] = referer;
  return r;
}

TEST(AdminCsrfTest, SameOriginByOriginElseReferer) {
  EXPECT_TRUE(SameOrigin(Req("127.0.0.1:8080", "http://127.0.0.1:8080", "")));
  EXPECT_TRUE(SameOrigin(Req("console.example.com", "https://Console.example.com", "")));
  EXPECT_FALSE(SameOrigin(Req("127.0.0.1:8080", "http://evil.example", "")));
  EXPECT_FALSE(SameOrigin(Req("127.0.0.1:8080", "http://127.0.0.1:8081", "")));
  EXPECT_FALSE(SameOrigin(Req("127.0.0.1:8080", "null", "")));
  EXPECT_FALSE(
      SameOrigin(Req("127.0.0.1:8080", "http://evil.example", "http://127.0.0.1:8080/scim-admin/")))
      << "a present Origin decides";
  EXPECT_TRUE(SameOrigin(Req("127.0.0.1:8080", "", "http://127.0.0.1:8080/scim-admin/tokens")));
  EXPECT_FALSE(SameOrigin(Req("127.0.0.1:8080", "", "http://127.0.0.1:8080.evil.example/")));
  EXPECT_FALSE(SameOrigin(Req("127.0.0.1:8080", "", ""))) << "neither header: refused";
}

TEST(AdminCsrfTest, FormParsesUrlEncodedBodiesOnly) {
  cgi::HttpRequest r;
  r.headers["content-type"] = "application/x-www-form-urlencoded; charset=UTF-8";
  r.body = "name=okta+prod&csrf=a%2Bb&name=second&empty=";
  Form f = Form::Parse(r);
  EXPECT_EQ(f.Get("name"), "okta prod") << "first value wins";
  EXPECT_EQ(f.Get("csrf"), "a+b");
  EXPECT_TRUE(f.Has("empty"));
  EXPECT_FALSE(f.Has("missing"));
  r.headers["content-type"] = "application/json";
  EXPECT_FALSE(Form::Parse(r).Has("name"));
}

}  // namespace
}  // namespace scim::admin
