// The transport edges: FastCGI (FCGX_Request) and plain CGI (environment
// and stdio) <-> HttpRequest/HttpResponse. The only files that use libfcgi
// request I/O.
#ifndef SCIM_CGI_FCGI_IO_H_
#define SCIM_CGI_FCGI_IO_H_

#include <fcgiapp.h>

#include "cgi/http.h"
#include "common/scim/error.h"

namespace scim::cgi {

// DecodeRequest over the request's parameters and input stream (see
// ReadBody: a CONTENT_LENGTH over max_body_bytes gives 413, and the body is
// then not read).
Result<HttpRequest> ReadFcgiRequest(FCGX_Request& request, const config::FcgiConfig& config);
void WriteFcgiResponse(FCGX_Request& request, const HttpResponse& response);

// The same for one CGI request: environment, stdin, stdout.
Result<HttpRequest> ReadCgiRequest(const config::FcgiConfig& config);
void WriteCgiResponse(const HttpResponse& response);

}  // namespace scim::cgi

#endif  // SCIM_CGI_FCGI_IO_H_
