// Each IdP's setup steps on the SCIM page: the short form of docs/idp/*.md
// (the guides have the details, roles and troubleshooting).
#include "admin/pages.h"

namespace scim::admin {
namespace {

constexpr char kOneLoginTemplate[] = R"({
  "schemas": [
    "urn:ietf:params:scim:schemas:core:2.0:User",
    "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User"
  ],
  "userName": "{$parameters.scimusername}",
  "name": {
    "givenName": "{$user.firstname}",
    "familyName": "{$user.lastname}"
  },
  "displayName": "{$user.display_name}",
  "emails": [
    { "value": "{$user.email}", "type": "work", "primary": true }
  ],
  "userType": "{$user.custom_fields.app_role}",
  "department": "{$user.department}",
  "title": "{$user.title}"
})";

std::string Steps(std::initializer_list<std::string> items) {
  std::string out = "<ol>";
  for (const auto& s : items) out += "<li>" + s + "</li>";
  return out + "</ol>";
}

// url: the base URL as HTML; token: where the token comes from, as HTML.
std::string Okta(const std::string& url, const std::string& token) {
  return "<h3>Okta</h3>" +
         Steps({"<b>Applications → Browse App Catalog</b>: add <b>SCIM 2.0 Test App (OAuth "
                "Bearer Token)</b> (or, on your own app, set <b>Provisioning</b> to SCIM).",
                "<b>Provisioning → Configure API Integration</b>: tick <b>Enable API "
                "integration</b>. <b>SCIM 2.0 Base Url</b>: " +
                    url + "; <b>OAuth Bearer Token</b>: " + token + ".",
                "For a custom app: <b>Unique identifier field for users</b> "
                "<code>userName</code>; <b>Authentication Mode</b> HTTP Header.",
                "<b>Test API Credentials</b>, then <b>Save</b>.",
                "<b>Provisioning → To App</b>: enable <b>Create Users</b>, <b>Update User "
                "Attributes</b> and <b>Deactivate Users</b>.",
                "Roles: send <code>userType</code> (Registered, Moderator, Admin) and turn on "
                "the switches on the <a href=\"roles\">Roles</a> page.",
                "<b>Assignments → Assign</b> people or groups; <b>Push Groups</b> for groups."}) +
         "<p class=\"muted\">Details: docs/idp/okta.md.</p>";
}

std::string Entra(const std::string& url, const std::string& token) {
  return "<h3>Microsoft Entra ID</h3>" +
         Steps({"<b>Enterprise applications → New application → Create your own "
                "application</b>: <b>Integrate any other application you don't find in the "
                "gallery</b>.",
                "<b>Provisioning</b>, mode <b>Automatic</b>. <b>Tenant URL</b>: " + url +
                    " (no <code>/Users</code> at the end); <b>Secret Token</b>: " + token + ".",
                "<b>Test Connection</b>, then <b>Save</b>.",
                "Attribute mappings: keep the defaults; map <code>jobTitle</code> to "
                "<code>title</code> and <code>department</code> to the enterprise "
                "<code>department</code>.",
                "Roles: map app roles with <code>SingleAppRoleAssignment([appRoleAssignments])"
                "</code> to <code>roles[primary eq \"True\"].value</code>, add role mappings "
                "and switches on the <a href=\"roles\">Roles</a> page.",
                "<b>Users and groups</b>: assign; <b>Scope</b> <i>Sync only assigned users and "
                "groups</i>; <b>Provisioning Status</b> <b>On</b>."}) +
         "<p class=\"muted\">Details: docs/idp/entra-id.md.</p>";
}

std::string OneLogin(const std::string& url, const std::string& token) {
  return "<h3>OneLogin</h3>" +
         Steps({"<b>Applications → Add App</b>: <b>SCIM Provisioner with SAML (SCIM v2 "
                "Enterprise)</b>.",
                "<b>Configuration → API Connection</b>: <b>SCIM Base URL</b> " + url +
                    "; <b>SCIM Bearer Token</b>: " + token +
                    "; <b>SCIM JSON Template</b>: the one below.",
                "<b>API Status → Enable</b>, then <b>Save</b>.",
                "<b>Parameters → scimusername</b>: the field that becomes the "
                "<code>userName</code> (usually Email).",
                "Roles: a custom user field <code>app_role</code> carries Registered, "
                "Moderator or Admin in <code>userType</code>; turn on the switches on the "
                "<a href=\"roles\">Roles</a> page.",
                "<b>Provisioning</b>: tick <b>Enable provisioning</b>; on delete and suspend "
                "choose <b>Suspend</b>; give users the app."}) +
         "<h4>SCIM JSON Template</h4><pre><code id=\"onelogin-template\">" +
         Escape(kOneLoginTemplate) + "</code></pre>" +
         CopyButton("copy-onelogin-template", "onelogin-template") +
         "<p class=\"muted\">Details: docs/idp/onelogin.md.</p>";
}

std::string Other(const std::string& url, const std::string& token, const std::string& base_url) {
  return "<h3>Other SCIM 2.0 clients</h3>" +
         Steps(
             {"Base URL: " + url + ".",
              "Authentication: HTTP header <code>Authorization: Bearer</code> with " + token + ".",
              "Users are matched by <code>userName</code> (unique, any case); "
              "<code>active: false</code> deactivates.",
              "Roles travel in <code>userType</code> or <code>roles</code>; see the "
              "<a href=\"roles\">Roles</a> page.",
              "Check with <code>GET " + Escape(base_url) + "/ServiceProviderConfig</code>."});
}

}  // namespace

std::string IdpSteps(std::string_view idp, const std::string& base_url) {
  std::string url = "<code>" + Escape(base_url) + "</code>";
  std::string token =
      "a token from the <a href=\"tokens\">Tokens</a> page (the whole string, "
      "including <code>scimsync_</code>)";
  if (idp == "okta") return Okta(url, token);
  if (idp == "entra") return Entra(url, token);
  if (idp == "onelogin") return OneLogin(url, token);
  return Other(url, token, base_url);
}

}  // namespace scim::admin
