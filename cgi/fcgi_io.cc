#include "cgi/fcgi_io.h"

#include <algorithm>
#include <climits>

namespace scim::cgi {

Result<HttpRequest> ReadFcgiRequest(FCGX_Request& request, const config::FcgiConfig& config) {
  ParamFn param = [&request](const char* name) -> const char* {
    return FCGX_GetParam(name, request.envp);
  };
  ReadFn read = [&request](char* buf, size_t n) -> size_t {
    int got = FCGX_GetStr(buf, static_cast<int>(std::min<size_t>(n, INT_MAX)), request.in);
    return got > 0 ? static_cast<size_t>(got) : 0;
  };
  return DecodeRequest(param, read, config);
}

void WriteFcgiResponse(FCGX_Request& request, const HttpResponse& response) {
  // FCGX_FPrintF knows no %zu; the response is formatted here and written raw.
  std::string out = SerializeCgiResponse(response);
  FCGX_PutStr(out.data(), static_cast<int>(out.size()), request.out);
}

}  // namespace scim::cgi
