#include "cgi/error_response.h"

#include "common/scim/schema.h"

namespace scim::cgi {

HttpResponse ErrorResponse(const ScimError& error) {
  Json body = Json::MakeObject();
  Json schemas = Json::MakeArray();
  schemas.as_array().emplace_back(kErrorSchema);
  body.Set("schemas", std::move(schemas));
  body.Set("status", std::to_string(error.status));
  if (error.type != ScimType::kNone) body.Set("scimType", ScimTypeName(error.type));
  body.Set("detail", error.detail);
  HttpResponse r = JsonResponse(error.status, body);
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
