// In-memory fakes of the I/O interfaces: store, tokens, clock, ids.
#ifndef SCIM_TESTS_FAKES_FAKES_H_
#define SCIM_TESTS_FAKES_FAKES_H_

#include <map>
#include <string>
#include <vector>

#include "common/auth/token.h"
#include "common/scim/clock.h"
#include "common/scim/user_store.h"

namespace scim::testing {

class FakeClock : public Clock {
 public:
  int64_t now = 1763830000000;  // 2025-11-22T16:46:40Z
  int64_t NowMillis() override { return now; }
};

class SequentialIds : public IdGenerator {
 public:
  int next = 1;
  std::string NewId() override {
    char buf[40];
    std::snprintf(buf, sizeof buf, "00000000-0000-4000-8000-%012d", next++);
    return buf;
  }
};

// Keeps users in creation order; userName unique case-insensitively, as
// the MySQL collation makes it. Records every enqueued payload.
class FakeUserStore : public UserStore {
 public:
  std::vector<UserRecord> users;
  std::vector<Json> queue;
  std::optional<ScimError> fail_next;

  Result<void> Create(const UserRecord& user) override {
    if (fail_next) {
      ScimError e = *fail_next;
      fail_next.reset();
      return e;
    }
    for (const auto& u : users) {
      if (EqualsCi(ColumnsOf(u.attributes).user_name, ColumnsOf(user.attributes).user_name)) {
        return Uniqueness("userName taken");
      }
    }
    users.push_back(user);
    queue.push_back(UserChangePayload(user, "upsert"));
    return {};
  }

  Result<UserRecord> Get(std::string_view id) override {
    for (const auto& u : users) {
      if (u.id == id) return u;
    }
    return NotFound("no User with id " + std::string(id));
  }

  Result<UserPage> List(const UserQuery& q) override {
    UserPage page;
    std::vector<UserRecord> matched;
    for (const auto& u : users) {
      if (!q.has_match || Matches(u, q)) matched.push_back(u);
    }
    page.total = static_cast<int64_t>(matched.size());
    for (size_t i = static_cast<size_t>(q.start_index - 1);
         i < matched.size() && page.users.size() < static_cast<size_t>(q.count); ++i) {
      page.users.push_back(matched[i]);
    }
    return page;
  }

 private:
  static bool Matches(const UserRecord& u, const UserQuery& q) {
    UserColumns c = ColumnsOf(u.attributes);
    switch (q.key) {
      case UserKey::kId:
        return u.id == q.value;
      case UserKey::kUserName:
        return EqualsCi(c.user_name, q.value);
      case UserKey::kExternalId:
        return c.external_id == q.value;
      case UserKey::kDisplayName:
        return EqualsCi(c.display_name, q.value);
    }
    return false;
  }
};

class FakeTokenStore : public auth::TokenStore {
 public:
  std::map<std::string, auth::TokenInfo> by_hash;
  std::optional<ScimError> fail;

  void Add(const std::string& token, const std::string& name) {
    by_hash[auth::HashToken(token)] = {static_cast<int64_t>(by_hash.size() + 1), name};
  }

  Result<std::optional<auth::TokenInfo>> FindActive(std::string_view hash) override {
    if (fail) return *fail;
    auto it = by_hash.find(std::string(hash));
    if (it == by_hash.end()) return std::optional<auth::TokenInfo>();
    return std::optional<auth::TokenInfo>(it->second);
  }
};

}  // namespace scim::testing

#endif  // SCIM_TESTS_FAKES_FAKES_H_
