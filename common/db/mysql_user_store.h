// UserStore on MySQL/MariaDB: the scim_users table and, in the same
// transaction, the change_queue row of each write.
#ifndef SCIM_COMMON_DB_MYSQL_USER_STORE_H_
#define SCIM_COMMON_DB_MYSQL_USER_STORE_H_

#include "common/db/connection.h"
#include "common/scim/user_store.h"

namespace scim::db {

class MysqlUserStore : public UserStore {
 public:
  explicit MysqlUserStore(Connection& conn) : conn_(conn) {}

  Result<void> Create(const UserRecord& user) override;
  Result<UserRecord> Get(std::string_view id) override;
  Result<UserPage> List(const UserQuery& query) override;

 private:
  Connection& conn_;
};

// Inserts one change_queue row holding payload (pending, due now).
// REQUIRES: called inside the transaction that made the change.
void EnqueueChange(soci::session& sql, const std::string& resource_type,
                   const std::string& resource_id, long long version, const std::string& op,
                   const std::string& payload);

}  // namespace scim::db

#endif  // SCIM_COMMON_DB_MYSQL_USER_STORE_H_
