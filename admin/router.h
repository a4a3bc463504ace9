// The admin console's entry: requests under fcgi.admin_path come here
// (cgi/worker.cc), never to the SCIM router, and SCIM bearer tokens play no
// part. Refuses every request without REMOTE_USER (403); every POST needs
// the same origin (Origin/Referer) and the admin's CSRF token (else 403,
// nothing changed); every answer carries the security headers.
#ifndef SCIM_ADMIN_ROUTER_H_
#define SCIM_ADMIN_ROUTER_H_

#include <string>

#include "cgi/http.h"
#include "common/config/config.h"
#include "common/db/app_users.h"
#include "common/db/connection.h"
#include "common/scim/clock.h"

namespace scim::admin {

// What the console works with: one per worker thread.
struct Console {
  db::Connection& conn;
  const db::AppUsers& users;
  Clock& clock;
  IdGenerator& ids;
  const config::FcgiConfig& fcgi;
  std::string secret;  // the CSRF key, read (or made) at the first request
};

// The request as a page handler sees it.
struct Call {
  const cgi::HttpRequest& req;
  Console& console;
  std::string user;  // REMOTE_USER: the actor of every audited action
  std::string csrf;  // this user's token, for the forms of the page
};

// Answers one console request (req.admin is true).
cgi::HttpResponse Serve(const cgi::HttpRequest& req, Console& console);

}  // namespace scim::admin

#endif  // SCIM_ADMIN_ROUTER_H_
