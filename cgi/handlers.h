// One function per SCIM endpoint: decode, call the service, encode.
#ifndef SCIM_CGI_HANDLERS_H_
#define SCIM_CGI_HANDLERS_H_

#include <string>

#include "cgi/http.h"
#include "cgi/services.h"

namespace scim::cgi {

// /Users and /Groups (svc picks which).
HttpResponse ListResources(const HttpRequest& req, ResourceService& svc);
HttpResponse SearchResources(const HttpRequest& req, ResourceService& svc);
HttpResponse CreateResource(const HttpRequest& req, ResourceService& svc);
HttpResponse GetResource(const HttpRequest& req, ResourceService& svc, const std::string& id);
HttpResponse ReplaceResource(const HttpRequest& req, ResourceService& svc, const std::string& id);
HttpResponse PatchResource(const HttpRequest& req, ResourceService& svc, const std::string& id);
HttpResponse DeleteResource(const HttpRequest& req, ResourceService& svc, const std::string& id);

// POST /.search: Users and Groups together.
HttpResponse SearchAll(const HttpRequest& req, Services& s);

// POST /Bulk (RFC 7644 §3.7). 413 above kMaxBulkPayloadBytes.
HttpResponse PostBulk(const HttpRequest& req, Services& s);

// Discovery (RFC 7644 §4).
HttpResponse GetServiceProviderConfig(const HttpRequest& req);
HttpResponse ListResourceTypes(const HttpRequest& req);
HttpResponse GetResourceType(const HttpRequest& req, const std::string& name);
HttpResponse ListSchemas(const HttpRequest& req);
HttpResponse GetSchema(const HttpRequest& req, const std::string& urn);

}  // namespace scim::cgi

#endif  // SCIM_CGI_HANDLERS_H_
