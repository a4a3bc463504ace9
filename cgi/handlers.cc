#include "cgi/handlers.h"

#include "cgi/error_response.h"
#include "common/scim/list.h"

namespace scim::cgi {
namespace {

// Accepts application/scim+json, application/json (any parameters) and a
// missing Content-Type, as IdPs send all three.
bool IsJsonContentType(const std::string& content_type) {
  if (content_type.empty()) return true;
  std::string media = content_type.substr(0, content_type.find(';'));
  while (!media.empty() && media.back() == ' ') media.pop_back();
  return EqualsCi(media, "application/scim+json") || EqualsCi(media, "application/json");
}

Result<Json> DecodeBody(const HttpRequest& req) {
  if (!IsJsonContentType(req.Header("content-type"))) {
    return UnsupportedMediaType("send application/scim+json or application/json");
  }
  if (req.body.empty()) return InvalidSyntax("the request body is empty");
  return ParseJson(req.body);
}

HttpResponse UserResponse(int status, const UserRecord& user, const HttpRequest& req) {
  HttpResponse r = JsonResponse(status, RenderUser(user, req.base_url));
  r.headers.emplace_back("ETag", WeakEtag(user.version));
  if (status == 201) r.headers.emplace_back("Location", req.base_url + "/Users/" + user.id);
  return r;
}

}  // namespace

HttpResponse PostUser(const HttpRequest& req, Services& s) {
  auto body = DecodeBody(req);
  if (!body.ok()) return ErrorResponse(body.error());
  auto user = s.users.Create(body.value());
  if (!user.ok()) return ErrorResponse(user.error());
  return UserResponse(201, user.value(), req);
}

HttpResponse GetUser(const HttpRequest& req, Services& s, const std::string& id) {
  auto user = s.users.Get(id);
  if (!user.ok()) return ErrorResponse(user.error());
  return UserResponse(200, user.value(), req);
}

HttpResponse ListUsers(const HttpRequest& req, Services& s) {
  auto query = DecodeListQuery(req.query);
  if (!query.ok()) return ErrorResponse(query.error());
  auto page = s.users.List(query.value());
  if (!page.ok()) return ErrorResponse(page.error());
  std::vector<Json> resources;
  resources.reserve(page.value().users.size());
  for (const auto& u : page.value().users) resources.push_back(RenderUser(u, req.base_url));
  return JsonResponse(
      200, RenderListResponse(page.value().total, query.value().start_index, std::move(resources)));
}

}  // namespace scim::cgi
