// Serve(): authentication, routing and dispatch of one SCIM request. Pure
// with respect to transport: FastCGI and CGI front-ends both call it.
#ifndef SCIM_CGI_ROUTER_H_
#define SCIM_CGI_ROUTER_H_

#include <string>

#include "cgi/guard.h"
#include "cgi/http.h"
#include "common/auth/token.h"
#include "common/scim/resource_service.h"

namespace scim::cgi {

// What one worker thread serves with. Not shared between threads.
struct Services {
  ResourceService& users;
  ResourceService& groups;
  auth::TokenStore& tokens;
  SettingsCache& settings;  // this thread's
  Limits& limits;           // the process's
  Clock& clock;
};

// Filled in by Serve for the request log line.
struct RequestLog {
  std::string token_name;    // "" when unauthenticated
  std::string auth_failure;  // why authentication failed (never the token)
};

// Answers one request: 403 when SCIM is turned off (setting enabled), 429
// (with Retry-After) for a client with too many failed authentications or a
// token over rate_limit, 401 without a valid bearer token, 404 for an
// unknown path, 405 (with Allow) for a known path and another method.
HttpResponse Serve(const HttpRequest& request, Services& services, RequestLog* log);

}  // namespace scim::cgi

#endif  // SCIM_CGI_ROUTER_H_
