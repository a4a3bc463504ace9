// The console's defences against cross-site requests: a CSRF token bound
// to the signed-in admin (HMAC-SHA256 of REMOTE_USER under the server
// secret, sql/007), the Origin/Referer check against the request's own
// host, and the decoding of a posted form. Pure.
#ifndef SCIM_ADMIN_CSRF_H_
#define SCIM_ADMIN_CSRF_H_

#include <map>
#include <string>
#include <string_view>

#include "cgi/http.h"

namespace scim::admin {

// Lower-case hex HMAC-SHA256(secret, "scimsync-console-csrf:" + user).
std::string CsrfToken(std::string_view secret, std::string_view user);
// Whether presented is user's token (compared in constant time).
bool CsrfValid(std::string_view secret, std::string_view user, std::string_view presented);

// Whether a POST comes from a page of this console's own origin: its Origin
// header, or failing that its Referer, names the host (and port) the
// request was addressed to (req.authority). Neither header: false.
bool SameOrigin(const cgi::HttpRequest& req);

// A posted application/x-www-form-urlencoded body ('+' is a space); the
// first value of each field wins. Other content types give no fields.
class Form {
 public:
  static Form Parse(const cgi::HttpRequest& req);
  // The field's value, or "" when absent.
  const std::string& Get(const std::string& name) const;
  bool Has(const std::string& name) const { return fields_.count(name) > 0; }

 private:
  std::map<std::string, std::string> fields_;
};

}  // namespace scim::admin

#endif  // SCIM_ADMIN_CSRF_H_
