// The console's pages rendered from plain data: what a browser test
// clicks (ids), escaping of every value, the CSRF field in every form.
#include "admin/pages.h"

#include <gtest/gtest.h>

namespace scim::admin {
namespace {

size_t Count(const std::string& s, const std::string& what) {
  size_t n = 0;
  for (size_t at = s.find(what); at != std::string::npos; at = s.find(what, at + 1)) ++n;
  return n;
}

// Every <form method="post"> carries the CSRF field.
void ExpectCsrfInEveryPostForm(const std::string& html) {
  EXPECT_EQ(Count(html, "<form method=\"post\""), Count(html, "name=\"csrf\" value=\"tok\""))
      << html;
}

TEST(AdminPagesTest, ScimPageShowsStatusUrlsAndTheChosenIdp) {
  std::string on =
      RenderScim(true, {"https://h/scim/v2", "https://h/api/scim/v2"}, "onelogin", "tok");
  EXPECT_NE(on.find("id=\"scim-status\" class=\"status-on\">On"), std::string::npos);
  EXPECT_NE(on.find("name=\"enabled\" value=\"off\""), std::string::npos);
  EXPECT_NE(on.find("<code id=\"base-url-1\">https://h/api/scim/v2</code>"), std::string::npos);
  EXPECT_NE(on.find("<option value=\"onelogin\" selected>"), std::string::npos);
  EXPECT_NE(on.find("{$user.custom_fields.app_role}"), std::string::npos) << "the JSON template";
  EXPECT_NE(on.find("&quot;department&quot;"), std::string::npos);
  ExpectCsrfInEveryPostForm(on);
  std::string off = RenderScim(false, {"u"}, "okta", "tok");
  EXPECT_NE(off.find("class=\"status-off\">Off"), std::string::npos);
  EXPECT_NE(off.find("name=\"enabled\" value=\"on\""), std::string::npos);
  for (const char* idp : {"okta", "entra", "onelogin", "other", "<x>"}) {
    EXPECT_NE(IdpSteps(idp, "<u>").find("&lt;u&gt;"), std::string::npos) << idp;
  }
}

TEST(AdminPagesTest, TokensPageShowsTheNewTokenOnceAndEscapesNames) {
  std::vector<db::ListedToken> list = {{1, "<okta>", "2026-11-30T00:00:00Z", "-", "-", "active"},
                                       {2, "old", "2026-11-29T00:00:00Z", "-", "-", "revoked"}};
  std::string plain = RenderTokens(list, "tok");
  EXPECT_EQ(plain.find("new-token"), std::string::npos);
  EXPECT_NE(plain.find("&lt;okta&gt;"), std::string::npos);
  EXPECT_NE(plain.find("id=\"revoke-1\" href=\"token-revoke?id=1\""), std::string::npos);
  EXPECT_EQ(plain.find("id=\"revoke-2\""), std::string::npos) << "revoked: nothing to revoke";
  EXPECT_NE(plain.find("id=\"token-name\" name=\"name\""), std::string::npos);
  ExpectCsrfInEveryPostForm(plain);
  std::string fresh = RenderTokens(list, "tok", "scimsync_abc", "n<1>");
  EXPECT_NE(fresh.find("<code id=\"new-token\" class=\"secret\">scimsync_abc</code>"),
            std::string::npos);
  EXPECT_NE(fresh.find("data-copy=\"new-token\""), std::string::npos);
  EXPECT_NE(fresh.find("n&lt;1&gt;"), std::string::npos);
}

TEST(AdminPagesTest, RolesPageShowsSwitchesAndMappings) {
  sync::Settings s;
  s.allow_admin_promotion = true;
  s.role_mappings["App <Admins>"] = sync::Role::kAdmin;
  std::string html = RenderRoles(s, "tok");
  EXPECT_NE(html.find("id=\"allow_moderator_promotion\" name=\"allow_moderator_promotion\" "
                      "value=\"on\">"),
            std::string::npos);
  EXPECT_NE(html.find("id=\"allow_admin_promotion\" name=\"allow_admin_promotion\" value=\"on\" "
                      "checked>"),
            std::string::npos);
  EXPECT_NE(html.find("App &lt;Admins&gt;</td><td class=\"role-map-role\">Admin"),
            std::string::npos);
  EXPECT_NE(html.find("id=\"role-map-remove-0\""), std::string::npos);
  ExpectCsrfInEveryPostForm(html);
}

TEST(AdminPagesTest, SettingsPageShowsCurrentValues) {
  sync::Settings s;
  s.conflict_policy = sync::ConflictPolicy::kIdpWins;
  s.rate_limit = 25;
  std::string html = RenderSettings(s, "tok");
  EXPECT_NE(html.find("<option selected>idp_wins</option>"), std::string::npos);
  EXPECT_NE(html.find("id=\"rate_limit\" name=\"rate_limit\" value=\"25\""), std::string::npos);
  EXPECT_NE(html.find("id=\"queue_retention\" name=\"queue_retention\" value=\"7d\""),
            std::string::npos);
  ExpectCsrfInEveryPostForm(html);
}

TEST(AdminPagesTest, SyncPageShowsCountsDaemonsAndDeadLetters) {
  db::QueueCounts c;
  c.pending = 3;
  c.dead = 1;
  c.oldest_pending_ms = 5000;
  ops::DaemonSeen d;
  d.host = "h<1>";
  d.seen_ms_ago = 1000;
  db::ListedChange dead{7, "User", "id-7", 2, 10, "2026-11-30T00:00:00Z", "boom <b>"};
  std::string html = RenderSync(c, {d}, {dead}, "tok");
  EXPECT_NE(html.find("<dd id=\"count-pending\">3</dd>"), std::string::npos);
  EXPECT_NE(html.find("<dd id=\"oldest-pending\">5 s ago</dd>"), std::string::npos);
  EXPECT_NE(html.find("h&lt;1&gt;"), std::string::npos);
  EXPECT_NE(html.find("boom &lt;b&gt;"), std::string::npos);
  EXPECT_NE(html.find("id=\"retry-7\""), std::string::npos);
  EXPECT_NE(html.find("id=\"drop-7\""), std::string::npos);
  ExpectCsrfInEveryPostForm(html);
}

TEST(AdminPagesTest, UsersPageListsAndEscapes) {
  UsersView v;
  sync::DirectoryUser u;
  u.user_name = "<script>x</script>";
  u.local_by = "admin";
  u.local_reason = "left";
  v.deactivated.push_back(u);
  db::ConflictListing conflict;
  conflict.user_name = "c&d";
  v.conflicts.push_back(conflict);
  v.protected_accounts.push_back({"root", "admin", "2026-11-30T00:00:00Z", "break glass"});
  std::string html = RenderUsers(v, "tok");
  EXPECT_EQ(html.find("<script>"), std::string::npos);
  EXPECT_NE(html.find("value=\"&lt;script&gt;x&lt;/script&gt;\""), std::string::npos);
  EXPECT_NE(html.find("c&amp;d"), std::string::npos);
  EXPECT_NE(html.find("break glass"), std::string::npos);
  for (const char* id : {"user-deactivate", "deactivate-user", "deactivate-reason",
                         "user-reactivate", "reactivate-user", "reactivate-0", "user-protect",
                         "protect-user", "user-unprotect", "unprotect-user"}) {
    EXPECT_NE(html.find(std::string("id=\"") + id + "\""), std::string::npos) << id;
  }
  ExpectCsrfInEveryPostForm(html);
}

TEST(AdminPagesTest, NoticesAreFixedTexts) {
  EXPECT_NE(NoticeFor("scim-off"), "");
  EXPECT_EQ(NoticeFor("<script>"), "");
}

}  // namespace
}  // namespace scim::admin
