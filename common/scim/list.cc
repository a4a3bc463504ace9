#include "common/scim/list.h"

#include <charconv>

#include "common/scim/schema.h"

namespace scim {
namespace {

// The value of a parameter whose name matches case-insensitively, or nullptr.
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

}  // namespace

Result<ListQuery> DecodeListQuery(const std::multimap<std::string, std::string>& params) {
  ListQuery q;
  if (const auto* f = Param(params, "filter")) q.filter = *f;
  if (const auto* s = Param(params, "startIndex")) {
    auto v = ParseInteger(*s, "startIndex");
    if (!v.ok()) return v.error();
    q.start_index = v.value() < 1 ? 1 : v.value();
  }
  if (const auto* c = Param(params, "count")) {
    auto v = ParseInteger(*c, "count");
    if (!v.ok()) return v.error();
    int64_t n = v.value();
    q.count = static_cast<int>(n < 0 ? 0 : (n > kMaxCount ? kMaxCount : n));
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

}  // namespace scim
