// A small JSON value (RFC 8259) with an order-keeping object, its parser and
// its compact writer. SCIM resources are handled as Json trees normalised by
// the schema code; this is the only JSON code in scimsync.
#ifndef SCIM_COMMON_SCIM_JSON_H_
#define SCIM_COMMON_SCIM_JSON_H_

#include <cstdint>
#include <string>
#include <string_view>
#include <utility>
#include <variant>
#include <vector>

#include "common/scim/error.h"

namespace scim {

class Json {
 public:
  enum class Kind { kNull, kBool, kInt, kDouble, kString, kArray, kObject };
  using Array = std::vector<Json>;
  using Member = std::pair<std::string, Json>;
  using Object = std::vector<Member>;  // insertion order is kept

  Json() = default;                                 // null
  Json(std::nullptr_t) {}                           // NOLINT
  Json(bool b) : v_(b) {}                           // NOLINT
  Json(int i) : v_(static_cast<int64_t>(i)) {}      // NOLINT
  Json(int64_t i) : v_(i) {}                        // NOLINT
  Json(double d) : v_(d) {}                         // NOLINT
  Json(std::string s) : v_(std::move(s)) {}         // NOLINT
  Json(std::string_view s) : v_(std::string(s)) {}  // NOLINT
  Json(const char* s) : v_(std::string(s)) {}       // NOLINT
  Json(Array a) : v_(std::move(a)) {}               // NOLINT
  Json(Object o) : v_(std::move(o)) {}              // NOLINT

  static Json MakeObject() { return Json(Object{}); }
  static Json MakeArray() { return Json(Array{}); }

  Kind kind() const { return static_cast<Kind>(v_.index()); }
  bool is_null() const { return kind() == Kind::kNull; }
  bool is_bool() const { return kind() == Kind::kBool; }
  bool is_number() const { return kind() == Kind::kInt || kind() == Kind::kDouble; }
  bool is_string() const { return kind() == Kind::kString; }
  bool is_array() const { return kind() == Kind::kArray; }
  bool is_object() const { return kind() == Kind::kObject; }

  // REQUIRES: the matching kind.
  bool as_bool() const { return std::get<bool>(v_); }
  int64_t as_int() const { return std::get<int64_t>(v_); }
  double as_double() const;  // also for kInt
  const std::string& as_string() const { return std::get<std::string>(v_); }
  const Array& as_array() const { return std::get<Array>(v_); }
  Array& as_array() { return std::get<Array>(v_); }
  const Object& as_object() const { return std::get<Object>(v_); }
  Object& as_object() { return std::get<Object>(v_); }

  // Object lookup; nullptr when absent or when this is not an object.
  const Json* Find(std::string_view key) const;
  Json* Find(std::string_view key);
  // ASCII case-insensitive lookup: SCIM attribute names are case-insensitive
  // (RFC 7643 §2.1).
  const Json* FindCi(std::string_view key) const;
  // Sets key (exact match) to value, keeping its position if present.
  // REQUIRES: is_object().
  Json& Set(std::string_view key, Json value);
  // Removes key (exact match); false when absent.
  bool Erase(std::string_view key);

  friend bool operator==(const Json& a, const Json& b);

 private:
  std::variant<std::nullptr_t, bool, int64_t, double, std::string, Array, Object> v_;
};

struct JsonLimits {
  int max_depth = 64;  // nesting of arrays and objects
};

// Parses one JSON text (surrounding whitespace allowed). Errors are 400
// invalidSyntax with the byte offset. Strings must be valid UTF-8. A key that
// repeats within one object keeps its last value.
Result<Json> ParseJson(std::string_view text, const JsonLimits& limits = {});

// Compact serialisation, keys in insertion order. Bytes of a string that
// are not well-formed UTF-8 are written as U+FFFD: the output is always JSON.
std::string ToJson(const Json& value);
void AppendJson(const Json& value, std::string* out);

// Whether s is well-formed UTF-8 (RFC 3629; what ParseJson accepts).
bool IsValidUtf8(std::string_view s);

}  // namespace scim

#endif  // SCIM_COMMON_SCIM_JSON_H_
