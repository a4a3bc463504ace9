// Filter evaluation over a resource's JSON form (RFC 7644 §3.4.2.2).
//
// Where the schema is silent (the TraitsFn returns nullopt), values compare
// by their JSON kind: strings case-insensitively, numbers numerically,
// booleans as booleans. A path qualified with the core User or Group schema
// URN names a top-level attribute and is passed to the TraitsFn unqualified.
#include "common/scim/filter_eval.h"

#include <algorithm>
#include <string>
#include <vector>

#include "common/scim/schema.h"
#include "common/scim/text.h"

namespace scim {
namespace {

using Kind = Filter::Kind;
using Type = AttrTraits::Type;
using Traits = std::optional<AttrTraits>;

bool IsCoreUrn(std::string_view urn) {
  return EqualsCi(urn, kUserSchema) || EqualsCi(urn, kGroupSchema);
}

// The path as the schema knows it: without a core-schema URN.
AttrPath Normalize(const AttrPath& path) {
  if (!IsCoreUrn(path.urn)) return path;
  return AttrPath{"", path.attr, path.sub};
}

// The traits that govern comparisons on path: those of its "value"
// sub-attribute when it names a complex attribute without a sub-attribute
// and the schema defines one.
Traits ResolveTraits(const AttrPath& path, const TraitsFn& traits) {
  if (!traits) return std::nullopt;
  AttrPath p = Normalize(path);
  Traits t = traits(p);
  if (!t || t->type != Type::kComplex || !p.sub.empty()) return t;
  p.sub = "value";
  Traits value = traits(p);
  return value ? value : t;
}

// The traits of a value path's inner paths: outer attribute + sub-attribute.
TraitsFn InnerTraits(const AttrPath& outer, const TraitsFn& traits) {
  AttrPath base = Normalize(outer);
  return [base, &traits](const AttrPath& inner) -> Traits {
    if (!traits) return std::nullopt;
    return traits(AttrPath{base.urn, base.attr, inner.attr});
  };
}

// Appends v, or v's elements when it is an array; null is an absent value.
void AddFlat(const Json* v, std::vector<const Json*>* out) {
  if (v == nullptr || v->is_null()) return;
  if (!v->is_array()) {
    out->push_back(v);
    return;
  }
  for (const Json& e : v->as_array()) {
    if (!e.is_null()) out->push_back(&e);
  }
}

// The values path names in resource, multi-valued attributes flattened.
// With compare_value, a complex value without a named sub-attribute stands
// for its "value" sub-attribute.
std::vector<const Json*> Values(const Json& resource, const AttrPath& path, bool compare_value) {
  const Json* holder =
      path.urn.empty() || IsCoreUrn(path.urn) ? &resource : resource.FindCi(path.urn);
  std::vector<const Json*> top, out;
  AddFlat(holder == nullptr ? nullptr : holder->FindCi(path.attr), &top);
  std::string_view sub = path.sub.empty() ? std::string_view("value") : path.sub;
  for (const Json* v : top) {
    if (path.sub.empty() && (!compare_value || !v->is_object())) {
      out.push_back(v);
    } else if (v->is_object()) {
      AddFlat(v->FindCi(sub), &out);
    }
  }
  return out;
}

// pr: present and not null, "", [] or {}.
bool IsPresent(const Json& v) {
  switch (v.kind()) {
    case Json::Kind::kNull:
      return false;
    case Json::Kind::kString:
      return !v.as_string().empty();
    case Json::Kind::kArray:
      return !v.as_array().empty();
    case Json::Kind::kObject:
      return !v.as_object().empty();
    default:
      return true;
  }
}

bool EvalPresent(const Json& resource, const AttrPath& path) {
  std::vector<const Json*> values = Values(resource, path, false);
  return std::any_of(values.begin(), values.end(), [](const Json* v) { return IsPresent(*v); });
}

char Fold(char c) { return c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c; }

std::string Folded(std::string_view s) {
  std::string out(s);
  std::transform(out.begin(), out.end(), out.begin(), Fold);
  return out;
}

template <typename T>
int Sign(T a, T b) {
  return a < b ? -1 : (b < a ? 1 : 0);
}

// Byte-wise order, after ASCII case folding unless exact.
int CompareText(std::string_view a, std::string_view b, bool exact) {
  size_t n = std::min(a.size(), b.size());
  for (size_t i = 0; i < n; ++i) {
    auto x = static_cast<unsigned char>(exact ? a[i] : Fold(a[i]));
    auto y = static_cast<unsigned char>(exact ? b[i] : Fold(b[i]));
    if (x != y) return x < y ? -1 : 1;
  }
  return Sign(a.size(), b.size());
}

// The text v compares as: a string as is, a number or boolean in its JSON
// form (kept in *buf). False for null, arrays and objects.
bool TextOf(const Json& v, std::string* buf, std::string_view* out) {
  if (v.is_string()) {
    *out = v.as_string();
    return true;
  }
  if (!v.is_number() && !v.is_bool()) return false;
  *buf = ToJson(v);
  *out = *buf;
  return true;
}

// co / sw / ew.
bool Substring(const Json& attr, CompareOp op, const Json& value, bool exact) {
  std::string attr_buf, value_buf;
  std::string_view a, v;
  if (!TextOf(attr, &attr_buf, &a) || !TextOf(value, &value_buf, &v)) return false;
  if (!exact) {
    attr_buf = Folded(a);
    value_buf = Folded(v);
    a = attr_buf;
    v = value_buf;
  }
  if (op == CompareOp::kCo) return a.find(v) != std::string_view::npos;
  if (op == CompareOp::kSw) return a.starts_with(v);
  return a.ends_with(v);
}

// A boolean, or a string "true" / "false" in any case.
std::optional<bool> AsBool(const Json& v) {
  if (v.is_bool()) return v.as_bool();
  if (v.is_string() && EqualsCi(v.as_string(), "true")) return true;
  if (v.is_string() && EqualsCi(v.as_string(), "false")) return false;
  return std::nullopt;
}

bool BoolCompare(const Json& attr, CompareOp op, const Json& value) {
  std::optional<bool> a = AsBool(attr), v = AsBool(value);
  if (!a || !v) return op == CompareOp::kNe;
  if (op == CompareOp::kEq) return *a == *v;
  if (op == CompareOp::kNe) return *a != *v;
  return false;  // no order on booleans
}

// A number, or a string holding a JSON number ("42").
std::optional<Json> AsNumber(const Json& v) {
  if (v.is_number()) return v;
  if (!v.is_string()) return std::nullopt;
  auto parsed = ParseJson(v.as_string());
  if (parsed.ok() && parsed.value().is_number()) return std::move(parsed).value();
  return std::nullopt;
}

std::optional<int> NumberOrder(const Json& attr, const Json& value) {
  std::optional<Json> v = AsNumber(value);
  if (!v) return std::nullopt;
  if (attr.kind() == Json::Kind::kInt && v->kind() == Json::Kind::kInt) {
    return Sign(attr.as_int(), v->as_int());
  }
  return Sign(attr.as_double(), v->as_double());
}

// The order of attr relative to value, or nullopt when they do not compare.
std::optional<int> Order(const Json& attr, const Json& value, const Traits& t) {
  if (attr.is_number()) return NumberOrder(attr, value);
  if (!attr.is_string()) return std::nullopt;
  if (t && t->type == Type::kDateTime && value.is_string()) {
    std::optional<int64_t> a = ParseDateTime(attr.as_string());
    std::optional<int64_t> v = ParseDateTime(value.as_string());
    if (a && v) return Sign(*a, *v);
  }
  std::string buf;
  std::string_view text;
  if (!TextOf(value, &buf, &text)) return std::nullopt;
  return CompareText(attr.as_string(), text, t && t->case_exact);
}

// One attribute value against the filter value. REQUIRES: !value.is_null().
bool CompareOne(const Json& attr, CompareOp op, const Json& value, const Traits& t) {
  if (attr.is_bool() || (t && t->type == Type::kBoolean)) return BoolCompare(attr, op, value);
  if (op == CompareOp::kCo || op == CompareOp::kSw || op == CompareOp::kEw) {
    return Substring(attr, op, value, t && t->case_exact);
  }
  std::optional<int> order = Order(attr, value, t);
  if (!order) return op == CompareOp::kNe;
  switch (op) {
    case CompareOp::kEq:
      return *order == 0;
    case CompareOp::kNe:
      return *order != 0;
    case CompareOp::kGt:
      return *order > 0;
    case CompareOp::kGe:
      return *order >= 0;
    case CompareOp::kLt:
      return *order < 0;
    case CompareOp::kLe:
      return *order <= 0;
    default:
      return false;
  }
}

bool EvalCompare(const Json& resource, const Filter& f, const TraitsFn& traits) {
  if (f.value.is_null()) {  // eq null: absent; ne null: present
    bool present = EvalPresent(resource, f.path);
    return f.op == CompareOp::kEq ? !present : (f.op == CompareOp::kNe && present);
  }
  std::vector<const Json*> values = Values(resource, f.path, true);
  if (values.empty()) return f.op == CompareOp::kNe;
  Traits t = ResolveTraits(f.path, traits);
  return std::any_of(values.begin(), values.end(),
                     [&](const Json* v) { return CompareOne(*v, f.op, f.value, t); });
}

// Some element of the multi-valued (or complex) attribute satisfies the
// inner filter, whose paths name its sub-attributes.
bool EvalValuePath(const Json& resource, const Filter& f, const TraitsFn& traits) {
  if (!f.left) return false;
  TraitsFn inner = InnerTraits(f.path, traits);
  for (const Json* e : Values(resource, AttrPath{f.path.urn, f.path.attr, ""}, false)) {
    if (e->is_object() && Matches(*e, *f.left, inner)) return true;
  }
  return false;
}

bool IsOrdering(CompareOp op) {
  return op == CompareOp::kGt || op == CompareOp::kGe || op == CompareOp::kLt ||
         op == CompareOp::kLe;
}

std::string_view OrderingName(CompareOp op) {
  if (op == CompareOp::kGt) return "gt";
  if (op == CompareOp::kGe) return "ge";
  return op == CompareOp::kLt ? "lt" : "le";
}

Result<void> ValidateCompare(const Filter& f, const TraitsFn& traits) {
  if (!IsOrdering(f.op)) return {};
  Traits t = ResolveTraits(f.path, traits);
  if (!t) return {};
  std::string_view type = t->type == Type::kBoolean   ? "boolean"
                          : t->type == Type::kBinary  ? "binary"
                          : t->type == Type::kComplex ? "complex"
                                                      : "";
  if (type.empty()) return {};
  return InvalidFilter("'" + std::string(OrderingName(f.op)) + "' is not defined for the " +
                       std::string(type) + " attribute '" + ToString(f.path) + "'");
}

}  // namespace

Result<void> ValidateFilter(const Filter& filter, const TraitsFn& traits) {
  switch (filter.kind) {
    case Kind::kCompare:
      return ValidateCompare(filter, traits);
    case Kind::kPresent:
      return {};
    case Kind::kAnd:
    case Kind::kOr:
    case Kind::kNot:
      for (const FilterPtr& operand : {filter.left, filter.right}) {
        if (!operand) continue;
        if (auto r = ValidateFilter(*operand, traits); !r.ok()) return r;
      }
      return {};
    case Kind::kValuePath:
      if (!filter.left) return {};
      return ValidateFilter(*filter.left, InnerTraits(filter.path, traits));
  }
  return {};
}

bool Matches(const Json& resource, const Filter& filter, const TraitsFn& traits) {
  const Filter* l = filter.left.get();
  const Filter* r = filter.right.get();
  switch (filter.kind) {
    case Kind::kCompare:
      return EvalCompare(resource, filter, traits);
    case Kind::kPresent:
      return EvalPresent(resource, filter.path);
    case Kind::kAnd:
      return l && r && Matches(resource, *l, traits) && Matches(resource, *r, traits);
    case Kind::kOr:
      return (l && Matches(resource, *l, traits)) || (r && Matches(resource, *r, traits));
    case Kind::kNot:
      return l && !Matches(resource, *l, traits);
    case Kind::kValuePath:
      return EvalValuePath(resource, filter, traits);
  }
  return false;
}

}  // namespace scim
