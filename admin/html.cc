#include "admin/html.h"

#include <cctype>

namespace scim::admin {
namespace {

struct NavEntry {
  const char* id;
  const char* href;
  const char* label;
};
constexpr NavEntry kNav[] = {
    {"scim", "./", "SCIM"},
    {"tokens", "tokens", "Tokens"},
    {"roles", "roles", "Roles"},
    {"users", "users", "Users and conflicts"},
    {"sync", "sync", "Sync"},
    {"audit", "audit", "Audit log"},
    {"settings", "settings", "Settings"},
};

std::string Nav(std::string_view current) {
  std::string out = "<nav id=\"nav\" aria-label=\"Console\"><ul>";
  for (const auto& e : kNav) {
    bool here = current == e.id;
    out += std::string("<li><a id=\"nav-") + e.id + "\" href=\"" + e.href + "\"" +
           (here ? " aria-current=\"page\"" : "") + ">" + e.label + "</a></li>";
  }
  return out + "</ul></nav>";
}

}  // namespace

std::string Escape(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (char c : text) {
    switch (c) {
      case '&':
        out += "&amp;";
        break;
      case '<':
        out += "&lt;";
        break;
      case '>':
        out += "&gt;";
        break;
      case '"':
        out += "&quot;";
        break;
      case '\'':
        out += "&#39;";
        break;
      default:
        out += c;
    }
  }
  return out;
}

std::string UrlEncode(std::string_view text) {
  static const char kHex[] = "0123456789ABCDEF";
  std::string out;
  for (unsigned char c : text) {
    if (std::isalnum(c) || c == '-' || c == '.' || c == '_' || c == '~') {
      out += static_cast<char>(c);
    } else {
      out += '%';
      out += kHex[c >> 4];
      out += kHex[c & 15];
    }
  }
  return out;
}

std::string RenderPage(const PageView& p) {
  std::string out =
      "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">"
      "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">"
      "<title>" +
      Escape(p.title) +
      " · scimsync admin</title>"
      "<link rel=\"stylesheet\" href=\"style.css\"><script src=\"copy.js\" defer></script>"
      "</head><body><header><p class=\"brand\">scimsync admin</p><p class=\"who\">Signed in as "
      "<span id=\"signed-in-user\">" +
      Escape(p.user) + "</span></p></header>" + Nav(p.nav_id) + "<main id=\"main\"><h1>" +
      Escape(p.title) + "</h1>";
  if (!p.notice.empty()) out += "<p id=\"notice\" role=\"status\">" + Escape(p.notice) + "</p>";
  if (!p.error.empty()) out += "<p id=\"error\" role=\"alert\">" + Escape(p.error) + "</p>";
  return out + p.body + "</main></body></html>\n";
}

std::string CsrfField(const std::string& csrf) {
  return "<input type=\"hidden\" name=\"csrf\" value=\"" + Escape(csrf) + "\">";
}

std::string PostForm(std::string_view action, std::string_view form_id, const std::string& csrf,
                     const std::string& inner) {
  return "<form method=\"post\" action=\"" + Escape(action) + "\" id=\"" + Escape(form_id) + "\">" +
         CsrfField(csrf) + inner + "</form>";
}

std::string ConfirmForm(std::string_view action, const std::string& csrf, long long id,
                        std::string_view button, std::string_view cancel_href) {
  std::string a = Escape(action);
  return PostForm(action, std::string(action) + "-form", csrf,
                  "<input type=\"hidden\" name=\"id\" value=\"" + std::to_string(id) +
                      "\"><button type=\"submit\" id=\"" + a + "-confirm\" class=\"danger\">" +
                      Escape(button) + "</button> <a id=\"" + a + "-cancel\" href=\"" +
                      Escape(cancel_href) + "\">Cancel</a>");
}

std::string TextInput(std::string_view id, std::string_view name, std::string_view label,
                      std::string_view value, std::string_view extra) {
  std::string eid = Escape(id);
  return "<div class=\"field\"><label for=\"" + eid + "\">" + Escape(label) +
         "</label><input type=\"text\" id=\"" + eid + "\" name=\"" + Escape(name) + "\" value=\"" +
         Escape(value) + "\"" + (extra.empty() ? "" : " " + std::string(extra)) + "></div>";
}

std::string CopyButton(std::string_view button_id, std::string_view target) {
  return "<button type=\"button\" class=\"copy\" id=\"" + Escape(button_id) + "\" data-copy=\"" +
         Escape(target) + "\" hidden>Copy to clipboard</button>";
}

void AddSecurityHeaders(cgi::HttpResponse* r) {
  r->headers.emplace_back("Content-Security-Policy",
                          "default-src 'none'; style-src 'self'; img-src 'self'; "
                          "script-src 'self'; form-action 'self'; frame-ancestors 'none'; "
                          "base-uri 'none'");
  r->headers.emplace_back("X-Frame-Options", "DENY");
  r->headers.emplace_back("X-Content-Type-Options", "nosniff");
  r->headers.emplace_back("Referrer-Policy", "same-origin");
  r->headers.emplace_back("Cache-Control", "no-store");
}

cgi::HttpResponse HtmlResponse(int status, std::string body) {
  cgi::HttpResponse r;
  r.status = status;
  r.headers.emplace_back("Content-Type", "text/html; charset=utf-8");
  r.body = std::move(body);
  return r;
}

cgi::HttpResponse PlainPage(int status, std::string_view title, std::string_view message) {
  return HtmlResponse(status,
                      "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">"
                      "<title>" +
                          Escape(title) + "</title></head><body><h1>" + Escape(title) + "</h1><p>" +
                          Escape(message) + "</p></body></html>\n");
}

}  // namespace scim::admin
