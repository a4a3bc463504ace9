// Full provisioning lifecycles as Okta and Microsoft Entra ID send them,
// written once and replayed against any directory mapping: the bundled
// directory_users (idp_lifecycle_test.cc) and the sample application's own
// tables (app_schema_test.cc). Each script checks the SCIM answers itself
// and asks an AppDirectory what landed in the application's tables. Also
// the few helpers those suites (and application_test.cc) share.
#ifndef SCIM_TESTS_INTEGRATION_LIFECYCLES_H_
#define SCIM_TESTS_INTEGRATION_LIFECYCLES_H_

#include <optional>
#include <string>
#include <vector>

#include "tests/integration/env.h"

namespace scim::it {

// A PatchOp body with these Operations (a JSON array).
std::string PatchOps(const std::string& ops);
// A request to /scim/v2<path> with the shared token.
Response Scim(const std::string& method, const std::string& path, const std::string& body = "");
// A filter (or any value) percent-encoded for a query string.
std::string EncodeQuery(const std::string& s);
// GET /Users?filter=<filter>&startIndex=1&count=100: the IdP's lookup, as
// Okta sends it before every assignment.
Response Lookup(const std::string& filter);
// s in upper case (ASCII): userName is caseExact=false.
std::string Upper(std::string s);
// The one value `sql` selects with :id (or any one name) bound to key: a
// number (-1 for NULL or no row), or text ("" for NULL or no row).
long long SqlNum(const std::string& sql, const std::string& key);
std::string SqlText(const std::string& sql, const std::string& key);
// scimctl with the stack's config.
CmdResult Ctl(std::vector<std::string> args);
// `scim-syncd reconcile` with the stack's config.
CmdResult Reconcile();

// A setting (scimctl settings set) for one scope, restored afterwards.
class ScopedSetting {
 public:
  ScopedSetting(std::string key, const std::string& value, std::string restore);
  ~ScopedSetting();
  ScopedSetting(const ScopedSetting&) = delete;
  ScopedSetting& operator=(const ScopedSetting&) = delete;

 private:
  std::string key_, restore_;
};

// An application user as its row holds it, in SCIM's terms (the mapping's
// values translated back; a value the mapping does not name fails the test).
struct AppUser {
  long long applied_version = 0;  // the SCIM version scimsync last applied
  std::string user_name, given_name, family_name, email;
  std::optional<std::string> display_name;  // nullopt: the mapping has no column for it
  bool active = false;
  std::string role;  // Registered, Moderator or Admin
};

struct AppGroup {
  long long applied_version = 0;
  std::string name;
  std::vector<std::string> member_ids;  // the members' SCIM ids, sorted
};

// What one mapping stores, read straight from the application's tables.
class AppDirectory {
 public:
  virtual ~AppDirectory() = default;
  // The row linked to the SCIM user id; nullopt when there is none.
  virtual std::optional<AppUser> User(const std::string& id) = 0;
  // The group row linked to the SCIM group id; nullopt when there is none.
  virtual std::optional<AppGroup> Group(const std::string& id) = 0;
};

// The ids a lifecycle made, for further checks by the caller.
struct LifecycleIds {
  std::string user, group;
};

// Okta: probe, create (with a password), GET, PUT, deactivate, reactivate,
// group push; waits until the directory holds the final state. The ids it
// made go to *ids when given. Failures are gtest failures (fatal ones end
// the script: check HasFatalFailure()).
void OktaLifecycle(AppDirectory& dir, LifecycleIds* ids = nullptr);
// Entra: externalId probes, create, one PATCH per mapped attribute, roles,
// groups, DELETE (the directory keeps the user, deactivated).
void EntraLifecycle(AppDirectory& dir, LifecycleIds* ids = nullptr);

}  // namespace scim::it

#endif  // SCIM_TESTS_INTEGRATION_LIFECYCLES_H_
