// libFuzzer target: request-body validation. Arbitrary bytes go through the
// JSON parser, User and Group normalisation, PATCH decoding and PATCH
// application to a fixed user, and a whole Bulk request run against fake
// services (tests/fakes). Every error must be a 4xx with a detail; a
// normalised resource must be stable (normalising it again changes
// nothing); a BulkResponse answers each operation (unless failOnErrors
// stopped it) with a 2xx or a 4xx, never a 5xx: the fakes never fail.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>
#include <string_view>

#include "common/scim/bulk.h"
#include "common/scim/json.h"
#include "common/scim/patch.h"
#include "common/scim/resource.h"
#include "tests/fakes/fakes.h"

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

// One operation's entry in a BulkResponse.
void CheckBulkOutcome(const scim::Json& entry) {
  const scim::Json* status = entry.is_object() ? entry.Find("status") : nullptr;
  if (!status || !status->is_string()) std::abort();
  int code = std::atoi(status->as_string().c_str());
  if (code < 200 || code > 499) std::abort();
  const scim::Json* response = entry.Find("response");
  if ((code >= 400) != (response != nullptr)) std::abort();  // errors, and only errors, say why
  if (response) {
    const scim::Json* detail = response->Find("detail");
    if (!detail || !detail->is_string() || detail->as_string().empty()) std::abort();
    if (response->Find("status")->as_string() != status->as_string()) std::abort();
  }
}

void Bulk(const scim::Json& body) {
  scim::testing::FakeServices s;
  auto r = scim::RunBulk(body, s.users, s.groups, "https://h/scim/v2", scim::testing::kWho);
  if (!r.ok()) return CheckError(r.error());
  const scim::Json* out = r.value().Find("Operations");
  if (!out || !out->is_array()) std::abort();
  for (const auto& entry : out->as_array()) CheckBulkOutcome(entry);
  const scim::Json* ops = body.FindCi("Operations");
  bool may_stop = body.FindCi("failOnErrors") != nullptr;
  if (!may_stop && out->as_array().size() != ops->as_array().size()) std::abort();
  if (out->as_array().size() > ops->as_array().size()) std::abort();
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
  Bulk(body.value());
  auto ops = scim::ParsePatchRequest(body.value());
  if (!ops.ok()) {
    CheckError(ops.error());
    return 0;
  }
  auto patched = scim::ApplyPatch(scim::UserType(), StoredUser(), ops.value());
  if (!patched.ok()) CheckError(patched.error());
  return 0;
}
