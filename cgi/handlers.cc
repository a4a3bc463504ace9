#include "cgi/handlers.h"

#include "cgi/error_response.h"
#include "common/scim/bulk.h"
#include "common/scim/list.h"
#include "common/scim/schema.h"
#include "common/scim/text.h"

namespace scim::cgi {
namespace {

// Accepts application/scim+json, application/json (any parameters) and a
// missing Content-Type, as IdPs send all three.
bool IsJsonContentType(const std::string& content_type) {
  if (content_type.empty()) return true;
  std::string_view media = Trim(std::string_view(content_type).substr(0, content_type.find(';')));
  return EqualsCi(media, "application/scim+json") || EqualsCi(media, "application/json");
}

Result<Json> DecodeBody(const HttpRequest& req) {
  if (!IsJsonContentType(req.Header("content-type"))) {
    return UnsupportedMediaType("send application/scim+json or application/json");
  }
  if (req.body.empty()) return InvalidSyntax("the request body is empty");
  return ParseJson(req.body);
}

const std::string* QueryParam(const HttpRequest& req, std::string_view name) {
  for (const auto& [k, v] : req.query) {
    if (EqualsCi(k, name)) return &v;
  }
  return nullptr;
}

// The projection the query asks for (attributes / excludedAttributes).
// Parsed before any write, so a malformed one changes nothing.
Result<Projection> ProjectionOf(const HttpRequest& req) {
  const std::string* a = QueryParam(req, "attributes");
  const std::string* e = QueryParam(req, "excludedAttributes");
  return ParseProjection(a ? *a : "", e ? *e : "");
}

// 200/201 with the projected resource, its ETag and (201) Location.
HttpResponse ResourceResponse(int status, const ResourceRecord& r, const Projection& projection,
                              const HttpRequest& req, ResourceService& svc) {
  auto body = svc.Render(r, req.base_url, projection);
  if (!body.ok()) return ErrorResponse(body.error());
  HttpResponse resp = JsonResponse(status, body.value());
  resp.headers.emplace_back("ETag", WeakEtag(r.version));
  if (status == 201) {
    resp.headers.emplace_back("Location",
                              req.base_url + std::string(svc.type().endpoint) + "/" + r.id);
  }
  return resp;
}

// 204 No Content with the new version's ETag.
HttpResponse NoContent(int64_t version) {
  HttpResponse resp;
  resp.status = 204;
  resp.headers.emplace_back("ETag", WeakEtag(version));
  return resp;
}

HttpResponse ListResponse(const Result<ListQuery>& query, const HttpRequest& req,
                          ResourceService& svc) {
  if (!query.ok()) return ErrorResponse(query.error());
  auto result = svc.List(query.value(), req.base_url);
  if (!result.ok()) return ErrorResponse(result.error());
  ListResult& r = result.value();
  if (r.cursor_mode) {
    return JsonResponse(200,
                        RenderCursorListResponse(r.total, r.next_cursor, std::move(r.resources)));
  }
  return JsonResponse(200, RenderListResponse(r.total, r.start_index, std::move(r.resources)));
}

bool WantsMinimal(const HttpRequest& req) {
  return req.Header("prefer").find("return=minimal") != std::string::npos;
}

HttpResponse ListOf(std::vector<Json> items) {
  int64_t n = static_cast<int64_t>(items.size());
  return JsonResponse(200, RenderListResponse(n, 1, std::move(items)));
}

}  // namespace

HttpResponse ListResources(const HttpRequest& req, ResourceService& svc) {
  return ListResponse(DecodeListQuery(req.query), req, svc);
}

HttpResponse SearchResources(const HttpRequest& req, ResourceService& svc) {
  auto body = DecodeBody(req);
  if (!body.ok()) return ErrorResponse(body.error());
  return ListResponse(DecodeSearchRequest(body.value()), req, svc);
}

HttpResponse CreateResource(const HttpRequest& req, ResourceService& svc, const WriteAudit& who) {
  auto body = DecodeBody(req);
  if (!body.ok()) return ErrorResponse(body.error());
  auto projection = ProjectionOf(req);
  if (!projection.ok()) return ErrorResponse(projection.error());
  auto created = svc.Create(body.value(), who);
  if (!created.ok()) return ErrorResponse(created.error());
  return ResourceResponse(201, created.value(), projection.value(), req, svc);
}

HttpResponse GetResource(const HttpRequest& req, ResourceService& svc, const std::string& id) {
  auto projection = ProjectionOf(req);
  if (!projection.ok()) return ErrorResponse(projection.error());
  auto r = svc.Get(id);
  if (!r.ok()) return ErrorResponse(r.error());
  const std::string& none_match = req.Header("if-none-match");
  if (!none_match.empty() && IfMatchAllows(none_match, r.value().version)) {
    HttpResponse resp;
    resp.status = 304;
    resp.headers.emplace_back("ETag", WeakEtag(r.value().version));
    return resp;
  }
  return ResourceResponse(200, r.value(), projection.value(), req, svc);
}

HttpResponse ReplaceResource(const HttpRequest& req, ResourceService& svc, const std::string& id,
                             const WriteAudit& who) {
  auto body = DecodeBody(req);
  if (!body.ok()) return ErrorResponse(body.error());
  auto projection = ProjectionOf(req);
  if (!projection.ok()) return ErrorResponse(projection.error());
  auto r = svc.Replace(id, body.value(), req.Header("if-match"), who);
  if (!r.ok()) return ErrorResponse(r.error());
  return ResourceResponse(200, r.value(), projection.value(), req, svc);
}

// RFC 7644 §3.5.2: 200 with the entire resource (subject to `attributes`)
// or 204. A group's entire resource holds every member, so a group PATCH
// answers 204 unless the query asks for attributes: its cost stays
// O(members changed).
HttpResponse PatchResource(const HttpRequest& req, ResourceService& svc, const std::string& id,
                           const WriteAudit& who) {
  auto body = DecodeBody(req);
  if (!body.ok()) return ErrorResponse(body.error());
  auto projection = ProjectionOf(req);
  if (!projection.ok()) return ErrorResponse(projection.error());
  auto r = svc.Patch(id, body.value(), req.Header("if-match"), who);
  if (!r.ok()) return ErrorResponse(r.error());
  bool group = &svc.type() == &GroupType();
  if (WantsMinimal(req) || (group && projection.value().empty())) {
    return NoContent(r.value().version);
  }
  return ResourceResponse(200, r.value(), projection.value(), req, svc);
}

HttpResponse DeleteResource(const HttpRequest& req, ResourceService& svc, const std::string& id,
                            const WriteAudit& who) {
  auto r = svc.Delete(id, req.Header("if-match"), who);
  if (!r.ok()) return ErrorResponse(r.error());
  HttpResponse resp;
  resp.status = 204;
  return resp;
}

HttpResponse SearchAll(const HttpRequest& req, Services& s) {
  auto body = DecodeBody(req);
  if (!body.ok()) return ErrorResponse(body.error());
  auto query = DecodeSearchRequest(body.value());
  if (!query.ok()) return ErrorResponse(query.error());
  // Each type's matches, in order, then one page over the concatenation.
  ListQuery all = query.value();
  all.start_index = 1;
  all.count = kMaxCount;
  std::vector<Json> found;
  int64_t total = 0;
  for (ResourceService* svc : {&s.users, &s.groups}) {
    auto r = svc->List(all, req.base_url);
    if (!r.ok()) return ErrorResponse(r.error());
    total += r.value().total;
    for (auto& j : r.value().resources) found.push_back(std::move(j));
  }
  std::vector<Json> page;
  for (size_t i = static_cast<size_t>(query.value().start_index - 1);
       i < found.size() && page.size() < static_cast<size_t>(query.value().count); ++i) {
    page.push_back(std::move(found[i]));
  }
  return JsonResponse(200, RenderListResponse(total, query.value().start_index, std::move(page)));
}

HttpResponse PostBulk(const HttpRequest& req, Services& s, const WriteAudit& who) {
  if (req.body.size() > static_cast<size_t>(kMaxBulkPayloadBytes)) {
    return ErrorResponse(PayloadTooLarge("a bulk request may carry at most " +
                                         std::to_string(kMaxBulkPayloadBytes) + " bytes"));
  }
  auto body = DecodeBody(req);
  if (!body.ok()) return ErrorResponse(body.error());
  auto result = RunBulk(body.value(), s.users, s.groups, req.base_url, who);
  if (!result.ok()) return ErrorResponse(result.error());
  return JsonResponse(200, result.value());
}

HttpResponse GetServiceProviderConfig(const HttpRequest& req) {
  return JsonResponse(200, ServiceProviderConfigJson(req.base_url));
}

HttpResponse ListResourceTypes(const HttpRequest& req) {
  std::vector<Json> items;
  for (const auto* t : ResourceTypes()) items.push_back(ResourceTypeJson(*t, req.base_url));
  return ListOf(std::move(items));
}

HttpResponse GetResourceType(const HttpRequest& req, const std::string& name) {
  for (const auto* t : ResourceTypes()) {
    if (EqualsCi(t->name, name)) return JsonResponse(200, ResourceTypeJson(*t, req.base_url));
  }
  return ErrorResponse(NotFound("no resource type " + name));
}

HttpResponse ListSchemas(const HttpRequest& req) {
  std::vector<Json> items;
  for (const auto* s : AllSchemas()) items.push_back(SchemaJson(*s, req.base_url));
  return ListOf(std::move(items));
}

HttpResponse GetSchema(const HttpRequest& req, const std::string& urn) {
  for (const auto* s : AllSchemas()) {
    if (EqualsCi(s->id, urn)) return JsonResponse(200, SchemaJson(*s, req.base_url));
  }
  return ErrorResponse(NotFound("no schema " + urn));
}

}  // namespace scim::cgi
