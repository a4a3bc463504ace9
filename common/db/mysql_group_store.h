// ResourceStore for Groups on MySQL/MariaDB: scim_groups, members as rows of
// scim_group_members (a member change costs O(members changed)), and the
// change_queue row of each write in the same transaction.
#ifndef SCIM_COMMON_DB_MYSQL_GROUP_STORE_H_
#define SCIM_COMMON_DB_MYSQL_GROUP_STORE_H_

#include <string>

#include "common/db/connection.h"
#include "common/scim/store.h"

namespace scim::db {

class MysqlGroupStore : public ResourceStore {
 public:
  explicit MysqlGroupStore(Connection& conn) : conn_(conn) {}

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

// Deletes the User or Group `id` if it is still at expected_version: its
// memberships go too (a group's own members as well), and the tombstone
// queue row (version expected_version + 1) and the audit row are written.
// Errors: 404, 412. REQUIRES: inside the caller's transaction.
Result<void> DeleteResource(soci::session& sql, const ResourceTypeDef& type, const std::string& id,
                            long long expected_version, long long now_ms, const WriteAudit& audit);

// Removes member_id from every group it is in, giving each such group a new
// version and a queue row. REQUIRES: inside the caller's transaction.
Result<void> RemoveFromAllGroups(soci::session& sql, const std::string& member_id,
                                 long long now_ms);

}  // namespace scim::db

#endif  // SCIM_COMMON_DB_MYSQL_GROUP_STORE_H_
