#include "cgi/fcgi_io.h"

#include <charconv>
#include <cstring>

namespace scim::cgi {

Result<size_t> BodyLength(const char* content_length, size_t max_body_bytes) {
  if (!content_length || !*content_length) return size_t{0};
  size_t n = 0;
  const char* end = content_length + std::strlen(content_length);
  auto r = std::from_chars(content_length, end, n);
  if (r.ec == std::errc::result_out_of_range) n = SIZE_MAX;
  else if (r.ec != std::errc() || r.ptr != end) return InvalidSyntax("bad Content-Length");
  if (n > max_body_bytes) {
    return PayloadTooLarge("the request body exceeds " + std::to_string(max_body_bytes) +
                           " bytes");
  }
  return n;
}

Result<HttpRequest> ReadFcgiRequest(FCGX_Request& request, const config::FcgiConfig& config) {
  ParamFn param = [&request](const char* name) -> const char* {
    return FCGX_GetParam(name, request.envp);
  };
  HttpRequest req = DecodeParams(param, config);
  auto length = BodyLength(param("CONTENT_LENGTH"), config.max_body_bytes);
  if (!length.ok()) return length.error();
  req.body.resize(length.value());
  size_t got = 0;
  while (got < req.body.size()) {
    int n = FCGX_GetStr(req.body.data() + got, static_cast<int>(req.body.size() - got),
                        request.in);
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
