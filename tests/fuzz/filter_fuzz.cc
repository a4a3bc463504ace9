// libFuzzer target: ParseFilter on arbitrary bytes. A filter that parses
// must parse again from its text form (tests/filter_dump.h's RenderFilter)
// into the same filter, is validated, and is evaluated against a fixed user
// with a fixed schema, where "not (F)" must give the opposite answer of F.
// Any crash, leak, sanitizer report or exception is a bug; so is a broken
// round trip or identity (abort).
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "common/scim/filter.h"
#include "common/scim/filter_eval.h"
#include "common/scim/json.h"
#include "tests/filter_dump.h"

namespace {

constexpr std::string_view kUser = R"({
  "schemas": ["urn:ietf:params:scim:schemas:core:2.0:User"],
  "id": "2819c223", "externalId": "jyoung", "userName": "bjensen@example.com",
  "name": {"familyName": "Jensen", "givenName": "Barbara"},
  "active": true, "title": "", "loginCount": 42, "score": 3.5, "profileUrl": null,
  "emails": [{"value": "bjensen@example.com", "type": "work", "primary": true},
             {"value": "babs@jensen.org", "type": "home"}, null, "odd", [1]],
  "roles": [{"value": "admin", "primary": "True"}],
  "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User": {
    "department": "Tour", "manager": {"value": "26118915"}},
  "meta": {"created": "2010-01-23T04:56:22Z", "lastModified": "2011-05-13T04:42:34Z"}
})";

std::optional<scim::AttrTraits> Traits(const scim::AttrPath& path) {
  using Type = scim::AttrTraits::Type;
  // Vary by the first letters so every type and flag is exercised.
  std::string_view key = path.sub.empty() ? path.attr : path.sub;
  if (key.empty()) return std::nullopt;
  switch (key[0] | 0x20) {
    case 'a':
      return scim::AttrTraits{Type::kBoolean, false, false};
    case 'e':
      return scim::AttrTraits{Type::kComplex, false, true};
    case 'i':
      return scim::AttrTraits{Type::kString, true, false};
    case 'l':
      return scim::AttrTraits{Type::kDateTime, false, false};
    case 'c':
      return scim::AttrTraits{Type::kDateTime, false, false};
    case 'n':
      return scim::AttrTraits{Type::kComplex, false, false};
    case 'p':
      return scim::AttrTraits{Type::kBoolean, false, false};
    case 's':
      return scim::AttrTraits{Type::kDecimal, false, false};
    case 'x':
      return scim::AttrTraits{Type::kBinary, true, false};
    case 'v':
      return scim::AttrTraits{Type::kString, false, false};
    default:
      return std::nullopt;
  }
}

const scim::Json& User() {
  static const scim::Json* user = [] {
    auto parsed = scim::ParseJson(kUser);
    if (!parsed.ok()) std::abort();
    return new scim::Json(std::move(parsed).value());
  }();
  return *user;
}

// The operands of an and/or chain, nested chains of the same kind
// flattened (the parser balances chains; grouping can shape them too).
void Operands(const scim::Filter& f, std::vector<const scim::Filter*>* out) {
  for (const scim::Filter* o : {f.left.get(), f.right.get()}) {
    if (o && o->kind == f.kind) {
      Operands(*o, out);
    } else if (o) {
      out->push_back(o);
    }
  }
}

// Whether a and b are one filter: chains compared flattened, values as
// JSON values (-0.0 is written "-0", which reads back as the integer 0).
bool SameFilter(const scim::Filter& a, const scim::Filter& b) {
  if (a.kind != b.kind || scim::ToString(a.path) != scim::ToString(b.path)) return false;
  switch (a.kind) {
    case scim::Filter::Kind::kCompare:
      return a.op == b.op && a.value == b.value;
    case scim::Filter::Kind::kPresent:
      return true;
    case scim::Filter::Kind::kAnd:
    case scim::Filter::Kind::kOr: {
      std::vector<const scim::Filter*> x, y;
      Operands(a, &x);
      Operands(b, &y);
      if (x.size() != y.size()) return false;
      for (size_t i = 0; i < x.size(); ++i) {
        if (!SameFilter(*x[i], *y[i])) return false;
      }
      return true;
    }
    case scim::Filter::Kind::kNot:
    case scim::Filter::Kind::kValuePath:
      return SameFilter(*a.left, *b.left);
  }
  return false;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view text(reinterpret_cast<const char*>(data), size);
  auto filter = scim::ParseFilter(text);
  if (!filter.ok()) {
    if (filter.error().status != 400 || filter.error().type != scim::ScimType::kInvalidFilter) {
      std::abort();
    }
    return 0;
  }
  if (filter.value() == nullptr) std::abort();
  const scim::Filter& f = *filter.value();
  std::string rendered = scim::testing::RenderFilter(f);
  auto again = scim::ParseFilter(rendered);
  if (!again.ok() || !SameFilter(*again.value(), f)) std::abort();
  (void)scim::ValidateFilter(f, Traits);
  bool typed = scim::Matches(User(), f, Traits);
  bool untyped = scim::Matches(User(), f, scim::TraitsFn());
  if (scim::Matches(User(), *again.value(), Traits) != typed) std::abort();
  // One more level of nesting: a filter at the limit may not take it.
  auto negated = scim::ParseFilter("not (" + rendered + ")");
  if (!negated.ok()) {
    if (negated.error().detail.find("nesting deeper") == std::string::npos) std::abort();
    return 0;
  }
  if (scim::Matches(User(), *negated.value(), Traits) == typed) std::abort();
  if (scim::Matches(User(), *negated.value(), scim::TraitsFn()) == untyped) std::abort();
  return 0;
}
