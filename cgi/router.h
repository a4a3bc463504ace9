// Serve(): authentication, routing and dispatch of one SCIM request. Pure
// with respect to transport: FastCGI and CGI front-ends both call it.
#ifndef SCIM_CGI_ROUTER_H_
#define SCIM_CGI_ROUTER_H_

#include <string>

#include "cgi/http.h"
#include "cgi/services.h"

namespace scim::cgi {

// Filled in by Serve for the request log line.
struct RequestLog {
  std::string token_name;    // "" when unauthenticated
  std::string auth_failure;  // why authentication failed (never the token)
};

// Answers one request: 403 when SCIM is turned off (setting enabled), 401
// without a valid bearer token — or 429 (with Retry-After) instead once the
// client address has too many failed authentications (a valid token is never
// refused for that) — 429 for a token over rate_limit, 404 for an unknown
// path, 405 (with Allow) for a known path and another method. The health
// check (request.health) needs no token: 200 {"status":"ok"} or 503.
HttpResponse Serve(const HttpRequest& request, Services& services, RequestLog* log);

}  // namespace scim::cgi

#endif  // SCIM_CGI_ROUTER_H_
