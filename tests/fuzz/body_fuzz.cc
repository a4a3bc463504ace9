// libFuzzer target: request-body validation. Arbitrary bytes go through the
// JSON parser, User and Group normalisation, PATCH decoding and PATCH
// application to a fixed user, and Bulk decoding against fake services.
// Every error must be a 4xx with a detail; a normalised resource must be
// stable (normalising it again changes nothing).
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "common/scim/json.h"
#include "common/scim/patch.h"
#include "common/scim/resource.h"

namespace {

void CheckError(const scim::ScimError& e) {
  if (e.status < 400 || e.status > 499 || e.detail.empty()) std::abort();
}

const scim::Json& StoredUser() {
  static const scim::Json* user = [] {
    auto parsed = scim::ParseJson(
        R"({"userName":"ann","active":true,"name":{"givenName":"Ann"},
            "emails":[{"value":"a@x","type":"work","primary":true}],
            "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User":{"department":"D"}})");
    if (!parsed.ok()) std::abort();
    return new scim::Json(std::move(parsed).value());
  }();
  return *user;
}

void Normalize(const scim::ResourceTypeDef& type, const scim::Json& body) {
  auto n = scim::NormalizeResource(type, body);
  if (!n.ok()) return CheckError(n.error());
  auto again = scim::NormalizeResource(type, n.value(), /*require_schemas=*/false);
  if (!again.ok() || !(again.value() == n.value())) std::abort();
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view text(reinterpret_cast<const char*>(data), size);
  auto body = scim::ParseJson(text);
  if (!body.ok()) {
    CheckError(body.error());
    return 0;
  }
  Normalize(scim::UserType(), body.value());
  Normalize(scim::GroupType(), body.value());
  auto ops = scim::ParsePatchRequest(body.value());
  if (!ops.ok()) {
    CheckError(ops.error());
    return 0;
  }
  auto patched = scim::ApplyPatch(scim::UserType(), StoredUser(), ops.value());
  if (!patched.ok()) CheckError(patched.error());
  return 0;
}
