// The only writer of SCIM error responses (RFC 7644 §3.12; their body is
// scim::ErrorJson's), and the one writer of SCIM JSON bodies.
#ifndef SCIM_CGI_ERROR_RESPONSE_H_
#define SCIM_CGI_ERROR_RESPONSE_H_

#include "cgi/http.h"
#include "common/scim/error.h"
#include "common/scim/json.h"

namespace scim::cgi {

inline constexpr const char* kScimContentType = "application/scim+json";

// ErrorJson(error) with the matching status (and WWW-Authenticate on 401,
// Retry-After on 503).
HttpResponse ErrorResponse(const ScimError& error);

// A response with a SCIM JSON body.
HttpResponse JsonResponse(int status, const Json& body);

}  // namespace scim::cgi

#endif  // SCIM_CGI_ERROR_RESPONSE_H_
