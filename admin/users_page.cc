// The Users and conflicts page: locally deactivated users, open conflicts
// (what the IdP wants against the local deactivation), protected accounts,
// and the actions scimctl's user commands take (common/db/local_admin).
#include "admin/pages.h"
#include "common/db/local_admin.h"
#include "common/scim/text.h"

namespace scim::admin {
namespace {

constexpr long long kShown = 500;

std::string UserForm(const char* action, const char* prefix, const std::string& csrf,
                     const char* button, bool reason, bool reason_required) {
  std::string p = prefix;
  std::string inner = TextInput(p + "-user", "user_name", "userName", "", "required");
  if (reason) {
    inner += TextInput(p + "-reason", "reason", reason_required ? "Reason" : "Reason (optional)",
                       "", reason_required ? "required" : "");
  }
  return PostForm(action, std::string(action) + "-form", csrf,
                  inner + "<button type=\"submit\" id=\"" + action + "\">" + button + "</button>");
}

std::string ReactivateButton(const std::string& user_name, size_t i, const std::string& csrf) {
  std::string n = std::to_string(i);
  return PostForm("user-reactivate", "reactivate-form-" + n, csrf,
                  "<input type=\"hidden\" name=\"user_name\" value=\"" + Escape(user_name) +
                      "\"><button type=\"submit\" class=\"secondary\" id=\"reactivate-" + n +
                      "\">Reactivate</button>");
}

std::string Deactivated(const UsersView& v, const std::string& csrf) {
  std::string out =
      "<table id=\"deactivated-users\"><thead><tr><th scope=\"col\">User</th><th scope=\"col\">"
      "By</th><th scope=\"col\">Reason</th><th scope=\"col\">Since</th><th scope=\"col\"><span "
      "class=\"muted\">Action</span></th></tr></thead><tbody>";
  for (size_t i = 0; i < v.deactivated.size(); ++i) {
    const auto& u = v.deactivated[i];
    out += "<tr><td class=\"user-name\">" + Escape(u.user_name) + "</td><td>" + Escape(u.local_by) +
           "</td><td>" + Escape(u.local_reason) + "</td><td>" + Escape(u.local_since) +
           "</td><td>" + ReactivateButton(u.user_name, i, csrf) + "</td></tr>";
  }
  if (v.deactivated.empty()) out += "<tr><td colspan=\"5\">No locally deactivated users.</td></tr>";
  return out + "</tbody></table>";
}

std::string Conflicts(const UsersView& v) {
  std::string out =
      "<table id=\"conflicts\"><thead><tr><th scope=\"col\">User</th><th scope=\"col\">The IdP "
      "wants</th><th scope=\"col\">Locally</th><th scope=\"col\">By</th><th "
      "scope=\"col\">Why</th><th scope=\"col\">Since</th><th scope=\"col\">Last seen</th><th "
      "scope=\"col\">Policy</th></tr></thead><tbody>";
  for (const auto& c : v.conflicts) {
    out += "<tr><td class=\"user-name\">" + Escape(c.user_name) + "</td><td>" +
           (c.idp_active ? "active" : "inactive") + "</td><td>" +
           (c.local_active ? "active" : "inactive") + "</td><td>" + Escape(c.local_by) +
           "</td><td>" + Escape(c.local_reason) + "</td><td>" +
           Escape(c.local_since.empty() ? c.opened_at : c.local_since) + "</td><td>" +
           Escape(c.last_seen_at) + "</td><td>" + Escape(c.policy) + "</td></tr>";
  }
  if (v.conflicts.empty()) out += "<tr><td colspan=\"8\">No open conflicts.</td></tr>";
  return out + "</tbody></table>";
}

std::string Protected(const UsersView& v) {
  std::string out =
      "<table id=\"protected-users\"><thead><tr><th scope=\"col\">User</th><th scope=\"col\">"
      "By</th><th scope=\"col\">Since</th><th scope=\"col\">Reason</th></tr></thead><tbody>";
  for (const auto& p : v.protected_accounts) {
    out += "<tr><td class=\"user-name\">" + Escape(p.user_name) + "</td><td>" + Escape(p.by) +
           "</td><td>" + Escape(p.since) + "</td><td>" + Escape(p.reason) + "</td></tr>";
  }
  if (v.protected_accounts.empty()) out += "<tr><td colspan=\"4\">No protected accounts.</td></tr>";
  return out + "</tbody></table>";
}

Result<UsersView> Load(const Call& call) {
  return db::Guarded(call.console.conn, [&](soci::session& sql) -> Result<UsersView> {
    UsersView v;
    v.deactivated = call.console.users.LocallyDeactivated(sql, kShown);
    v.conflicts = db::ListConflicts(sql, false);
    v.protected_accounts = db::ListProtected(sql);
    return v;
  });
}

// The page, with error when not empty.
cgi::HttpResponse Show(const Call& call, const std::string& error, int status) {
  auto v = Load(call);
  if (!v.ok()) return Failed(call, v.error());
  return ShowPage(
      call, {"Users and conflicts", "users", "", "", error, RenderUsers(v.value(), call.csrf)},
      status);
}

// The answer to an action on one user: back to the page, or the page again
// with the error (no such user: 404; 409 when it cannot be adopted).
cgi::HttpResponse After(const Call& call, const Result<bool>& r, const std::string& user,
                        const char* code) {
  if (r.ok() && r.value()) return Redirect("users", code);
  if (!r.ok() && r.error().status >= 500) return Failed(call, r.error());
  if (r.ok()) return Show(call, "The application has no user '" + user + "'.", 404);
  return Show(call, r.error().detail, r.error().status);
}

std::string UserField(const Form& form) { return std::string(Trim(form.Get("user_name"))); }

db::Adopter AdopterOf(const Call& call) {
  return {call.console.users, call.console.clock, call.console.ids, "admin console"};
}

}  // namespace

std::string RenderUsers(const UsersView& v, const std::string& csrf) {
  return "<section aria-labelledby=\"h-deact\"><h2 id=\"h-deact\">Locally deactivated</h2><p>SCIM "
         "does not reactivate these users (conflict_policy local_wins) until you reactivate "
         "them here.</p>" +
         Deactivated(v, csrf) +
         UserForm("user-deactivate", "deactivate", csrf, "Deactivate locally", true, true) +
         UserForm("user-reactivate", "reactivate", csrf, "Reactivate", false, false) +
         "</section><section aria-labelledby=\"h-conf\"><h2 id=\"h-conf\">Open conflicts</h2>" +
         Conflicts(v) +
         "</section><section aria-labelledby=\"h-prot\"><h2 id=\"h-prot\">Protected "
         "accounts</h2><p>Break-glass accounts: invisible to SCIM and never changed by it.</p>" +
         Protected(v) + UserForm("user-protect", "protect", csrf, "Protect", true, false) +
         UserForm("user-unprotect", "unprotect", csrf, "Unprotect", false, false) + "</section>";
}

cgi::HttpResponse GetUsers(const Call& call, const Form&) { return Show(call, "", 200); }

cgi::HttpResponse PostUserDeactivate(const Call& call, const Form& form) {
  std::string user = UserField(form), reason(Trim(form.Get("reason")));
  if (user.empty() || reason.empty())
    return Show(call, "Deactivating needs a userName and a reason.", 400);
  return After(call,
               db::DeactivateLocally(call.console.conn, AdopterOf(call), user, call.user, reason),
               user, "user-deactivated");
}

cgi::HttpResponse PostUserReactivate(const Call& call, const Form& form) {
  std::string user = UserField(form);
  if (user.empty()) return Show(call, "Reactivating needs a userName.", 400);
  return After(call, db::ReactivateLocally(call.console.conn, AdopterOf(call), user, call.user),
               user, "user-reactivated");
}

cgi::HttpResponse PostUserProtect(const Call& call, const Form& form) {
  std::string user = UserField(form);
  if (user.empty()) return Show(call, "Protecting needs a userName.", 400);
  return After(call,
               db::SetProtected(call.console.conn, call.console.users, user, call.user,
                                std::string(Trim(form.Get("reason"))), true),
               user, "user-protected");
}

cgi::HttpResponse PostUserUnprotect(const Call& call, const Form& form) {
  std::string user = UserField(form);
  if (user.empty()) return Show(call, "Unprotecting needs a userName.", 400);
  return After(call,
               db::SetProtected(call.console.conn, call.console.users, user, call.user, "", false),
               user, "user-unprotected");
}

}  // namespace scim::admin
