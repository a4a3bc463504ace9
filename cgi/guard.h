// What stands before the SCIM handlers: the settings as the workers see
// them (cached per thread for a few seconds), and the rate limits — per
// token (the rate_limit setting) and per client address for failed
// authentication. The limiters are per process and thread-safe; with N
// worker processes each enforces its own share.
#ifndef SCIM_CGI_GUARD_H_
#define SCIM_CGI_GUARD_H_

#include <cstdint>
#include <functional>
#include <map>
#include <mutex>
#include <optional>
#include <string>

#include "common/auth/token.h"
#include "common/scim/clock.h"
#include "common/scim/error.h"
#include "common/sync/settings.h"

namespace scim::cgi {

// The settings, re-read from the database at most every ttl_ms. When a
// re-read fails the last good value is used; with none, the error.
class SettingsCache {
 public:
  using Loader = std::function<Result<sync::Settings>()>;
  SettingsCache(Loader loader, Clock& clock, int64_t ttl_ms = 5000)
      : loader_(std::move(loader)), clock_(clock), ttl_ms_(ttl_ms) {}

  Result<sync::Settings> Get();

 private:
  Loader loader_;
  Clock& clock_;
  int64_t ttl_ms_;
  std::optional<sync::Settings> value_;
  int64_t loaded_at_ = 0;
};

// Valid tokens as found in the database, remembered for ttl_ms by one
// thread, so most requests authenticate without a query. Revocation and
// expiry take effect within ttl_ms; rejections are never remembered (a
// token created a moment ago works at once). Not thread-safe: one per thread.
class CachedTokenStore : public auth::TokenStore {
 public:
  CachedTokenStore(auth::TokenStore& inner, Clock& clock, int64_t ttl_ms)
      : inner_(inner), clock_(clock), ttl_ms_(ttl_ms) {}

  Result<std::optional<auth::TokenInfo>> FindActive(std::string_view token_hash) override;
  void Touch(int64_t token_id) override { inner_.Touch(token_id); }

 private:
  struct Entry {
    auth::TokenInfo info;
    int64_t until_ms;
  };
  auth::TokenStore& inner_;
  Clock& clock_;
  int64_t ttl_ms_;
  std::map<std::string, Entry, std::less<>> entries_;
};

class Limits {
 public:
  static constexpr int kMaxFailures = 10;             // per client address …
  static constexpr int64_t kFailureWindowMs = 60000;  // … within a minute …
  static constexpr int64_t kBlockMs = 60000;          // … blocks it for a minute

  // Token bucket per token: `rate` requests per second, bursts up to
  // `rate`. 0 disables. On refusal *retry_after_s is set.
  bool AllowToken(const std::string& token, int rate, int64_t now_ms, int* retry_after_s);

  // Failed authentication by client address.
  void RecordFailure(const std::string& client, int64_t now_ms);
  bool Blocked(const std::string& client, int64_t now_ms, int* retry_after_s);

 private:
  struct Bucket {
    double tokens = 0;
    int64_t at_ms = 0;
  };
  struct Failures {
    int count = 0;
    int64_t window_start_ms = 0;
    int64_t blocked_until_ms = 0;
  };
  std::mutex mu_;
  std::map<std::string, Bucket> buckets_;
  std::map<std::string, Failures> failures_;
};

}  // namespace scim::cgi

#endif  // SCIM_CGI_GUARD_H_
