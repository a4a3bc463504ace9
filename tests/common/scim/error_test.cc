#include "common/scim/error.h"

#include <gtest/gtest.h>

#include "common/scim/json.h"
#include "tests/scim_matchers.h"

namespace scim {
namespace {

// Each factory is one status and scimType: nobody types the numbers.
TEST(ErrorTest, FactoriesGiveTheirStatusAndScimType) {
  struct Case {
    ScimError error;
    int status;
    ScimType type;
  } cases[] = {
      {InvalidFilter("d"), 400, ScimType::kInvalidFilter},
      {InvalidSyntax("d"), 400, ScimType::kInvalidSyntax},
      {InvalidValue("d"), 400, ScimType::kInvalidValue},
      {InvalidPath("d"), 400, ScimType::kInvalidPath},
      {InvalidCursor("d"), 400, ScimType::kInvalidCursor},
      {BadRequest("d"), 400, ScimType::kNone},
      {Mutability("d"), 400, ScimType::kMutability},
      {NoTarget("d"), 400, ScimType::kNoTarget},
      {TooMany("d"), 400, ScimType::kTooMany},
      {UnknownMember("x"), 400, ScimType::kInvalidValue},
      {Unauthorized("d"), 401, ScimType::kNone},
      {Forbidden("d"), 403, ScimType::kNone},
      {NotFound("d"), 404, ScimType::kNone},
      {MethodNotAllowed("d"), 405, ScimType::kNone},
      {Uniqueness("d"), 409, ScimType::kUniqueness},
      {UnresolvedBulkId("d"), 409, ScimType::kInvalidValue},
      {PreconditionFailed("d"), 412, ScimType::kNone},
      {PayloadTooLarge("d"), 413, ScimType::kNone},
      {UriTooLong("d"), 414, ScimType::kNone},
      {UnsupportedMediaType("d"), 415, ScimType::kNone},
      {TooManyRequests("d"), 429, ScimType::kNone},
      {Internal("d"), 500, ScimType::kNone},
      {Unavailable("d"), 503, ScimType::kNone},
  };
  for (const auto& c : cases) {
    SCOPED_TRACE(c.error.detail + " " + std::to_string(c.status));
    EXPECT_EQ(c.error.status, c.status);
    EXPECT_EQ(c.error.type, c.type);
  }
}

// RFC 7644 §3.12: status as a string, scimType only when there is one.
TEST(ErrorTest, ErrorJsonIsTheRfcBody) {
  EXPECT_EQ(ToJson(ErrorJson(Uniqueness("userName taken"))),
            R"({"schemas":["urn:ietf:params:scim:api:messages:2.0:Error"],"status":"409",)"
            R"("scimType":"uniqueness","detail":"userName taken"})");
  EXPECT_EQ(ToJson(ErrorJson(NotFound("no User"))),
            R"({"schemas":["urn:ietf:params:scim:api:messages:2.0:Error"],"status":"404",)"
            R"("detail":"no User"})");
}

}  // namespace
}  // namespace scim
