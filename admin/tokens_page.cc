// The Tokens page: create (the token is shown once, on the answer to the
// POST, never in a URL), list, revoke with a confirmation step.
#include "admin/pages.h"
#include "common/auth/token.h"
#include "common/scim/text.h"
#include "common/util/system.h"

namespace scim::admin {
namespace {

Result<std::vector<db::ListedToken>> List(const Call& call) {
  return db::Guarded(call.console.conn,
                     [](soci::session& sql) -> Result<std::vector<db::ListedToken>> {
                       return db::ListTokens(sql);
                     });
}

std::string CreateForm(const std::string& csrf) {
  return "<section aria-labelledby=\"h-create\"><h2 id=\"h-create\">Create a token</h2>" +
         PostForm("token-create", "token-create-form", csrf,
                  TextInput("token-name", "name", "Name (which IdP or app uses it)", "",
                            "required maxlength=\"128\" autocomplete=\"off\"") +
                      TextInput("token-expires", "expires",
                                "Expires (optional: 90d, 12h, 2027-01-31 or an RFC 3339 time)", "",
                                "autocomplete=\"off\"") +
                      "<button type=\"submit\" id=\"token-create\">Create token</button>") +
         "</section>";
}

std::string TokenTable(const std::vector<db::ListedToken>& tokens) {
  std::string out =
      "<section aria-labelledby=\"h-list\"><h2 id=\"h-list\">Tokens</h2><table id=\"tokens\">"
      "<thead><tr><th scope=\"col\">Name</th><th scope=\"col\">Created</th><th "
      "scope=\"col\">Expires</th><th scope=\"col\">Last used</th><th scope=\"col\">Status</th>"
      "<th scope=\"col\"><span class=\"muted\">Action</span></th></tr></thead><tbody>";
  for (const auto& t : tokens) {
    std::string id = std::to_string(t.id);
    out += "<tr id=\"token-" + id + "\"><td class=\"token-name\">" + Escape(t.name) + "</td><td>" +
           Escape(t.created) + "</td><td>" + Escape(t.expires) + "</td><td>" + Escape(t.last_used) +
           "</td><td class=\"token-status\">" + Escape(t.status) + "</td><td>";
    if (t.status != "revoked") {
      out += "<a id=\"revoke-" + id + "\" href=\"token-revoke?id=" + id + "\">Revoke…</a>";
    }
    out += "</td></tr>";
  }
  if (tokens.empty()) out += "<tr><td colspan=\"6\">No tokens yet.</td></tr>";
  return out + "</tbody></table></section>";
}

}  // namespace

std::string RenderTokens(const std::vector<db::ListedToken>& tokens, const std::string& csrf,
                         const std::string& new_token, const std::string& new_name) {
  std::string out;
  if (!new_token.empty()) {
    out +=
        "<section aria-labelledby=\"h-new\" id=\"new-token-section\"><h2 id=\"h-new\">New "
        "token “" +
        Escape(new_name) +
        "”</h2><p><strong>Copy it now: it is shown only this "
        "once.</strong> Only its hash is stored.</p><code id=\"new-token\" class=\"secret\">" +
        Escape(new_token) + "</code>" + CopyButton("copy-token", "new-token") + "</section>";
  }
  return out + CreateForm(csrf) + TokenTable(tokens);
}

cgi::HttpResponse GetTokens(const Call& call, const Form&) {
  auto tokens = List(call);
  if (!tokens.ok()) return Failed(call, tokens.error());
  return ShowPage(call, {"Tokens", "tokens", "", "", "", RenderTokens(tokens.value(), call.csrf)});
}

cgi::HttpResponse PostTokenCreate(const Call& call, const Form& form) {
  std::string name(Trim(form.Get("name"))), expires_text(Trim(form.Get("expires")));
  int64_t now = call.console.clock.NowMillis(), expires = 0;
  std::string error;
  if (name.empty() || name.size() > 128) error = "The name must have 1 to 128 characters.";
  if (error.empty() && !expires_text.empty()) {
    auto parsed = auth::ParseExpiry(expires_text, now);
    if (!parsed || *parsed <= now) {
      error =
          "Expires takes a future date (2027-01-31), time (2027-01-31T12:00:00Z) or "
          "duration (90d, 12h, 30m).";
    } else {
      expires = *parsed;
    }
  }
  std::string token;
  if (error.empty()) {
    unsigned char bytes[auth::kTokenRandomBytes];
    util::RandomBytes(bytes, sizeof bytes);
    token = auth::TokenFromBytes(bytes);
    db::MysqlTokenStore store(call.console.conn);
    auto id = store.Create(name, auth::HashToken(token), call.user, expires);
    if (!id.ok()) return Failed(call, id.error());
    (void)db::Guarded(call.console.conn, [&](soci::session& sql) -> Result<void> {
      db::InsertAdminAudit(sql, call.user, "token create",
                           "id " + std::to_string(id.value()) + " name " + name);
      return {};
    });
  }
  auto tokens = List(call);
  if (!tokens.ok()) return Failed(call, tokens.error());
  PageView page{"Tokens", "tokens",
                "",       error.empty() ? "Token created." : "",
                error,    RenderTokens(tokens.value(), call.csrf, token, name)};
  return ShowPage(call, page, error.empty() ? 200 : 400);
}

cgi::HttpResponse GetTokenRevoke(const Call& call, const Form&) {
  auto it = call.req.query.find("id");
  long long id = it == call.req.query.end() ? 0 : std::atoll(it->second.c_str());
  auto tokens = List(call);
  if (!tokens.ok()) return Failed(call, tokens.error());
  for (const auto& t : tokens.value()) {
    if (t.id != id || t.status == "revoked") continue;
    std::string body = "<p>Revoke the token <strong id=\"revoke-name\">" + Escape(t.name) +
                       "</strong> (created " + Escape(t.created) +
                       ")? Requests with it get 401 within seconds; this cannot be undone.</p>" +
                       ConfirmForm("token-revoke", call.csrf, id, "Revoke token", "tokens");
    return ShowPage(call, {"Revoke a token", "tokens", "", "", "", body});
  }
  return ShowPage(call,
                  {"Revoke a token", "tokens", "", "", "There is no active token with that id.",
                   "<p><a href=\"tokens\">Back to the tokens</a></p>"},
                  404);
}

cgi::HttpResponse PostTokenRevoke(const Call& call, const Form& form) {
  std::string key = form.Get("id");
  if (key.empty() || key.find_first_not_of("0123456789") != std::string::npos) {
    return ShowPage(call, {"Tokens", "tokens", "", "", "No token id was given.", ""}, 400);
  }
  long long id = std::atoll(key.c_str());
  auto r = db::Guarded(call.console.conn, [&](soci::session& sql) -> Result<long long> {
    soci::transaction tr(sql);
    long long n = db::RevokeTokens(sql, id, "");
    if (n > 0) db::InsertAdminAudit(sql, call.user, "token revoke", key + " (1 token(s))");
    tr.commit();
    return n;
  });
  if (!r.ok()) return Failed(call, r.error());
  if (r.value() == 0) {
    return ShowPage(
        call, {"Tokens", "tokens", "", "", "There is no active token with that id.", ""}, 404);
  }
  return Redirect("tokens", "token-revoked");
}

}  // namespace scim::admin
