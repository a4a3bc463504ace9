// The admin console's HTML: the one escaping function every shown value
// goes through, the page layout (navigation, notices), small form helpers,
// the stylesheet and the copy-button script, and the headers every console
// answer carries. Pure: strings in, strings out.
#ifndef SCIM_ADMIN_HTML_H_
#define SCIM_ADMIN_HTML_H_

#include <string>
#include <string_view>

#include "cgi/http.h"

namespace scim::admin {

// Text for an HTML text node or a quoted attribute value: & < > " ' escaped.
std::string Escape(std::string_view text);

// A query-string value: every byte but A-Z a-z 0-9 - . _ ~ as %XX.
std::string UrlEncode(std::string_view text);

// One page: <title>, the navigation (the entry nav_id marked current), who
// is signed in, an optional notice (role=status) or error (role=alert) and
// the body (already HTML).
struct PageView {
  std::string title;
  std::string nav_id;  // "scim", "tokens", "roles", "users", "sync", "audit", "settings"
  std::string user;
  std::string notice, error;
  std::string body;
};
std::string RenderPage(const PageView& page);

// <input type="hidden" name="csrf" value="…">: in every POST form.
std::string CsrfField(const std::string& csrf);
// A POST form to action (a console path without the leading '/') with the
// CSRF field, id form_id and inner HTML.
std::string PostForm(std::string_view action, std::string_view form_id, const std::string& csrf,
                     const std::string& inner);
// The confirmation step of a destructive action: a POST form to action
// (id `<action>-form`) carrying the hidden id, a danger button
// `<action>-confirm` labelled button, and a Cancel link `<action>-cancel`
// back to cancel_href.
std::string ConfirmForm(std::string_view action, const std::string& csrf, long long id,
                        std::string_view button, std::string_view cancel_href);
// <div class="field"><label for=id>label</label><input id=id name=name …></div>
// (escaped value; the div keeps label and input together in a row of fields).
std::string TextInput(std::string_view id, std::string_view name, std::string_view label,
                      std::string_view value, std::string_view extra = "");
// A copy button for the element with id target (hidden until the script
// shows it: without JavaScript the text is still there to select).
std::string CopyButton(std::string_view button_id, std::string_view target);

extern const char kStylesheet[];
extern const char kCopyScript[];

// The headers every console answer carries (CSP, framing, sniffing,
// referrer, no-store); added by the console router to each answer.
void AddSecurityHeaders(cgi::HttpResponse* response);
// A text/html answer.
cgi::HttpResponse HtmlResponse(int status, std::string body);
// A small standalone page (refusals: 403, 404): no navigation, no data.
cgi::HttpResponse PlainPage(int status, std::string_view title, std::string_view message);

}  // namespace scim::admin

#endif  // SCIM_ADMIN_HTML_H_
