// Plain CGI: one request per process, for hosts without FastCGI.
#include <cstdio>
#include <cstdlib>
#include <cstring>

#include "cgi/fcgi_io.h"

namespace scim::cgi {

Result<HttpRequest> ReadCgiRequest(const config::FcgiConfig& config) {
  ParamFn param = [](const char* name) -> const char* { return std::getenv(name); };
  if (const char* uri = param("REQUEST_URI"); uri && std::strlen(uri) > kMaxUriBytes) {
    return ScimError{414, ScimType::kNone, "the request URI is longer than 8192 bytes"};
  }
  HttpRequest req = DecodeParams(param, config);
  auto length = BodyLength(param("CONTENT_LENGTH"), config.max_body_bytes);
  if (!length.ok()) return length.error();
  req.body.resize(length.value());
  size_t got = std::fread(req.body.data(), 1, req.body.size(), stdin);
  if (got != req.body.size()) return InvalidSyntax("the request body is shorter than announced");
  return req;
}

void WriteCgiResponse(const HttpResponse& response) {
  std::string out = SerializeCgiResponse(response);
  std::fwrite(out.data(), 1, out.size(), stdout);
  std::fflush(stdout);
}

}  // namespace scim::cgi
