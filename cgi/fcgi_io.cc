#include "cgi/fcgi_io.h"

#include <cstring>

namespace scim::cgi {

Result<HttpRequest> ReadFcgiRequest(FCGX_Request& request, const config::FcgiConfig& config) {
  ParamFn param = [&request](const char* name) -> const char* {
    return FCGX_GetParam(name, request.envp);
  };
  if (const char* uri = param("REQUEST_URI"); uri && std::strlen(uri) > kMaxUriBytes) {
    return ScimError{414, ScimType::kNone, "the request URI is longer than 8192 bytes"};
  }
  HttpRequest req = DecodeParams(param, config);
  auto length = BodyLength(param("CONTENT_LENGTH"), config.max_body_bytes);
  if (!length.ok()) return length.error();
  req.body.resize(length.value());
  size_t got = 0;
  while (got < req.body.size()) {
    int n = FCGX_GetStr(req.body.data() + got, static_cast<int>(req.body.size() - got), request.in);
    if (n <= 0) break;
    got += static_cast<size_t>(n);
  }
  if (got != req.body.size()) return InvalidSyntax("the request body is shorter than announced");
  return req;
}

void WriteFcgiResponse(FCGX_Request& request, const HttpResponse& response) {
  // FCGX_FPrintF knows no %zu; the response is formatted here and written raw.
  std::string out = SerializeCgiResponse(response);
  FCGX_PutStr(out.data(), static_cast<int>(out.size()), request.out);
}

}  // namespace scim::cgi
