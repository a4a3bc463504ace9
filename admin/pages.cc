// The helpers the console's pages share.
#include "admin/pages.h"

#include "common/db/settings_store.h"

namespace scim::admin {
namespace {

struct Notice {
  std::string_view code;
  std::string_view text;
};
constexpr Notice kNotices[] = {
    {"scim-on", "SCIM is on: the API accepts requests with a valid token."},
    {"scim-off", "SCIM is off: every SCIM request now gets 403."},
    {"token-revoked", "The token is revoked: requests with it get 401."},
    {"promotion-saved", "The promotion switches are saved."},
    {"role-map-added", "The role mapping is saved."},
    {"role-map-removed", "The role mapping is removed."},
    {"user-deactivated", "The user is deactivated locally; SCIM will not reactivate it."},
    {"user-reactivated", "The user is reactivated locally and follows the IdP again."},
    {"user-protected", "The account is protected: invisible to SCIM and never changed by it."},
    {"user-unprotected", "The account is no longer protected."},
    {"queue-retried", "The dead rows are queued again."},
    {"queue-dropped", "The dead row is dropped."},
    {"settings-saved", "The settings are saved."},
};

std::string QueryValue(const cgi::HttpRequest& req, const std::string& name) {
  auto it = req.query.find(name);
  return it == req.query.end() ? "" : it->second;
}

}  // namespace

std::string NoticeFor(std::string_view code) {
  for (const auto& n : kNotices) {
    if (n.code == code) return std::string(n.text);
  }
  return "";
}

cgi::HttpResponse ShowPage(const Call& call, PageView page, int status) {
  page.user = call.user;
  if (page.notice.empty() && page.error.empty())
    page.notice = NoticeFor(QueryValue(call.req, "done"));
  return HtmlResponse(status, RenderPage(page));
}

cgi::HttpResponse Redirect(std::string_view page, std::string_view code) {
  cgi::HttpResponse r;
  r.status = 303;
  std::string location(page);
  if (!code.empty()) location += "?done=" + std::string(code);
  r.headers.emplace_back("Location", location);
  return r;
}

cgi::HttpResponse Failed(const Call& call, const ScimError& error) {
  PageView page{"Something went wrong",
                "",
                "",
                "",
                error.detail,
                "<p>Try again; if it persists, see the worker's log.</p>"};
  return ShowPage(call, page, error.status >= 500 ? error.status : 500);
}

Result<void> WriteSettingsAudited(const Call& call,
                                  const std::vector<std::pair<std::string, std::string>>& kv) {
  return db::Guarded(call.console.conn, [&](soci::session& sql) -> Result<void> {
    soci::transaction tr(sql);
    for (const auto& [key, value] : kv) {
      if (auto w = db::WriteSetting(sql, key, value, call.user); !w.ok()) return w;
      db::InsertAdminAudit(sql, call.user, "settings set", key + " = " + value);
    }
    tr.commit();
    return {};
  });
}

Result<sync::Settings> LoadSettings(const Call& call) {
  return db::Guarded(call.console.conn, [](soci::session& sql) -> Result<sync::Settings> {
    return db::ReadSettings(sql);
  });
}

}  // namespace scim::admin
