// The console's pages: one handler per route (GET shows, POST changes and
// redirects 303 back with a notice code, or shows the page again with an
// error), the pure renderers they use (tested without a database), and the
// helpers they share.
#ifndef SCIM_ADMIN_PAGES_H_
#define SCIM_ADMIN_PAGES_H_

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "admin/csrf.h"
#include "admin/html.h"
#include "admin/router.h"
#include "common/db/change_queue.h"
#include "common/db/mysql_token_store.h"
#include "common/db/sync_rows.h"
#include "common/ops/liveness.h"
#include "common/sync/settings.h"

namespace scim::admin {

using Handler = cgi::HttpResponse (*)(const Call&, const Form&);

// --- shared (admin/pages.cc) ---
// The page with the call's user, notice from ?done= (a fixed message per
// known code; unknown codes show nothing), status 200 unless given.
cgi::HttpResponse ShowPage(const Call& call, PageView page, int status = 200);
// 303 to a console page ("tokens"), with ?done=code when code is not empty.
cgi::HttpResponse Redirect(std::string_view page, std::string_view code = "");
// The error page for a failed database call (503/500 as the error says).
cgi::HttpResponse Failed(const Call& call, const ScimError& error);
// The fixed notice of a done= code ("" for an unknown one).
std::string NoticeFor(std::string_view code);
// Stores settings (key, value) in one transaction, each validated as
// `scimctl settings set` does and audited as "settings set" by call.user.
Result<void> WriteSettingsAudited(const Call& call,
                                  const std::vector<std::pair<std::string, std::string>>& kv);
// The settings as stored (over the defaults).
Result<sync::Settings> LoadSettings(const Call& call);
// "on"/"off" for a checkbox field (present: on).
inline std::string OnOff(bool b) { return b ? "on" : "off"; }

// --- SCIM (admin/scim_page.cc, admin/idp_steps.cc) ---
cgi::HttpResponse GetScim(const Call& call, const Form& form);
cgi::HttpResponse PostScimEnabled(const Call& call, const Form& form);
// The SCIM base URLs a client of this request should use.
std::vector<std::string> BaseUrls(const cgi::HttpRequest& req, const config::FcgiConfig& fcgi);
std::string RenderScim(bool enabled, const std::vector<std::string>& base_urls,
                       const std::string& idp, const std::string& csrf);
// The chosen IdP's setup steps ("okta", "entra", "onelogin", other: generic).
std::string IdpSteps(std::string_view idp, const std::string& base_url);

// --- Tokens (admin/tokens_page.cc) ---
cgi::HttpResponse GetTokens(const Call& call, const Form& form);
cgi::HttpResponse PostTokenCreate(const Call& call, const Form& form);
cgi::HttpResponse GetTokenRevoke(const Call& call, const Form& form);
cgi::HttpResponse PostTokenRevoke(const Call& call, const Form& form);
// The list and the create form; new_token (shown once) above them if set.
std::string RenderTokens(const std::vector<db::ListedToken>& tokens, const std::string& csrf,
                         const std::string& new_token = "", const std::string& new_name = "");

// --- Audit (admin/audit_page.cc) ---
cgi::HttpResponse GetAudit(const Call& call, const Form& form);
cgi::HttpResponse GetAuditCsv(const Call& call, const Form& form);
cgi::HttpResponse GetAuditJson(const Call& call, const Form& form);
struct AuditQuery {
  db::AuditFilter filter;
  long long page = 0;                       // 0: the newest
  std::string error;                        // a time that does not parse
  std::map<std::string, std::string> echo;  // the fields as given, for the form and links
};
inline constexpr long long kAuditPageSize = 50;
AuditQuery ParseAuditQuery(const std::multimap<std::string, std::string>& query);
// The rows as CSV (RFC 4180; a cell starting = + - @ gets a leading ').
std::string AuditCsv(const std::vector<db::AuditEntry>& entries);
// The rows as a JSON array of objects (empty columns left out).
std::string AuditJson(const std::vector<db::AuditEntry>& entries);
// more: an older page exists.
std::string RenderAudit(const AuditQuery& q, const std::vector<db::AuditEntry>& entries, bool more);

// --- Roles (admin/roles_page.cc) ---
cgi::HttpResponse GetRoles(const Call& call, const Form& form);
cgi::HttpResponse PostPromotion(const Call& call, const Form& form);
cgi::HttpResponse PostRoleMapAdd(const Call& call, const Form& form);
cgi::HttpResponse PostRoleMapRemove(const Call& call, const Form& form);
std::string RenderRoles(const sync::Settings& s, const std::string& csrf);

// --- Settings (admin/settings_page.cc) ---
cgi::HttpResponse GetSettings(const Call& call, const Form& form);
cgi::HttpResponse PostSettings(const Call& call, const Form& form);
std::string RenderSettings(const sync::Settings& s, const std::string& csrf);

// --- Sync (admin/sync_page.cc) ---
cgi::HttpResponse GetSync(const Call& call, const Form& form);
cgi::HttpResponse PostQueueRetry(const Call& call, const Form& form);
cgi::HttpResponse GetQueueDrop(const Call& call, const Form& form);  // the confirmation
cgi::HttpResponse PostQueueDrop(const Call& call, const Form& form);
std::string RenderSync(const db::QueueCounts& counts, const std::vector<ops::DaemonSeen>& daemons,
                       const std::vector<db::ListedChange>& dead, const std::string& csrf);

// --- Users and conflicts (admin/users_page.cc) ---
cgi::HttpResponse GetUsers(const Call& call, const Form& form);
cgi::HttpResponse PostUserDeactivate(const Call& call, const Form& form);
cgi::HttpResponse PostUserReactivate(const Call& call, const Form& form);
cgi::HttpResponse PostUserProtect(const Call& call, const Form& form);
cgi::HttpResponse PostUserUnprotect(const Call& call, const Form& form);
struct UsersView {
  std::vector<sync::DirectoryUser> deactivated;
  std::vector<db::ConflictListing> conflicts;
  std::vector<db::ProtectedAccount> protected_accounts;
};
std::string RenderUsers(const UsersView& v, const std::string& csrf);

}  // namespace scim::admin

#endif  // SCIM_ADMIN_PAGES_H_
