// Services: what one worker thread serves requests with (the resource
// services, tokens, settings, limits, clock, the health ping). Built by
// cgi/worker.cc, used by the router and the handlers. Not shared between
// threads.
#ifndef SCIM_CGI_SERVICES_H_
#define SCIM_CGI_SERVICES_H_

#include <functional>

#include "cgi/guard.h"
#include "common/auth/token.h"
#include "common/scim/resource_service.h"

namespace scim::cgi {

struct Services {
  ResourceService& users;
  ResourceService& groups;
  auth::TokenStore& tokens;
  SettingsCache& settings;  // this thread's
  Limits& limits;           // the process's
  Clock& clock;
  std::function<Result<void>()> ping;  // a round trip to MySQL, for the health check
};

}  // namespace scim::cgi

#endif  // SCIM_CGI_SERVICES_H_
