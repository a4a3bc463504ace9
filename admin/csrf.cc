#include "admin/csrf.h"

#include <openssl/evp.h>
#include <openssl/hmac.h>

#include "common/auth/token.h"
#include "common/scim/text.h"

namespace scim::admin {
namespace {

// "scheme://authority[/…]" -> "authority"; "" when s has no scheme.
std::string_view AuthorityOf(std::string_view url) {
  size_t sep = url.find("://");
  if (sep == std::string_view::npos) return {};
  std::string_view rest = url.substr(sep + 3);
  return rest.substr(0, rest.find_first_of("/?#"));
}

}  // namespace

std::string CsrfToken(std::string_view secret, std::string_view user) {
  std::string message = "scimsync-console-csrf:" + std::string(user);
  unsigned char mac[EVP_MAX_MD_SIZE];
  unsigned int len = 0;
  HMAC(EVP_sha256(), secret.data(), static_cast<int>(secret.size()),
       reinterpret_cast<const unsigned char*>(message.data()), message.size(), mac, &len);
  static const char kHex[] = "0123456789abcdef";
  std::string out;
  for (unsigned int i = 0; i < len; ++i) {
    out += kHex[mac[i] >> 4];
    out += kHex[mac[i] & 15];
  }
  return out;
}

bool CsrfValid(std::string_view secret, std::string_view user, std::string_view presented) {
  if (secret.empty() || user.empty() || presented.empty()) return false;
  return auth::ConstantTimeEquals(CsrfToken(secret, user), presented);
}

bool SameOrigin(const cgi::HttpRequest& req) {
  if (req.authority.empty()) return false;
  const std::string& origin = req.Header("origin");
  if (!origin.empty()) return EqualsCi(AuthorityOf(origin), req.authority);
  const std::string& referer = req.Header("referer");
  return !referer.empty() && EqualsCi(AuthorityOf(referer), req.authority);
}

Form Form::Parse(const cgi::HttpRequest& req) {
  Form form;
  std::string_view type = req.Header("content-type");
  type = Trim(type.substr(0, type.find(';')));
  if (!EqualsCi(type, "application/x-www-form-urlencoded")) return form;
  for (auto& [name, value] : cgi::ParseQuery(req.body)) form.fields_.emplace(name, value);
  return form;
}

const std::string& Form::Get(const std::string& name) const {
  static const std::string kEmpty;
  auto it = fields_.find(name);
  return it == fields_.end() ? kEmpty : it->second;
}

}  // namespace scim::admin
