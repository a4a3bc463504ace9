#include "common/util/password.h"

#include <openssl/evp.h>

#include <vector>

#include "common/auth/token.h"
#include "common/util/system.h"

namespace scim::util {
namespace {

std::string Base64(const unsigned char* data, size_t len) {
  std::string out(4 * ((len + 2) / 3) + 1, '\0');
  int n =
      EVP_EncodeBlock(reinterpret_cast<unsigned char*>(out.data()), data, static_cast<int>(len));
  out.resize(static_cast<size_t>(n));
  return out;
}

std::vector<unsigned char> Unbase64(std::string_view s) {
  std::vector<unsigned char> out(3 * (s.size() / 4) + 3);
  int n = EVP_DecodeBlock(out.data(), reinterpret_cast<const unsigned char*>(s.data()),
                          static_cast<int>(s.size()));
  if (n < 0) return {};
  size_t pad = 0;
  while (pad < s.size() && s[s.size() - 1 - pad] == '=') ++pad;
  out.resize(static_cast<size_t>(n) - pad);
  return out;
}

std::string Derive(std::string_view clear, const unsigned char* salt, size_t salt_len,
                   int iterations) {
  unsigned char key[32];
  PKCS5_PBKDF2_HMAC(clear.data(), static_cast<int>(clear.size()), salt, static_cast<int>(salt_len),
                    iterations, EVP_sha256(), sizeof key, key);
  return Base64(key, sizeof key);
}

}  // namespace

std::string Pbkdf2Hasher::Hash(std::string_view clear_text) {
  unsigned char salt[16];
  RandomBytes(salt, sizeof salt);
  return "$pbkdf2-sha256$" + std::to_string(kIterations) + "$" + Base64(salt, sizeof salt) + "$" +
         Derive(clear_text, salt, sizeof salt, kIterations);
}

bool VerifyPassword(std::string_view clear_text, std::string_view stored) {
  constexpr std::string_view kPrefix = "$pbkdf2-sha256$";
  if (stored.substr(0, kPrefix.size()) != kPrefix) return false;
  std::string_view rest = stored.substr(kPrefix.size());
  size_t a = rest.find('$');
  size_t b = a == std::string_view::npos ? a : rest.find('$', a + 1);
  if (b == std::string_view::npos) return false;
  int iterations = std::atoi(std::string(rest.substr(0, a)).c_str());
  if (iterations <= 0) return false;
  std::vector<unsigned char> salt = Unbase64(rest.substr(a + 1, b - a - 1));
  return auth::ConstantTimeEquals(Derive(clear_text, salt.data(), salt.size(), iterations),
                                  rest.substr(b + 1));
}

}  // namespace scim::util
