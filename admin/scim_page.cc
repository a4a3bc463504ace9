// The SCIM page (the console's home): on/off, the base URLs to copy, and the
// chosen IdP's setup steps.
#include "admin/pages.h"

namespace scim::admin {
namespace {

constexpr std::pair<const char*, const char*> kIdps[] = {
    {"okta", "Okta"},
    {"entra", "Microsoft Entra ID"},
    {"onelogin", "OneLogin"},
    {"other", "Other SCIM 2.0 client"},
};

std::string IdpForm(const std::string& idp) {
  std::string out =
      "<form method=\"get\" action=\"./\" id=\"idp-form\"><label for=\"idp\">Identity "
      "provider</label><select id=\"idp\" name=\"idp\">";
  for (const auto& [value, label] : kIdps) {
    out += std::string("<option value=\"") + value + "\"" + (idp == value ? " selected" : "") +
           ">" + label + "</option>";
  }
  return out +
         "</select> <button type=\"submit\" id=\"idp-show\" class=\"secondary\">Show "
         "setup steps</button></form>";
}

}  // namespace

std::vector<std::string> BaseUrls(const cgi::HttpRequest& req, const config::FcgiConfig& fcgi) {
  if (!fcgi.public_base_url.empty()) return {fcgi.public_base_url};
  std::vector<std::string> out;
  for (const auto& base : fcgi.base_paths) out.push_back(req.scheme + "://" + req.authority + base);
  return out;
}

std::string RenderScim(bool enabled, const std::vector<std::string>& base_urls,
                       const std::string& idp, const std::string& csrf) {
  std::string out = "<section aria-labelledby=\"h-status\"><h2 id=\"h-status\">Provisioning</h2>";
  out += std::string("<p>SCIM is <span id=\"scim-status\" class=\"") +
         (enabled ? "status-on\">On" : "status-off\">Off") + "</span>. " +
         (enabled ? "IdPs with a valid token can create, change and deactivate users."
                  : "Every SCIM request gets 403 until it is turned on.") +
         "</p>";
  out +=
      PostForm("scim-enabled", "scim-enabled-form", csrf,
               std::string("<input type=\"hidden\" name=\"enabled\" value=\"") +
                   (enabled ? "off" : "on") + "\"><button type=\"submit\" id=\"scim-toggle\"" +
                   (enabled ? " class=\"danger\">Turn SCIM off" : ">Turn SCIM on") + "</button>");
  out +=
      "</section><section aria-labelledby=\"h-urls\"><h2 id=\"h-urls\">SCIM base URL</h2>"
      "<p>Give the IdP one of these (with a token from the Tokens page).</p><ul>";
  for (size_t i = 0; i < base_urls.size(); ++i) {
    std::string id = "base-url-" + std::to_string(i);
    out += "<li><code id=\"" + id + "\">" + Escape(base_urls[i]) + "</code> " +
           CopyButton("copy-" + id, id) + "</li>";
  }
  out +=
      "</ul></section><section aria-labelledby=\"h-idp\"><h2 id=\"h-idp\">Connect your "
      "identity provider</h2>" +
      IdpForm(idp) + "<div id=\"idp-steps\">" +
      IdpSteps(idp, base_urls.empty() ? "" : base_urls[0]) + "</div></section>";
  return out;
}

cgi::HttpResponse GetScim(const Call& call, const Form&) {
  auto settings = LoadSettings(call);
  if (!settings.ok()) return Failed(call, settings.error());
  auto it = call.req.query.find("idp");
  std::string idp = it == call.req.query.end() ? "okta" : it->second;
  return ShowPage(call, {"SCIM", "scim", "", "", "",
                         RenderScim(settings.value().enabled, BaseUrls(call.req, call.console.fcgi),
                                    idp, call.csrf)});
}

cgi::HttpResponse PostScimEnabled(const Call& call, const Form& form) {
  const std::string& value = form.Get("enabled");
  if (value != "on" && value != "off") {
    return ShowPage(call, {"SCIM", "scim", "", "", "enabled takes on or off", ""}, 400);
  }
  auto r = WriteSettingsAudited(call, {{"enabled", value}});
  if (!r.ok()) return Failed(call, r.error());
  return Redirect("./", value == "on" ? "scim-on" : "scim-off");
}

}  // namespace scim::admin
