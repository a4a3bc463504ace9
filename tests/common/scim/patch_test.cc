#include "common/scim/patch.h"

#include <gtest/gtest.h>

#include "tests/scim_matchers.h"

namespace scim {
namespace {

Json Parse(const std::string& text) {
  auto r = ParseJson(text);
  EXPECT_SCIM_OK(r) << text;
  return r.ok() ? r.value() : Json();
}

const std::string kEnt = "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User";

// A user as stored (normalised attributes).
const std::string kStored =
    R"({"userName":"ann","active":true,"name":{"givenName":"Ann","familyName":"Lee"},
  "emails":[{"value":"ann@work.com","type":"work","primary":true},{"value":"ann@home.org","type":"home"}],
  "roles":[{"value":"Registered","primary":true}]})";

Result<Json> Patch(const std::string& stored, const std::string& operations) {
  auto ops = ParsePatchRequest(
      Parse(R"({"schemas":["urn:ietf:params:scim:api:messages:2.0:PatchOp"],"Operations":)" +
            operations + "}"));
  if (!ops.ok()) return ops.error();
  return ApplyPatch(UserType(), Parse(stored), ops.value());
}

struct Case {
  std::string name;
  std::string operations;
  std::string expected;  // the whole resulting attributes
};

TEST(PatchTest, AppliesOperationsAsIdpsSendThem) {
  const std::string base_rest =
      R"("emails":[{"value":"ann@work.com","type":"work","primary":true},{"value":"ann@home.org","type":"home"}],"roles":[{"value":"Registered","primary":true}])";
  const Case cases[] = {
      {"Okta deactivate: pathless replace", R"([{"op":"replace","value":{"active":false}}])",
       R"({"userName":"ann","active":false,"name":{"givenName":"Ann","familyName":"Lee"},)" +
           base_rest + "}"},
      {"op in any case, boolean as a string",
       R"([{"op":"Replace","path":"active","value":"False"},{"op":"REPLACE","path":"active","value":"True"}])",
       R"({"userName":"ann","active":true,"name":{"givenName":"Ann","familyName":"Lee"},)" +
           base_rest + "}"},
      {"pathless with dotted and URN-qualified keys",
       R"([{"op":"replace","value":{"name.givenName":"Anne",")" + kEnt +
           R"(:employeeNumber":"42"}}])",
       R"({"userName":"ann","active":true,"name":{"givenName":"Anne","familyName":"Lee"},)" +
           base_rest + R"(,")" + kEnt + R"(":{"employeeNumber":"42"}})"},
      {"add on a value-filter path that matches nothing creates the element",
       R"([{"op":"add","path":"phoneNumbers[type eq \"mobile\"].value","value":"+1 555"},
           {"op":"replace","path":"addresses[type eq \"work\"].streetAddress","value":"1 Main St"}])",
       R"({"userName":"ann","active":true,"name":{"givenName":"Ann","familyName":"Lee"},)" +
           base_rest +
           R"(,"phoneNumbers":[{"type":"mobile","value":"+1 555"}],
              "addresses":[{"type":"work","streetAddress":"1 Main St"}]})"},
      {"replace on a value-filter path that matches changes that element only",
       R"([{"op":"replace","path":"emails[type eq \"work\"].value","value":"ann@new.com"}])",
       R"({"userName":"ann","active":true,"name":{"givenName":"Ann","familyName":"Lee"},
          "emails":[{"value":"ann@new.com","type":"work","primary":true},{"value":"ann@home.org","type":"home"}],
          "roles":[{"value":"Registered","primary":true}]})"},
      {"remove with a filter", R"([{"op":"remove","path":"emails[type eq \"home\"]"}])",
       R"({"userName":"ann","active":true,"name":{"givenName":"Ann","familyName":"Lee"},
          "emails":[{"value":"ann@work.com","type":"work","primary":true}],
          "roles":[{"value":"Registered","primary":true}]})"},
      {"remove with a value removes exactly those values",
       R"([{"op":"Remove","path":"emails","value":[{"value":"ann@home.org"}]}])",
       R"({"userName":"ann","active":true,"name":{"givenName":"Ann","familyName":"Lee"},
          "emails":[{"value":"ann@work.com","type":"work","primary":true}],
          "roles":[{"value":"Registered","primary":true}]})"},
      {"manager as a bare string, [{value}] and {value}",
       R"([{"op":"add","path":")" + kEnt + R"(:manager","value":"m1"},
           {"op":"replace","path":")" +
           kEnt + R"(:manager","value":[{"value":"m2"}]},
           {"op":"replace","path":")" +
           kEnt + R"(:manager","value":{"value":"m3"}}])",
       R"({"userName":"ann","active":true,"name":{"givenName":"Ann","familyName":"Lee"},)" +
           base_rest + R"(,")" + kEnt + R"(":{"manager":{"value":"m3"}}})"},
      {"Entra roles: JSON string inside value, and roles[primary eq \"True\"].value",
       R"([{"op":"replace","path":"roles[primary eq \"True\"].value","value":"Moderator"},
           {"op":"Add","path":"roles","value":[{"value":"{\"id\":\"9\",\"value\":\"Admin\",\"displayName\":\"Administrator\"}"}]}])",
       R"({"userName":"ann","active":true,"name":{"givenName":"Ann","familyName":"Lee"},
          "emails":[{"value":"ann@work.com","type":"work","primary":true},{"value":"ann@home.org","type":"home"}],
          "roles":[{"value":"Moderator","primary":true},{"value":"Admin","display":"Administrator"}]})"},
      {"Okta rename carrying the resource's own id: ignored",
       R"([{"op":"replace","value":{"id":"whatever","userName":"ann2"}}])",
       R"({"userName":"ann2","active":true,"name":{"givenName":"Ann","familyName":"Lee"},)" +
           base_rest + "}"},
      {"replace of a complex attribute keeps unspecified sub-attributes",
       R"([{"op":"replace","path":"name","value":{"givenName":"A"}}])",
       R"({"userName":"ann","active":true,"name":{"givenName":"A","familyName":"Lee"},)" +
           base_rest + "}"},
      {"add to a multi-valued attribute appends; a new primary demotes the old one",
       R"([{"op":"add","path":"emails","value":[{"value":"x@y","type":"other","primary":true}]}])",
       R"({"userName":"ann","active":true,"name":{"givenName":"Ann","familyName":"Lee"},
          "emails":[{"value":"ann@work.com","type":"work","primary":false},{"value":"ann@home.org","type":"home"},
                    {"value":"x@y","type":"other","primary":true}],
          "roles":[{"value":"Registered","primary":true}]})"},
      {"remove a sub-attribute and a simple attribute",
       R"([{"op":"remove","path":"name.familyName"},{"op":"remove","path":"active"}])",
       R"({"userName":"ann","name":{"givenName":"Ann"},)" + base_rest + "}"},
      {"a path naming the whole extension",
       R"([{"op":"add","path":")" + kEnt + R"(","value":{"department":"Ops","costCenter":"7"}}])",
       R"({"userName":"ann","active":true,"name":{"givenName":"Ann","familyName":"Lee"},)" +
           base_rest + R"(,")" + kEnt + R"(":{"department":"Ops","costCenter":"7"}})"},
      {"unknown attributes are ignored",
       R"([{"op":"add","path":"favouriteColour","value":"blue"},{"op":"replace","value":{"shoeSize":44}}])",
       R"({"userName":"ann","active":true,"name":{"givenName":"Ann","familyName":"Lee"},)" +
           base_rest + "}"},
  };
  for (const auto& c : cases) {
    SCOPED_TRACE(c.name);
    auto r = Patch(kStored, c.operations);
    ASSERT_SCIM_OK(r);
    EXPECT_EQ(r.value(), Parse(c.expected)) << ToJson(r.value());
  }
}

