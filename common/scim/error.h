// SCIM errors as values (RFC 7644 §3.12) and Result<T>, the return type of
// every fallible function in scimsync. Nothing here throws.
#ifndef SCIM_COMMON_SCIM_ERROR_H_
#define SCIM_COMMON_SCIM_ERROR_H_

#include <string>
#include <string_view>
#include <utility>
#include <variant>

namespace scim {

class Json;  // common/scim/json.h

// RFC 7644 §3.12 Table 9. kNone: the status has no scimType.
enum class ScimType {
  kNone,
  kInvalidFilter,
  kTooMany,
  kUniqueness,
  kMutability,
  kInvalidSyntax,
  kInvalidPath,
  kNoTarget,
  kInvalidValue,
  kInvalidVers,
  kSensitive,
  kInvalidCursor,  // RFC 9865 §2.4
};

struct ScimError {
  int status;          // HTTP status
  ScimType type;       // kNone when RFC 7644 defines no scimType for the case
  std::string detail;  // shown to the client: no SQL, no stack traces, no secrets
};

// The wire name of a scimType ("invalidFilter"); "" for kNone.
std::string_view ScimTypeName(ScimType type);

// One factory per case; callers never type a bare status number.
ScimError InvalidFilter(std::string detail);         // 400 invalidFilter
ScimError InvalidSyntax(std::string detail);         // 400 invalidSyntax
ScimError InvalidValue(std::string detail);          // 400 invalidValue
ScimError InvalidPath(std::string detail);           // 400 invalidPath
ScimError BadRequest(std::string detail);            // 400, no scimType
ScimError Unauthorized(std::string detail);          // 401
ScimError Forbidden(std::string detail);             // 403
ScimError NotFound(std::string detail);              // 404
ScimError MethodNotAllowed(std::string detail);      // 405
ScimError InvalidCursor(std::string detail);         // 400 invalidCursor (RFC 9865 §2.4)
ScimError UriTooLong(std::string detail);            // 414
ScimError Uniqueness(std::string detail);            // 409 uniqueness
ScimError UnresolvedBulkId(std::string detail);      // 409 invalidValue (RFC 7644 §3.7)
ScimError Mutability(std::string detail);            // 400 mutability
ScimError NoTarget(std::string detail);              // 400 noTarget
ScimError TooMany(std::string detail);               // 400 tooMany
ScimError PreconditionFailed(std::string detail);    // 412 (If-Match)
ScimError TooManyRequests(std::string detail);       // 429
ScimError PayloadTooLarge(std::string detail);       // 413
ScimError UnsupportedMediaType(std::string detail);  // 415
ScimError Internal(std::string detail);              // 500; log the cause separately
ScimError Unavailable(std::string detail);           // 503; the caller may retry
// 400 invalidValue: a group member id that names no User or Group.
ScimError UnknownMember(std::string_view id);

// The body of an error response (RFC 7644 §3.12), the one writer of it:
// {"schemas":[Error],"status":"409","scimType":"uniqueness","detail":"…"},
// status a string, scimType left out for kNone. Used for HTTP answers
// (cgi/error_response.h) and inside a BulkResponse.
Json ErrorJson(const ScimError& error);

// Holds a T or a ScimError.
template <typename T>
class [[nodiscard]] Result {
 public:
  Result(T value) : v_(std::move(value)) {}          // NOLINT: implicit by design
  Result(ScimError error) : v_(std::move(error)) {}  // NOLINT: implicit by design

  bool ok() const { return v_.index() == 0; }
  const T& value() const& { return std::get<0>(v_); }
  T& value() & { return std::get<0>(v_); }
  T&& value() && { return std::get<0>(std::move(v_)); }
  const ScimError& error() const { return std::get<1>(v_); }

 private:
  std::variant<T, ScimError> v_;
};

template <>
class [[nodiscard]] Result<void> {
 public:
  Result() = default;
  Result(ScimError error) : error_(std::move(error)), ok_(false) {}  // NOLINT

  bool ok() const { return ok_; }
  const ScimError& error() const { return error_; }

 private:
  ScimError error_{0, ScimType::kNone, ""};
  bool ok_ = true;
};

}  // namespace scim

#endif  // SCIM_COMMON_SCIM_ERROR_H_
