#include "cgi/router.h"

#include <functional>
#include <vector>

#include "cgi/error_response.h"
#include "cgi/handlers.h"
#include "common/scim/text.h"

namespace scim::cgi {
namespace {

// What a handler gets besides the request: the {id} of its path ("" when
// the route has none) and who makes the request (the audit of its writes).
struct Call {
  std::string id;
  WriteAudit who;
};

using Handler = std::function<HttpResponse(const HttpRequest&, Services&, const Call&)>;

struct Route {
  std::string_view method;
  std::string_view pattern;  // "/Users", "/Users/{id}"; matched case-insensitively
  Handler handler;
};

// The routes of one resource type; svc picks the service out of Services.
void AddResourceRoutes(std::vector<Route>* routes, std::string_view base, std::string_view item,
                       std::string_view search, ResourceService& (*svc)(Services&)) {
  routes->push_back({"POST", search, [svc](const auto& r, auto& s, const Call&) {
                       return SearchResources(r, svc(s));
                     }});
  routes->push_back({"GET", base, [svc](const auto& r, auto& s, const Call&) {
                       return ListResources(r, svc(s));
                     }});
  routes->push_back({"POST", base, [svc](const auto& r, auto& s, const Call& c) {
                       return CreateResource(r, svc(s), c.who);
                     }});
  routes->push_back({"GET", item, [svc](const auto& r, auto& s, const Call& c) {
                       return GetResource(r, svc(s), c.id);
                     }});
  routes->push_back({"PUT", item, [svc](const auto& r, auto& s, const Call& c) {
                       return ReplaceResource(r, svc(s), c.id, c.who);
                     }});
  routes->push_back({"PATCH", item, [svc](const auto& r, auto& s, const Call& c) {
                       return PatchResource(r, svc(s), c.id, c.who);
                     }});
  routes->push_back({"DELETE", item, [svc](const auto& r, auto& s, const Call& c) {
                       return DeleteResource(r, svc(s), c.id, c.who);
                     }});
}

const std::vector<Route>& Routes() {
  static const auto* routes = [] {
    auto* r = new std::vector<Route>;
    AddResourceRoutes(r, "/Users", "/Users/{id}", "/Users/.search",
                      [](Services& s) -> ResourceService& { return s.users; });
    AddResourceRoutes(r, "/Groups", "/Groups/{id}", "/Groups/.search",
                      [](Services& s) -> ResourceService& { return s.groups; });
    r->push_back({"POST", "/.search",
                  [](const auto& req, auto& s, const Call&) { return SearchAll(req, s); }});
    r->push_back({"POST", "/Bulk",
                  [](const auto& req, auto& s, const Call& c) { return PostBulk(req, s, c.who); }});
    r->push_back({"GET", "/ServiceProviderConfig", [](const auto& req, auto&, const Call&) {
                    return GetServiceProviderConfig(req);
                  }});
    r->push_back({"GET", "/ResourceTypes",
                  [](const auto& req, auto&, const Call&) { return ListResourceTypes(req); }});
    r->push_back({"GET", "/ResourceTypes/{id}", [](const auto& req, auto&, const Call& c) {
                    return GetResourceType(req, c.id);
                  }});
    r->push_back(
        {"GET", "/Schemas", [](const auto& req, auto&, const Call&) { return ListSchemas(req); }});
    r->push_back({"GET", "/Schemas/{id}",
                  [](const auto& req, auto&, const Call& c) { return GetSchema(req, c.id); }});
    return r;
  }();
  return *routes;
}

// Matches path against pattern; a trailing "{id}" captures one segment.
bool Match(std::string_view pattern, std::string_view path, std::string* id) {
  if (path.size() > 1 && path.back() == '/') path.remove_suffix(1);
  constexpr std::string_view kParam = "{id}";
  if (pattern.size() >= kParam.size() && pattern.substr(pattern.size() - kParam.size()) == kParam) {
    std::string_view prefix = pattern.substr(0, pattern.size() - kParam.size());
    if (path.size() <= prefix.size() || !EqualsCi(path.substr(0, prefix.size()), prefix)) {
      return false;
    }
    std::string_view rest = path.substr(prefix.size());
    if (rest.find('/') != std::string_view::npos) return false;
    *id = std::string(rest);
    return true;
  }
  return EqualsCi(pattern, path);
}

Result<auth::TokenInfo> Authenticate(const HttpRequest& req, auth::TokenStore& tokens) {
  auto presented = auth::BearerToken(req.Header("authorization"));
  if (!presented) return Unauthorized("a bearer token is required");
  auto found = tokens.FindActive(auth::HashToken(*presented));
  if (!found.ok()) return found.error();
  if (!found.value()) return Unauthorized("the bearer token is not valid");
  return *found.value();
}

HttpResponse TooMany(const std::string& detail, int retry_after_s) {
  HttpResponse r = ErrorResponse(TooManyRequests(detail));
  r.headers.emplace_back("Retry-After", std::to_string(retry_after_s));
  return r;
}

// A refused authentication: counted against the client address, and 429
// once that address is over the limit (only requests that fail
// authentication are ever refused for it: a valid token always gets in).
HttpResponse RefuseAuthentication(const HttpRequest& req, const ScimError& error, int64_t now,
                                  Services& services, RequestLog* log) {
  log->auth_failure = error.detail;
  int retry = 0;
  if (services.limits.Blocked(req.remote_addr, now, &retry)) {
    return TooMany("too many failed authentications from this address", retry);
  }
  services.limits.RecordFailure(req.remote_addr, now);
  return ErrorResponse(error);
}

// The checks before routing; nullopt when the request may go on, with
// *who set to who makes it.
std::optional<HttpResponse> Admit(const HttpRequest& req, Services& services, RequestLog* log,
                                  WriteAudit* who) {
  int64_t now = services.clock.NowMillis();
  auto settings = services.settings.Get();
  if (!settings.ok()) return ErrorResponse(settings.error());
  if (!settings.value().enabled) {
    return ErrorResponse(Forbidden("SCIM provisioning is turned off for this application"));
  }
  auto token = Authenticate(req, services.tokens);
  if (!token.ok()) {
    if (token.error().status != 401) return ErrorResponse(token.error());
    return RefuseAuthentication(req, token.error(), now, services, log);
  }
  log->token_name = token.value().name;
  services.tokens.Touch(token.value().id);
  *who = WriteAudit{token.value().name, req.request_id, req.remote_addr, "", "", "ok", ""};
  int retry = 0;
  if (!services.limits.AllowToken(token.value().name, settings.value().rate_limit, now, &retry)) {
    return TooMany("this token is over its request rate limit", retry);
  }
  return std::nullopt;
}

// GET /healthz: 200 {"status":"ok"} when this worker reaches MySQL, else
// 503. No token, and nothing else revealed (not even whether SCIM is on).
HttpResponse Health(const HttpRequest& req, Services& services) {
  HttpResponse r;
  r.headers.emplace_back("Content-Type", "application/json");
  r.headers.emplace_back("Cache-Control", "no-store");
  if (req.method != "GET" && req.method != "HEAD") {
    r.status = 405;
    r.headers.emplace_back("Allow", "GET, HEAD");
    r.body = R"({"status":"method not allowed"})";
    return r;
  }
  bool up = services.ping().ok();
  r.status = up ? 200 : 503;
  r.body = up ? R"({"status":"ok"})" : R"({"status":"unavailable"})";
  if (!up) r.headers.emplace_back("Retry-After", "5");
  return r;
}

}  // namespace

HttpResponse Serve(const HttpRequest& req, Services& services, RequestLog* log) {
  if (req.health) return Health(req, services);
  Call call;
  if (auto refused = Admit(req, services, log, &call.who)) return *refused;
  std::string allowed;
  for (const auto& route : Routes()) {
    if (!Match(route.pattern, req.path, &call.id)) continue;
    if (route.method == req.method) return route.handler(req, services, call);
    if (allowed.find(route.method) == std::string::npos) {
      allowed += (allowed.empty() ? "" : ", ") + std::string(route.method);
    }
  }
  if (allowed.empty()) return ErrorResponse(NotFound("no such endpoint"));
  HttpResponse r = ErrorResponse(MethodNotAllowed(req.method + " is not allowed here"));
  r.headers.emplace_back("Allow", allowed);
  return r;
}

}  // namespace scim::cgi
