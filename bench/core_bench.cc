// Google Benchmark for the pure SCIM core: JSON parse/render of a user,
// normalisation and filter parsing. Inputs are built outside the timed loops.
// The end-to-end load benchmark (through nginx, against its ceilings) is
// issue 6.
#include <benchmark/benchmark.h>

#include "common/scim/filter.h"
#include "common/scim/json.h"
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
  for (auto _ : state) benchmark::DoNotOptimize(scim::NormalizeUser(body));
}
BENCHMARK(BM_NormalizeUser);

void BM_RenderUser(benchmark::State& state) {
  scim::UserRecord u;
  u.id = "4e7243d8-c5a0-4a12-be7c-d58196d9f0d5";
  u.version = 3;
  u.attributes = scim::NormalizeUser(scim::ParseJson(kUser).value()).value();
  for (auto _ : state) {
    benchmark::DoNotOptimize(scim::ToJson(scim::RenderUser(u, "https://example.com/scim/v2")));
  }
}
BENCHMARK(BM_RenderUser);

void BM_ParseFilter(benchmark::State& state) {
  std::string filter =
      R"(userName eq "Test_User_ab6490ee-1e48-479e-a20b-2d77186b5dd1@contoso.com")";
  for (auto _ : state) benchmark::DoNotOptimize(scim::ParseFilter(filter));
}
BENCHMARK(BM_ParseFilter);

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
