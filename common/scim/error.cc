#include "common/scim/error.h"

#include "common/scim/json.h"
#include "common/scim/schema.h"

namespace scim {

std::string_view ScimTypeName(ScimType type) {
  switch (type) {
    case ScimType::kNone:
      return "";
    case ScimType::kInvalidFilter:
      return "invalidFilter";
    case ScimType::kTooMany:
      return "tooMany";
    case ScimType::kUniqueness:
      return "uniqueness";
    case ScimType::kMutability:
      return "mutability";
    case ScimType::kInvalidSyntax:
      return "invalidSyntax";
    case ScimType::kInvalidPath:
      return "invalidPath";
    case ScimType::kNoTarget:
      return "noTarget";
    case ScimType::kInvalidValue:
      return "invalidValue";
    case ScimType::kInvalidVers:
      return "invalidVers";
    case ScimType::kInvalidCursor:
      return "invalidCursor";
    case ScimType::kSensitive:
      return "sensitive";
  }
  return "";
}

ScimError InvalidFilter(std::string d) { return {400, ScimType::kInvalidFilter, std::move(d)}; }
ScimError InvalidSyntax(std::string d) { return {400, ScimType::kInvalidSyntax, std::move(d)}; }
ScimError InvalidValue(std::string d) { return {400, ScimType::kInvalidValue, std::move(d)}; }
ScimError InvalidPath(std::string d) { return {400, ScimType::kInvalidPath, std::move(d)}; }
ScimError BadRequest(std::string d) { return {400, ScimType::kNone, std::move(d)}; }
ScimError Unauthorized(std::string d) { return {401, ScimType::kNone, std::move(d)}; }
ScimError Forbidden(std::string d) { return {403, ScimType::kNone, std::move(d)}; }
ScimError NotFound(std::string d) { return {404, ScimType::kNone, std::move(d)}; }
ScimError MethodNotAllowed(std::string d) { return {405, ScimType::kNone, std::move(d)}; }
ScimError InvalidCursor(std::string d) { return {400, ScimType::kInvalidCursor, std::move(d)}; }
ScimError UriTooLong(std::string d) { return {414, ScimType::kNone, std::move(d)}; }
ScimError Uniqueness(std::string d) { return {409, ScimType::kUniqueness, std::move(d)}; }
ScimError UnresolvedBulkId(std::string d) { return {409, ScimType::kInvalidValue, std::move(d)}; }
ScimError Mutability(std::string d) { return {400, ScimType::kMutability, std::move(d)}; }
ScimError NoTarget(std::string d) { return {400, ScimType::kNoTarget, std::move(d)}; }
ScimError TooMany(std::string d) { return {400, ScimType::kTooMany, std::move(d)}; }
ScimError PreconditionFailed(std::string d) { return {412, ScimType::kNone, std::move(d)}; }
ScimError TooManyRequests(std::string d) { return {429, ScimType::kNone, std::move(d)}; }
ScimError PayloadTooLarge(std::string d) { return {413, ScimType::kNone, std::move(d)}; }
ScimError UnsupportedMediaType(std::string d) { return {415, ScimType::kNone, std::move(d)}; }
ScimError Internal(std::string d) { return {500, ScimType::kNone, std::move(d)}; }
ScimError Unavailable(std::string d) { return {503, ScimType::kNone, std::move(d)}; }

ScimError UnknownMember(std::string_view id) {
  return InvalidValue("no User or Group with id " + std::string(id) + " to add as member");
}

Json ErrorJson(const ScimError& error) {
  Json body = Json::MakeObject();
  body.Set("schemas", Json(Json::Array{Json(kErrorSchema)}));
  body.Set("status", std::to_string(error.status));
  if (error.type != ScimType::kNone) body.Set("scimType", ScimTypeName(error.type));
  body.Set("detail", error.detail);
  return body;
}

}  // namespace scim
