// ResourceStore for Users on MySQL/MariaDB: scim_users, and in the same
// transaction the change_queue row of each write.
#ifndef SCIM_COMMON_DB_MYSQL_USER_STORE_H_
#define SCIM_COMMON_DB_MYSQL_USER_STORE_H_

#include "common/db/connection.h"
#include "common/scim/store.h"

namespace scim::db {

class MysqlUserStore : public ResourceStore {
 public:
  explicit MysqlUserStore(Connection& conn) : conn_(conn) {}

  Result<void> Create(const ResourceRecord& record, const MemberDelta* members,
                      const WriteAudit& audit) override;
  Result<ResourceRecord> Get(std::string_view id) override;
  Result<void> Update(const ResourceRecord& record, int64_t expected_version,
                      const MemberDelta* members, const WriteAudit& audit) override;
  Result<void> Delete(std::string_view id, int64_t expected_version, int64_t now_ms,
                      const WriteAudit& audit) override;
  void AuditRefusal(std::string_view id, const WriteAudit& audit) override;
  Result<Page> Query(const StoreQuery& query) override;
  Result<std::vector<MemberRef>> Related(std::string_view id) override;

 private:
  Connection& conn_;
};

}  // namespace scim::db

#endif  // SCIM_COMMON_DB_MYSQL_USER_STORE_H_
