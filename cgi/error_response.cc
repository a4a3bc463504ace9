#include "cgi/error_response.h"

namespace scim::cgi {

HttpResponse ErrorResponse(const ScimError& error) {
  HttpResponse r = JsonResponse(error.status, ErrorJson(error));
  if (error.status == 401) r.headers.emplace_back("WWW-Authenticate", "Bearer realm=\"scimsync\"");
  if (error.status == 503) r.headers.emplace_back("Retry-After", "5");
  return r;
}

HttpResponse JsonResponse(int status, const Json& body) {
  HttpResponse r;
  r.status = status;
  r.headers.emplace_back("Content-Type", kScimContentType);
  r.body = ToJson(body);
  return r;
}

}  // namespace scim::cgi
