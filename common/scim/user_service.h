// SCIM semantics for /Users over a UserStore: what a request means, with no
// I/O of its own. Not thread-safe; one per worker thread.
#ifndef SCIM_COMMON_SCIM_USER_SERVICE_H_
#define SCIM_COMMON_SCIM_USER_SERVICE_H_

#include <string_view>

#include "common/scim/clock.h"
#include "common/scim/list.h"
#include "common/scim/user_store.h"

namespace scim {

class UserService {
 public:
  UserService(UserStore& store, Clock& clock, IdGenerator& ids)
      : store_(store), clock_(clock), ids_(ids) {}

  // POST /Users. Errors: those of NormalizeUser, 409 uniqueness.
  Result<UserRecord> Create(const Json& body);

  // GET /Users/{id}. Errors: 404.
  Result<UserRecord> Get(std::string_view id);

  // GET /Users. Errors: 400 invalidFilter for a malformed filter or one the
  // skeleton cannot evaluate yet (anything but `eq` on userName,
  // externalId, id or displayName).
  Result<UserPage> List(const ListQuery& query);

 private:
  UserStore& store_;
  Clock& clock_;
  IdGenerator& ids_;
};

}  // namespace scim

#endif  // SCIM_COMMON_SCIM_USER_SERVICE_H_
