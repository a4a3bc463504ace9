#include "cgi/guard.h"

#include <algorithm>

namespace scim::cgi {

Result<sync::Settings> SettingsCache::Get() {
  int64_t now = clock_.NowMillis();
  if (value_ && now - loaded_at_ < ttl_ms_) return *value_;
  auto loaded = loader_();
  if (!loaded.ok()) {
    if (value_) return *value_;  // the database blinked: keep serving with the last value
    return loaded.error();
  }
  value_ = std::move(loaded).value();
  loaded_at_ = now;
  return *value_;
}

Result<std::optional<auth::TokenInfo>> CachedTokenStore::FindActive(std::string_view token_hash) {
  int64_t now = clock_.NowMillis();
  if (auto it = entries_.find(token_hash); it != entries_.end()) {
    if (it->second.until_ms > now) return std::optional<auth::TokenInfo>(it->second.info);
    entries_.erase(it);
  }
  auto found = inner_.FindActive(token_hash);
  if (found.ok() && found.value() && ttl_ms_ > 0) {
    if (entries_.size() > 1000) entries_.clear();  // bounded however many tokens are tried
    entries_[std::string(token_hash)] = {*found.value(), now + ttl_ms_};
  }
  return found;
}

bool Limits::AllowToken(const std::string& token, int rate, int64_t now_ms, int* retry_after_s) {
  if (rate <= 0) return true;
  std::lock_guard<std::mutex> lock(mu_);
  auto [it, fresh] = buckets_.try_emplace(token);
  Bucket& b = it->second;
  if (fresh) b = {static_cast<double>(rate), now_ms};
  b.tokens = std::min<double>(rate, b.tokens + (now_ms - b.at_ms) * rate / 1000.0);
  b.at_ms = now_ms;
  if (b.tokens >= 1.0) {
    b.tokens -= 1.0;
    return true;
  }
  *retry_after_s = 1;
  return false;
}

void Limits::RecordFailure(const std::string& client, int64_t now_ms) {
  std::lock_guard<std::mutex> lock(mu_);
  Failures& f = failures_[client];
  if (now_ms - f.window_start_ms > kFailureWindowMs) f = {0, now_ms, f.blocked_until_ms};
  if (++f.count >= kMaxFailures) f.blocked_until_ms = now_ms + kBlockMs;
  if (failures_.size() > 100000) failures_.clear();  // bounded under a spray of addresses
}

bool Limits::Blocked(const std::string& client, int64_t now_ms, int* retry_after_s) {
  std::lock_guard<std::mutex> lock(mu_);
  auto it = failures_.find(client);
  if (it == failures_.end() || it->second.blocked_until_ms <= now_ms) return false;
  *retry_after_s = static_cast<int>((it->second.blocked_until_ms - now_ms + 999) / 1000);
  return true;
}

}  // namespace scim::cgi
