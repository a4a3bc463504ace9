// Plain CGI: one request per process, for hosts without FastCGI.
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <utility>

#include "cgi/fcgi_io.h"

namespace scim::cgi {

Result<HttpRequest> ReadCgiRequest(const config::FcgiConfig& config) {
  ParamFn param = [](const char* name) -> const char* { return std::getenv(name); };
  if (const char* uri = param("REQUEST_URI"); uri && std::strlen(uri) > kMaxUriBytes) {
    return UriTooLong("the request URI is longer than 8192 bytes");
  }
  HttpRequest req = DecodeParams(param, config);
  ReadFn read = [](char* buf, size_t n) { return std::fread(buf, 1, n, stdin); };
  auto body = ReadBody(param, read, config.max_body_bytes);
  if (!body.ok()) return body.error();
  req.body = std::move(body).value();
  return req;
}

void WriteCgiResponse(const HttpResponse& response) {
  std::string out = SerializeCgiResponse(response);
  std::fwrite(out.data(), 1, out.size(), stdout);
  std::fflush(stdout);
}

}  // namespace scim::cgi
