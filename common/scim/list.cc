#include "common/scim/list.h"

#include <charconv>
#include <cstdio>

#include "common/scim/schema.h"
#include "common/scim/text.h"

namespace scim {
namespace {

const std::string* Param(const std::multimap<std::string, std::string>& params,
                         std::string_view name) {
  for (const auto& [k, v] : params) {
    if (EqualsCi(k, name)) return &v;
  }
  return nullptr;
}

Result<int64_t> ParseInteger(const std::string& text, std::string_view name) {
  int64_t v = 0;
  auto r = std::from_chars(text.data(), text.data() + text.size(), v);
  if (r.ec != std::errc() || r.ptr != text.data() + text.size()) {
    return InvalidValue("'" + std::string(name) + "' must be an integer");
  }
  return v;
}

void ClampStart(ListQuery* q, int64_t v) { q->start_index = v < 1 ? 1 : v; }
void ClampCount(ListQuery* q, int64_t n) {
  q->count = static_cast<int>(n < 0 ? 0 : (n > kMaxCount ? kMaxCount : n));
}

Result<void> SetSortOrder(ListQuery* q, const std::string& order) {
  if (EqualsCi(order, "descending"))
    q->descending = true;
  else if (EqualsCi(order, "ascending") || order.empty())
    q->descending = false;
  else
    return InvalidValue("'sortOrder' must be ascending or descending");
  return {};
}

}  // namespace

Result<ListQuery> DecodeListQuery(const std::multimap<std::string, std::string>& params) {
  ListQuery q;
  if (const auto* f = Param(params, "filter")) q.filter = *f;
  if (const auto* s = Param(params, "sortBy")) q.sort_by = *s;
  if (const auto* a = Param(params, "attributes")) q.attributes = *a;
  if (const auto* e = Param(params, "excludedAttributes")) q.excluded_attributes = *e;
  if (const auto* c = Param(params, "cursor")) q.cursor = *c;
  if (const auto* o = Param(params, "sortOrder")) {
    if (auto r = SetSortOrder(&q, *o); !r.ok()) return r.error();
  }
  if (const auto* s = Param(params, "startIndex")) {
    auto v = ParseInteger(*s, "startIndex");
    if (!v.ok()) return v.error();
    ClampStart(&q, v.value());
  }
  if (const auto* c = Param(params, "count")) {
    auto v = ParseInteger(*c, "count");
    if (!v.ok()) return v.error();
    ClampCount(&q, v.value());
  }
  return q;
}

Result<ListQuery> DecodeSearchRequest(const Json& body) {
  if (!body.is_object()) return InvalidSyntax("the request body must be a JSON object");
  ListQuery q;
  auto text = [&](const char* name, std::string* out) -> Result<void> {
    const Json* v = body.FindCi(name);
    if (!v || v->is_null()) return {};
    if (v->is_string()) {
      *out = v->as_string();
      return {};
    }
    if (v->is_array()) {  // attributes as an array of names
      for (const auto& item : v->as_array()) {
        if (!item.is_string()) return InvalidValue(std::string("'") + name + "' must be strings");
        *out += (out->empty() ? "" : ",") + item.as_string();
      }
      return {};
    }
    return InvalidValue(std::string("'") + name + "' must be a string");
  };
  for (auto [name, field] : {std::pair{"filter", &q.filter}, std::pair{"sortBy", &q.sort_by},
                             std::pair{"attributes", &q.attributes},
                             std::pair{"excludedAttributes", &q.excluded_attributes}}) {
    if (auto r = text(name, field); !r.ok()) return r.error();
  }
  if (const Json* c = body.FindCi("cursor"); c && c->is_string()) q.cursor = c->as_string();
  std::string order;
  if (auto r = text("sortOrder", &order); !r.ok()) return r.error();
  if (auto r = SetSortOrder(&q, order); !r.ok()) return r.error();
  for (auto [name, setter] :
       {std::pair{"startIndex", &ClampStart}, std::pair{"count", &ClampCount}}) {
    const Json* v = body.FindCi(name);
    if (!v || v->is_null()) continue;
    if (v->kind() != Json::Kind::kInt)
      return InvalidValue(std::string("'") + name + "' must be an integer");
    setter(&q, v->as_int());
  }
  return q;
}

Json RenderListResponse(int64_t total, int64_t start_index, std::vector<Json> resources) {
  Json out = Json::MakeObject();
  Json schemas = Json::MakeArray();
  schemas.as_array().emplace_back(kListResponseSchema);
  out.Set("schemas", std::move(schemas));
  out.Set("totalResults", total);
  out.Set("startIndex", start_index);
  out.Set("itemsPerPage", static_cast<int64_t>(resources.size()));
  out.Set("Resources", Json(std::move(resources)));
  return out;
}

Json RenderCursorListResponse(int64_t total, const std::optional<std::string>& next_cursor,
                              std::vector<Json> resources) {
  Json out = RenderListResponse(total, 1, std::move(resources));
  out.Erase("startIndex");
  if (next_cursor) {
    Json items = *out.Find("Resources");
    out.Erase("Resources");
    out.Set("nextCursor", *next_cursor);
    out.Set("Resources", std::move(items));
  }
  return out;
}

std::string EncodeCursor(int64_t seq) {
  char buf[24];
  std::snprintf(buf, sizeof buf, "c%llx", static_cast<unsigned long long>(seq));
  return buf;
}

std::optional<int64_t> DecodeCursor(std::string_view cursor) {
  if (cursor.size() < 2 || cursor.size() > 17 || cursor[0] != 'c') return std::nullopt;
  int64_t v = 0;
  auto r = std::from_chars(cursor.data() + 1, cursor.data() + cursor.size(), v, 16);
  if (r.ec != std::errc() || r.ptr != cursor.data() + cursor.size() || v < 1) return std::nullopt;
  if (EncodeCursor(v) != cursor) return std::nullopt;  // upper case, leading zeros
  return v;
}

}  // namespace scim
