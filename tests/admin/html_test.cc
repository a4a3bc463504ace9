#include "admin/html.h"

#include <gtest/gtest.h>

namespace scim::admin {
namespace {

TEST(AdminHtmlTest, EscapeCoversTextAndAttributes) {
  EXPECT_EQ(Escape("<script>alert('x')</script> & \"q\""),
            "&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt; &amp; &quot;q&quot;");
  EXPECT_EQ(Escape("plain ünïcode"), "plain ünïcode");
}

TEST(AdminHtmlTest, PageEscapesTitleUserAndMessagesButNotTheBody) {
  PageView p{"T<i>", "tokens", "ad<min>", "n<1>", "e<2>", "<p id=\"b\">body</p>"};
  std::string html = RenderPage(p);
  EXPECT_NE(html.find("T&lt;i&gt;"), std::string::npos);
  EXPECT_NE(html.find("<span id=\"signed-in-user\">ad&lt;min&gt;</span>"), std::string::npos);
  EXPECT_NE(html.find("<p id=\"notice\" role=\"status\">n&lt;1&gt;</p>"), std::string::npos);
  EXPECT_NE(html.find("<p id=\"error\" role=\"alert\">e&lt;2&gt;</p>"), std::string::npos);
  EXPECT_NE(html.find("<p id=\"b\">body</p>"), std::string::npos);
  EXPECT_NE(html.find("id=\"nav-tokens\" href=\"tokens\" aria-current=\"page\""),
            std::string::npos);
  EXPECT_EQ(html.find("<script>"), std::string::npos);
}

TEST(AdminHtmlTest, FormsCarryTheCsrfFieldAndLabelledInputs) {
  std::string f = PostForm("token-create", "f1", "abc\"", TextInput("n", "name", "Name", "v<"));
  EXPECT_NE(f.find("<form method=\"post\" action=\"token-create\" id=\"f1\">"), std::string::npos);
  EXPECT_NE(f.find("name=\"csrf\" value=\"abc&quot;\""), std::string::npos);
  EXPECT_NE(f.find("<label for=\"n\">Name</label>"), std::string::npos);
  EXPECT_NE(f.find("value=\"v&lt;\""), std::string::npos);
}

TEST(AdminHtmlTest, EveryAnswerGetsTheSecurityHeaders) {
  cgi::HttpResponse r = PlainPage(403, "Forbidden", "<no>");
  AddSecurityHeaders(&r);
  std::map<std::string, std::string> h(r.headers.begin(), r.headers.end());
  EXPECT_EQ(h["X-Frame-Options"], "DENY");
  EXPECT_EQ(h["X-Content-Type-Options"], "nosniff");
  EXPECT_EQ(h["Referrer-Policy"], "same-origin");
  EXPECT_EQ(h["Cache-Control"], "no-store");
  EXPECT_EQ(h["Content-Security-Policy"].rfind("default-src 'none'; style-src 'self'", 0), 0u);
  EXPECT_NE(h["Content-Security-Policy"].find("frame-ancestors 'none'"), std::string::npos);
  EXPECT_NE(r.body.find("&lt;no&gt;"), std::string::npos);
}

TEST(AdminHtmlTest, UrlEncodeLeavesOnlyUnreservedBytes) {
  EXPECT_EQ(UrlEncode("a b&c=d/é~"), "a%20b%26c%3Dd%2F%C3%A9~");
}

}  // namespace
}  // namespace scim::admin
