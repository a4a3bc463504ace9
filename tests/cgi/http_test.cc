// ReadBody: the request body from CONTENT_LENGTH, or to its end when a
// Transfer-Encoding announces one without a length. DecodeRequest: the
// whole request, as FastCGI and CGI both read it.
#include "cgi/http.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <map>
#include <string>

#include "tests/scim_matchers.h"

namespace scim::cgi {
namespace {

// ReadBody over `data`, handed out at most 3 bytes per read.
Result<std::string> ReadBodyOf(const std::map<std::string, std::string>& params,
                               const std::string& data, size_t max_body_bytes) {
  size_t at = 0;
  ReadFn read = [&](char* buf, size_t n) {
    size_t k = std::min({n, size_t{3}, data.size() - at});
    data.copy(buf, k, at);
    at += k;
    return k;
  };
  auto param = [&](const char* name) -> const char* {
    auto it = params.find(name);
    return it == params.end() ? nullptr : it->second.c_str();
  };
  return ReadBody(param, read, max_body_bytes);
}

TEST(ReadBodyTest, ContentLengthBytesOrAChunkedBodyToItsEnd) {
  EXPECT_EQ(ReadBodyOf({{"CONTENT_LENGTH", "5"}}, "abcdefgh", 10).value(), "abcde");
  EXPECT_SCIM_ERROR(ReadBodyOf({{"CONTENT_LENGTH", "5"}}, "abc", 10), 400,
                    ScimType::kInvalidSyntax);
  EXPECT_SCIM_ERROR(ReadBodyOf({{"CONTENT_LENGTH", "11"}}, "", 10), 413, ScimType::kNone);
  // No length and no Transfer-Encoding: no body (CGI: stdin may never end).
  EXPECT_EQ(ReadBodyOf({}, "abc", 10).value(), "");
  EXPECT_EQ(ReadBodyOf({{"CONTENT_LENGTH", ""}}, "abc", 10).value(), "");
  // Apache passes chunked bodies without CONTENT_LENGTH: read to the end.
  std::map<std::string, std::string> chunked = {{"HTTP_TRANSFER_ENCODING", "chunked"}};
  EXPECT_EQ(ReadBodyOf(chunked, "0123456789", 10).value(), "0123456789");
  EXPECT_EQ(ReadBodyOf(chunked, "", 10).value(), "");
  EXPECT_SCIM_ERROR(ReadBodyOf(chunked, "0123456789a", 10), 413, ScimType::kNone);
}

TEST(DecodeRequestTest, ParamsAndBodyOrA414WithNothingRead) {
  std::map<std::string, std::string> params = {{"REQUEST_METHOD", "POST"},
                                               {"REQUEST_URI", "/scim/v2/Users/a%20b?x=1"},
                                               {"QUERY_STRING", "x=1"},
                                               {"CONTENT_LENGTH", "2"}};
  auto param = [&](const char* name) -> const char* {
    auto it = params.find(name);
    return it == params.end() ? nullptr : it->second.c_str();
  };
  int reads = 0;
  ReadFn read = [&](char* buf, size_t n) {
    ++reads;
    return std::string("{}").copy(buf, std::min<size_t>(n, 2));
  };
  auto r = DecodeRequest(param, read, config::FcgiConfig{});
  ASSERT_SCIM_OK(r);
  EXPECT_EQ(r.value().method, "POST");
  EXPECT_EQ(r.value().path, "/Users/a b");
  EXPECT_EQ(r.value().query.find("x")->second, "1");
  EXPECT_EQ(r.value().body, "{}");

  reads = 0;
  params["REQUEST_URI"] = "/scim/v2/Users?filter=" + std::string(kMaxUriBytes, 'a');
  EXPECT_SCIM_ERROR(DecodeRequest(param, read, config::FcgiConfig{}), 414, ScimType::kNone);
  EXPECT_EQ(reads, 0);
}

// Requests under fcgi.admin_path are the console's, with who the web server
// signed in and the host the client addressed (for the Origin check).
TEST(DecodeParamsTest, AdminPathGoesToTheConsoleWithRemoteUser) {
  std::map<std::string, std::string> params = {
      {"REQUEST_METHOD", "POST"}, {"REQUEST_URI", "/scim-admin/tokens?x=1"},
      {"REMOTE_USER", "admin"},   {"HTTP_HOST", "127.0.0.1"},
      {"SERVER_PORT", "8080"},    {"HTTP_ORIGIN", "http://127.0.0.1:8080"}};
  auto param = [&](const char* name) -> const char* {
    auto it = params.find(name);
    return it == params.end() ? nullptr : it->second.c_str();
  };
  HttpRequest r = DecodeParams(param, config::FcgiConfig{});
  EXPECT_TRUE(r.admin);
  EXPECT_EQ(r.path, "/tokens");
  EXPECT_EQ(r.remote_user, "admin");
  EXPECT_EQ(r.authority, "127.0.0.1:8080");
  EXPECT_EQ(r.scheme, "http");
  EXPECT_EQ(r.Header("origin"), "http://127.0.0.1:8080");
  params["REQUEST_URI"] = "/scim-admin/";
  EXPECT_EQ(DecodeParams(param, config::FcgiConfig{}).path, "/");
  params["REQUEST_URI"] = "/scim/v2/Users";
  EXPECT_FALSE(DecodeParams(param, config::FcgiConfig{}).admin);
  params["REQUEST_URI"] = "/scim-administrator";
  EXPECT_FALSE(DecodeParams(param, config::FcgiConfig{}).admin);
}

}  // namespace
}  // namespace scim::cgi
