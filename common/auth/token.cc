#include "common/auth/token.h"

#include <Poco/DigestEngine.h>
#include <Poco/SHA2Engine.h>

#include <charconv>

#include "common/scim/text.h"

namespace scim::auth {

std::string TokenFromBytes(const unsigned char bytes[kTokenRandomBytes]) {
  static const char kAlphabet[] =
      "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
  std::string out(kTokenPrefix);
  uint32_t acc = 0;
  int bits = 0;
  for (size_t i = 0; i < kTokenRandomBytes; ++i) {
    acc = (acc << 8) | bytes[i];
    bits += 8;
    while (bits >= 6) {
      bits -= 6;
      out.push_back(kAlphabet[(acc >> bits) & 0x3F]);
    }
  }
  if (bits > 0) out.push_back(kAlphabet[(acc << (6 - bits)) & 0x3F]);
  return out;
}

std::string HashToken(std::string_view token) {
  Poco::SHA2Engine engine(Poco::SHA2Engine::SHA_256);
  engine.update(token.data(), static_cast<unsigned>(token.size()));
  return Poco::DigestEngine::digestToHex(engine.digest());
}

std::optional<std::string_view> BearerToken(std::string_view authorization) {
  constexpr std::string_view kScheme = "bearer";
  authorization = Trim(authorization);
  if (authorization.size() <= kScheme.size() + 1 ||
      !EqualsCi(authorization.substr(0, kScheme.size()), kScheme) ||
      authorization[kScheme.size()] != ' ') {
    return std::nullopt;
  }
  std::string_view token = Trim(authorization.substr(kScheme.size() + 1));
  if (token.empty()) return std::nullopt;
  return token;
}

bool ConstantTimeEquals(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  unsigned char diff = 0;
  for (size_t i = 0; i < a.size(); ++i) {
    diff |= static_cast<unsigned char>(a[i] ^ b[i]);
  }
  return diff == 0;
}

std::optional<int64_t> ParseExpiry(std::string_view text, int64_t now_ms) {
  if (text.size() >= 2 && text.back() >= 'a' && text.back() <= 'z') {
    int64_t n = 0;
    auto r = std::from_chars(text.data(), text.data() + text.size() - 1, n);
    if (r.ec != std::errc() || r.ptr != text.data() + text.size() - 1 || n <= 0)
      return std::nullopt;
    int64_t unit = text.back() == 'd'   ? 86400000
                   : text.back() == 'h' ? 3600000
                   : text.back() == 'm' ? 60000
                                        : 0;
    if (unit == 0 || n > 36500LL * 86400000 / unit) return std::nullopt;
    return now_ms + n * unit;
  }
  std::string t(text);
  if (t.size() == 10) t += "T00:00:00Z";
  return ParseDateTime(t);
}

}  // namespace scim::auth
