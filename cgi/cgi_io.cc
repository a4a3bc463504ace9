// Plain CGI: one request per process, for hosts without FastCGI.
#include <cstdio>
#include <cstdlib>

#include "cgi/fcgi_io.h"

namespace scim::cgi {

Result<HttpRequest> ReadCgiRequest(const config::FcgiConfig& config) {
  ParamFn param = [](const char* name) -> const char* { return std::getenv(name); };
  ReadFn read = [](char* buf, size_t n) { return std::fread(buf, 1, n, stdin); };
  return DecodeRequest(param, read, config);
}

void WriteCgiResponse(const HttpResponse& response) {
  std::string out = SerializeCgiResponse(response);
  std::fwrite(out.data(), 1, out.size(), stdout);
  std::fflush(stdout);
}

}  // namespace scim::cgi
