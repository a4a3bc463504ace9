// One function per SCIM endpoint: decode, call the service, encode.
#ifndef SCIM_CGI_HANDLERS_H_
#define SCIM_CGI_HANDLERS_H_

#include <string>

#include "cgi/http.h"
#include "cgi/router.h"

namespace scim::cgi {

HttpResponse PostUser(const HttpRequest& req, Services& s);
HttpResponse GetUser(const HttpRequest& req, Services& s, const std::string& id);
HttpResponse ListUsers(const HttpRequest& req, Services& s);

}  // namespace scim::cgi

#endif  // SCIM_CGI_HANDLERS_H_