TEST(PatchTest, RejectsBadRequests) {
  struct Bad {
    std::string operations;
    ScimType type;
  };
  const Bad cases[] = {
      {R"([{"op":"move","path":"active","value":true}])", ScimType::kInvalidValue},
      {R"([{"op":"remove"}])", ScimType::kNoTarget},
      {R"([{"op":"add","path":"active"}])", ScimType::kInvalidValue},
      {R"([{"op":"replace","path":"emails[type eq","value":"x"}])", ScimType::kInvalidPath},
      {R"([{"op":"replace","path":"id","value":"x"}])", ScimType::kMutability},
      {R"([{"op":"replace","path":"groups","value":[]}])", ScimType::kMutability},
      {R"([{"op":"replace","path":"name[givenName eq \"x\"]","value":"x"}])",
       ScimType::kInvalidPath},
      {R"([{"op":"remove","path":"userName"}])", ScimType::kInvalidValue},
      {R"([{"op":"replace","path":"active","value":"perhaps"}])", ScimType::kInvalidValue},
      {R"([{"op":"replace","value":"not an object"}])", ScimType::kInvalidValue},
  };
  for (const auto& c : cases) {
    SCOPED_TRACE(c.operations);
    EXPECT_SCIM_ERROR(Patch(kStored, c.operations), 400, c.type);
  }
  EXPECT_SCIM_ERROR(ParsePatchRequest(Parse(R"({"Operations":[]})")), 400,
                    ScimType::kInvalidSyntax);
  EXPECT_SCIM_ERROR(
      ParsePatchRequest(Parse(R"({"schemas":["urn:ietf:params:scim:api:messages:2.0:PatchOp"]})")),
      400, ScimType::kInvalidSyntax);
}

}  // namespace
}  // namespace scim
