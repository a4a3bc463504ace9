// The storage interface behind UserService. The MySQL implementation is in
// common/db/mysql_user_store; tests use tests/fakes/fake_user_store.h.
#ifndef SCIM_COMMON_SCIM_USER_STORE_H_
#define SCIM_COMMON_SCIM_USER_STORE_H_

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "common/scim/error.h"
#include "common/scim/user.h"

namespace scim {

// Attributes a store can match with equality. Each maps to a fixed column.
enum class UserKey { kId, kUserName, kExternalId, kDisplayName };

struct UserQuery {
  bool has_match = false;  // false: every user
  UserKey key = UserKey::kUserName;
  std::string value;  // compared case-insensitively for userName
  int64_t start_index = 1;
  int count = 100;
};

struct UserPage {
  int64_t total = 0;
  std::vector<UserRecord> users;  // in a stable order (creation order)
};

class UserStore {
 public:
  virtual ~UserStore() = default;

  // Stores a new user and enqueues its state (UserChangePayload "upsert")
  // in one transaction. Errors: 409 uniqueness when userName is taken
  // (case-insensitively); 503 when the database is unavailable.
  virtual Result<void> Create(const UserRecord& user) = 0;

  // Errors: 404 when no such id.
  virtual Result<UserRecord> Get(std::string_view id) = 0;

  virtual Result<UserPage> List(const UserQuery& query) = 0;
};

}  // namespace scim

#endif  // SCIM_COMMON_SCIM_USER_STORE_H_
