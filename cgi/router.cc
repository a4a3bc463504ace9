#include "cgi/router.h"

#include <array>
#include <functional>

#include "cgi/error_response.h"
#include "cgi/handlers.h"

namespace scim::cgi {
namespace {

using Handler = std::function<HttpResponse(const HttpRequest&, Services&, const std::string&)>;

struct Route {
  std::string_view method;
  std::string_view pattern;  // "/Users" or "/Users/{id}"
  Handler handler;
};

const std::vector<Route>& Routes() {
  static const auto* routes = new std::vector<Route>{
      {"GET", "/Users", [](const auto& r, auto& s, const auto&) { return ListUsers(r, s); }},
      {"POST", "/Users", [](const auto& r, auto& s, const auto&) { return PostUser(r, s); }},
      {"GET", "/Users/{id}",
       [](const auto& r, auto& s, const auto& id) { return GetUser(r, s, id); }},
  };
  return *routes;
}

// Matches path against pattern; a trailing "{id}" captures one segment.
bool Match(std::string_view pattern, std::string_view path, std::string* id) {
  if (!path.empty() && path.size() > 1 && path.back() == '/') path.remove_suffix(1);
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

}  // namespace

HttpResponse Serve(const HttpRequest& req, Services& services, RequestLog* log) {
  auto token = Authenticate(req, services.tokens);
  if (!token.ok()) return ErrorResponse(token.error());
  log->token_name = token.value().name;
  std::string allowed;
  for (const auto& route : Routes()) {
    std::string id;
    if (!Match(route.pattern, req.path, &id)) continue;
    if (route.method == req.method) return route.handler(req, services, id);
    allowed += (allowed.empty() ? "" : ", ") + std::string(route.method);
  }
  if (allowed.empty()) return ErrorResponse(NotFound("no such endpoint: " + req.path));
  HttpResponse r = ErrorResponse(MethodNotAllowed(req.method + " is not allowed here"));
  r.headers.emplace_back("Allow", allowed);
  return r;
}

}  // namespace scim::cgi
