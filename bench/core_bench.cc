// Google Benchmark for the pure SCIM core: JSON parse/render of a user,
// normalisation, filter parsing and evaluation, PATCH parsing and applying.
// Inputs are built outside the timed loops. The end-to-end figures are
// bench/load_bench.sh's (docs/PERFORMANCE.md).
#include <benchmark/benchmark.h>

#include "common/scim/filter.h"
#include "common/scim/filter_eval.h"
#include "common/scim/json.h"
#include "common/scim/patch.h"
#include "common/scim/resource.h"
#include "common/scim/schema.h"
#include "common/scim/user.h"

namespace {

// A user as Entra ID sends it on create, about 1.1 KB.
const char* kUser = R"({
  "schemas": ["urn:ietf:params:scim:schemas:core:2.0:User",
              "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User"],
  "externalId": "0a21f0f2-8d2a-4f8e-bf98-7363c4aed4ef",
  "userName": "Test_User_ab6490ee-1e48-479e-a20b-2d77186b5dd1@contoso.com",
  "active": true,
  "displayName": "Test User Display Name",
  "title": "Senior Engineer",
  "preferredLanguage": "en-US",
  "userType": "Moderator",
  "name": {"formatted": "Ann Lee", "familyName": "Lee", "givenName": "Ann"},
  "emails": [{"primary": true, "type": "work", "value": "ann.lee@contoso.com"},
             {"primary": false, "type": "home", "value": "ann@example.org"}],
  "phoneNumbers": [{"type": "work", "value": "+1-555-0100"},
                   {"type": "mobile", "value": "+1-555-0199"}],
  "addresses": [{"type": "work", "streetAddress": "1 Main St", "locality": "Redmond",
                 "region": "WA", "postalCode": "98052", "country": "US", "primary": true}],
  "roles": [{"primary": true, "type": "WindowsAzureActiveDirectoryRole", "value": "Admin"}],
  "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User": {
    "employeeNumber": "701984", "department": "Tour Operations", "costCenter": "4130",
    "organization": "Universal Studios", "division": "Theme Park",
    "manager": {"value": "26118915-6090-4610-87e4-49d8ca9f808d"}}
})";

void BM_ParseUserJson(benchmark::State& state) {
  std::string text = kUser;
  for (auto _ : state) benchmark::DoNotOptimize(scim::ParseJson(text));
  state.SetBytesProcessed(static_cast<int64_t>(state.iterations() * text.size()));
}
BENCHMARK(BM_ParseUserJson);

void BM_NormalizeUser(benchmark::State& state) {
  scim::Json body = scim::ParseJson(kUser).value();
  for (auto _ : state) benchmark::DoNotOptimize(scim::NormalizeResource(scim::UserType(), body));
}
BENCHMARK(BM_NormalizeUser);

void BM_RenderUser(benchmark::State& state) {
  scim::ResourceRecord u;
  u.id = "4e7243d8-c5a0-4a12-be7c-d58196d9f0d5";
  u.version = 3;
  u.attributes = scim::NormalizeResource(scim::UserType(), scim::ParseJson(kUser).value()).value();
  for (auto _ : state) {
    benchmark::DoNotOptimize(
        scim::ToJson(scim::RenderResource(scim::UserType(), u, "https://example.com/scim/v2")));
  }
}
BENCHMARK(BM_RenderUser);

void BM_ParseFilter(benchmark::State& state) {
  std::string filter =
      R"(userName eq "Test_User_ab6490ee-1e48-479e-a20b-2d77186b5dd1@contoso.com")";
  for (auto _ : state) benchmark::DoNotOptimize(scim::ParseFilter(filter));
}
BENCHMARK(BM_ParseFilter);

// A rendered user (as the list path evaluates filters on it).
scim::Json RenderedUser() {
  scim::ResourceRecord u;
  u.id = "4e7243d8-c5a0-4a12-be7c-d58196d9f0d5";
  u.version = 3;
  u.attributes = scim::NormalizeResource(scim::UserType(), scim::ParseJson(kUser).value()).value();
  return scim::RenderResource(scim::UserType(), u, "https://example.com/scim/v2");
}

// Evaluation of a parsed filter against a rendered user: arg 0 is Okta's
// userName eq, arg 1 Entra's compound filter with a value path.
void BM_EvalFilter(benchmark::State& state) {
  const char* filters[] = {
      R"(userName eq "test_user_ab6490ee-1e48-479e-a20b-2d77186b5dd1@contoso.com")",
      R"(emails[type eq "work" and value co "lee"] and active eq true and )"
      R"(urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:department sw "Tour")"};
  scim::Json user = RenderedUser();
  auto filter = scim::ParseFilter(filters[state.range(0)]).value();
  scim::TraitsFn traits = scim::TraitsFor(scim::UserType());
  bool matched = false;
  for (auto _ : state) {
    matched = scim::Matches(user, *filter, traits);
    benchmark::DoNotOptimize(matched);
  }
  if (!matched) state.SkipWithError("the filter should match the user");
}
BENCHMARK(BM_EvalFilter)->Arg(0)->Arg(1);

// PATCH parse + apply on a stored user: arg 0 is Okta's deactivation, arg 1
// Entra's multi-operation update with a value-filter path.
void BM_ApplyPatch(benchmark::State& state) {
  const char* bodies[] = {
      R"({"schemas":["urn:ietf:params:scim:api:messages:2.0:PatchOp"],
          "Operations":[{"op":"replace","value":{"active":false}}]})",
      R"({"schemas":["urn:ietf:params:scim:api:messages:2.0:PatchOp"],"Operations":[
          {"op":"Replace","path":"displayName","value":"New Name"},
          {"op":"Replace","path":"emails[type eq \"work\"].value","value":"new@contoso.com"},
          {"op":"Add","path":"name.givenName","value":"Anna"},
          {"op":"Replace","path":"active","value":"False"},
          {"op":"Replace","path":"urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:department","value":"Ops"}]})"};
  scim::Json stored =
      scim::NormalizeResource(scim::UserType(), scim::ParseJson(kUser).value()).value();
  scim::Json body = scim::ParseJson(bodies[state.range(0)]).value();
  for (auto _ : state) {
    auto ops = scim::ParsePatchRequest(body);
    auto out = scim::ApplyPatch(scim::UserType(), stored, ops.value());
    if (!out.ok()) state.SkipWithError(out.error().detail.c_str());
    benchmark::DoNotOptimize(out);
  }
}
BENCHMARK(BM_ApplyPatch)->Arg(0)->Arg(1);

// Parse time against document size: arrays of n members (group-like).
void BM_ParseMembers(benchmark::State& state) {
  std::string text = R"({"members":[)";
  for (int i = 0; i < state.range(0); ++i) {
    if (i) text += ",";
    text += R"({"value":"26118915-6090-4610-87e4-)" + std::to_string(100000000000 + i) + "\"}";
  }
  text += "]}";
  for (auto _ : state) benchmark::DoNotOptimize(scim::ParseJson(text));
  state.SetComplexityN(state.range(0));
}
BENCHMARK(BM_ParseMembers)->Range(8, 32768)->Complexity();

}  // namespace

BENCHMARK_MAIN();
