// One function per SCIM endpoint: decode, call the service, encode.
#ifndef SCIM_CGI_HANDLERS_H_
#define SCIM_CGI_HANDLERS_H_

#include <string>

#include "cgi/http.h"
#include "cgi/services.h"

namespace scim::cgi {

// /Users and /Groups (svc picks which). The writes take who makes them, for
// their audit rows (ResourceService).
HttpResponse ListResources(const HttpRequest& req, ResourceService& svc);
HttpResponse SearchResources(const HttpRequest& req, ResourceService& svc);
HttpResponse CreateResource(const HttpRequest& req, ResourceService& svc, const WriteAudit& who);
HttpResponse GetResource(const HttpRequest& req, ResourceService& svc, const std::string& id);
HttpResponse ReplaceResource(const HttpRequest& req, ResourceService& svc, const std::string& id,
                             const WriteAudit& who);
HttpResponse PatchResource(const HttpRequest& req, ResourceService& svc, const std::string& id,
                           const WriteAudit& who);
HttpResponse DeleteResource(const HttpRequest& req, ResourceService& svc, const std::string& id,
                            const WriteAudit& who);

// POST /.search: Users and Groups together.
HttpResponse SearchAll(const HttpRequest& req, Services& s);

// POST /Bulk (RFC 7644 §3.7). 413 above kMaxBulkPayloadBytes.
HttpResponse PostBulk(const HttpRequest& req, Services& s, const WriteAudit& who);

// Discovery (RFC 7644 §4).
HttpResponse GetServiceProviderConfig(const HttpRequest& req);
HttpResponse ListResourceTypes(const HttpRequest& req);
HttpResponse GetResourceType(const HttpRequest& req, const std::string& name);
HttpResponse ListSchemas(const HttpRequest& req);
HttpResponse GetSchema(const HttpRequest& req, const std::string& urn);

}  // namespace scim::cgi

#endif  // SCIM_CGI_HANDLERS_H_
