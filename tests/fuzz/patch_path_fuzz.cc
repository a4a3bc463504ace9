// libFuzzer target: ParsePatchPath on arbitrary bytes. A path that parses
// must give its attribute back from ToString (re-parsing it yields the same
// AttrPath), and its value filter is evaluated against fixed elements.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <optional>
#include <string_view>
#include <utility>

#include "common/scim/filter.h"
#include "common/scim/filter_eval.h"
#include "common/scim/json.h"
#include "common/scim/text.h"

namespace {

const scim::Json& Element() {
  static const scim::Json* element = [] {
    auto parsed = scim::ParseJson(
        R"({"value":"2819c223","type":"work","primary":true,"display":"Babs","n":7})");
    if (!parsed.ok()) std::abort();
    return new scim::Json(std::move(parsed).value());
  }();
  return *element;
}

std::optional<scim::AttrTraits> Traits(const scim::AttrPath& path) {
  using Type = scim::AttrTraits::Type;
  if (scim::EqualsCi(path.sub, "primary")) return scim::AttrTraits{Type::kBoolean, false, false};
  if (scim::EqualsCi(path.sub, "value")) return scim::AttrTraits{Type::kString, true, false};
  return std::nullopt;
}

bool SamePath(const scim::AttrPath& a, const scim::AttrPath& b) {
  return a.urn == b.urn && a.attr == b.attr && a.sub == b.sub;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view text(reinterpret_cast<const char*>(data), size);
  auto path = scim::ParsePatchPath(text);
  if (!path.ok()) {
    if (path.error().status != 400 || path.error().type != scim::ScimType::kInvalidPath) {
      std::abort();
    }
    return 0;
  }
  auto again = scim::ParsePatchPath(scim::ToString(path.value().attr));
  if (!again.ok() || !SamePath(again.value().attr, path.value().attr) ||
      again.value().value_filter != nullptr || !again.value().sub.empty()) {
    std::abort();
  }
  if (path.value().value_filter) {
    (void)scim::ValidateFilter(*path.value().value_filter, Traits);
    (void)scim::Matches(Element(), *path.value().value_filter, Traits);
  }
  return 0;
}
