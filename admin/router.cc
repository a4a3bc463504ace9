#include "admin/router.h"

#include <string_view>

#include "admin/csrf.h"
#include "admin/html.h"
#include "admin/pages.h"
#include "common/db/console_secret.h"
#include "common/util/system.h"

namespace scim::admin {
namespace {

struct Route {
  std::string_view method;
  std::string_view path;  // below the console's location: "/", "/tokens", ...
  Handler handler;
};

constexpr Route kRoutes[] = {
    {"GET", "/", GetScim},
    {"POST", "/scim-enabled", PostScimEnabled},
    {"GET", "/tokens", GetTokens},
    {"POST", "/token-create", PostTokenCreate},
    {"GET", "/token-revoke", GetTokenRevoke},
    {"POST", "/token-revoke", PostTokenRevoke},
    {"GET", "/roles", GetRoles},
    {"POST", "/promotion", PostPromotion},
    {"POST", "/role-map-add", PostRoleMapAdd},
    {"POST", "/role-map-remove", PostRoleMapRemove},
    {"GET", "/users", GetUsers},
    {"POST", "/user-deactivate", PostUserDeactivate},
    {"POST", "/user-reactivate", PostUserReactivate},
    {"POST", "/user-protect", PostUserProtect},
    {"POST", "/user-unprotect", PostUserUnprotect},
    {"GET", "/sync", GetSync},
    {"POST", "/queue-retry", PostQueueRetry},
    {"GET", "/queue-drop", GetQueueDrop},
    {"POST", "/queue-drop", PostQueueDrop},
    {"GET", "/audit", GetAudit},
    {"GET", "/audit.csv", GetAuditCsv},
    {"GET", "/audit.json", GetAuditJson},
    {"GET", "/settings", GetSettings},
    {"POST", "/settings", PostSettings},
};

cgi::HttpResponse Asset(const char* type, const char* body) {
  cgi::HttpResponse r;
  r.headers.emplace_back("Content-Type", type);
  r.body = body;
  return r;
}

// The CSRF key: read once per thread (made by the first worker to need it).
Result<std::string> Secret(Console& console) {
  if (!console.secret.empty()) return console.secret;
  unsigned char bytes[32];
  util::RandomBytes(bytes, sizeof bytes);
  static const char kHex[] = "0123456789abcdef";
  std::string fresh;
  for (unsigned char b : bytes) {
    fresh += kHex[b >> 4];
    fresh += kHex[b & 15];
  }
  auto r = db::Guarded(console.conn, [&](soci::session& sql) -> Result<std::string> {
    return db::ReadOrCreateConsoleSecret(sql, fresh);
  });
  if (r.ok()) console.secret = r.value();
  return r;
}

// The checks and dispatch, without the headers every answer gets.
cgi::HttpResponse Dispatch(const cgi::HttpRequest& req, Console& console) {
  if (req.remote_user.empty()) {
    return PlainPage(403, "Forbidden",
                     "The admin console needs a user signed in by the web server (REMOTE_USER). "
                     "Protect its location with authentication; see README.");
  }
  if (req.path == "/style.css") return Asset("text/css; charset=utf-8", kStylesheet);
  if (req.path == "/copy.js") return Asset("text/javascript; charset=utf-8", kCopyScript);
  const Route* route = nullptr;
  bool path_known = false;
  for (const auto& r : kRoutes) {
    if (r.path != req.path) continue;
    path_known = true;
    if (r.method == req.method || (r.method == "GET" && req.method == "HEAD")) route = &r;
  }
  if (!route) {
    if (!path_known) return PlainPage(404, "Not found", "There is no such console page.");
    return PlainPage(405, "Method not allowed", "This page does not take that method.");
  }
  auto secret = Secret(console);
  if (!secret.ok()) return PlainPage(secret.error().status, "Unavailable", secret.error().detail);
  Call call{req, console, req.remote_user, CsrfToken(secret.value(), req.remote_user)};
  Form form = Form::Parse(req);
  if (req.method == "POST") {
    if (!SameOrigin(req)) {
      return PlainPage(403, "Forbidden", "The request did not come from this console's pages.");
    }
    if (!CsrfValid(secret.value(), req.remote_user, form.Get("csrf"))) {
      return PlainPage(403, "Forbidden",
                       "The form's security token is missing or not valid; reload the page.");
    }
  }
  return route->handler(call, form);
}

}  // namespace

cgi::HttpResponse Serve(const cgi::HttpRequest& req, Console& console) {
  cgi::HttpResponse r = Dispatch(req, console);
  if (r.status == 405) r.headers.emplace_back("Allow", "GET, HEAD, POST");
  AddSecurityHeaders(&r);
  return r;
}

}  // namespace scim::admin
